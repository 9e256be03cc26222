import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_personal_data
from meetings import selectors, services, sweeps, tasks
from meetings.domain import OSLO
from meetings.models import Attendance, Meeting
from notifications.models import OutgoingEmail
from organizations.models import Category
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def _reminders():
    return OutgoingEmail.objects.filter(kind="meetings.reminder")


def test_reminder_is_sent_once_when_due(send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality)
    confirmed = RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, status="waitlisted")
    RegistrationFactory(meeting=meeting, status="cancelled")
    early = meeting.starts_at - datetime.timedelta(hours=49)
    assert sweeps.reminders_sweep(now=early) == 0
    due = meeting.starts_at - datetime.timedelta(hours=47)
    assert send_on_commit(sweeps.reminders_sweep, now=due) == 1
    assert send_on_commit(sweeps.reminders_sweep, now=due + datetime.timedelta(minutes=15)) == 0
    assert [m.to[0] for m in mail.outbox] == [confirmed.user.email]
    assert "Påminnelse" in mail.outbox[0].subject


def test_a_beat_down_for_a_day_catches_up_until_the_meeting_starts(municipality):
    meeting = MeetingFactory(municipality=municipality)
    RegistrationFactory(meeting=meeting)
    assert sweeps.reminders_sweep(now=meeting.starts_at - datetime.timedelta(hours=3)) == 1
    assert sweeps.reminders_sweep(now=meeting.starts_at + datetime.timedelta(minutes=1)) == 0


def test_reminder_hours_per_meeting_and_off(municipality):
    three_hours = MeetingFactory(municipality=municipality, reminder_hours=3)
    off = MeetingFactory(municipality=municipality, reminder_hours=None)
    RegistrationFactory(meeting=three_hours)
    RegistrationFactory(meeting=off)
    assert sweeps.reminders_sweep(now=three_hours.starts_at - datetime.timedelta(hours=4)) == 0
    assert sweeps.reminders_sweep(now=three_hours.starts_at - datetime.timedelta(hours=2)) == 1
    assert sweeps.reminders_sweep(now=off.starts_at - datetime.timedelta(minutes=5)) == 0
    assert _reminders().count() == 1


def test_a_moved_meeting_gets_a_new_reminder(municipality):
    meeting = MeetingFactory(municipality=municipality)
    RegistrationFactory(meeting=meeting)
    assert sweeps.reminders_sweep(now=meeting.starts_at - datetime.timedelta(hours=1)) == 1
    later = meeting.starts_at + datetime.timedelta(days=7)
    services.meeting_update(meeting=meeting, starts_at=later, ends_at=later + datetime.timedelta(hours=2))
    assert sweeps.reminders_sweep(now=later - datetime.timedelta(hours=1)) == 1


def test_reminder_task_runs_the_sweep(municipality):
    meeting = MeetingFactory(municipality=municipality, reminder_hours=10000)
    RegistrationFactory(meeting=meeting)
    assert tasks.send_due_reminders.apply().get() == 1
    assert tasks.send_due_reminders.apply().get() == 0


def test_sweeps_are_in_the_beat_schedule(settings):
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"meetings.tasks.send_due_reminders", "meetings.tasks.send_volunteer_day_nudges"} <= scheduled


