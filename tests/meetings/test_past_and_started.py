"""A meeting cannot be saved at a time that has passed; once a meeting has started, its
registrations can no longer be changed or cancelled."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.domain import OSLO, is_working_day
from meetings.models import AgendaItem, Meeting, Registration
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

PAST_MESSAGE = "har allerede vært. Et møte kan bare legges til et tidspunkt fram i tid"
STARTED_MESSAGE = "Møtet har startet, så påmeldingen kan ikke lenger endres eller meldes av."


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _last_week_evening() -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=7)
    while not is_working_day(day) or (day.month, day.day) in ((12, 24), (12, 31)):
        day -= datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=OSLO)


def _move_to_the_past(meeting, start=None):
    start = start or _last_week_evening()
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    meeting.refresh_from_db()
    return meeting


def _form_data(start, **extra):
    return {
        "title": "Dialogmøte om lokaler",
        "kind": "dialogmote",
        "formality": "informal",
        "mode": "in_person",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": "Biblioteket",
        "invite_all": "on",
        "reminder_hours": "48",
        "program-TOTAL_FORMS": "0",
        "program-INITIAL_FORMS": "0",
        **extra,
    }


def test_a_draft_in_the_past_is_refused_when_saved(municipality):
    start = _last_week_evening()
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(
            municipality=municipality,
            title="For sent",
            venue_name="Sted",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
    assert PAST_MESSAGE in caught.value.message_dict["starts_at"][0]
    assert not Meeting.objects.exists()


def test_the_staff_page_refuses_a_past_date_on_save(staff_client, municipality):
    response = staff_client.post(
        reverse("meetings:create", args=[municipality.number]), _form_data(_last_week_evening())
    )
    assert response.status_code == 200
    assert PAST_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


def test_moving_a_meeting_into_the_past_is_refused(municipality):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    planned = meeting.starts_at
    start = _last_week_evening()
    with pytest.raises(ValidationError) as caught:
        services.meeting_update(meeting=meeting, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    assert PAST_MESSAGE in caught.value.message_dict["starts_at"][0]
    meeting.refresh_from_db()
    assert meeting.starts_at == planned


def test_a_meeting_that_took_place_stays_editable(staff_client, municipality):
    meeting = _move_to_the_past(MeetingFactory(municipality=municipality))
    data = _form_data(meeting.starts_at.astimezone(OSLO), venue_name="Biblioteket, sal 2")
    response = staff_client.post(reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.venue_name == "Biblioteket, sal 2"
    services.meeting_summary_publish(meeting=meeting, summary="Vi snakket om lokaler.", follow_up_points="")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_a_copy_of_a_past_meeting_moves_to_a_coming_week(staff_client, municipality):
    meeting = _move_to_the_past(MeetingFactory(municipality=municipality))
    AgendaItem.objects.create(meeting=meeting, title="Velkommen")
    response = staff_client.post(reverse("meetings:duplicate", args=[meeting.pk]))
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.url == reverse("meetings:edit", args=[copy.pk])
    start, original = copy.starts_at.astimezone(OSLO), meeting.starts_at.astimezone(OSLO)
    assert start > timezone.now()
    assert (start.weekday(), start.time()) == (original.weekday(), original.time())
    assert copy.ends_at - copy.starts_at == meeting.ends_at - meeting.starts_at


@pytest.fixture
def started(municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=2)
    registration = RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, attendees=2, status=Registration.Status.WAITLISTED)
    started_at = timezone.now() - datetime.timedelta(minutes=30)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=started_at, ends_at=started_at + datetime.timedelta(hours=2))
    meeting.refresh_from_db()
    return meeting, registration, waiting


def test_the_pages_offer_no_change_or_cancel_once_the_meeting_has_started(client, started):
    meeting, registration, _waiting = started
    client.force_login(registration.user)
    edit = reverse("meetings:registration_edit", args=[registration.pk])
    cancel = reverse("meetings:registration_cancel", args=[registration.pk])
    for page in (
        client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode(),
        client.get(reverse("meetings:my_registrations")).content.decode(),
    ):
        assert meeting.title in page and STARTED_MESSAGE in page
        assert edit not in page and cancel not in page


def test_staff_are_not_offered_to_cancel_a_registration_once_the_meeting_has_started(staff_client, started):
    meeting, registration, _waiting = started
    page = staff_client.get(reverse("meetings:registrations", args=[meeting.pk])).content.decode()
    assert registration.user.full_name in page
    assert reverse("meetings:registration_cancel", args=[registration.pk]) not in page


def test_cancelling_after_the_start_is_refused_with_a_message(client, started):
    meeting, registration, waiting = started
    client.force_login(registration.user)
    response = client.post(reverse("meetings:registration_cancel", args=[registration.pk]), follow=True)
    assert STARTED_MESSAGE in response.content.decode()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert waiting.status == Registration.Status.WAITLISTED


def test_changing_after_the_start_is_refused_with_a_message(client, started):
    meeting, registration, _waiting = started
    client.force_login(registration.user)
    url = reverse("meetings:registration_edit", args=[registration.pk])
    response = client.get(url, follow=True)
    assert STARTED_MESSAGE in response.content.decode()
    response = client.post(url, {"attendees": "1", "topics": "For sent"}, follow=True)
    assert STARTED_MESSAGE in response.content.decode()
    registration.refresh_from_db()
    assert registration.topics == ""


def test_the_services_refuse_after_the_start(staff_user, started):
    meeting, registration, _waiting = started
    with pytest.raises(ValidationError, match="Møtet har startet"):
        services.registration_cancel(registration=registration)
    with pytest.raises(ValidationError, match="Møtet har startet"):
        services.registration_update(registration=registration, user=registration.user, topics="Sent")
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.CONFIRMED


def test_the_admin_refuses_a_past_date(client, site_admin, municipality):
    start = _last_week_evening()
    end = start + datetime.timedelta(hours=2)
    client.force_login(site_admin)
    data = _form_data(start, municipality=municipality.pk, status="draft")
    data["starts_at_0"], data["starts_at_1"] = start.strftime("%Y-%m-%d"), start.strftime("%H:%M")
    data["ends_at_0"], data["ends_at_1"] = end.strftime("%Y-%m-%d"), end.strftime("%H:%M")
    data.update({"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    assert PAST_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()
