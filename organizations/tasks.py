"""Scheduled work for organizations: retention sweeps (organizations.sweeps), run daily."""

import logging

from celery import shared_task

from . import sweeps

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def delete_expired_invitations():
    deleted = sweeps.invitations_sweep()
    if deleted:
        logger.info("Expired association invitations deleted: %s", deleted)
    return deleted


@shared_task(acks_late=True)
def delete_old_membership_requests():
    deleted = sweeps.membership_requests_sweep()
    if deleted:
        logger.info("Declined or lapsed membership requests deleted: %s", deleted)
    return deleted
