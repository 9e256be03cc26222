"""Expired sessions are removed every day; sessions still in use stay."""

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from accounts import sweeps, tasks
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _session(expires_in_days):
    session = SessionStore()
    session["note"] = "Åse O'Brien"
    session.create()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(days=expires_in_days)
    )
    return session.session_key


def test_expired_sessions_are_removed_and_live_ones_stay(client):
    expired = _session(-1)
    alive = _session(1)
    user = UserFactory()
    client.force_login(user)

    sweeps.sessions_sweep()

    assert not Session.objects.filter(session_key=expired).exists()
    assert set(Session.objects.values_list("session_key", flat=True)) == {alive, client.session.session_key}
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_the_task_twice_is_harmless():
    _session(-3)
    alive = _session(3)
    tasks.clear_expired_sessions.apply().get()
    tasks.clear_expired_sessions.apply().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [alive]
