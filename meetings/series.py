"""Fixed meeting places: planning a series, creating its meetings, and changing "this and following".

Every meeting of a series is made and changed by services.meeting_create and meeting_update, so
each date passes the after-work rule (domain.validate_meeting_time) exactly as a single meeting
does. Planning asks the same rule of every date first, so staff see the dates it refuses, and the
public holidays, before anything is saved, and decide for each: skip it, move it, or (a holiday
the rule allows) keep it.

"This and following" changes the meeting and every later meeting of the series that is still a
draft or planned and has not started. What happens to those people have registered for:
- content (title, place, description, capacity, inclusive features, reminders) changes on them
  too, and their registrants get the usual change notice when the time, place or title changed;
- a new time of day moves only the meetings nobody has registered for, unless staff confirm that
  the registered ones move too (their registrants are then told). A registered meeting left at
  its time stays in the series as a moved meeting, and staff are told which ones they were.
A new time of day from a meeting after the first splits the series: the old pattern ends the day
before, and a new series continues from that meeting, so each calendar rule stays true.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from dialog_portal import versions
from dialog_portal.dates import weekday_date

from . import recurrence, services
from .domain import (
    is_volunteer_day_kind,
    local,
    public_holiday_name,
    validate_meeting_time,
    validate_start_not_past,
)
from .models import Meeting, MeetingSeries

SKIP, MOVE, KEEP = "skip", "move", "keep"
PATTERN_FIELDS = ("frequency", "week_of_month", "until", "count")
TIME_FIELDS = ("starts_at", "ends_at", "registration_deadline")


@dataclass
class PlannedMeeting:
    slot: datetime.datetime
    ends_at: datetime.datetime
    problems: list[str] = field(default_factory=list)
    holiday: str = ""

    @property
    def key(self) -> str:
        """Names the date in forms: the slot's local date, 'YYYYMMDD'."""
        return f"{local(self.slot):%Y%m%d}"

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def needs_decision(self) -> bool:
        return self.refused or bool(self.holiday)


@dataclass
class Decision:
    action: str
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None


@dataclass
class FollowingResult:
    changed: list[Meeting]
    kept_time: list[Meeting]
    series: MeetingSeries


def _day(moment: datetime.datetime) -> str:
    return capfirst(weekday_date(local(moment).date()))


def _check_pattern(*, frequency, week_of_month, first_starts_at, until, count, kind) -> None:
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    if is_volunteer_day_kind(kind):
        add("kind", _("Arrangementer på frivillighetens dag holdes én gang i året og kan ikke gjentas som en serie."))
    if (until is None) == (count is None):
        add("until", _("Velg enten en siste dato eller et antall ganger, ikke begge og ikke ingen av dem."))
    if count is not None and not 2 <= count <= recurrence.MAX_OCCURRENCES:
        add("count", _("En serie har fra 2 til %(max)s møter.") % {"max": recurrence.MAX_OCCURRENCES})
    if first_starts_at is not None:
        first_day = local(first_starts_at).date()
        if until is not None and until <= first_day:
            add("until", _("Den siste datoen må være etter det første møtet."))
        if frequency in recurrence.MONTHLY_KINDS:
            if week_of_month is None:
                add("week_of_month", _("Velg hvilken uke i måneden møtet holdes."))
            elif not recurrence.fits_week_of_month(first_day, week_of_month):
                add(
                    "starts_at",
                    _(
                        "%(day)s er ikke den %(ordinal)s %(weekday)s i måneden. Velg en slik dato for det første "
                        "møtet, eller velg en annen uke i måneden."
                    )
                    % {
                        "day": _day(first_starts_at),
                        "ordinal": recurrence.WeekOfMonth(week_of_month).label,
                        "weekday": recurrence.WEEKDAYS[first_day.weekday()],
                    },
                )
    if errors:
        raise ValidationError(errors)


def series_plan(
    *,
    municipality,
    frequency: str,
    first_starts_at: datetime.datetime,
    first_ends_at: datetime.datetime,
    week_of_month: int | None = None,
    until: datetime.date | None = None,
    count: int | None = None,
    kind: str = "",
) -> list[PlannedMeeting]:
    """Every date of the pattern, each with what the after-work rule says of it and its holiday.

    Raises ValidationError (keyed by form field) when the pattern itself cannot be planned.
    """
    _check_pattern(
        frequency=frequency,
        week_of_month=week_of_month,
        first_starts_at=first_starts_at,
        until=until,
        count=count,
        kind=kind,
    )
    validate_start_not_past(starts_at=first_starts_at)
    if first_ends_at <= first_starts_at:
        raise ValidationError(
            {"ends_at": _("Møtet må slutte etter at det starter. Velg et sluttidspunkt etter starten.")}
        )
    starts = recurrence.slots(
        frequency=frequency, first_start=first_starts_at, week_of_month=week_of_month, until=until, count=count
    )
    if len(starts) > recurrence.MAX_OCCURRENCES:
        raise ValidationError(
            {
                "until": _("En serie kan ha høyst %(max)s møter. Velg en tidligere siste dato.")
                % {"max": recurrence.MAX_OCCURRENCES}
            }
        )
    duration = first_ends_at - first_starts_at
    plan = []
    for start in starts:
        # Adding to an Oslo time keeps the clock time across a change to or from summer time.
        planned = PlannedMeeting(slot=start, ends_at=start + duration, holiday=public_holiday_name(start.date()))
        try:
            validate_meeting_time(
                starts_at=start, ends_at=planned.ends_at, after_work_start=municipality.after_work_start, kind=kind
            )
        except ValidationError as error:
            planned.problems = error.messages
        plan.append(planned)
    return plan


