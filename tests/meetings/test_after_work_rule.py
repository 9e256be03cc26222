"""The after-work rule at its edges, in Europe/Oslo local time (UTC+1 in winter, UTC+2 in summer)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from meetings.domain import OSLO, is_working_day, validate_meeting_time
from tests.meetings.factories import oslo

UTC = datetime.UTC
H = datetime.timedelta(hours=1)

# (case, starts_at, ends_at, after-work time, kind, expected error field or None)
CASES = [
    ("winter weekday 16:59 (UTC+1)", oslo(2026, 1, 14, 16, 59), oslo(2026, 1, 14, 19), None, "", "starts_at"),
    ("winter weekday 17:00 (UTC+1)", oslo(2026, 1, 14, 17, 0), oslo(2026, 1, 14, 19), None, "", None),
    ("summer weekday 16:59 (UTC+2)", oslo(2026, 6, 10, 16, 59), oslo(2026, 6, 10, 19), None, "", "starts_at"),
    ("summer weekday 17:00 (UTC+2)", oslo(2026, 6, 10, 17, 0), oslo(2026, 6, 10, 19), None, "", None),
    (
        "summer weekday 17:00 given in UTC",
        datetime.datetime(2026, 6, 10, 15, 0, tzinfo=UTC),
        datetime.datetime(2026, 6, 10, 17, 0, tzinfo=UTC),
        None,
        "",
        None,
    ),
    (
        "winter weekday 16:30 given in UTC is 17:30 in Oslo",
        datetime.datetime(2026, 1, 14, 16, 30, tzinfo=UTC),
        datetime.datetime(2026, 1, 14, 18, 30, tzinfo=UTC),
        None,
        "",
        None,
    ),
    ("Saturday morning", oslo(2026, 6, 13, 9, 0), oslo(2026, 6, 13, 12), None, "", None),
    ("Sunday morning", oslo(2026, 6, 14, 9, 0), oslo(2026, 6, 14, 12), None, "", None),
    ("Ascension Day (Thursday) at noon", oslo(2026, 5, 14, 12, 0), oslo(2026, 5, 14, 15), None, "", None),
    ("1 May (Friday) at noon", oslo(2026, 5, 1, 12, 0), oslo(2026, 5, 1, 15), None, "", None),
    ("Maundy Thursday at noon", oslo(2026, 4, 2, 12, 0), oslo(2026, 4, 2, 15), None, "", None),
    (
        "24 December (Thursday) at noon is a working day",
        oslo(2026, 12, 24, 12, 0),
        oslo(2026, 12, 24, 14),
        None,
        "",
        "starts_at",
    ),
    (
        "31 December (Thursday) at noon is a working day",
        oslo(2026, 12, 31, 12, 0),
        oslo(2026, 12, 31, 14),
        None,
        "",
        "starts_at",
    ),
    ("24 December (Thursday) at 18:00", oslo(2026, 12, 24, 18, 0), oslo(2026, 12, 24, 20), None, "", "starts_at"),
    ("31 December (Thursday) at 18:00", oslo(2026, 12, 31, 18, 0), oslo(2026, 12, 31, 20), None, "", "starts_at"),
    ("24 December (Thursday) morning", oslo(2026, 12, 24, 9, 0), oslo(2026, 12, 24, 11), None, "", "starts_at"),
    ("24 December (Sunday) morning", oslo(2028, 12, 24, 9, 0), oslo(2028, 12, 24, 12), None, "", None),
    ("24 December (Sunday) into the afternoon", oslo(2028, 12, 24, 10), oslo(2028, 12, 24, 13), None, "", "ends_at"),
    ("31 December (Sunday) at 13:00", oslo(2028, 12, 31, 13, 0), oslo(2028, 12, 31, 15), None, "", "starts_at"),
    ("23 December (Saturday) into 24 December", oslo(2028, 12, 23, 20), oslo(2028, 12, 24, 14), None, "", "ends_at"),
    ("23 December (Wednesday) at 18:00", oslo(2026, 12, 23, 18, 0), oslo(2026, 12, 23, 20), None, "", None),
    ("25 December at noon", oslo(2026, 12, 25, 12, 0), oslo(2026, 12, 25, 14), None, "", None),
    # Summer time starts Sunday 29 March 2026 at 02:00 and ends Sunday 25 October 2026 at 03:00.
    ("DST start Sunday at 10:00", oslo(2026, 3, 29, 10, 0), oslo(2026, 3, 29, 12), None, "", None),
    ("Monday after DST start 16:59", oslo(2026, 3, 30, 16, 59), oslo(2026, 3, 30, 19), None, "", "starts_at"),
    ("Monday after DST start 17:00", oslo(2026, 3, 30, 17, 0), oslo(2026, 3, 30, 19), None, "", None),
    ("Friday before DST start 17:00", oslo(2026, 3, 27, 17, 0), oslo(2026, 3, 27, 19), None, "", None),
    ("DST end Sunday over the repeated hour", oslo(2026, 10, 25, 1, 30), oslo(2026, 10, 25, 4, 0), None, "", None),
    ("Monday after DST end 16:59", oslo(2026, 10, 26, 16, 59), oslo(2026, 10, 26, 19), None, "", "starts_at"),
    ("Monday after DST end 17:00", oslo(2026, 10, 26, 17, 0), oslo(2026, 10, 26, 19), None, "", None),
    (
        "Volunteer Day event on 4 December",
        oslo(2026, 12, 4, 18, 0),
        oslo(2026, 12, 4, 20),
        None,
        "frivillighetens_dag",
        "starts_at",
    ),
    (
        "Volunteer Day event on 5 December",
        oslo(2026, 12, 5, 11, 0),
        oslo(2026, 12, 5, 15),
        None,
        "frivillighetens_dag",
        None,
    ),
    (
        "Volunteer Day event running into 6 December",
        oslo(2026, 12, 5, 20, 0),
        oslo(2026, 12, 6, 1),
        None,
        "frivillighetens_dag",
        "ends_at",
    ),
    (
        "dialogue meeting on 4 December (Friday) evening",
        oslo(2026, 12, 4, 18, 0),
        oslo(2026, 12, 4, 20),
        None,
        "dialogmote",
        None,
    ),
    ("after-work time 16:00, at 16:00", oslo(2026, 1, 14, 16, 0), oslo(2026, 1, 14, 18), datetime.time(16), "", None),
    (
        "after-work time 16:00, at 15:59",
        oslo(2026, 1, 14, 15, 59),
        oslo(2026, 1, 14, 18),
        datetime.time(16),
        "",
        "starts_at",
    ),
    ("ends before it starts", oslo(2026, 6, 13, 12, 0), oslo(2026, 6, 13, 11), None, "", "ends_at"),
    ("ends when it starts", oslo(2026, 6, 13, 12, 0), oslo(2026, 6, 13, 12), None, "", "ends_at"),
    ("weekday ends 23:00", oslo(2026, 1, 14, 18, 0), oslo(2026, 1, 14, 23, 0), None, "", None),
    ("weekday ends 23:01", oslo(2026, 1, 14, 18, 0), oslo(2026, 1, 14, 23, 1), None, "", "ends_at"),
    ("weekday into the night", oslo(2026, 1, 14, 18, 0), oslo(2026, 1, 15, 1, 0), None, "", "ends_at"),
    ("Saturday to Sunday", oslo(2026, 6, 13, 10, 0), oslo(2026, 6, 14, 16), None, "", None),
    ("Saturday into Monday", oslo(2026, 6, 13, 10, 0), oslo(2026, 6, 15, 12), None, "", "ends_at"),
    ("Easter: three days exactly", oslo(2026, 4, 2, 10, 0), oslo(2026, 4, 5, 10, 0), None, "", None),
    ("longer than three days", oslo(2026, 4, 2, 10, 0), oslo(2026, 4, 5, 10, 1), None, "", "ends_at"),
]


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "after_work", "kind", "error_field"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_after_work_rule(starts_at, ends_at, after_work, kind, error_field):
    if error_field is None:
        validate_meeting_time(starts_at=starts_at, ends_at=ends_at, after_work_start=after_work, kind=kind)
        return
    with pytest.raises(ValidationError) as caught:
        validate_meeting_time(starts_at=starts_at, ends_at=ends_at, after_work_start=after_work, kind=kind)
    assert error_field in caught.value.message_dict


def test_message_says_what_would_pass():
    with pytest.raises(ValidationError) as caught:
        validate_meeting_time(starts_at=oslo(2026, 1, 14, 15, 0), ends_at=oslo(2026, 1, 14, 17, 0))
    message = caught.value.message_dict["starts_at"][0]
    assert "Møter på hverdager må starte etter arbeidstid, tidligst kl. 17.00" in message


def test_message_uses_the_municipality_time():
    with pytest.raises(ValidationError) as caught:
        validate_meeting_time(
            starts_at=oslo(2026, 1, 14, 15, 0), ends_at=oslo(2026, 1, 14, 17, 0), after_work_start=datetime.time(16)
        )
    assert "tidligst kl. 16.00" in caught.value.message_dict["starts_at"][0]


@pytest.mark.parametrize(
    ("starts_at", "name"), [(oslo(2026, 12, 24, 18), "julaften"), (oslo(2026, 12, 31, 18), "nyttårsaften")]
)
def test_christmas_and_new_years_eve_evenings_are_refused_with_the_reason(starts_at, name):
    with pytest.raises(ValidationError) as caught:
        validate_meeting_time(starts_at=starts_at, ends_at=starts_at + 2 * H)
    [message] = caught.value.message_dict["starts_at"]
    assert message.startswith(f"Torsdag {starts_at.day}. desember 2026 er {name}.")
    assert "fra kl. 12.00 holdes det ingen møter, fordi de fleste har fri resten av dagen" in message


def test_christmas_eve_morning_on_a_working_day_gets_one_message_that_the_day_is_closed():
    with pytest.raises(ValidationError) as caught:
        validate_meeting_time(starts_at=oslo(2026, 12, 24, 9), ends_at=oslo(2026, 12, 24, 11))
    [message] = caught.value.message_dict["starts_at"]
    assert "er julaften" in message and "Velg en annen dag." in message
    assert "tidligst kl. 17.00" not in message


def test_christmas_eve_on_a_sunday_says_when_to_end():
    with pytest.raises(ValidationError) as caught:
        validate_meeting_time(starts_at=oslo(2028, 12, 24, 10), ends_at=oslo(2028, 12, 24, 13))
    [message] = caught.value.message_dict["ends_at"]
    assert message.startswith("Søndag 24. desember 2028 er julaften.")
    assert "Velg en slutt senest kl. 12.00" in message


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        validate_meeting_time(starts_at=datetime.datetime(2026, 1, 14, 18), ends_at=oslo(2026, 1, 14, 19))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (datetime.date(2026, 12, 24), True),
        (datetime.date(2026, 12, 31), True),
        (datetime.date(2026, 12, 25), False),
        (datetime.date(2026, 5, 17), False),
        (datetime.date(2027, 5, 17), False),  # a Monday, and Constitution Day
        (datetime.date(2026, 5, 25), False),  # 2. pinsedag
        (datetime.date(2026, 4, 3), False),  # langfredag
        (datetime.date(2026, 6, 15), True),
        (datetime.date(2026, 6, 14), False),  # Sunday
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_oslo_offsets_are_as_expected():
    assert oslo(2026, 1, 14, 17).utcoffset() == H
    assert oslo(2026, 6, 10, 17).utcoffset() == 2 * H
    assert OSLO.key == "Europe/Oslo"
