"""Celery tasks: thin, they take IDs and call the services."""

import logging

from celery import shared_task
from celery.signals import worker_process_shutdown
from django.conf import settings

from dialog_portal.sweeps import sweep_task

from . import mailer, services, sweeps

logger = logging.getLogger(__name__)


@shared_task(
    name=services.SEND_EMAIL_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # The row counts the attempts (NOTIFICATIONS_MAX_ATTEMPTS) across retries and sweeps alike.
    max_retries=None,
    time_limit=settings.NOTIFICATIONS_SEND_TIME_LIMIT,
    soft_time_limit=max(1, settings.NOTIFICATIONS_SEND_TIME_LIMIT * 3 // 4),
)
def send_email(self, email_ids):
    """Send a batch of emails (a list of IDs; a single ID, as older tasks carry, works too)."""
    email_ids = [email_ids] if isinstance(email_ids, int) else list(email_ids)
    try:
        services.emails_send(email_ids=email_ids)
    except services.EmailTemporaryError as error:
        if self.request.is_eager:
            # In-process there is no broker to wait on; the outbox sweep tries again when it is due.
            logger.warning("Emails %s will be tried again in %s s: %s", error.email_ids, error.retry_in, error)
            return
        raise self.retry(args=[error.email_ids], exc=error, countdown=error.retry_in) from error


@shared_task
def sweep_outbox():
    handed = services.outbox_sweep()
    if handed:
        logger.info("Outbox sweep handed %s emails to the worker.", handed)
    return handed


clear_old_email_content = sweep_task(
    f"{__name__}.clear_old_email_content", sweeps.email_content_sweep, "Content of %s old emails cleared."
)


@worker_process_shutdown.connect
def _close_mail_connection(**kwargs):
    mailer.connection_close()
