from unittest import mock

import pytest
from django.db import models
from django.urls import reverse
from django.utils import translation

from dialog_portal.csv_export import csv_response, safe_csv_cell
from organizations.models import Category
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+47 400 00 000", "'+47 400 00 000"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tskjult", "'\tskjult"),
        ("\rskjult", "'\rskjult"),
        ("Vanlig tekst", "Vanlig tekst"),
        ("", ""),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_cells_cannot_run_formulas(value, cell):
    assert safe_csv_cell(value) == cell


def test_staff_see_topics_beside_the_agenda(client, staff_user, municipality):
    meeting = MeetingFactory(municipality=municipality)
    RegistrationFactory(meeting=meeting, topics="Felles lager for utstyr")
    RegistrationFactory(meeting=meeting, topics="Trukket tilbake", status="cancelled")
    client.force_login(staff_user)
    page = client.get(reverse("meetings:edit", args=[meeting.pk])).content.decode()
    assert "Felles lager for utstyr" in page and "Trukket tilbake" not in page


@pytest.mark.parametrize("name", ["meetings:calendar", "meetings:volunteer_day"])
def test_public_pages_in_english(client, municipality, name):
    MeetingFactory(municipality=municipality, hearing_loop=True)
    client.cookies["django_language"] = "en"
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_csv_yes_no_columns_are_left_to_the_shared_csv_helper(client, staff_user, municipality, association):
    """The exports hand over booleans; csv_response alone decides how yes and no are written."""

    RegistrationFactory(meeting=MeetingFactory(municipality=municipality), association=association)
    written = []

    def keep_rows(*, filename, header, rows):
        written.append(list(rows))
        return csv_response(filename=filename, header=header, rows=written[-1])

    client.force_login(staff_user)
    meeting = association.meeting_registrations.get().meeting
    with mock.patch("meetings.views.csv_response", side_effect=keep_rows):
        client.get(reverse("meetings:registrations_csv", args=[meeting.pk]))
        client.get(reverse("meetings:reach_csv", args=[municipality.number]))
    registrations, reach = written
    assert registrations[0][-1] is False
    assert reach[0][-2:] == [False, True]


def test_reach_csv_writes_categories_by_name_like_the_association_export(client, staff_user, municipality):
    category = Category.objects.exclude(name_en="").exclude(name_en=models.F("name")).first()
    AssociationFactory(municipality=municipality, name="Korpset", categories=[category])
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    with translation.override("en"):  # and back to what it was once the request has switched it
        body = client.get(reverse("meetings:reach_csv", args=[municipality.number])).content.decode()
    line = next(line for line in body.splitlines() if line.startswith("Korpset"))
    assert line.split(";")[1] == category.name