def test_volunteer_day_nudge_from_1_november(
    send_on_commit, municipality, other_municipality, staff_user, other_staff_user
):
    year = 2031
    start = datetime.datetime(year, 12, 5, 12, tzinfo=OSLO)
    MeetingFactory(
        municipality=other_municipality,
        kind="frivillighetens_dag",
        status=Meeting.Status.DRAFT,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    assert sweeps.volunteer_day_nudge_sweep(now=datetime.datetime(year, 10, 31, 12, tzinfo=OSLO)) == 0
    first_november = datetime.datetime(year, 11, 1, 0, 30, tzinfo=OSLO)
    assert send_on_commit(sweeps.volunteer_day_nudge_sweep, now=first_november) == 1
    assert [m.to[0] for m in mail.outbox] == [staff_user.email]
    assert "Frivillighetens dag 5. desember 2031" in mail.outbox[0].subject
    # Running again (a second beat, or the next hour) sends nothing new; a beat down on
    # 1 November catches up on the 2nd.
    assert sweeps.volunteer_day_nudge_sweep(now=first_november + datetime.timedelta(hours=1)) == 0
    assert sweeps.volunteer_day_nudge_sweep(now=first_november + datetime.timedelta(days=1)) == 0
    assert sweeps.volunteer_day_nudge_sweep(now=datetime.datetime(year, 12, 6, tzinfo=OSLO)) == 0


def test_volunteer_day_nudge_catches_up_after_downtime(municipality, staff_user):
    assert sweeps.volunteer_day_nudge_sweep(now=datetime.datetime(2031, 11, 3, 9, tzinfo=OSLO)) == 1


def test_reach_report(client, staff_user, municipality, other_municipality):
    culture, sport = Category.objects.all()[:2]
    met_recently = AssociationFactory(municipality=municipality, name="Korpset", categories=[culture])
    met_long_ago = AssociationFactory(municipality=municipality, name="Gamle venner", categories=[culture])
    registered_held = AssociationFactory(municipality=municipality, name="Påmeldt lag", categories=[sport])
    AssociationFactory(municipality=municipality, name="Aldri sett", categories=[sport, culture])
    AssociationFactory(municipality=other_municipality, name="Lag i Oslo", categories=[culture])
    now = timezone.now()

    def held(days_ago):
        start = (now - datetime.timedelta(days=days_ago)).astimezone(OSLO).replace(hour=18, minute=0)
        while start.weekday() >= 5:
            start -= datetime.timedelta(days=1)
        return MeetingFactory(
            municipality=municipality,
            status=Meeting.Status.HELD,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
        )

    recent, old = held(30), held(500)
    Attendance.objects.create(meeting=recent, association=met_recently)
    Attendance.objects.create(meeting=old, association=met_long_ago)
    # A held meeting where nobody marked attendance: the registration counts.
    RegistrationFactory(meeting=held(60), association=registered_held)
    client.force_login(staff_user)
    response = client.get(reverse("meetings:reach", args=[municipality.number]))
    report = response.context["reach"]
    rows = {row.category.pk: row for row in report.categories}
    assert (rows[culture.pk].registered, rows[culture.pk].took_part) == (3, 1)
    assert (rows[sport.pk].registered, rows[sport.pk].took_part) == (2, 1)
    assert [a.name for a in rows[culture.pk].never_met] == ["Aldri sett"]
    page = response.content.decode()
    assert "Aldri sett" in page and "Lag i Oslo" not in page
    csv_body = client.get(reverse("meetings:reach_csv", args=[municipality.number])).content.decode()
    assert csv_body.startswith("\ufeff")
    lines = {line.split(";")[0]: line for line in csv_body.lstrip("\ufeff").splitlines()}
    assert lines["Korpset"].endswith("ja;nei") and lines["Aldri sett"].endswith("nei;ja")
    assert lines["Gamle venner"].endswith("nei;nei") and lines["Påmeldt lag"].endswith("ja;nei")


def test_reach_counts_only_attendance_once_it_is_marked(staff_user, municipality):
    ticked = AssociationFactory(municipality=municipality, name="Møtte")
    unticked = AssociationFactory(municipality=municipality, name="Meldte seg på, kom ikke")
    unmarked = AssociationFactory(municipality=municipality, name="Påmeldt, oppmøte ikke ført")
    start = (timezone.now() - datetime.timedelta(days=10)).astimezone(OSLO).replace(hour=18, minute=0)
    while start.weekday() >= 5:
        start -= datetime.timedelta(days=1)
    marked = MeetingFactory(municipality=municipality, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    came = RegistrationFactory(meeting=marked, association=ticked)
    RegistrationFactory(meeting=marked, association=unticked)
    services.attendance_set(meeting=marked, registration_ids=[came.pk], by=staff_user)
    not_marked = MeetingFactory(
        municipality=municipality,
        status=Meeting.Status.HELD,
        starts_at=start - datetime.timedelta(days=1),
        ends_at=start - datetime.timedelta(days=1) + datetime.timedelta(hours=1),
    )
    RegistrationFactory(meeting=not_marked, association=unmarked)

    report = selectors.reach_report(municipality=municipality)

    assert report.took_part_ids == {ticked.pk, unmarked.pk}
    assert unticked.pk not in report.ever_ids


def test_personal_data_export_includes_registrations(municipality, volunteer):
    RegistrationFactory(meeting=MeetingFactory(municipality=municipality), user=volunteer, topics="Lokaler")
    data = user_personal_data(user=volunteer)
    assert data["meetings"]["registrations"][0]["topics"] == "Lokaler"


def test_demo_data_is_idempotent(capsys):
    call_command("load_demo")
    call_command("load_demo")
    demo = Meeting.objects.filter(municipality__number="4601")
    # Three single meetings the municipality holds, one an association proposed and co-hosts, the
    # meetings of one fixed meeting place, and one held five weeks ago.
    assert demo.filter(series__isnull=True).count() == 5
    assert demo.filter(series__isnull=True, status=Meeting.Status.PUBLISHED).count() == 4
    assert demo.filter(series__isnull=False).exclude(status=Meeting.Status.PUBLISHED).count() == 0
    assert demo.filter(series__isnull=False).values("series").distinct().count() == 1
    # The meeting held five weeks ago, with its summary and the actions agreed there.
    held = demo.get(status=Meeting.Status.HELD)
    assert held.summary_published_at is not None
    assert held.actions.count() == 4
    assert held.actions.overdue().count() == 1
    assert held.actions.filter(owner_association__isnull=False).count() == 1
    volunteer_day = demo.get(kind="frivillighetens_dag").starts_at.astimezone(OSLO)
    assert (volunteer_day.month, volunteer_day.day) == (12, 5)
    for meeting in demo:
        meeting.full_clean()
