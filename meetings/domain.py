"""The after-work rule: the one place that decides when a meeting may take place.

Volunteers have day jobs. On a working day (Monday to Friday that is not a Norwegian public
holiday) a meeting runs between the host municipality's after-work time and 23:00, Europe/Oslo
time. Weekends and public holidays are free. Every meeting ends after it starts and lasts at most
three days; a Volunteer Day event takes place on 5 December.

Christmas Eve and New Year's Eve (24 and 31 December) are working days in law, but most people
have the afternoon off, so no meeting takes place on them from 12:00. Their morning follows the
rule of the kind of day it is: on a working day it is working hours (refused, so in practice no
meeting at all that day), on a Saturday or Sunday it is free (a meeting that ends by 12:00 passes).

Meeting.clean() calls validate_meeting_time(), so the staff forms, the admin, the services and
any import all pass through it.
"""

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dialog_portal.dates import clock, date_time, weekday_date
from organizations.domain import DEFAULT_AFTER_WORK_START

OSLO = ZoneInfo("Europe/Oslo")
LATEST_END_ON_WORKING_DAY = datetime.time(23, 0)
MAX_DURATION = datetime.timedelta(days=3)
VOLUNTEER_DAY = (12, 5)  # month, day: the UN International Volunteer Day
VOLUNTEER_DAY_KIND = "frivillighetens_dag"
NOON_CLOSING_DAYS = {(12, 24): "julaften", (12, 31): "nyttårsaften"}  # (month, day): name
NOON_CLOSING_TIME = datetime.time(12, 0)


def volunteer_day(year: int) -> datetime.date:
    return datetime.date(year, *VOLUNTEER_DAY)


