import os
import smtplib
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.management import call_command

from notifications import mailer
from notifications.models import OutgoingEmail
from notifications.tasks import send_email, sweep_outbox
from tests.notifications.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

State = OutgoingEmail.State


@pytest.fixture(autouse=True)
def _fresh_connection():
    mailer.connection_close()
    yield
    mailer.connection_close()


def test_mail_task_is_late_acknowledged_and_time_limited(settings):
    assert send_email.acks_late is True
    assert send_email.reject_on_worker_lost is True
    assert send_email.time_limit == settings.NOTIFICATIONS_SEND_TIME_LIMIT
    assert 0 < send_email.soft_time_limit < send_email.time_limit
    assert send_email.name == "notifications.tasks.send_email"


def test_the_services_hand_over_to_the_task_by_name_and_do_not_import_the_task_module():
    import ast
    import inspect

    from notifications import services

    imported = set()
    for node in ast.walk(ast.parse(inspect.getsource(services))):
        if isinstance(node, ast.ImportFrom):
            imported |= {f"{node.module or ''}.{alias.name}".strip(".") for alias in node.names}
            imported.add(node.module or "")
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    assert not {"tasks", ".tasks", "notifications.tasks"} & imported
    assert not any(name.startswith(("tasks.", "notifications.tasks")) for name in imported)
    assert send_email.name == services.SEND_EMAIL_TASK


def test_the_task_takes_an_id_and_sends():
    email = OutgoingEmailFactory()
    send_email.delay(email.pk)
    email.refresh_from_db()
    assert email.state == State.SENT
    assert len(mail.outbox) == 1


def test_a_task_for_an_email_that_is_gone_does_nothing():
    send_email.delay(999_999)
    assert mail.outbox == []


def test_on_a_worker_a_temporary_error_retries_the_task_with_back_off(settings):
    email = OutgoingEmailFactory()
    with (
        mock.patch.object(mailer, "message_deliver", side_effect=smtplib.SMTPServerDisconnected("gone")),
        mock.patch.object(send_email, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        send_email.run(email.pk)
    assert retry.call_args.kwargs["countdown"] == settings.NOTIFICATIONS_RETRY_BACKOFF
    email.refresh_from_db()
    assert email.state == State.PENDING


def test_the_sweep_task_is_scheduled_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-outbox-sweep"]
    assert entry["task"] == sweep_outbox.name
    assert entry["schedule"] == 60


def test_sweep_task_sends_pending_emails():
    OutgoingEmailFactory.create_batch(2, enqueued_at=None)
    assert sweep_outbox.delay().get() == 2
    assert len(mail.outbox) == 2


def test_run_sweeps_once_runs_every_scheduled_sweep():
    OutgoingEmailFactory(enqueued_at=None)
    call_command("run_sweeps", "--once")
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.get().state == State.SENT


def test_run_sweeps_runs_in_a_fresh_process(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE") and not key.startswith("PYTEST")
    }
    environment.update(DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", EMAIL_FILE_PATH=str(tmp_path))
    for command in (["migrate", "-v0"], ["run_sweeps", "--once"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr


def test_run_sweeps_refuses_when_a_broker_is_configured(settings):
    from django.core.management.base import CommandError

    settings.CELERY_TASK_ALWAYS_EAGER = False
    with pytest.raises(CommandError, match="beat"):
        call_command("run_sweeps", "--once")


def test_send_test_notification_goes_through_the_outbox(capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_test_notification", "drift@example.org", "--note", "Sjekk etter oppgradering")
    assert "drift@example.org" in capsys.readouterr().out
    message = mail.outbox[0]
    assert message.to == ["drift@example.org"]
    assert message.subject == "Testmelding fra portalen"
    assert "Sjekk etter oppgradering" in message.body
    assert OutgoingEmail.objects.get().kind == "notifications.test_message"