def _date_error(moment: datetime.datetime, error: ValidationError) -> ValidationError:
    """A meeting's refusal, said with the date it is about (a series has many)."""
    return ValidationError(_("Møtet %(day)s: %(reason)s") % {"day": _day(moment), "reason": " ".join(error.messages)})


@transaction.atomic
def series_create(
    *,
    municipality,
    created_by=None,
    frequency: str,
    week_of_month: int | None = None,
    until: datetime.date | None = None,
    count: int | None = None,
    decisions: dict[str, Decision],
    invited_categories=(),
    interpretation_languages=(),
    **fields,
) -> MeetingSeries:
    """Create the series and a draft meeting for each date that is not skipped.

    `fields` are a meeting's fields (those of the first date; the rest follow it). Every date the
    rule refuses, and every public holiday, needs a decision (`decisions`, by PlannedMeeting.key):
    skip or move it, or keep a holiday the rule allows. A moved meeting is checked by the rule at
    its new time like any other. Nothing is saved unless every meeting is.
    """
    starts_at, ends_at = fields.pop("starts_at"), fields.pop("ends_at")
    deadline = fields.pop("registration_deadline", None)
    plan = series_plan(
        municipality=municipality,
        frequency=frequency,
        first_starts_at=starts_at,
        first_ends_at=ends_at,
        week_of_month=week_of_month,
        until=until,
        count=count,
        kind=fields.get("kind", ""),
    )
    undecided = [p for p in plan if p.needs_decision and p.key not in decisions]
    if undecided:
        raise ValidationError(
            _("Velg om møtet skal hoppes over eller flyttes: %(days)s.")
            % {"days": ", ".join(_day(p.slot) for p in undecided)}
        )
    series = MeetingSeries(
        municipality=municipality,
        created_by=created_by,
        title=fields.get("title", ""),
        frequency=frequency,
        week_of_month=week_of_month if frequency in recurrence.MONTHLY_KINDS else None,
        first_starts_at=starts_at,
        first_ends_at=ends_at,
        until=until,
        count=count,
    )
    series.full_clean()
    series.save()
    before_start = None if deadline is None else starts_at - deadline
    created = 0
    for planned in plan:
        decision = decisions.get(planned.key) if planned.needs_decision else None
        start, end = planned.slot, planned.ends_at
        if decision is not None:
            if decision.action == SKIP:
                continue
            if decision.action == MOVE:
                start, end = decision.starts_at, decision.ends_at
            elif planned.refused:
                raise _date_error(planned.slot, ValidationError(planned.problems))
        try:
            services.meeting_create(
                municipality=municipality,
                created_by=created_by,
                series=series,
                series_slot=planned.slot,
                starts_at=start,
                ends_at=end,
                registration_deadline=None if before_start is None else start - before_start,
                invited_categories=invited_categories,
                interpretation_languages=interpretation_languages,
                **fields,
            )
        except ValidationError as error:
            raise _date_error(start or planned.slot, error) from None
        created += 1
    if created == 0:
        raise ValidationError(_("Alle datoene er hoppet over. Behold minst ett møte i serien."))
    return series


@transaction.atomic
def series_publish(*, series: MeetingSeries) -> list[Meeting]:
    """Publish the series' drafts that lie ahead.

    The associations are invited once, with the first of them: its invitation and page name the
    series and link to all its dates, so nobody gets an invitation for every week.
    """
    drafts = list(series.meetings.filter(status=Meeting.Status.DRAFT).order_by("starts_at", "pk"))
    published = []
    for meeting in drafts:
        if meeting.has_started:
            continue
        try:
            published.append(services.meeting_publish(meeting=meeting, invite=not published))
        except ValidationError as error:
            raise _date_error(meeting.starts_at, error) from None
    if not published:
        raise ValidationError(_("Serien har ingen utkast fram i tid å publisere."))
    return published


def _combine(day: datetime.date, moment: datetime.datetime) -> datetime.datetime:
    return datetime.datetime.combine(day, local(moment).time(), tzinfo=local(moment).tzinfo)


def _later_meetings(meeting: Meeting):
    return (
        meeting.series.meetings.select_for_update()
        .filter(
            series_slot__gte=meeting.series_slot,
            status__in=(Meeting.Status.DRAFT, Meeting.Status.PUBLISHED),
        )
        .order_by("series_slot")
    )


def _changed_names(meeting: Meeting, fields: dict) -> list[str]:
    return [name for name, value in fields.items() if name not in TIME_FIELDS and getattr(meeting, name) != value]