def volunteer_day_span(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end of the Volunteer Day of `year`, in Oslo time."""
    start = datetime.datetime.combine(volunteer_day(year), datetime.time.min, tzinfo=OSLO)
    return start, start + datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _norwegian_holidays(year: int):
    # Sundays are free as weekend days; counting them as holidays would add nothing.
    return holidays.country_holidays("NO", years=year, include_sundays=False)


def is_public_holiday(day: datetime.date) -> bool:
    return day in _norwegian_holidays(day.year)


@lru_cache(maxsize=64)
def _holiday_names(year: int, language: str):
    return holidays.country_holidays("NO", years=year, include_sundays=False, language=language)


def public_holiday_name(day: datetime.date) -> str:
    """The holiday's name in the active language ('Grunnlovsdag', 'Constitution Day'), or ''."""
    if not is_public_holiday(day):
        return ""
    language = "en_US" if (get_language() or "").startswith("en") else "no"
    return _holiday_names(day.year, language).get(day, "")


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday that is not a Norwegian public holiday (24 and 31 December are working days)."""
    return day.weekday() < 5 and not is_public_holiday(day)


def closes_at_noon(day: datetime.date) -> bool:
    """24 and 31 December: no meetings from 12:00, whatever the weekday."""
    return (day.month, day.day) in NOON_CLOSING_DAYS


def allows_evening_meetings(day: datetime.date) -> bool:
    """Whether an evening meeting may be held on the day (the demo data picks its dates with it)."""
    return not closes_at_noon(day)


def local(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        raise ValueError("Meeting times must be timezone-aware.")
    return moment.astimezone(OSLO)


def _hhmm(value: datetime.time) -> str:
    return clock(value)


def _day(value: datetime.date) -> str:
    return weekday_date(value)


def is_volunteer_day(day: datetime.date) -> bool:
    return (day.month, day.day) == VOLUNTEER_DAY


def validate_meeting_time(
    *,
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    after_work_start: datetime.time | None = None,
    kind: str = "",
) -> None:
    """Raise ValidationError (keyed by field) when the meeting's time breaks the after-work rule.

    Each message says what would pass. Times are compared in Europe/Oslo local time, so the rule
    holds the same in winter (UTC+1) and summer (UTC+2) and on the days the clocks change.
    """
    if starts_at is None or ends_at is None:
        return
    after_work_start = after_work_start or DEFAULT_AFTER_WORK_START
    errors: dict[str, list[str]] = {"starts_at": [], "ends_at": []}
    start, end = local(starts_at), local(ends_at)

    noon_closing = _noon_closing_errors(start, end, after_work_start)
    for field, messages in noon_closing.items():
        errors[field].extend(messages)

    if is_working_day(start.date()) and start.time() < after_work_start and not noon_closing["starts_at"]:
        errors["starts_at"].append(
            _(
                "Møter på hverdager må starte etter arbeidstid, tidligst kl. %(time)s. "
                "%(day)s er en hverdag; velg kl. %(time)s eller senere, eller en helg eller helligdag."
            )
            % {"time": _hhmm(after_work_start), "day": capfirst(_day(start.date()))}
        )

    if is_volunteer_day_kind(kind) and not is_volunteer_day(start.date()):
        errors["starts_at"].append(
            _("Arrangementer på frivillighetens dag holdes 5. desember. Velg en dato 5. desember.")
        )

    if end <= start:
        errors["ends_at"].append(_("Møtet må slutte etter at det starter. Velg et sluttidspunkt etter starten."))
    elif ends_at - starts_at > MAX_DURATION:
        errors["ends_at"].append(
            _("Et møte kan vare i høyst tre døgn. Velg en slutt senest %(latest)s.")
            % {"latest": date_time(local(starts_at + MAX_DURATION))}
        )
    else:
        errors["ends_at"].extend(_working_day_evening_errors(start, end, after_work_start))

    if (
        is_volunteer_day_kind(kind)
        and end > start
        and (end - datetime.timedelta(microseconds=1)).date() != start.date()
    ):
        errors["ends_at"].append(_("Arrangementer på frivillighetens dag må slutte samme dag, 5. desember."))

    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)


def validate_start_not_past(
    *,
    starts_at: datetime.datetime | None,
    stored_starts_at: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> None:
    """Refuse a start that has already passed, when the meeting is created or its start is changed.

    A meeting that has taken place keeps its date (stored_starts_at, to the minute, as the forms
    send it), so staff can still mark attendance, publish the summary and correct the venue or
    the end time afterwards; only moving a meeting to a past time, or making one there, is refused.
    """
    if starts_at is None:
        return
    if starts_at > (now or timezone.now()):
        return
    if stored_starts_at is not None and _to_the_minute(stored_starts_at) == _to_the_minute(starts_at):
        return
    start = local(starts_at)
    raise ValidationError(
        {
            "starts_at": _(
                "%(day)s kl. %(time)s har allerede vært. Et møte kan bare legges til et tidspunkt fram i tid; "
                "velg et senere starttidspunkt."
            )
            % {"day": capfirst(_day(start.date())), "time": _hhmm(start.time())}
        }
    )


def _to_the_minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


def is_volunteer_day_kind(kind: str) -> bool:
    return kind == VOLUNTEER_DAY_KIND


def _noon_closing_name(day: datetime.date) -> str:
    names = {"julaften": _("julaften"), "nyttårsaften": _("nyttårsaften")}
    return names[NOON_CLOSING_DAYS[(day.month, day.day)]]


def _noon_closing_errors(start, end, after_work_start) -> dict[str, list[str]]:
    """On 24 and 31 December nothing may go on from 12:00 until midnight.

    A meeting that starts on such a working day before its after-work time gets one message that
    says the whole day is closed (working hours until 12:00, closed after), not the usual advice to
    start after work, which would be refused too.
    """
    errors: dict[str, list[str]] = {"starts_at": [], "ends_at": []}
    last_day = (end - datetime.timedelta(microseconds=1)).date()
    day = start.date()
    while day <= last_day:
        if closes_at_noon(day):
            noon = datetime.datetime.combine(day, NOON_CLOSING_TIME, tzinfo=OSLO)
            values = {"day": capfirst(_day(day)), "name": _noon_closing_name(day), "time": _hhmm(NOON_CLOSING_TIME)}
            whole_day_closed = is_working_day(day) and after_work_start >= NOON_CLOSING_TIME
            if day == start.date() and (start >= noon or (whole_day_closed and start.time() < after_work_start)):
                if whole_day_closed:
                    message = _(
                        "%(day)s er %(name)s. Da er det arbeidstid fram til kl. %(time)s, og fra kl. %(time)s "
                        "holdes det ingen møter, fordi de fleste har fri resten av dagen. Velg en annen dag."
                    )
                else:
                    message = _(
                        "%(day)s er %(name)s. Fra kl. %(time)s holdes det ingen møter, fordi de fleste har fri "
                        "resten av dagen. Velg en annen dag, eller et møte som slutter senest kl. %(time)s."
                    )
                errors["starts_at"].append(message % values)
                break
            if start < noon < end:
                errors["ends_at"].append(
                    _(
                        "%(day)s er %(name)s. Fra kl. %(time)s holdes det ingen møter, fordi de fleste har fri "
                        "resten av dagen. Velg en slutt senest kl. %(time)s den dagen."
                    )
                    % values
                )
                break
        day += datetime.timedelta(days=1)
    return errors


def _working_day_evening_errors(start, end, after_work_start) -> list[str]:
    """On every working day the meeting touches, it must stay between after-work time and 23:00."""
    messages = []
    last_day = (end - datetime.timedelta(microseconds=1)).date()
    day = start.date()
    while day <= last_day:
        if is_working_day(day):
            latest = datetime.datetime.combine(day, LATEST_END_ON_WORKING_DAY, tzinfo=OSLO)
            day_start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=OSLO)
            if day != start.date() and start < day_start:
                messages.append(
                    _(
                        "Møtet kan ikke fortsette inn i hverdagen %(day)s. Møter på hverdager holdes mellom "
                        "kl. %(time)s og kl. 23.00; avslutt møtet før midnatt, eller del det opp i flere møter."
                    )
                    % {"day": _day(day), "time": _hhmm(after_work_start)}
                )
                break
            if end > latest:
                messages.append(
                    _(
                        "Møter på hverdager må slutte senest kl. 23.00 samme kveld. %(day)s er en hverdag; "
                        "velg en slutt senest kl. 23.00."
                    )
                    % {"day": capfirst(_day(day))}
                )
                break
        day += datetime.timedelta(days=1)
    return messages
