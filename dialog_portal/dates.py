"""The portal's one way to write dates and times, in the active language.

Norwegian (Bokmål and Nynorsk) writes "fredag 11. desember 2026 kl. 18.00": months and weekdays
in lower case, hours and minutes with a full stop after "kl.". English writes "Friday 11 December
2026, 18:00". Pages, emails, letters and calendar files all format through these functions (in
templates: `{% load dates %}` and the filters of the same names), so the style is set here once.
Month and weekday names come from Django's own locales under the active language; a letter or an
email in another language formats inside `translation.override`.

Aware datetimes are shown in the current time zone (Europe/Oslo), as the `date` filter does.
"""

import datetime

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format

_NORWEGIAN = {
    "date": "j. F Y",
    "weekday_date": "l j. F Y",
    "clock": "H.i",
    "at": r"\k\l. H.i",
    "date_time_separator": " ",
}
_ENGLISH = {
    "date": "j F Y",
    "weekday_date": "l j F Y",
    "clock": "H:i",
    "at": "H:i",
    "date_time_separator": ", ",
}


def _style() -> dict:
    return _ENGLISH if (translation.get_language() or "").startswith("en") else _NORWEGIAN


def _local(value):
    if isinstance(value, str):
        # An email's context is stored as JSON, where dates and times are ISO 8601 strings; the
        # email formats them when it is rendered, in the recipient's language.
        value = datetime.datetime.fromisoformat(value) if "T" in value else datetime.date.fromisoformat(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value) -> str:
    """'11. desember 2026' / '11 December 2026'."""
    if value in (None, ""):
        return ""
    return date_format(_local(value), _style()["date"])


def weekday_date(value) -> str:
    """'fredag 11. desember 2026' / 'Friday 11 December 2026'."""
    if value in (None, ""):
        return ""
    return date_format(_local(value), _style()["weekday_date"])


def clock(value) -> str:
    """The bare time, '18.00' / '18:00', for sentences that already say "kl." and for the end of a span."""
    if value in (None, ""):
        return ""
    return time_format(_local(value), _style()["clock"])


def clock_time(value) -> str:
    """'kl. 18.00' / '18:00'."""
    if value in (None, ""):
        return ""
    return time_format(_local(value), _style()["at"])


def date_time(value) -> str:
    """'11. desember 2026 kl. 18.00' / '11 December 2026, 18:00'."""
    if value in (None, ""):
        return ""
    return f"{long_date(value)}{_style()['date_time_separator']}{clock_time(value)}"


def weekday_date_time(value) -> str:
    """'fredag 11. desember 2026 kl. 18.00' / 'Friday 11 December 2026, 18:00'."""
    if value in (None, ""):
        return ""
    return f"{weekday_date(value)}{_style()['date_time_separator']}{clock_time(value)}"


register = template.Library()
for _function in (long_date, weekday_date, clock, clock_time, date_time, weekday_date_time):
    register.filter(_function.__name__, _function)
