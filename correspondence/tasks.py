import logging

from celery import shared_task

from . import sweeps

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def follow_up_reminders_sweep():
    """Every six hours (CELERY_BEAT_SCHEDULE): remind working groups whose letters have had no answer
    for three and six weeks."""
    return sweeps.reminders_sweep()


@shared_task(acks_late=True)
def delete_expired_invitations():
    deleted = sweeps.group_invitations_sweep()
    if deleted:
        logger.info("Expired working-group invitations deleted: %s", deleted)
    return deleted
