"""The one after-work rule is refused the same way through every way into the system."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from meetings import services
from meetings.domain import OSLO
from meetings.forms import MeetingForm
from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory, next_weekday_evening

pytestmark = pytest.mark.django_db

MESSAGE = "Møter på hverdager må starte etter arbeidstid, tidligst kl. 17.00"


def _form_data(starts_at, ends_at, **extra):
    return {
        "title": "Dialogmøte om lokaler",
        "kind": "dialogmote",
        "formality": "informal",
        "mode": "in_person",
        "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": ends_at.strftime("%Y-%m-%dT%H:%M"),
        "venue_name": "Biblioteket",
        "invite_all": "on",
        "reminder_hours": "48",
        "program-TOTAL_FORMS": "0",
        "program-INITIAL_FORMS": "0",
        **extra,
    }


@pytest.fixture
def afternoon():
    start = next_weekday_evening(hour=15)
    return start, start + datetime.timedelta(hours=2)


def test_model_clean(municipality, afternoon):
    meeting = Meeting(
        municipality=municipality, title="X", venue_name="Sted", starts_at=afternoon[0], ends_at=afternoon[1]
    )
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert MESSAGE in caught.value.message_dict["starts_at"][0]


def test_form(municipality, afternoon):
    form = MeetingForm(data=_form_data(*afternoon), municipality=municipality)
    assert not form.is_valid()
    assert MESSAGE in form.errors["starts_at"][0]


def test_service(municipality, afternoon):
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(
            municipality=municipality, title="Import", venue_name="Sted", starts_at=afternoon[0], ends_at=afternoon[1]
        )
    assert MESSAGE in caught.value.message_dict["starts_at"][0]
    assert not Meeting.objects.exists()


def test_service_update(municipality, afternoon):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, starts_at=afternoon[0], ends_at=afternoon[1])
    meeting.refresh_from_db()
    assert meeting.starts_at.astimezone().hour != 15


def test_staff_page(client, staff_user, municipality, afternoon):
    client.force_login(staff_user)
    response = client.post(reverse("meetings:create", args=[municipality.number]), _form_data(*afternoon))
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()
    evening = [moment.replace(hour=moment.hour + 3) for moment in afternoon]
    response = client.post(reverse("meetings:create", args=[municipality.number]), _form_data(*evening))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.starts_at == evening[0]


def test_admin(client, site_admin, municipality, afternoon):
    client.force_login(site_admin)
    data = _form_data(*afternoon, municipality=municipality.pk, status="draft")
    data["starts_at_0"], data["starts_at_1"] = afternoon[0].strftime("%Y-%m-%d"), afternoon[0].strftime("%H:%M")
    data["ends_at_0"], data["ends_at_1"] = afternoon[1].strftime("%Y-%m-%d"), afternoon[1].strftime("%H:%M")
    data.update({"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


def test_changing_after_work_time_applies_to_meetings_saved_afterwards(municipality):
    start = next_weekday_evening(hour=16)
    municipality.after_work_start = datetime.time(16, 0)
    municipality.save()
    meeting = services.meeting_create(
        municipality=municipality,
        title="Tidlig",
        venue_name="Sted",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )
    municipality.after_work_start = datetime.time(17, 0)
    municipality.save()
    meeting.refresh_from_db()
    assert meeting.starts_at == start  # already saved: untouched
    with pytest.raises(ValidationError) as caught:
        services.meeting_update(meeting=meeting, title="Tidlig, med ny tittel")
    assert MESSAGE in caught.value.message_dict["starts_at"][0]


def test_database_holds_start_before_end(municipality):
    start = next_weekday_evening()
    with pytest.raises(IntegrityError):
        Meeting.objects.create(municipality=municipality, title="X", starts_at=start, ends_at=start)


CHRISTMAS_EVE_MESSAGE = "er julaften. Da er det arbeidstid fram til kl. 12.00, og fra kl. 12.00 holdes det ingen møter"


@pytest.fixture
def christmas_eve_evening():
    start = datetime.datetime(2026, 12, 24, 18, tzinfo=OSLO)  # a Thursday
    return start, start + datetime.timedelta(hours=2)


def test_christmas_eve_evening_is_refused_by_the_service(municipality, christmas_eve_evening):
    start, end = christmas_eve_evening
    with pytest.raises(ValidationError) as caught:
        services.meeting_create(
            municipality=municipality, title="Import", venue_name="Sted", starts_at=start, ends_at=end
        )
    assert CHRISTMAS_EVE_MESSAGE in caught.value.message_dict["starts_at"][0]
    assert not Meeting.objects.exists()


def test_christmas_eve_evening_is_refused_by_the_form_and_the_staff_page(
    client, staff_user, municipality, christmas_eve_evening
):
    assert (
        CHRISTMAS_EVE_MESSAGE
        in MeetingForm(data=_form_data(*christmas_eve_evening), municipality=municipality).errors["starts_at"][0]
    )
    client.force_login(staff_user)
    response = client.post(reverse("meetings:create", args=[municipality.number]), _form_data(*christmas_eve_evening))
    assert response.status_code == 200
    assert CHRISTMAS_EVE_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


def test_christmas_eve_evening_is_refused_in_the_admin(client, site_admin, municipality, christmas_eve_evening):
    start, end = christmas_eve_evening
    client.force_login(site_admin)
    data = _form_data(start, end, municipality=municipality.pk, status="draft")
    data["starts_at_0"], data["starts_at_1"] = start.strftime("%Y-%m-%d"), start.strftime("%H:%M")
    data["ends_at_0"], data["ends_at_1"] = end.strftime("%Y-%m-%d"), end.strftime("%H:%M")
    data.update({"agenda-TOTAL_FORMS": "0", "agenda-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:meetings_meeting_add"), data)
    assert response.status_code == 200
    assert CHRISTMAS_EVE_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


def test_moving_a_meeting_to_new_years_eve_evening_is_refused(municipality):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    start = datetime.datetime(2026, 12, 31, 18, tzinfo=OSLO)
    with pytest.raises(ValidationError) as caught:
        services.meeting_update(meeting=meeting, starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    assert "er nyttårsaften" in caught.value.message_dict["starts_at"][0]
