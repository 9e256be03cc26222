import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services, views
from meetings.domain import OSLO
from meetings.models import Exhibitor, Meeting
from organizations.models import Language
from tests.meetings.factories import MeetingFactory, RegistrationFactory, next_weekday_evening
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def test_calendar_lists_upcoming_published_meetings(client, municipality, other_municipality):
    upcoming = MeetingFactory(municipality=municipality, title="Kommende dialogmøte")
    MeetingFactory(municipality=municipality, title="Hemmelig utkast", status=Meeting.Status.DRAFT)
    past_start = timezone.now() - datetime.timedelta(days=20)
    MeetingFactory(
        municipality=municipality,
        title="Gammelt møte",
        starts_at=past_start.replace(hour=17),
        ends_at=past_start.replace(hour=19),
        status=Meeting.Status.HELD,
    )
    cancelled = MeetingFactory(municipality=other_municipality, title="Avlyst kveld", status=Meeting.Status.CANCELLED)
    page = client.get(reverse("meetings:calendar")).content.decode()
    assert upcoming.title in page and cancelled.title in page
    assert "Avlyst" in page
    assert "Hemmelig utkast" not in page and "Gammelt møte" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "markedsplass"}, {"Markedsplass"}),
        ({"features": "hearing_loop"}, {"Med teleslynge"}),
        ({"features": ["hearing_loop", "food"]}, set()),
        ({"municipality": "0301"}, {"I Oslo"}),
        ({"language": "ar"}, {"Med tolk"}),
        ({}, {"Markedsplass", "Med teleslynge", "I Oslo", "Med tolk", "Senere"}),
    ],
)
def test_calendar_filters(client, municipality, other_municipality, query, expected):
    start = next_weekday_evening(days_ahead=10)
    MeetingFactory(
        municipality=municipality,
        title="Markedsplass",
        kind="markedsplass",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    MeetingFactory(
        municipality=municipality,
        title="Med teleslynge",
        hearing_loop=True,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    MeetingFactory(
        municipality=other_municipality, title="I Oslo", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    with_interpreter = MeetingFactory(
        municipality=municipality, title="Med tolk", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    with_interpreter.interpretation_languages.set([Language.objects.get(slug="ar")])
    later = next_weekday_evening(days_ahead=60)
    MeetingFactory(
        municipality=municipality, title="Senere", starts_at=later, ends_at=later + datetime.timedelta(hours=1)
    )
    response = client.get(reverse("meetings:calendar"), query)
    shown = {meeting.title for meeting in response.context["page"]}
    assert shown == expected


def test_calendar_date_filter(client, municipality):
    soon = next_weekday_evening(days_ahead=10)
    later = next_weekday_evening(days_ahead=60)
    MeetingFactory(municipality=municipality, title="Snart", starts_at=soon, ends_at=soon + datetime.timedelta(hours=1))
    MeetingFactory(
        municipality=municipality, title="Senere", starts_at=later, ends_at=later + datetime.timedelta(hours=1)
    )
    query = {"date_from": (later.date() - datetime.timedelta(days=1)).isoformat(), "date_to": later.date().isoformat()}
    assert [m.title for m in client.get(reverse("meetings:calendar"), query).context["page"]] == ["Senere"]
    query = {"date_to": soon.date().isoformat()}
    assert [m.title for m in client.get(reverse("meetings:calendar"), query).context["page"]] == ["Snart"]


def test_calendar_paginates(client, municipality):
    for _ in range(25):
        MeetingFactory(municipality=municipality)
    first = client.get(reverse("meetings:calendar"))
    assert len(first.context["page"]) == 20
    second = client.get(reverse("meetings:calendar"), {"side": 2})
    assert len(second.context["page"]) == 5
    assert "Side 2 av 2" in second.content.decode()
    # The filters stay in the links to the other pages.
    filtered = client.get(reverse("meetings:calendar"), {"municipality": municipality.number}).content.decode()
    assert f"?municipality={municipality.number}&amp;side=2" in filtered


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _many_meetings(municipality, count):
    language = Language.objects.get(slug="ar")
    for _ in range(count):
        meeting = MeetingFactory(municipality=municipality, food=True)
        meeting.interpretation_languages.set([language])


def test_calendar_query_count_is_the_same_at_10_and_500(client, municipality):
    _many_meetings(municipality, 10)
    at_10 = _count_queries(client, reverse("meetings:calendar"))
    _many_meetings(municipality, 490)
    assert _count_queries(client, reverse("meetings:calendar")) == at_10


def test_meeting_page_query_count_is_the_same_at_10_and_500(client, municipality):
    start = datetime.datetime(timezone.localdate().year + 1, 12, 5, 12, tzinfo=OSLO)
    meeting = MeetingFactory(
        municipality=municipality,
        kind="markedsplass",
        capacity=1000,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    url = reverse("meetings:detail", args=[meeting.pk])

    def add(count):
        for _ in range(count):
            association = AssociationFactory(municipality=municipality)
            RegistrationFactory(meeting=meeting, association=association)
            Exhibitor.objects.create(
                meeting=meeting, association=association, status="approved", stand_number=Exhibitor.objects.count() + 1
            )
            meeting.agenda.create(title="Punkt")

    add(10)
    at_10 = _count_queries(client, url)
    add(490)
    page = client.get(url).content.decode()
    assert page.count("Stand ") >= 500
    assert _count_queries(client, url) == at_10


def test_meeting_ical_parses_back(client, municipality):
    start = datetime.datetime(2030, 6, 12, 18, 0, tzinfo=OSLO)  # a Wednesday in summer time
    meeting = MeetingFactory(
        municipality=municipality,
        title='Møte; med "komma", og\nlinjeskift',
        description="Linje 1\nLinje 2, med komma; og semikolon",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    response = client.get(reverse("meetings:ical", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["UID"]) == f"{meeting.uid}@dialogportal"
    assert str(event["SUMMARY"]) == meeting.title
    assert str(event["DESCRIPTION"]) == meeting.description
    assert event["DTSTART"].dt == start and event["DTEND"].dt == start + datetime.timedelta(hours=2)
    assert event["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert event["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=2)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Oslo"]
    assert event["SEQUENCE"] == 0 and str(event["STATUS"]) == "CONFIRMED"
    assert b"\r\n" in response.content


def test_feed_keeps_uid_bumps_sequence_and_marks_cancelled(client, municipality, other_municipality):
    meeting = MeetingFactory(municipality=municipality)
    MeetingFactory(municipality=other_municipality, title="Annen kommune")
    MeetingFactory(municipality=municipality, title="Utkast", status=Meeting.Status.DRAFT)
    url = reverse("meetings:municipality_feed", args=[municipality.number])

    def events():
        calendar = Calendar.from_ical(client.get(url).content)
        return {str(e["UID"]): e for e in calendar.walk("VEVENT")}

    before = events()
    assert list(before) == [f"{meeting.uid}@dialogportal"]
    services.meeting_update(meeting=meeting, venue_name="Rådhuset")
    after = events()[f"{meeting.uid}@dialogportal"]
    assert after["SEQUENCE"] == 1 and "Rådhuset" in str(after["LOCATION"])
    services.meeting_cancel(meeting=meeting, reason="Sykdom")
    cancelled = events()[f"{meeting.uid}@dialogportal"]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] == 2


def test_draft_ical_is_not_public(client, municipality):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    assert client.get(reverse("meetings:ical", args=[meeting.pk])).status_code == 404


def test_volunteer_day_page_lists_every_5_december_event(client, municipality, other_municipality):
    year = timezone.localdate().year
    if timezone.localdate() > datetime.date(year, 12, 5):
        year += 1
    start = datetime.datetime(year, 12, 5, 12, tzinfo=OSLO)
    MeetingFactory(
        municipality=municipality,
        title="Markedsplass i Bergen",
        kind="frivillighetens_dag",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    MeetingFactory(
        municipality=other_municipality,
        title="Kveld i Oslo",
        starts_at=start.replace(hour=18),
        ends_at=start.replace(hour=20),
    )
    MeetingFactory(municipality=municipality, title="Ikke 5. desember")
    page = client.get(reverse("meetings:volunteer_day")).content.decode()
    assert "Markedsplass i Bergen" in page and "Kveld i Oslo" in page
    assert "Ikke 5. desember" not in page


def test_meeting_page_lists_attending_associations(client, municipality):
    meeting = MeetingFactory(municipality=municipality)
    coming = AssociationFactory(municipality=municipality, name="Korpset")
    hidden = AssociationFactory(municipality=municipality, name="Skjult lag", status="hidden")
    RegistrationFactory(meeting=meeting, association=coming)
    RegistrationFactory(meeting=meeting, association=hidden)
    RegistrationFactory(meeting=meeting, association=AssociationFactory(name="Avmeldt lag"), status="cancelled")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Korpset" in page
    assert "Skjult lag" not in page and "Avmeldt lag" not in page


def test_user_text_is_escaped_on_the_meeting_page(client, municipality):
    meeting = MeetingFactory(municipality=municipality, title="<script>alert(1)</script>", description="<b>fet</b>")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>fet</b>" not in page


def test_feed_is_served_from_cache_until_a_meeting_changes(client, municipality, monkeypatch):
    meeting = MeetingFactory(municipality=municipality)
    calls = []
    real = views.feed_ics
    monkeypatch.setattr(views, "feed_ics", lambda **kwargs: calls.append(1) or real(**kwargs))
    url = reverse("meetings:municipality_feed", args=[municipality.number])
    first = client.get(url).content
    assert client.get(url).content == first and len(calls) == 1
    services.meeting_update(meeting=meeting, title="Nytt navn")
    assert b"Nytt navn" in client.get(url).content and len(calls) == 2
