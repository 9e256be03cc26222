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

from .domain import OSLO
from .languages import LANGUAGE_PARAMETER, translation_in
from .models import Meeting, MeetingTranslation

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


def _event(meeting: Meeting, translation: MeetingTranslation | None = None) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(OSLO))
    event.add("dtend", meeting.ends_at.astimezone(OSLO))
    url = settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()
    if translation is not None:
        _translated_text(event, meeting, translation)
        url = f"{url}?{urlencode({LANGUAGE_PARAMETER: translation.language.code})}"
    else:
        _text(event, meeting)
    location = ", ".join(part for part in [meeting.venue_name, " ".join(meeting.venue_address.split())] if part)
    if location:
        event.add("location", location)
    elif meeting.online_url:
        event.add("location", meeting.online_url)
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def _text(event: Event, meeting: Meeting) -> None:
    event.add("summary", meeting.title)
    description = meeting.description
    if meeting.status == Meeting.Status.CANCELLED and meeting.cancel_reason:
        description = f"{meeting.cancel_reason}\n\n{description}".strip()
    agenda = [" ".join(filter(None, [clock_time(item.starts_at), item.title])) for item in meeting.agenda.all()]
    if agenda:
        description = "\n".join([f"{description}\n\n{_('Program')}:".strip(), *agenda])
    if meeting.online_url:
        description = f"{description}\n\n{meeting.online_url}".strip()
    if description:
        event.add("description", description)


def _translated_text(event: Event, meeting: Meeting, translation: MeetingTranslation) -> None:
    """Only what staff wrote in the language, so the LANGUAGE parameter holds for all of it; the
    programme and the rest are on the page the URL leads to."""
    language = {"language": translation.language.code}
    event.add("summary", translation.title, parameters=language)
    parts = [translation.description, translation.practical_information, meeting.online_url]
    description = "\n\n".join(part for part in parts if part)
    if description:
        event.add("description", description, parameters=language)


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


def feed_ics(*, name: str, meetings, language: str | None = None) -> bytes:
    """The feed; each meeting in the language `language` where it has a translation. The meetings
    come with their translations prefetched (meetings.selectors.with_translations)."""
    calendar = _calendar(name)
    for meeting in meetings:
        calendar.add_component(_event(meeting, translation_in(meeting.translations.all(), language)))
    return _finish(calendar)
