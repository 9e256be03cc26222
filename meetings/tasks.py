"""Scheduled work for meetings: idempotent sweeps that send what is due and not yet sent, and one
that clears the needs stated for meetings long past.

Each email is recorded under a unique occasion (notifications.email_enqueue), so a sweep that runs
twice sends once, and a beat that was down for a day catches up on its next run.
"""

import logging

from celery import shared_task

from . import sweeps

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def send_due_reminders():
    sent = sweeps.reminders_sweep()
    if sent:
        logger.info("Meeting reminders recorded: %s", sent)
    return sent


@shared_task(acks_late=True)
def send_volunteer_day_nudges():
    sent = sweeps.volunteer_day_nudge_sweep()
    if sent:
        logger.info("Volunteer Day nudges recorded: %s", sent)
    return sent


@shared_task(acks_late=True)
def clear_registration_needs():
    """Daily: the needs stated for meetings that ended MEETINGS_KEEP_NEEDS_DAYS ago are cleared."""
    cleared = sweeps.registration_needs_sweep()
    if cleared:
        logger.info("Needs cleared on %s registrations of past meetings.", cleared)
    return cleared


@shared_task(acks_late=True)
def send_action_reminders():
    sent = sweeps.action_reminders_sweep()
    if sent:
        logger.info("Agreed action reminders recorded: %s", sent)
    return sent