def _split(series: MeetingSeries, *, slot: datetime.datetime, starts_at, ends_at) -> MeetingSeries:
    """The series from `slot` on, at the new time: a new series when there are earlier slots."""
    new_first = _combine(local(slot).date(), starts_at)
    new_end = new_first + (ends_at - starts_at)
    if slot == series.first_starts_at:
        series.first_starts_at, series.first_ends_at = new_first, new_end
        series.sequence += 1
        series.full_clean()
        series.save()
        return series
    earlier = sum(1 for start in series.slots() if start < slot)
    rest = MeetingSeries(
        municipality=series.municipality,
        created_by=series.created_by,
        title=series.title,
        frequency=series.frequency,
        week_of_month=series.week_of_month,
        first_starts_at=new_first,
        first_ends_at=new_end,
        until=series.until,
        count=None if series.count is None else series.count - earlier,
    )
    rest.full_clean()
    rest.save()
    series.until, series.count = local(slot).date() - datetime.timedelta(days=1), None
    series.sequence += 1
    series.full_clean()
    series.save()
    return rest


@transaction.atomic
def series_update_following(
    *,
    meeting: Meeting,
    invited_categories=None,
    interpretation_languages=None,
    move_registered: bool = False,
    **fields,
) -> FollowingResult:
    """Change the meeting and the later ones of its series ("dette og alle senere").

    Only what differs from this meeting is carried to the later ones, so what staff changed on one
    of them alone stays. The time of day may change; the date may not (move one date with "only
    this meeting"). See the module's docstring for registered meetings. Nothing is saved unless
    every meeting passes the rule at its new time.
    """
    series = MeetingSeries.objects.select_for_update().get(pk=meeting.series_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    starts_at, ends_at = fields.get("starts_at", meeting.starts_at), fields.get("ends_at", meeting.ends_at)
    if local(starts_at).date() != local(meeting.starts_at).date():
        raise ValidationError(
            {
                "starts_at": _(
                    "«Dette og alle senere møter» endrer klokkeslettet, ikke datoen. Velg «Bare dette møtet» "
                    "for å flytte dette møtet til en annen dag."
                )
            }
        )
    changed = _changed_names(meeting, fields)
    new_time = (local(starts_at).time(), ends_at - starts_at) != (
        local(meeting.starts_at).time(),
        meeting.ends_at - meeting.starts_at,
    )
    deadline = fields.get("registration_deadline", meeting.registration_deadline)
    deadline_changed = deadline != meeting.registration_deadline
    before_start = None if deadline is None else starts_at - deadline
    categories_changed = invited_categories is not None and set(invited_categories) != set(
        meeting.invited_categories.all()
    )
    languages_changed = interpretation_languages is not None and set(interpretation_languages) != set(
        meeting.interpretation_languages.all()
    )
    later = list(_later_meetings(meeting))
    target_series = series
    if new_time:
        target_series = _split(series, slot=meeting.series_slot, starts_at=starts_at, ends_at=ends_at)
    if "title" in changed:
        target_series.title = fields["title"]
        target_series.save(update_fields=["title", "updated_at"])
    result = FollowingResult(changed=[], kept_time=[], series=target_series)
    for target in later:
        if target.pk != meeting.pk and target.has_started:
            continue
        updates = {name: fields[name] for name in changed}
        if new_time:
            was_moved = target.is_moved
            target.series = target_series
            target.series_slot = _combine(local(target.series_slot).date(), starts_at)
            if target.pk == meeting.pk:
                updates.update(starts_at=starts_at, ends_at=ends_at)
            elif not was_moved:
                if target.registrations.active().exists() and not move_registered:
                    result.kept_time.append(target)
                else:
                    new_start = _combine(local(target.starts_at).date(), starts_at)
                    updates.update(starts_at=new_start, ends_at=new_start + (ends_at - starts_at))
        start = updates.get("starts_at", target.starts_at)
        if deadline_changed:
            updates["registration_deadline"] = None if before_start is None else start - before_start
        elif "starts_at" in updates and target.registration_deadline is not None:
            updates["registration_deadline"] = target.registration_deadline + (start - target.starts_at)
        try:
            services.meeting_update(
                meeting=target,
                invited_categories=invited_categories if categories_changed else None,
                interpretation_languages=interpretation_languages if languages_changed else None,
                **updates,
            )
        except ValidationError as error:
            raise _date_error(start, error) from None
        result.changed.append(target)
    if new_time:
        # Held and cancelled meetings keep their time, but follow their slot into the new pattern.
        for other in series.meetings.filter(series_slot__gte=meeting.series_slot).exclude(
            pk__in=[m.pk for m in result.changed]
        ):
            Meeting.objects.filter(pk=other.pk).update(
                series=target_series,
                series_slot=_combine(local(other.series_slot).date(), starts_at),
                updated_at=timezone.now(),
            )
        # An UPDATE sends no signals: the cached public pages of meetings are renewed here.
        versions.bump("meeting-pages")
    return result
