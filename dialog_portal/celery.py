"""The Celery application: configured from Django settings (the CELERY_ namespace)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun
from django.db import close_old_connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialog_portal.settings")

app = Celery("dialog_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_database_connections(task=None, **kwargs):
    """Treat a task like a request: drop the database connection when it is too old or broken.

    Celery's own Django fix-up would close it after every task (see CELERY_DB_REUSE_MAX), which
    costs a new connection per email; this keeps it for CONN_MAX_AGE seconds, as the web does.
    """
    if task is not None and task.request.is_eager:
        return  # in-process, inside the caller's request or transaction

    close_old_connections()
