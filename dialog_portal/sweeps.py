"""Periodic sweeps as Celery tasks.

The work of a sweep lives in its app's sweeps.py, is idempotent and returns how many things it
handled; the app's tasks.py turns it into the task that CELERY_BEAT_SCHEDULE names.
"""

import logging
from collections.abc import Callable

from celery import shared_task

logger = logging.getLogger(__name__)


def sweep_task(name: str, sweep: Callable[[], int], done: str):
    """A task named `name` (the dotted path the beat schedule uses) that runs `sweep` and logs
    `done` (with %s for the count) when it handled anything. acks_late: a worker that dies halfway
    leaves the task to be run again, which an idempotent sweep allows."""

    def run():
        handled = sweep()
        if handled:
            logger.info(done, handled)
        return handled

    run.__name__ = name.rsplit(".", 1)[-1]
    run.__doc__ = sweep.__doc__
    return shared_task(name=name, acks_late=True)(run)
