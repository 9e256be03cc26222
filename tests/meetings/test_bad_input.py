"""Hostile input on the meeting pages gets 400 or 404 or the form's error, never a server error."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import forms
from meetings.models import Attendance, Exhibitor, Meeting
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(staff_user):
    client = Client(raise_request_exception=False)
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize(
    "path", ["/moter/kommune/%00/kalender.ics", "/moter/ansatt/%00/", "/moter/ansatt/%00/nytt/", "/moter/?q=%00"]
)
def test_a_nul_in_the_path_or_query_string_is_refused(staff_client, path):
    assert staff_client.get(path).status_code == 400
    assert Client(raise_request_exception=False).get(path).status_code == 400


def test_the_feed_of_a_number_that_cannot_be_a_municipality_is_not_found(municipality):
    client = Client(raise_request_exception=False)
    assert client.get("/moter/kommune/ab%C2%B2c/kalender.ics").status_code == 404
    assert client.get(f"/moter/kommune/{municipality.number}/kalender.ics").status_code == 200


@pytest.fixture
def marketplace(municipality):
    meeting = MeetingFactory(municipality=municipality, kind=Meeting.Kind.MARKETPLACE)
    exhibitor = meeting.exhibitors.create(association=AssociationFactory(municipality=municipality))
    return meeting, exhibitor


@pytest.mark.parametrize("posted", ["abc", "", "²", "1e400", "9" * 25, "-1", "\x00"])
def test_an_exhibitor_id_that_is_not_one_is_not_found(staff_client, marketplace, posted):
    meeting, exhibitor = marketplace
    response = staff_client.post(
        reverse("meetings:exhibitors", args=[meeting.pk]),
        {"exhibitor": posted, f"stand{exhibitor.pk}-decision": "approve", f"stand{exhibitor.pk}-stand_number": "1"},
    )
    assert response.status_code == 404
    exhibitor.refresh_from_db()
    assert exhibitor.status == Exhibitor.Status.PENDING


def test_an_exhibitor_of_another_meeting_is_not_found(staff_client, marketplace, municipality):
    meeting, _exhibitor = marketplace
    other = MeetingFactory(municipality=municipality, kind=Meeting.Kind.MARKETPLACE)
    elsewhere = other.exhibitors.create(association=AssociationFactory(municipality=municipality))
    response = staff_client.post(
        reverse("meetings:exhibitors", args=[meeting.pk]),
        {
            "exhibitor": elsewhere.pk,
            f"stand{elsewhere.pk}-decision": "approve",
            f"stand{elsewhere.pk}-stand_number": "1",
        },
    )
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == Exhibitor.Status.PENDING


def test_the_exhibitor_decision_still_works(staff_client, marketplace):
    meeting, exhibitor = marketplace
    response = staff_client.post(
        reverse("meetings:exhibitors", args=[meeting.pk]),
        {
            "exhibitor": str(exhibitor.pk),
            f"stand{exhibitor.pk}-decision": "approve",
            f"stand{exhibitor.pk}-stand_number": "7",
        },
    )
    assert response.status_code == 302
    exhibitor.refresh_from_db()
    assert exhibitor.status == Exhibitor.Status.APPROVED and exhibitor.stand_number == 7


@pytest.fixture
def held(municipality):
    meeting = MeetingFactory(municipality=municipality)
    came = RegistrationFactory(meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at - datetime.timedelta(days=30), ends_at=meeting.ends_at - datetime.timedelta(days=30)
    )
    return meeting, came


@pytest.mark.parametrize("field", ["present", "walk_in"])
@pytest.mark.parametrize("posted", ["²", "١", "1e400", "9" * 25, "-1", " 1", "\x00"])
def test_attendance_with_a_value_that_is_not_an_id_is_an_error_and_changes_nothing(
    staff_client, held, municipality, field, posted
):
    meeting, came = held
    walk_in = AssociationFactory(municipality=municipality)
    data = {"present": [str(came.pk)], "walk_in": [str(walk_in.pk)]}
    data[field] = [*data[field], posted]
    response = staff_client.post(reverse("meetings:registrations", args=[meeting.pk]), data)
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Valget kom ikke fra siden. Last den inn på nytt og prøv igjen."
    ]
    assert not Attendance.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED


def test_attendance_with_ids_is_saved(staff_client, held, municipality):
    meeting, came = held
    walk_in = AssociationFactory(municipality=municipality)
    staff_client.post(
        reverse("meetings:registrations", args=[meeting.pk]), {"present": [str(came.pk)], "walk_in": [str(walk_in.pk)]}
    )
    assert Attendance.objects.filter(meeting=meeting).count() == 2


def _meeting_post(meeting, total: str) -> dict:
    start = timezone.localtime(meeting.starts_at)
    return {
        "title": meeting.title,
        "kind": meeting.kind,
        "formality": meeting.formality,
        "mode": meeting.mode,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": meeting.venue_name,
        "venue_address": meeting.venue_address,
        "program-TOTAL_FORMS": total,
        "program-INITIAL_FORMS": "0",
        "program-0-title": "Velkommen",
    }


def test_the_agenda_formset_refuses_more_rows_than_the_page_offers(staff_client, municipality):
    limit = forms.MAX_AGENDA_ITEMS
    assert forms.AgendaFormSet.max_num == forms.AgendaFormSet.absolute_max == limit
    assert forms.AgendaFormSet.validate_max
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    url = reverse("meetings:edit", args=[meeting.pk])
    response = staff_client.post(url, _meeting_post(meeting, "100000"))
    assert response.status_code == 200
    assert len(response.context["agenda"].forms) == limit
    assert f"Det er plass til høyst {limit} rader her." in response.content.decode()
    assert not meeting.agenda.exists()
