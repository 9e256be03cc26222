"""iCalendar files: one meeting (for the confirmation email and the download) and a municipality's feed.

Times are written in Europe/Oslo with its VTIMEZONE, so calendar programs show the right local
time on both sides of the daylight saving change. UIDs are the meeting's stable UUID; SEQUENCE
goes up each time a published meeting's time or place changes, and a cancelled meeting keeps its
UID with STATUS:CANCELLED so subscribers' calendars strike it out. The library escapes all text.
The description carries the programme with its times, written as the portal's pages write them
(dialog_portal.dates), in the language active when the file is made.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from dialog_portal.dates import clock_time

from . import recurrence
from .domain import OSLO
from .models import Meeting, MeetingSeries

PRODID = "-//Dialogportal//Moteplasser//NB"


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", "Europe/Oslo")
    return calendar


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@dialogportal"


def series_uid(series: MeetingSeries) -> str:
    return f"serie-{series.uid}@dialogportal"


def _content(meeting: Meeting) -> dict:
    """What a calendar shows of the meeting besides its time: the same for every date of a series
    unless staff changed one alone."""
    content = {"summary": meeting.title}
    description = meeting.description
    if meeting.status == Meeting.Status.CANCELLED and meeting.cancel_reason:
        description = f"{meeting.cancel_reason}\n\n{description}".strip()
    agenda = [" ".join(filter(None, [clock_time(item.starts_at), item.title])) for item in meeting.agenda.all()]
    if agenda:
        description = "\n".join([f"{description}\n\n{_('Program')}:".strip(), *agenda])
    if meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    if description:
        content["description"] = description
    location = ", ".join(part for part in [meeting.venue_name, " ".join(meeting.venue_address.split())] if part)
    if location or meeting.online_url:
        content["location"] = location or meeting.online_url
    content["status"] = "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED"
    return content


def _url(obj) -> str:
    return settings.SITE_URL.rstrip("/") + obj.get_absolute_url()


def _timed_event(*, uid: str, sequence: int, stamp, starts_at, ends_at) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", starts_at.astimezone(OSLO))
    event.add("dtend", ends_at.astimezone(OSLO))
    return event


def _event(meeting: Meeting) -> Event:
    event = _timed_event(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        stamp=meeting.updated_at,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    for name, value in _content(meeting).items():
        event.add(name, value)
    event.add("url", _url(meeting))
    return event


def series_events(series: MeetingSeries, meetings) -> list[Event]:
    """A series as calendars know it: one event with RRULE, EXDATE for every date that has no
    public meeting (skipped, still a draft, deleted), and an event with RECURRENCE-ID for each
    meeting held at another time than its slot (moved), cancelled, or changed alone.

    `meetings` are the series' public meetings; without any, the series is not in the calendar.
    """
    meetings = sorted(meetings, key=lambda meeting: meeting.series_slot)
    if not meetings:
        return []
    # The recurring event shows what the dates have in common: take it from one not cancelled.
    template = _content(next((m for m in meetings if m.status != Meeting.Status.CANCELLED), meetings[0]))
    template["status"] = "CONFIRMED"
    master = _timed_event(
        uid=series_uid(series),
        sequence=series.sequence + max(meeting.sequence for meeting in meetings),
        stamp=max([series.updated_at, *(meeting.updated_at for meeting in meetings)]),
        starts_at=series.first_starts_at,
        ends_at=series.first_ends_at,
    )
    master.add(
        "rrule",
        recurrence.ical_rule(
            frequency=series.frequency,
            first_start=series.first_starts_at,
            week_of_month=series.week_of_month,
            until=series.until,
            count=series.count,
        ),
    )
    held = {meeting.series_slot for meeting in meetings}
    skipped = [slot.astimezone(OSLO) for slot in series.slots() if slot not in held]
    if skipped:
        master.add("exdate", skipped)
    for name, value in template.items():
        master.add(name, value)
    master.add("url", _url(series))
    events = [master]
    for meeting in meetings:
        content = _content(meeting)
        same_time = meeting.starts_at == meeting.series_slot and meeting.ends_at - meeting.starts_at == series.duration
        if same_time and content == template:
            continue
        override = _timed_event(
            uid=series_uid(series),
            sequence=series.sequence + meeting.sequence,
            stamp=meeting.updated_at,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
        )
        override.add("recurrence-id", meeting.series_slot.astimezone(OSLO))
        for name, value in content.items():
            override.add(name, value)
        override.add("url", _url(meeting))
        events.append(override)
    return events


def _finish(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_ics(meeting: Meeting) -> bytes:
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(meeting))
    return _finish(calendar)


def series_ics(series: MeetingSeries, meetings) -> bytes:
    calendar = _calendar(series.title)
    calendar.add("method", "PUBLISH")
    for event in series_events(series, meetings):
        calendar.add_component(event)
    return _finish(calendar)


def feed_ics(*, name: str, meetings, series=()) -> bytes:
    """Single meetings as events; each series once, as its recurring event (series_events), given
    as (series, its public meetings) pairs."""
    calendar = _calendar(name)
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    for one_series, its_meetings in series:
        for event in series_events(one_series, its_meetings):
            calendar.add_component(event)
    return _finish(calendar)
