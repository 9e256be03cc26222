"""One way to write dates and times: 'fredag 11. desember 2026 kl. 18.00', or in English
'Friday 11 December 2026, 18:00', on pages, in emails and in calendar files."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from correspondence.norwegian import format_date, format_time, format_weekday_date
from dialog_portal import dates
from meetings import services
from meetings.domain import OSLO, validate_meeting_time
from meetings.models import AgendaItem
from organizations import services as organization_services
from organizations.models import Association
from tests.meetings.factories import MeetingFactory, next_weekday_evening
from tests.organizations.factories import AssociationFactory, MembershipFactory, MunicipalStaffFactory

pytestmark = pytest.mark.django_db

MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]
WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
FRIDAY_EVENING = datetime.datetime(2026, 12, 11, 18, 0, tzinfo=OSLO)


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    def run(callable_, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(**kwargs)

    return run


def _norwegian_day(moment: datetime.datetime) -> str:
    return f"{WEEKDAYS[moment.weekday()]} {moment.day}. {MONTHS[moment.month - 1]} {moment.year}"


def _english_day(moment: datetime.datetime) -> str:
    return f"{moment:%A} {moment.day} {moment:%B} {moment.year}"


def test_the_helpers_write_norwegian_with_a_dot_and_english_with_a_colon():
    with translation.override("nb"):
        assert dates.weekday_date_time(FRIDAY_EVENING) == "fredag 11. desember 2026 kl. 18.00"
        assert dates.date_time(FRIDAY_EVENING) == "11. desember 2026 kl. 18.00"
        assert dates.clock(datetime.time(9, 5)) == "09.05"
    with translation.override("nn"):
        assert dates.weekday_date(datetime.date(2026, 11, 3)) == "tysdag 3. november 2026"
    with translation.override("en"):
        assert dates.weekday_date_time(FRIDAY_EVENING) == "Friday 11 December 2026, 18:00"
        assert dates.long_date(FRIDAY_EVENING) == "11 December 2026"
        assert dates.clock_time(datetime.time(18, 0)) == "18:00"


def test_a_utc_moment_is_written_in_oslo_time():
    with translation.override("nb"):
        assert dates.clock_time(FRIDAY_EVENING.astimezone(datetime.UTC)) == "kl. 18.00"


def test_a_letter_keeps_its_own_language_whatever_the_reader_uses():
    with translation.override("en"):
        assert format_weekday_date(datetime.date(2026, 11, 3), "nn") == "tysdag 3. november 2026"
        assert format_date(datetime.date(2026, 12, 11), "nb") == "11. desember 2026"
        assert format_time(datetime.time(18, 30)) == "kl. 18.30"


def test_the_meeting_page_writes_kl_18_00(client, municipality):
    meeting = MeetingFactory(municipality=municipality, starts_at=next_weekday_evening(hour=18))
    page = client.get(meeting.get_absolute_url()).content.decode()
    day = _norwegian_day(meeting.starts_at)
    assert f"{day[0].upper()}{day[1:]} kl. 18.00" in page
    assert "kl. 18.00</time>–<time" in page and ">20.00</time>" in page
    assert re.search(r"(?<!T)18:00", page) is None  # only the machine-readable datetime="…T18:00"


def test_the_staff_meeting_list_writes_months_in_lower_case(client, municipality, staff_user):
    meeting = MeetingFactory(municipality=municipality, starts_at=next_weekday_evening(hour=18))
    client.force_login(staff_user)
    page = client.get(reverse("meetings:staff_meetings", args=[municipality.number])).content.decode()
    start = meeting.starts_at
    assert f"{start.day}. {MONTHS[start.month - 1]} {start.year} kl. 18.00" in page


def test_an_english_page_shows_english_dates(client, municipality):
    meeting = MeetingFactory(municipality=municipality, starts_at=next_weekday_evening(hour=18))
    client.cookies["django_language"] = "en"
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert f"{_english_day(meeting.starts_at)}, 18:00" in page
    assert "kl. 18.00" not in page


def test_the_confirmation_email_writes_kl_18_00(send_on_commit, volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality, starts_at=next_weekday_evening(hour=18))
    send_on_commit(services.registration_create, meeting=meeting, user=volunteer)
    (message,) = mail.outbox
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert f"{_norwegian_day(meeting.starts_at)} kl. 18.00–20.00" in body
        assert "18:00" not in body


def test_the_calendar_feed_writes_the_programme_with_kl_18_00(client, municipality):
    meeting = MeetingFactory(municipality=municipality, description="Om lokaler.")
    AgendaItem.objects.create(meeting=meeting, position=1, starts_at=datetime.time(18, 0), title="Velkommen")
    AgendaItem.objects.create(meeting=meeting, position=2, title="Spørsmål")
    feed = client.get(reverse("meetings:municipality_feed", args=[municipality.number])).content
    (event,) = Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["DESCRIPTION"]) == "Om lokaler.\n\nProgram:\nkl. 18.00 Velkommen\nSpørsmål"
    single = client.get(reverse("meetings:ical", args=[meeting.pk])).content
    assert "kl. 18.00 Velkommen" in str(Calendar.from_ical(single).walk("VEVENT")[0]["DESCRIPTION"])


def test_after_work_messages_begin_with_a_capital_letter():
    tuesday = next_weekday_evening(hour=15)
    with pytest.raises(Exception) as caught:
        validate_meeting_time(starts_at=tuesday, ends_at=tuesday + datetime.timedelta(hours=1))
    message = caught.value.message_dict["starts_at"][0]
    day = _norwegian_day(tuesday)
    assert f"kl. 17.00. {day[0].upper()}{day[1:]} er en hverdag" in message


def test_the_approval_email_names_bergen_kommune(send_on_commit, municipality, volunteer):
    staff = MunicipalStaffFactory(municipality=municipality).user
    association = AssociationFactory(municipality=municipality, status=Association.Status.PENDING, name="Koret")
    MembershipFactory(association=association, user=volunteer, role="admin")
    send_on_commit(organization_services.association_verify, association=association, by=staff)
    (message,) = mail.outbox
    assert f"{municipality.name} kommune har godkjent «Koret»" in message.body
    assert "Kommunen " not in message.body
    assert "melde laget på møter, søke om stand og skrive under på brev" in message.body
