import pytest
from django.urls import reverse

from organizations.exports import safe_csv_cell
from tests.meetings.factories import MeetingFactory, RegistrationFactory

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
