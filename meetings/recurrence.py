"""When the meetings of a series fall: the repeat patterns staff can choose, and their dates.

A series repeats in Europe/Oslo time, so a weekly meeting at 18.00 stays at 18.00 on both sides of
the change to and from summer time. The dates come from python-dateutil's rrule, the same rules
the series' calendar file writes as RRULE, so the portal and calendar programs agree on them.
"""

import datetime

from dateutil import rrule
from django.db import models
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .domain import OSLO

# Enough for a weekly meeting all year; a longer plan is a new series next year.
MAX_OCCURRENCES = 60


class Frequency(models.TextChoices):
    WEEKLY = "weekly", gettext_lazy("Hver uke")
    FORTNIGHTLY = "fortnightly", gettext_lazy("Annenhver uke")
    MONTHLY = "monthly", gettext_lazy("Hver måned, på samme ukedag")
    QUARTERLY = "quarterly", gettext_lazy("Hvert kvartal (hver tredje måned), på samme ukedag")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, gettext_lazy("første")
    SECOND = 2, gettext_lazy("andre")
    THIRD = 3, gettext_lazy("tredje")
    FOURTH = 4, gettext_lazy("fjerde")
    LAST = -1, gettext_lazy("siste")


MONTHLY_KINDS = (Frequency.MONTHLY, Frequency.QUARTERLY)
_RRULE = {
    Frequency.WEEKLY: (rrule.WEEKLY, 1),
    Frequency.FORTNIGHTLY: (rrule.WEEKLY, 2),
    Frequency.MONTHLY: (rrule.MONTHLY, 1),
    Frequency.QUARTERLY: (rrule.MONTHLY, 3),
}
ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def week_of_month(day: datetime.date) -> int:
    """Which occurrence of its weekday in the month the day is (1 to 5)."""
    return (day.day - 1) // 7 + 1


def is_last_of_month(day: datetime.date) -> bool:
    return (day + datetime.timedelta(days=7)).month != day.month


def fits_week_of_month(day: datetime.date, position: int) -> bool:
    return is_last_of_month(day) if position == WeekOfMonth.LAST else week_of_month(day) == position


def _until_moment(until: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(until, datetime.time(23, 59, 59))


def _weekday(first_start: datetime.datetime, frequency: str, position: int | None):
    weekday = rrule.weekday(first_start.weekday())
    if frequency in MONTHLY_KINDS:
        return weekday(position)
    return weekday


def slots(
    *,
    frequency: str,
    first_start: datetime.datetime,
    week_of_month: int | None = None,
    until: datetime.date | None = None,
    count: int | None = None,
    limit: int = MAX_OCCURRENCES + 1,
) -> list[datetime.datetime]:
    """The series' start times in order, aware (Europe/Oslo), at most `limit` of them."""
    local_first = first_start.astimezone(OSLO).replace(tzinfo=None)
    freq, interval = _RRULE[Frequency(frequency)]
    rule = rrule.rrule(
        freq,
        interval=interval,
        dtstart=local_first,
        byweekday=_weekday(local_first, frequency, week_of_month),
        until=_until_moment(until) if until else None,
        count=count,
    )
    found = []
    for moment in rule:
        found.append(moment.replace(tzinfo=OSLO))
        if len(found) >= limit:
            break
    return found


def ical_rule(
    *,
    frequency: str,
    first_start: datetime.datetime,
    week_of_month: int | None,
    until: datetime.date | None,
    count: int | None,
) -> dict:
    """The same rule as slots(), as the parts of an iCalendar RRULE."""
    freq, interval = _RRULE[Frequency(frequency)]
    day = ICAL_WEEKDAYS[first_start.astimezone(OSLO).weekday()]
    rule = {"FREQ": "WEEKLY" if freq == rrule.WEEKLY else "MONTHLY", "INTERVAL": interval}
    rule["BYDAY"] = f"{week_of_month}{day}" if frequency in MONTHLY_KINDS else day
    if until:
        # With a DTSTART in a time zone, UNTIL is written in UTC (RFC 5545, 3.3.10).
        rule["UNTIL"] = _until_moment(until).replace(tzinfo=OSLO).astimezone(datetime.UTC)
    elif count:
        rule["COUNT"] = count
    return rule


def describe(*, frequency: str, weekday: int, week_of_month: int | None) -> str:
    """'annenhver tirsdag', 'siste torsdag i måneden', in the active language."""
    values = {"weekday": WEEKDAYS[weekday]}
    if frequency in MONTHLY_KINDS:
        values["ordinal"] = WeekOfMonth(week_of_month).label
    texts = {
        Frequency.WEEKLY: _("hver %(weekday)s"),
        Frequency.FORTNIGHTLY: _("annenhver %(weekday)s"),
        Frequency.MONTHLY: _("%(ordinal)s %(weekday)s i måneden"),
        Frequency.QUARTERLY: _("%(ordinal)s %(weekday)s hver tredje måned"),
    }
    return texts[Frequency(frequency)] % values
