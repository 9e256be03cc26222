"""Fixed meeting places: the pattern's dates, the after-work rule on each, skip and move, editing
"this and following", and publishing."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from meetings import recurrence, services
from meetings import series as series_services
from meetings.domain import OSLO, is_public_holiday
from meetings.models import Meeting, MeetingSeries, Registration
from meetings.recurrence import Frequency, WeekOfMonth
from notifications.models import OutgoingEmail
from tests.meetings.factories import RegistrationFactory, next_weekday_evening
from tests.meetings.series_helpers import december_series, december_start, meeting_fields
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate().year + 1


def _plan(municipality, start, kind=Meeting.Kind.DIALOGUE_MEETING, **pattern):
    return series_services.series_plan(
        municipality=municipality,
        first_starts_at=start,
        first_ends_at=start + datetime.timedelta(hours=2),
        kind=kind,
        **pattern,
    )


def test_weekly_plan_lists_the_dates_the_rule_refuses_with_its_reason(municipality):
    plan = _plan(municipality, december_start(), frequency=Frequency.WEEKLY, count=4)
    assert [p.slot.day for p in plan] == [10, 17, 24, 31]
    assert [p.refused for p in plan] == [False, False, True, True]
    assert "julaften" in plan[2].problems[0]
    assert "nyttårsaften" in plan[3].problems[0]
    assert all(p.slot.astimezone(OSLO).hour == 18 for p in plan)


def test_a_public_holiday_the_rule_allows_still_needs_a_decision(municipality):
    constitution_day = datetime.date(NEXT_YEAR, 5, 17)
    start = datetime.datetime.combine(constitution_day - datetime.timedelta(days=14), datetime.time(18), tzinfo=OSLO)
    plan = _plan(municipality, start, frequency=Frequency.WEEKLY, count=3)
    last = plan[-1]
    assert last.slot.date() == constitution_day
    assert "Grunnlovsdag" in last.holiday and not last.refused and last.needs_decision
    assert [p.needs_decision for p in plan[:2]] == [is_public_holiday(p.slot.date()) for p in plan[:2]]


def test_the_clock_time_holds_across_the_change_to_summer_time(municipality):
    start = datetime.datetime(NEXT_YEAR, 3, 1, 18, tzinfo=OSLO)
    plan = _plan(municipality, start, frequency=Frequency.FORTNIGHTLY, until=datetime.date(NEXT_YEAR, 4, 30))
    assert {p.slot.astimezone(OSLO).time() for p in plan} == {datetime.time(18)}
    assert {p.slot.utcoffset() for p in plan} == {datetime.timedelta(hours=1), datetime.timedelta(hours=2)}
    assert all((b.slot.date() - a.slot.date()).days == 14 for a, b in zip(plan, plan[1:], strict=False))
    assert plan[-1].slot.date() <= datetime.date(NEXT_YEAR, 4, 30)


def _nth(year, month, weekday, n):
    days = [datetime.date(year, month, d) for d in range(1, 32) if _valid(year, month, d)]
    matching = [d for d in days if d.weekday() == weekday]
    return matching[n - 1] if n > 0 else matching[-1]


def _valid(year, month, day):
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    ("frequency", "position", "months"),
    [
        (Frequency.MONTHLY, WeekOfMonth.SECOND, [1, 2, 3]),
        (Frequency.MONTHLY, WeekOfMonth.LAST, [1, 2, 3]),
        (Frequency.QUARTERLY, WeekOfMonth.FIRST, [1, 4, 7]),
    ],
)
def test_monthly_and_quarterly_on_the_nth_weekday(municipality, frequency, position, months):
    first = _nth(NEXT_YEAR, 1, 1, position)  # a Tuesday
    start = datetime.datetime.combine(first, datetime.time(18), tzinfo=OSLO)
    plan = _plan(municipality, start, frequency=frequency, week_of_month=position, count=3)
    assert [p.slot.date() for p in plan] == [_nth(NEXT_YEAR, month, 1, position) for month in months]


def test_a_first_date_that_is_not_the_chosen_week_of_the_month_is_refused(municipality):
    first = _nth(NEXT_YEAR, 1, 1, 1)
    start = datetime.datetime.combine(first, datetime.time(18), tzinfo=OSLO)
    with pytest.raises(ValidationError) as caught:
        _plan(municipality, start, frequency=Frequency.MONTHLY, week_of_month=WeekOfMonth.THIRD, count=3)
    assert "er ikke den tredje tirsdag i måneden" in caught.value.message_dict["starts_at"][0]


@pytest.mark.parametrize(
    ("pattern", "field", "message"),
    [
        ({"count": 3, "until": datetime.date(NEXT_YEAR, 6, 1)}, "until", "Velg enten en siste dato"),
        ({}, "until", "Velg enten en siste dato"),
        ({"count": recurrence.MAX_OCCURRENCES + 1}, "count", "fra 2 til 60 møter"),
        ({"until": datetime.date(NEXT_YEAR + 3, 1, 1)}, "until", "høyst 60 møter"),
        ({"frequency": Frequency.MONTHLY, "count": 3}, "week_of_month", "Velg hvilken uke"),
    ],
)
def test_patterns_that_cannot_be_planned_are_refused_clearly(municipality, pattern, field, message):
    pattern = {"frequency": Frequency.WEEKLY, **pattern}
    with pytest.raises(ValidationError) as caught:
        _plan(municipality, next_weekday_evening(), **pattern)
    assert message in " ".join(caught.value.message_dict[field])


def test_skip_and_move_make_ordinary_meetings_tied_to_their_slots(municipality):
    series = december_series(municipality)
    meetings = list(series.meetings.order_by("series_slot"))
    assert [m.series_slot.astimezone(OSLO).day for m in meetings] == [10, 17, 31]
    moved = meetings[-1]
    assert moved.starts_at.astimezone(OSLO).day == 30 and moved.is_moved
    assert not meetings[0].is_moved
    assert all(m.status == Meeting.Status.DRAFT and m.capacity == 30 for m in meetings)
    assert series.title == "Frivillighetskafé" and series.pattern().startswith("hver ")


def test_nothing_is_saved_while_a_refused_date_has_no_decision(municipality):
    with pytest.raises(ValidationError) as caught:
        december_series(municipality, decisions={})
    assert "Velg om møtet skal hoppes over eller flyttes" in caught.value.messages[0]
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_keeping_a_refused_date_is_not_possible(municipality):
    year = december_start().year
    decisions = {f"{year}1224": series_services.Decision(action=series_services.KEEP)}
    decisions[f"{year}1231"] = series_services.Decision(action=series_services.SKIP)
    with pytest.raises(ValidationError) as caught:
        december_series(municipality, decisions=decisions)
    assert "julaften" in caught.value.messages[0]
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_a_move_is_checked_by_the_after_work_rule(municipality):
    start = december_start()
    late = start.replace(day=31, hour=19)
    decisions = {
        f"{start.year}1224": series_services.Decision(action=series_services.SKIP),
        f"{start.year}1231": series_services.Decision(
            action=series_services.MOVE, starts_at=late, ends_at=late + datetime.timedelta(hours=1)
        ),
    }
    with pytest.raises(ValidationError) as caught:
        december_series(municipality, decisions=decisions)
    assert "nyttårsaften" in caught.value.messages[0]
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_a_volunteer_day_event_is_not_a_series(municipality):
    with pytest.raises(ValidationError) as caught:
        _plan(municipality, next_weekday_evening(), frequency=Frequency.WEEKLY, count=3, kind="frivillighetens_dag")
    assert "kan ikke gjentas" in caught.value.message_dict["kind"][0]


def _weekly(municipality, count=4, **extra):
    start = next_weekday_evening(days_ahead=21)
    plan = _plan(municipality, start, frequency=Frequency.WEEKLY, count=count)
    decisions = {p.key: series_services.Decision(action=series_services.SKIP) for p in plan if p.needs_decision}
    return series_services.series_create(
        municipality=municipality,
        frequency=Frequency.WEEKLY,
        count=count,
        decisions=decisions,
        **meeting_fields(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **extra),
    )


def test_publishing_the_series_invites_each_association_once(municipality, send_on_commit):
    admin = MembershipFactory(association=AssociationFactory(municipality=municipality), role="admin").user
    series = _weekly(municipality)
    published = send_on_commit(series_services.series_publish, series=series)
    assert len(published) == series.meetings.count()
    assert all(m.status == Meeting.Status.PUBLISHED for m in series.meetings.all())
    invitations = OutgoingEmail.objects.filter(kind="meetings.invitation", recipient_user=admin)
    assert invitations.count() == 1
    assert len(mail.outbox) == 1
    assert "Dette er en fast møteplass: hver" in mail.outbox[0].body
    assert series.get_absolute_url() in mail.outbox[0].body
    with pytest.raises(ValidationError):
        series_services.series_publish(series=series)


def _following(meeting, **changes):
    fields = {
        name: getattr(meeting, name)
        for name in ("title", "kind", "venue_name", "starts_at", "ends_at", "registration_deadline", "capacity")
    }
    fields.update(changes)
    return series_services.series_update_following(meeting=meeting, **fields)


def test_this_and_following_changes_content_from_this_meeting_on(municipality):
    series = _weekly(municipality)
    first, second, third, fourth = series.meetings.order_by("series_slot")
    services.meeting_update(meeting=fourth, venue_name="Ungdomshuset")
    _following(second, title="Frivillighetskafé på Kulturhuset", capacity=50)
    titles = [m.title for m in series.meetings.order_by("series_slot")]
    assert titles == ["Frivillighetskafé"] + ["Frivillighetskafé på Kulturhuset"] * 3
    assert [m.capacity for m in series.meetings.order_by("series_slot")] == [30, 50, 50, 50]
    # What was changed on one meeting alone, and not now, stays.
    fourth.refresh_from_db()
    assert fourth.venue_name == "Ungdomshuset"
    first.refresh_from_db()
    assert first.title == "Frivillighetskafé"


def test_this_and_following_with_a_new_time_splits_the_series(municipality):
    series = _weekly(municipality)
    first, second, third, fourth = series.meetings.order_by("series_slot")
    new_start = second.starts_at.astimezone(OSLO).replace(hour=19)
    result = _following(second, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=2))
    series.refresh_from_db()
    assert result.series != series
    assert series.until == second.series_slot.astimezone(OSLO).date() - datetime.timedelta(days=1)
    assert series.count is None
    assert list(series.meetings.all()) == [first]
    rest = result.series
    assert rest.count == 3 and rest.first_starts_at == new_start
    later = list(rest.meetings.order_by("series_slot"))
    assert later == [second, third, fourth]
    assert {m.starts_at.astimezone(OSLO).hour for m in later} == {19}
    assert all(not m.is_moved for m in later)
    assert list(rest.slots()) == [m.series_slot for m in later]
    first.refresh_from_db()
    assert first.starts_at.astimezone(OSLO).hour == 18


def test_a_meeting_with_registrations_keeps_its_time_unless_staff_confirm(municipality, send_on_commit):
    series = _weekly(municipality)
    send_on_commit(series_services.series_publish, series=series)
    first, second, third, fourth = series.meetings.order_by("series_slot")
    registration = RegistrationFactory(meeting=third)
    new_start = first.starts_at.astimezone(OSLO).replace(hour=19)
    result = send_on_commit(_following, first, starts_at=new_start, ends_at=new_start + datetime.timedelta(hours=2))
    assert result.kept_time == [third]
    third.refresh_from_db()
    assert third.starts_at.astimezone(OSLO).hour == 18 and third.is_moved
    fourth.refresh_from_db()
    assert fourth.starts_at.astimezone(OSLO).hour == 19
    assert not OutgoingEmail.objects.filter(kind="meetings.meeting_changed").exists()

    # Confirmed: the registered meeting moves too, and its registrant is told.
    later = third.starts_at.astimezone(OSLO).replace(hour=19, minute=30)
    result = send_on_commit(
        series_services.series_update_following,
        meeting=third,
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=2),
        move_registered=True,
    )
    third.refresh_from_db()
    assert result.kept_time == [] and third.starts_at == later
    notice = OutgoingEmail.objects.get(kind="meetings.meeting_changed")
    assert notice.recipient_user == registration.user
    assert registration.meeting.registrations.get().status == Registration.Status.CONFIRMED


def test_this_and_following_does_not_move_the_date(municipality):
    series = _weekly(municipality)
    second = series.meetings.order_by("series_slot")[1]
    next_day = second.starts_at + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        _following(second, starts_at=next_day, ends_at=next_day + datetime.timedelta(hours=2))
    assert "Bare dette møtet" in caught.value.message_dict["starts_at"][0]


def test_this_and_following_is_refused_whole_when_one_date_breaks_the_rule(municipality):
    series = _weekly(municipality)
    first = series.meetings.order_by("series_slot").first()
    afternoon = first.starts_at.astimezone(OSLO).replace(hour=15)
    with pytest.raises(ValidationError) as caught:
        _following(first, starts_at=afternoon, ends_at=afternoon + datetime.timedelta(hours=1))
    assert "etter arbeidstid" in " ".join(caught.value.messages)
    assert {m.starts_at.astimezone(OSLO).hour for m in series.meetings.all()} == {18}


def test_only_this_meeting_moves_it_within_the_series(municipality):
    series = _weekly(municipality)
    second = series.meetings.order_by("series_slot")[1]
    moved = second.starts_at + datetime.timedelta(days=1)
    services.meeting_update(meeting=second, starts_at=moved, ends_at=moved + datetime.timedelta(hours=2))
    second.refresh_from_db()
    assert second.is_moved and second.series_id == series.pk
    assert [m.is_moved for m in series.meetings.order_by("series_slot")] == [False, True, False, False]


def test_a_meeting_may_not_belong_to_another_municipalitys_series(municipality, other_municipality):
    series = _weekly(municipality)
    meeting = Meeting(
        municipality=other_municipality,
        title="X",
        venue_name="Sted",
        starts_at=next_weekday_evening(),
        ends_at=next_weekday_evening() + datetime.timedelta(hours=1),
        series=series,
        series_slot=next_weekday_evening(),
    )
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert "en annen kommune" in caught.value.message_dict["series"][0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "annenhver tirsdag kl. 18.00–20.00"), ("en", "every second Tuesday 18:00–20:00")],
)
def test_the_pattern_is_written_in_the_active_language(language, expected):
    first = _nth(NEXT_YEAR, 1, 1, 1)
    start = datetime.datetime.combine(first, datetime.time(18), tzinfo=OSLO)
    series = MeetingSeries(
        frequency=Frequency.FORTNIGHTLY, first_starts_at=start, first_ends_at=start + datetime.timedelta(hours=2)
    )
    with translation.override(language):
        assert series.pattern_with_time() == expected


def test_the_last_weekday_of_the_month_reads_as_such():
    first = _nth(NEXT_YEAR, 1, 3, -1)  # the last Thursday of January
    start = datetime.datetime.combine(first, datetime.time(18), tzinfo=OSLO)
    series = MeetingSeries(
        frequency=Frequency.MONTHLY,
        week_of_month=WeekOfMonth.LAST,
        first_starts_at=start,
        first_ends_at=start + datetime.timedelta(hours=2),
    )
    with translation.override("nb"):
        assert series.pattern() == "siste torsdag i måneden"
    with translation.override("en"):
        assert series.pattern() == "the last Thursday of the month"
