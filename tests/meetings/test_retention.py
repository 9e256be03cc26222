"""The needs registrants state are cleared MEETINGS_KEEP_NEEDS_DAYS after the meeting; who came stays."""

import datetime

import pytest
from django.utils import timezone

from meetings import selectors, services, sweeps, tasks
from meetings.models import Meeting, Registration
from organizations.models import Language
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
NEEDS = {
    "accessibility_needs": "Rullestol, trenger plass ved døra.\r\nHørselsslynge.",
    "diet": "Nøtteallergi (alvorlig)",
    "topics": "Lokaler til øving på kveldstid",
}


def _ended(municipality, days_ago, **fields):
    meeting = MeetingFactory(municipality=municipality, **fields)
    ends = NOW - datetime.timedelta(days=days_ago)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=ends - datetime.timedelta(hours=2), ends_at=ends)
    meeting.refresh_from_db()
    return meeting


def _registration(meeting, **fields):
    return RegistrationFactory(
        meeting=meeting, interpretation_language=Language.objects.get(slug="ar"), **NEEDS, **fields
    )


def _needs(registration):
    registration.refresh_from_db()
    return registration.interpretation_language_id, registration.accessibility_needs, registration.diet


def test_needs_are_cleared_a_month_after_the_meeting_and_the_topics_stay(municipality):
    old = _registration(_ended(municipality, 31))
    cancelled = _registration(_ended(municipality, 31), status=Registration.Status.CANCELLED)

    assert sweeps.registration_needs_sweep(now=NOW) == 2

    for registration in (old, cancelled):
        assert _needs(registration) == (None, "", "")
        assert registration.topics == NEEDS["topics"]


def test_needs_stay_until_the_period_after_the_meeting_has_passed(municipality):
    recent = _registration(_ended(municipality, 29))
    coming = _registration(MeetingFactory(municipality=municipality))

    assert sweeps.registration_needs_sweep(now=NOW) == 0

    for registration in (recent, coming):
        assert _needs(registration) == (
            Language.objects.get(slug="ar").pk,
            NEEDS["accessibility_needs"],
            NEEDS["diet"],
        )


def test_clearing_twice_is_harmless_and_the_period_is_a_setting(settings, municipality):
    settings.MEETINGS_KEEP_NEEDS_DAYS = 3
    old = _registration(_ended(municipality, 4))
    kept = _registration(_ended(municipality, 2))

    assert tasks.clear_registration_needs.apply().get() == 1
    assert tasks.clear_registration_needs.apply().get() == 0
    assert _needs(old) == (None, "", "")
    assert _needs(kept)[1] == NEEDS["accessibility_needs"]


def test_attendance_counts_and_the_reach_report_survive_the_clearing(municipality, staff_user):
    came, stayed_away, unmarked = (
        AssociationFactory(municipality=municipality, name=name, status="verified")
        for name in ("Møtte opp", "Kom ikke", "Oppmøte ikke ført")
    )
    marked = _ended(municipality, 40)
    present = _registration(marked, association=came, attendees=3)
    _registration(marked, association=stayed_away, attendees=2)
    services.attendance_set(meeting=marked, registration_ids=[present.pk], by=staff_user)
    _registration(_ended(municipality, 45, status=Meeting.Status.HELD), association=unmarked)
    before = selectors.reach_report(municipality=municipality, now=NOW)

    assert sweeps.registration_needs_sweep(now=NOW) == 3

    after = selectors.reach_report(municipality=municipality, now=NOW)
    assert after.took_part_ids == before.took_part_ids == {came.pk, unmarked.pk}
    assert after.ever_ids == before.ever_ids
    rows = selectors.registrations_for_staff(meeting=marked)
    assert sorted((row.attendees, row.attended) for row in rows) == [(2, False), (3, True)]
