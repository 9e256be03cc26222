"""Retention sweeps behind accounts.tasks."""

from importlib import import_module

from django.conf import settings


def sessions_sweep() -> None:
    """Remove the sessions that have expired (signed-in sessions live SESSION_COOKIE_AGE at most)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
