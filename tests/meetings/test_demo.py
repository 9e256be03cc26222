"""The demo data passes the after-work rule in any year."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command

from meetings.domain import OSLO
from meetings.models import Meeting, MeetingLeader, MeetingProposal, MeetingSeries
from organizations.models import CountyStaff

pytestmark = pytest.mark.django_db


def test_demo_loads_when_volunteer_day_falls_on_a_working_day():
    frozen = datetime.datetime(2028, 11, 1, 12, tzinfo=OSLO)  # 5 December 2028 is a Tuesday
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        call_command("load_demo")
    day = Meeting.objects.get(kind=Meeting.Kind.VOLUNTEER_DAY)
    assert day.starts_at.astimezone(OSLO).date() == datetime.date(2028, 12, 5)


def test_demo_conference_is_not_put_on_christmas_eve():
    # From 26 November 2026 the conference's Thursday would be 24 December 2026.
    frozen = datetime.datetime(2026, 11, 26, 12, tzinfo=OSLO)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        call_command("load_demo")
    conference = Meeting.objects.get(kind=Meeting.Kind.EVENING_CONFERENCE)
    day = conference.starts_at.astimezone(OSLO).date()
    assert day not in (datetime.date(2026, 12, 24), datetime.date(2026, 12, 31))
    assert day == datetime.date(2027, 1, 7)


def test_demo_has_a_meeting_in_arabic_and_english_with_a_plain_summary():
    call_command("load_demo")
    call_command("load_demo")
    meeting = Meeting.objects.filter(translations__isnull=False).distinct().get()
    assert sorted(meeting.translations.values_list("language__code", flat=True)) == ["ar", "en"]
    assert meeting.plain_language and meeting.plain_summary
    arabic = meeting.translations.get(language__code="ar")
    assert arabic.language.is_rtl and arabic.title.startswith("لقاء")


def test_demo_holds_a_published_fixed_meeting_place_once():
    call_command("load_demo")
    call_command("load_demo")
    series = MeetingSeries.objects.get()
    meetings = list(series.meetings.all())
    assert 1 < len(meetings) <= 8
    assert all(meeting.status == Meeting.Status.PUBLISHED for meeting in meetings)
    assert series.pattern().startswith("annenhver")


def test_demo_has_a_meeting_an_association_proposed_and_co_hosts_and_one_the_mayor_attends():
    call_command("load_demo")
    call_command("load_demo")
    proposed = MeetingProposal.objects.get(status=MeetingProposal.Status.ACCEPTED)
    assert proposed.meeting.status == Meeting.Status.PUBLISHED
    assert list(proposed.meeting.co_hosts.all()) == [proposed.association]
    assert MeetingProposal.objects.filter(status=MeetingProposal.Status.PENDING).count() == 1
    [mayor] = MeetingLeader.objects.filter(role="mayor", announced=True)
    assert mayor.name == "Kari Nordmann"
    assert CountyStaff.objects.filter(county_number="46").exists()
