"""The data migration that keeps meetings published before published_at was the test public."""

import importlib

import pytest
from django.apps import apps

from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_published_and_held_meetings_without_published_at_stay_public(municipality):
    published = MeetingFactory(municipality=municipality, published_at=None)
    held = MeetingFactory(municipality=municipality, status=Meeting.Status.HELD, published_at=None)
    cancelled = MeetingFactory(
        municipality=municipality, status=Meeting.Status.CANCELLED, cancel_reason="Avlyst", published_at=None
    )
    draft = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    migration = importlib.import_module("meetings.migrations.0002_published_at_for_published_meetings")

    migration.backfill(apps, None)

    assert set(Meeting.objects.public()) == {published, held}
    assert not Meeting.objects.filter(pk__in=[cancelled.pk, draft.pk], published_at__isnull=False).exists()
