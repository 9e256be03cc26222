"""The retention sweeps are on the beat schedule, daily, and `manage.py run_sweeps` runs them."""

import datetime

import pytest
from celery import current_app
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Meeting
from notifications.models import OutgoingEmail
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.notifications.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db

RETENTION_TASKS = {
    "notifications.tasks.clear_old_email_content",
    "organizations.tasks.delete_expired_invitations",
    "organizations.tasks.delete_old_membership_requests",
    "correspondence.tasks.delete_expired_invitations",
    "accounts.tasks.clear_expired_sessions",
    "meetings.tasks.clear_registration_needs",
}


def test_every_retention_sweep_is_scheduled_daily(settings):
    current_app.loader.import_default_modules()
    schedule = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for task in RETENTION_TASKS:
        assert task in current_app.tasks
        assert schedule[task]["schedule"] == 24 * 60 * 60


def test_run_sweeps_once_clears_what_is_past_its_period(municipality):
    long_ago = timezone.now() - datetime.timedelta(days=365)
    email = OutgoingEmailFactory(state=OutgoingEmail.State.SENT, sent_at=long_ago, context={"name": "Åse"})
    meeting = MeetingFactory(municipality=municipality)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=long_ago, ends_at=long_ago + datetime.timedelta(hours=2))
    registration = RegistrationFactory(meeting=meeting, accessibility_needs="Rullestol")
    session = SessionStore()
    session.create()
    Session.objects.filter(session_key=session.session_key).update(expire_date=long_ago)

    call_command("run_sweeps", "--once")

    email.refresh_from_db()
    registration.refresh_from_db()
    assert (email.state, email.context) == (OutgoingEmail.State.SENT, {})
    assert registration.accessibility_needs == ""
    assert not Session.objects.filter(session_key=session.session_key).exists()
