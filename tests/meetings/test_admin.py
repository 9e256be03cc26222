"""The Django admin changes meetings through the services."""

import pytest
from django.core import mail
from django.urls import reverse

from meetings.domain import OSLO
from meetings.models import Meeting
from notifications.models import OutgoingEmail
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _admin_data(meeting, **changes):
    local = meeting.starts_at.astimezone(OSLO), meeting.ends_at.astimezone(OSLO)
    data = {
        "municipality": meeting.municipality_id,
        "title": meeting.title,
        "kind": meeting.kind,
        "formality": meeting.formality,
        "mode": meeting.mode,
        "venue_name": meeting.venue_name,
        "venue_address": meeting.venue_address,
        "starts_at_0": local[0].strftime("%Y-%m-%d"),
        "starts_at_1": local[0].strftime("%H:%M"),
        "ends_at_0": local[1].strftime("%Y-%m-%d"),
        "ends_at_1": local[1].strftime("%H:%M"),
        "invite_all": "on",
        "reminder_hours": "48",
        "status": Meeting.Status.CANCELLED,
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_admin_cannot_change_status_and_a_moved_meeting_notifies_registrants(
    client, site_admin, municipality, send_on_commit
):
    meeting = MeetingFactory(municipality=municipality, title="Dialogmøte i biblioteket")
    RegistrationFactory(meeting=meeting)
    client.force_login(site_admin)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    send_on_commit(client.post, url, _admin_data(meeting, venue_name="Rådhuset"))
    meeting.refresh_from_db()
    assert meeting.venue_name == "Rådhuset"
    assert meeting.status == Meeting.Status.PUBLISHED  # the posted status is ignored
    assert meeting.sequence == 1
    assert OutgoingEmail.objects.filter(kind="meetings.meeting_changed").count() == 1
    assert len(mail.outbox) == 1


def test_admin_publish_action_uses_the_service(client, site_admin, municipality, association, send_on_commit):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    client.force_login(site_admin)
    send_on_commit(
        client.post,
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish_meetings", "_selected_action": [meeting.pk]},
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.published_at is not None
    assert OutgoingEmail.objects.filter(kind="meetings.invitation").count() == 1
