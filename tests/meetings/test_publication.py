"""A meeting is public once it has been published, and only then; a draft cannot be cancelled."""

import datetime

import pytest
import rules
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import selectors, services
from meetings.domain import OSLO
from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_cancelling_a_draft_is_refused(municipality):
    draft = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    with pytest.raises(ValidationError) as caught:
        services.meeting_cancel(meeting=draft, reason="Ble ikke noe av")
    assert "utkast kan ikke avlyses" in caught.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT and not draft.is_public


def test_cancel_page_refuses_a_draft_with_the_reason(client, staff_user, municipality):
    draft = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    client.force_login(staff_user)
    response = client.post(reverse("meetings:cancel", args=[draft.pk]), {"reason": "Ble ikke noe av"})
    assert response.status_code == 200
    assert "utkast kan ikke avlyses" in response.content.decode()


@pytest.fixture
def cancelled_draft(municipality):
    """A draft that was cancelled before drafts could not be: never published, so never public."""
    return MeetingFactory(
        municipality=municipality,
        title="Hemmelig avlyst utkast",
        status=Meeting.Status.CANCELLED,
        cancel_reason="Ble ikke noe av",
        published_at=None,
    )


def test_a_never_published_meeting_is_not_public_anywhere(client, municipality, cancelled_draft, volunteer):
    shown = MeetingFactory(municipality=municipality, title="Publisert møte")
    assert not rules.has_perm("meetings.view_meeting", volunteer, cancelled_draft)
    assert rules.has_perm("meetings.view_meeting", volunteer, shown)
    assert list(selectors.calendar_meetings()) == [shown]
    assert client.get(reverse("meetings:detail", args=[cancelled_draft.pk])).status_code == 404
    feed = client.get(reverse("meetings:municipality_feed", args=[municipality.number])).content.decode()
    assert "Publisert møte" in feed and "Hemmelig avlyst utkast" not in feed


def test_volunteer_day_page_leaves_out_a_never_published_meeting(municipality):
    day = datetime.datetime(2031, 12, 5, 18, tzinfo=OSLO)
    MeetingFactory(
        municipality=municipality,
        kind=Meeting.Kind.VOLUNTEER_DAY,
        status=Meeting.Status.CANCELLED,
        cancel_reason="Avlyst",
        published_at=None,
        starts_at=day,
        ends_at=day + datetime.timedelta(hours=2),
    )
    assert not selectors.volunteer_day_meetings(year=2031).exists()


def test_publishing_then_cancelling_keeps_the_meeting_public_as_cancelled(municipality, staff_user):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    services.meeting_publish(meeting=meeting)
    services.meeting_cancel(meeting=meeting, reason="Sykdom")
    assert list(Meeting.objects.public()) == [meeting]
    assert list(selectors.calendar_meetings()) == [meeting]
