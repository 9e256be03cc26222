import logging
import time

from celery import current_app
from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the periodic sweeps of CELERY_BEAT_SCHEDULE in this process, each on its schedule: "
        "celery beat for the embedded default (no REDIS_URL). `make run` starts it beside the dev server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every sweep once and stop")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between checks of the schedules")

    def handle(self, *args, once, tick, **options):
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            raise CommandError("REDIS_URL is set: run `celery -A dialog_portal beat` (make beat) instead.")
        # Celery finds the apps' tasks modules when its loader imports them, as a worker would.
        current_app.loader.import_default_modules()
        entries = {
            name: (current_app.tasks[entry["task"]], maybe_schedule(entry["schedule"]), entry)
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        last_run = {}
        try:
            while True:
                for name, (task, schedule, entry) in entries.items():
                    due = name not in last_run or schedule.is_due(last_run[name]).is_due
                    if due:
                        last_run[name] = timezone.now()
                        self._run(name, task, entry)
                if once:
                    return
                time.sleep(tick)
        except KeyboardInterrupt:
            return

    def _run(self, name, task, entry):
        try:
            result = task.apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
            if result.failed():
                logger.error("Sweep %s failed: %r", name, result.result)
        except Exception:
            # One failing sweep must not stop the others; the next round tries again.
            logger.exception("Sweep %s failed.", name)
