"""iCalendar files: one meeting (for the confirmation email and the download) and a municipality's feed.

Times are written in Europe/Oslo with its VTIMEZONE, so calendar programs show the right local
time on both sides of the daylight saving change. UIDs are the meeting's stable UUID; SEQUENCE
goes up each time a published meeting's time or place changes, and a cancelled meeting keeps its
UID with STATUS:CANCELLED so subscribers' calendars strike it out. The library escapes all text.
The description carries the programme with its times, written as the portal's pages write them
(dialog_portal.dates), in the language active when the file is made.

A reader who asks for a language the meeting has a translation in (meetings.languages) gets the
title, description and practical information as staff wrote them in it, marked with iCalendar's
LANGUAGE parameter, and a link to the page in that language.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from dialog_portal.dates import clock_time

from . import recurrence
from .domain import OSLO
from .languages import LANGUAGE_PARAMETER, translation_in
from .models import Meeting, MeetingSeries, MeetingTranslation

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


def _content(meeting: Meeting, translation: MeetingTranslation | None = None) -> dict:
    """What a calendar shows of the meeting besides its time: the same for every date of a series
    unless staff changed one alone. Each value is (value, iCalendar parameters)."""
    content = _translated_text(meeting, translation) if translation is not None else _text(meeting)
    location = ", ".join(part for part in [meeting.venue_name, " ".join(meeting.venue_address.split())] if part)
    if location or meeting.online_url:
        content["location"] = (location or meeting.online_url, None)
    content["status"] = ("CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED", None)
    return content


def _text(meeting: Meeting) -> dict:
    content = {"summary": (meeting.title, None)}
    description = meeting.description
    if meeting.status == Meeting.Status.CANCELLED and meeting.cancel_reason:
        description = f"{meeting.cancel_reason}\n\n{description}".strip()
    agenda = [" ".join(filter(None, [clock_time(item.starts_at), item.title])) for item in meeting.agenda.all()]
    if agenda:
        description = "\n".join([f"{description}\n\n{_('Program')}:".strip(), *agenda])
    if meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    if description:
        content["description"] = (description, None)
    return content


def _translated_text(meeting: Meeting, translation: MeetingTranslation) -> dict:
    """Only what staff wrote in the language, so the LANGUAGE parameter holds for all of it; the
    programme and the rest are on the page the URL leads to."""
    language = {"language": translation.language.code}
    content = {"summary": (translation.title, language)}
    parts = [translation.description, translation.practical_information, meeting.online_url]
    description = "\n\n".join(part for part in parts if part)
    if description:
        content["description"] = (description, language)
    return content


def _add_content(event: Event, content: dict) -> None:
    for name, (value, parameters) in content.items():
        event.add(name, value, parameters=parameters)


def _url(obj, translation: MeetingTranslation | None = None) -> str:
    url = settings.SITE_URL.rstrip("/") + obj.get_absolute_url()
    if translation is not None:
        url = f"{url}?{urlencode({LANGUAGE_PARAMETER: translation.language.code})}"
    return url


def _timed_event(*, uid: str, sequence: int, stamp, starts_at, ends_at) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", starts_at.astimezone(OSLO))
    event.add("dtend", ends_at.astimezone(OSLO))
    return event


def _event(meeting: Meeting, translation: MeetingTranslation | None = None) -> Event:
    event = _timed_event(
        uid=meeting_uid(meeting),
        sequence=meeting.sequence,
        stamp=meeting.updated_at,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    _add_content(event, _content(meeting, translation))
    event.add("url", _url(meeting, translation))
    return event


def series_events(series: MeetingSeries, meetings, language: str | None = None) -> list[Event]:
    """A series as calendars know it: one event with RRULE, EXDATE for every date that has no
    public meeting (skipped, still a draft, deleted), and an event with RECURRENCE-ID for each
    meeting held at another time than its slot (moved), cancelled, or changed alone.

    `meetings` are the series' public meetings; without any, the series is not in the calendar.
    With `language`, each meeting is given in it where it has a translation (its translations
    prefetched).
    """
    meetings = sorted(meetings, key=lambda meeting: meeting.series_slot)
    if not meetings:
        return []
    translations = {
        meeting.pk: translation_in(meeting.translations.all(), language) if language else None for meeting in meetings
    }
    # The recurring event shows what the dates have in common: take it from one not cancelled.
    first = next((m for m in meetings if m.status != Meeting.Status.CANCELLED), meetings[0])
    template = _content(first, translations[first.pk])
    template["status"] = ("CONFIRMED", None)
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
    _add_content(master, template)
    master.add("url", _url(series))
    events = [master]
    for meeting in meetings:
        content = _content(meeting, translations[meeting.pk])
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
        _add_content(override, content)
        override.add("url", _url(meeting, translations[meeting.pk]))
        events.append(override)
    return events


def _finish(calendar: Calendar) -> bytes:
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_ics(meeting: Meeting, *, language: str | None = None) -> bytes:
    """The meeting's file; in the language `language` (a BCP 47 code) where it has a translation."""
    calendar = _calendar()
    calendar.add("method", "PUBLISH")
    translation = translation_in(meeting.translations.select_related("language"), language) if language else None
    calendar.add_component(_event(meeting, translation))
    return _finish(calendar)


def series_ics(series: MeetingSeries, meetings) -> bytes:
    calendar = _calendar(series.title)
    calendar.add("method", "PUBLISH")
    for event in series_events(series, meetings):
        calendar.add_component(event)
    return _finish(calendar)


def feed_ics(*, name: str, meetings, series=(), language: str | None = None) -> bytes:
    """Single meetings as events; each series once, as its recurring event (series_events), given
    as (series, its public meetings) pairs. Each meeting in the language `language` where it has a
    translation; the meetings come with their translations prefetched
    (meetings.selectors.with_translations)."""
    calendar = _calendar(name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, translation_in(meeting.translations.all(), language)))
    for one_series, its_meetings in series:
        for event in series_events(one_series, its_meetings, language):
            calendar.add_component(event)
    return _finish(calendar)
