"""A series in calendars: one recurring event (RRULE), EXDATE for the skipped dates, an event with
RECURRENCE-ID for each moved one, read back with icalendar; the municipal feed carries it once."""

import datetime

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from meetings import series as series_services
from meetings import services
from meetings.domain import OSLO
from meetings.ical import meeting_uid, series_uid
from tests.meetings.factories import MeetingFactory
from tests.meetings.series_helpers import december_series, december_start

pytestmark = pytest.mark.django_db


def _events(body: bytes):
    return list(Calendar.from_ical(body).walk("VEVENT"))


def _expand(master) -> set[datetime.datetime]:
    """The dates a calendar program shows for the recurring event: the rule minus EXDATE."""
    start = master.decoded("dtstart")
    rule = rrulestr(master["rrule"].to_ical().decode(), dtstart=start)
    excluded = set()
    exdates = master.get("exdate")
    for prop in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        excluded |= {value.dt for value in prop.dts}
    return {moment for moment in rule if moment not in excluded}


@pytest.fixture
def published_series(municipality, send_on_commit):
    series = december_series(municipality, description="Kaffe & «prat»; ta med naboen")
    send_on_commit(series_services.series_publish, series=series)
    return series


def test_series_ics_is_one_rule_with_exdate_for_skipped_and_recurrence_id_for_moved(client, published_series):
    response = client.get(reverse("meetings:series_ical", args=[published_series.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    master = next(e for e in events if "rrule" in e)
    overrides = [e for e in events if "recurrence-id" in e]
    assert len(events) == 2 and len(overrides) == 1
    assert str(master["uid"]) == series_uid(published_series)
    assert master["rrule"]["FREQ"] == ["WEEKLY"] and master["rrule"]["COUNT"] == [4]
    start = december_start()
    assert master.decoded("dtstart") == start
    assert str(master["dtstart"].params["TZID"]) == "Europe/Oslo"
    assert {value.dt for value in master["exdate"].dts} == {start.replace(day=24)}
    assert str(master["description"]) == "Kaffe & «prat»; ta med naboen"

    moved = overrides[0]
    assert str(moved["uid"]) == series_uid(published_series)
    assert moved.decoded("recurrence-id") == start.replace(day=31)
    assert moved.decoded("dtstart") == start.replace(day=30)
    # What a calendar shows: the rule's dates without the skipped one, the moved one at its new time.
    shown = (_expand(master) - {moved.decoded("recurrence-id")}) | {moved.decoded("dtstart")}
    assert shown == {m.starts_at for m in published_series.meetings.all()}


def test_a_cancelled_or_changed_meeting_is_its_own_instance(published_series, client):
    first, second, moved = published_series.meetings.order_by("series_slot")
    services.meeting_cancel(meeting=moved, reason="Sykdom")
    services.meeting_update(meeting=second, venue_name="Ungdomshuset")
    events = _events(client.get(reverse("meetings:series_ical", args=[published_series.pk])).content)
    by_slot = {e.decoded("recurrence-id"): e for e in events if "recurrence-id" in e}
    assert set(by_slot) == {second.series_slot, moved.series_slot}
    assert str(by_slot[moved.series_slot]["status"]) == "CANCELLED"
    assert "Sykdom" in str(by_slot[moved.series_slot]["description"])
    assert "Ungdomshuset" in str(by_slot[second.series_slot]["location"])
    master = next(e for e in events if "rrule" in e)
    assert str(master["status"]) == "CONFIRMED" and "Sykdom" not in str(master.get("description", ""))


def test_municipal_feed_carries_the_series_once_beside_single_meetings(client, municipality, published_series):
    single = MeetingFactory(municipality=municipality, title="Markedsplass")
    body = client.get(reverse("meetings:municipality_feed", args=[municipality.number])).content
    events = _events(body)
    uids = [str(e["uid"]) for e in events]
    assert meeting_uid(single) in uids
    assert not any(meeting_uid(m) in uids for m in published_series.meetings.all())
    series_events = [e for e in events if str(e["uid"]) == series_uid(published_series)]
    assert len([e for e in series_events if "rrule" in e]) == 1
    assert len([e for e in series_events if "recurrence-id" in e]) == 1


def test_drafts_are_left_out_and_the_feed_follows_a_change(client, municipality, send_on_commit):
    series = december_series(municipality)
    feed = reverse("meetings:municipality_feed", args=[municipality.number])
    assert _events(client.get(feed).content) == []
    first = series.meetings.order_by("series_slot").first()
    send_on_commit(services.meeting_publish, meeting=first)
    master = next(e for e in _events(client.get(feed).content) if "rrule" in e)
    # Only the published date is shown: the drafts' slots are excluded like skipped ones.
    assert _expand(master) == {first.starts_at}


def test_after_a_split_each_series_keeps_a_true_rule(client, municipality, published_series):
    first, second, moved = published_series.meetings.order_by("series_slot")
    new_start = second.starts_at.astimezone(OSLO).replace(hour=19)
    result = series_services.series_update_following(
        meeting=second, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=2)
    )
    events = _events(client.get(reverse("meetings:municipality_feed", args=[municipality.number])).content)
    masters = {str(e["uid"]): e for e in events if "rrule" in e}
    assert set(masters) == {series_uid(published_series), series_uid(result.series)}
    old = masters[series_uid(published_series)]
    assert _expand(old) == {first.starts_at}
    assert "UNTIL" in old["rrule"]
    rest = masters[series_uid(result.series)]
    moved.refresh_from_db()
    second.refresh_from_db()
    assert _expand(rest) - {moved.series_slot} == {second.starts_at}
    override = next(e for e in events if "recurrence-id" in e and str(e["uid"]) == series_uid(result.series))
    assert override.decoded("recurrence-id") == moved.series_slot
    assert override.decoded("dtstart") == moved.starts_at


def test_a_monthly_series_until_a_date_reads_back_as_the_same_dates(client, municipality, send_on_commit):
    year = december_start().year
    first = max(datetime.date(year, 1, day) for day in range(1, 32) if datetime.date(year, 1, day).weekday() == 3)
    start = datetime.datetime.combine(first, datetime.time(18), tzinfo=OSLO)
    pattern = {"frequency": "monthly", "week_of_month": -1, "until": datetime.date(year, 6, 30)}
    plan = series_services.series_plan(
        municipality=municipality, first_starts_at=start, first_ends_at=start + datetime.timedelta(hours=2), **pattern
    )
    series = series_services.series_create(
        municipality=municipality,
        decisions={p.key: series_services.Decision(action=series_services.SKIP) for p in plan if p.needs_decision},
        title="Siste torsdag",
        venue_name="Biblioteket",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        **pattern,
    )
    send_on_commit(series_services.series_publish, series=series)
    master = next(e for e in _events(client.get(reverse("meetings:series_ical", args=[series.pk])).content))
    assert master["rrule"]["BYDAY"] == ["-1TH"] and master["rrule"]["INTERVAL"] == [1]
    until = master["rrule"]["UNTIL"][0]
    assert until.utcoffset() == datetime.timedelta(0)
    assert _expand(master) == {m.starts_at for m in series.meetings.all()}
    assert len(plan) == 6 and all(
        p.slot.weekday() == 3 and p.slot.month != (p.slot + datetime.timedelta(7)).month for p in plan
    )
