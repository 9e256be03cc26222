"""Scheduled work for accounts: retention sweeps (accounts.sweeps), run daily."""

from celery import shared_task

from . import sweeps


@shared_task(acks_late=True)
def clear_expired_sessions():
    sweeps.sessions_sweep()
