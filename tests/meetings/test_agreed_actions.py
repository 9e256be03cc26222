"""Agreed actions: written down after a meeting, listed publicly per municipality, reminded once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import services_actions, sweeps, tasks
from meetings.domain import OSLO
from meetings.forms_actions import ActionForm, ActionStatusForm
from meetings.models import AgreedAction
from notifications.models import OutgoingEmail
from tests.accounts.factories import UserFactory
from tests.meetings.factories import AgreedActionFactory, MeetingFactory, held_meeting
from tests.organizations.factories import AssociationFactory, MembershipFactory, MunicipalStaffFactory

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO)


# Services and the rule behind them ---------------------------------------------------------------


def test_staff_write_down_an_action_with_a_municipal_unit_as_owner(municipality):
    meeting = held_meeting(municipality)
    due = timezone.localdate() + datetime.timedelta(days=20)
    action = services_actions.action_create(
        meeting=meeting, title="Åpne gymsalen på kveldstid", owner_unit=" Kulturetaten ", due_on=due
    )
    assert action.owner_name == "Kulturetaten"
    assert action.status == AgreedAction.Status.AGREED
    assert action.status_changed_at is not None


def test_an_action_needs_exactly_one_owner(municipality):
    meeting = held_meeting(municipality)
    club = AssociationFactory(municipality=municipality)
    due = timezone.localdate() + datetime.timedelta(days=20)
    with pytest.raises(ValidationError) as nobody:
        services_actions.action_create(meeting=meeting, title="Noe", due_on=due)
    assert "Skriv hvilken kommunal enhet" in nobody.value.message_dict["owner_unit"][0]
    with pytest.raises(ValidationError) as both:
        services_actions.action_create(
            meeting=meeting, title="Noe", due_on=due, owner_unit="Kulturetaten", owner_association=club
        )
    assert "ikke begge" in both.value.message_dict["owner_unit"][0]
    assert not AgreedAction.objects.exists()


def test_the_owner_is_a_verified_association_of_the_host_municipality(municipality, other_municipality):
    meeting = held_meeting(municipality)
    due = timezone.localdate() + datetime.timedelta(days=20)
    for association in (
        AssociationFactory(municipality=other_municipality),
        AssociationFactory(municipality=municipality, status="pending"),
    ):
        with pytest.raises(ValidationError) as refused:
            services_actions.action_create(meeting=meeting, title="Noe", due_on=due, owner_association=association)
        assert refused.value.message_dict["owner_association"] == [
            "Ansvarlig lag må være et godkjent lag i kommunen som holdt møtet."
        ]
    assert not AgreedAction.objects.exists()


def test_actions_are_written_after_the_meeting_started_and_not_due_before_it(municipality):
    coming = MeetingFactory(municipality=municipality)
    with pytest.raises(ValidationError) as early:
        services_actions.action_create(
            meeting=coming, title="Noe", owner_unit="Kulturetaten", due_on=timezone.localdate()
        )
    assert "etter at møtet har startet" in early.value.messages[0]
    meeting = held_meeting(municipality, days_ago=3)
    with pytest.raises(ValidationError) as before:
        services_actions.action_create(
            meeting=meeting,
            title="Noe",
            owner_unit="Kulturetaten",
            due_on=timezone.localdate() - datetime.timedelta(days=10),
        )
    assert before.value.message_dict["due_on"] == ["Fristen kan ikke være før møtet der tiltaket ble avtalt."]


def test_dropping_an_action_needs_a_reason_and_nothing_changes_without_it(municipality):
    action = AgreedActionFactory(meeting=held_meeting(municipality))
    with pytest.raises(ValidationError) as refused:
        services_actions.action_status_set(action=action, status="dropped", comment="  ")
    assert refused.value.message_dict["status_comment"] == ["Skriv hvorfor tiltaket er lagt bort."]
    action.refresh_from_db()
    assert action.status == AgreedAction.Status.AGREED
    done = services_actions.action_status_set(action=action, status="dropped", comment="Salen er solgt.\r\n")
    assert (done.status, done.status_comment) == ("dropped", "Salen er solgt.")


def test_a_status_outside_the_list_is_refused(municipality):
    action = AgreedActionFactory(meeting=held_meeting(municipality))
    with pytest.raises(ValidationError) as refused:
        services_actions.action_status_set(action=action, status="forgotten", comment="")
    assert refused.value.message_dict["status"] == ["Velg en av statusene i listen."]


# Forms -------------------------------------------------------------------------------------------


def test_action_form_says_in_norwegian_what_is_missing(municipality):
    meeting = held_meeting(municipality)
    form = ActionForm({"title": "", "due_on": "i morgen", "status": "agreed"}, meeting=meeting)
    assert not form.is_valid()
    assert form.errors["title"] == ["Skriv hva som skal gjøres."]
    assert form.errors["due_on"] == ["Skriv fristen som en dato, for eksempel 15.03.2027."]
    no_owner = ActionForm(
        {
            "title": "Lokaler",
            "due_on": f"{timezone.localdate() + datetime.timedelta(days=9):%Y-%m-%d}",
            "status": "agreed",
        },
        meeting=meeting,
    )
    assert not no_owner.is_valid()
    assert "Skriv hvilken kommunal enhet" in no_owner.errors["owner_unit"][0]


def test_action_form_offers_only_the_host_municipalitys_verified_associations(municipality, other_municipality):
    here = AssociationFactory(municipality=municipality, name="Kor i byen")
    AssociationFactory(municipality=municipality, name="Venter", status="pending")
    AssociationFactory(municipality=other_municipality, name="Borte")
    form = ActionForm(meeting=held_meeting(municipality))
    assert list(form.fields["owner_association"].queryset) == [here]


def test_status_form_errors_are_norwegian():
    form = ActionStatusForm({"status": "", "status_comment": "x" * 2001})
    assert not form.is_valid()
    assert form.errors["status"] == ["Velg en status."]
    assert form.errors["status_comment"] == ["Kommentaren kan være høyst 2000 tegn."]


# Pages -------------------------------------------------------------------------------------------


def test_public_page_lists_newest_meeting_first_and_what_is_overdue(client, municipality, other_municipality):
    older = held_meeting(municipality, days_ago=40, title="Vårmøtet")
    newer = held_meeting(municipality, days_ago=5, title="Høstmøtet")
    AgreedActionFactory(
        meeting=older,
        title="Kartlegg <lokaler>",
        due_on=timezone.localdate() - datetime.timedelta(days=2),
        owner_unit="Eiendomsetaten",
    )
    AgreedActionFactory(meeting=older, title="Ferdig tiltak", status="done", due_on=timezone.localdate())
    AgreedActionFactory(meeting=newer, title="Ny nettside", due_on=timezone.localdate() + datetime.timedelta(days=30))
    unpublished = held_meeting(municipality, days_ago=2, title="Uten oppsummering", summary_published_at=None)
    AgreedActionFactory(meeting=unpublished, title="Ikke offentlig ennå")
    AgreedActionFactory(meeting=held_meeting(other_municipality, title="Oslo-møtet"), title="Oslo-tiltak")
    page = client.get(reverse("meetings:municipality_actions", args=[municipality.number])).content.decode()
    overdue_section = page[page.index('id="forfalt"') : page.index('id="fra-motene"')]
    from_meetings = page[page.index('id="fra-motene"') :]
    assert from_meetings.index("Høstmøtet") < from_meetings.index("Vårmøtet")
    assert "Kartlegg &lt;lokaler&gt;" in overdue_section
    assert "Ferdig tiltak" not in overdue_section and "Ny nettside" not in overdue_section
    assert "Kartlegg <lokaler>" not in page
    assert "Ikke offentlig ennå" not in page and "Oslo-tiltak" not in page


def _actions_in(municipality, meetings: int, per_meeting: int):
    club = AssociationFactory(municipality=municipality)
    for n in range(meetings):
        meeting = held_meeting(municipality, days_ago=n + 1, title=f"Møte {n}")
        for i in range(per_meeting):
            overdue = i % 2 == 0
            AgreedActionFactory(
                meeting=meeting,
                due_on=timezone.localdate() + datetime.timedelta(days=-1 if overdue else 10),
                **({"owner_association": club, "owner_unit": ""} if i % 3 == 0 else {}),
            )


def test_public_page_query_count_does_not_grow(client, municipality, other_municipality):
    url = reverse("meetings:municipality_actions", args=[municipality.number])
    _actions_in(municipality, meetings=2, per_meeting=2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _actions_in(other_municipality, meetings=1, per_meeting=1)
    _actions_in(municipality, meetings=25, per_meeting=6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_staff_add_an_action_from_the_meeting_page(client, municipality, staff_user):
    meeting = held_meeting(municipality)
    client.force_login(staff_user)
    detail = client.get(reverse("meetings:preview", args=[meeting.pk])).content.decode()
    assert reverse("meetings:actions", args=[meeting.pk]) in detail
    due = timezone.localdate() + datetime.timedelta(days=14)
    response = client.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {
            "title": "Felles kalender for lagene",
            "description": "Kommunen lager en kalender.\r\nLagene melder inn.",
            "owner_unit": "Kulturetaten",
            "owner_email": "kultur@example.org",
            "due_on": f"{due:%Y-%m-%d}",
            "status": "agreed",
        },
    )
    assert response.status_code == 302
    action = AgreedAction.objects.get()
    assert action.owner_email == "kultur@example.org"
    listing = client.get(reverse("meetings:actions", args=[meeting.pk])).content.decode()
    assert "Felles kalender for lagene" in listing


def test_a_refused_action_keeps_what_was_typed_and_saves_nothing(client, municipality, staff_user):
    meeting = held_meeting(municipality)
    client.force_login(staff_user)
    response = client.post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"title": "Felles kalender", "due_on": f"{timezone.localdate():%Y-%m-%d}", "status": "dropped"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Skriv hvorfor tiltaket er lagt bort." in content
    assert 'value="Felles kalender"' in content
    assert not AgreedAction.objects.exists()


def test_the_owning_association_reports_progress(client, municipality):
    club = AssociationFactory(municipality=municipality, name="Nabolagskoret")
    admin = MembershipFactory(association=club, role="admin").user
    action = AgreedActionFactory(meeting=held_meeting(municipality), owner_association=club, owner_unit="")
    client.force_login(admin)
    response = client.post(
        reverse("meetings:action_status", args=[action.pk]),
        {"status": "in_progress", "status_comment": "Vi har startet."},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.status_comment) == ("in_progress", "Vi har startet.")
    page = client.get(response.url).content.decode()
    assert "Under arbeid" in page and "Vi har startet." in page


# Reminders: exactly once each, through the outbox -------------------------------------------------


def _sent(kind):
    return sorted(OutgoingEmail.objects.filter(kind=kind).values_list("recipient_email", flat=True))


def test_owners_are_reminded_a_week_before_and_when_the_due_date_passed_once_each(send_on_commit, municipality):
    club = AssociationFactory(municipality=municipality)
    admin = MembershipFactory(association=club, role="admin", user=UserFactory(email="leder@example.org")).user
    MembershipFactory(association=club, role="member")
    due = timezone.localdate() + datetime.timedelta(days=30)
    action = AgreedActionFactory(
        meeting=held_meeting(municipality), owner_association=club, owner_unit="", due_on=due, title="Åpen hall"
    )
    assert sweeps.action_reminders_sweep(now=_at(due - datetime.timedelta(days=8))) == 0
    week_before = _at(due - datetime.timedelta(days=7))
    assert send_on_commit(sweeps.action_reminders_sweep, now=week_before) == 1
    assert send_on_commit(sweeps.action_reminders_sweep, now=week_before) == 0
    assert sweeps.action_reminders_sweep(now=_at(due)) == 0
    passed = _at(due + datetime.timedelta(days=1))
    assert send_on_commit(sweeps.action_reminders_sweep, now=passed) == 1
    assert send_on_commit(sweeps.action_reminders_sweep, now=passed + datetime.timedelta(days=3)) == 0
    assert _sent("meetings.action_due_soon") == [admin.email]
    assert _sent("meetings.action_overdue") == [admin.email]
    assert [m.to for m in mail.outbox] == [[admin.email], [admin.email]]
    assert "Åpen hall" in mail.outbox[0].subject
    assert reverse("meetings:action_status", args=[action.pk]) in mail.outbox[0].body
    assert "har gått ut" in mail.outbox[1].subject


def test_a_municipal_unit_is_reminded_through_the_staff_and_its_recorded_address(municipality, other_municipality):
    staff = MunicipalStaffFactory(municipality=municipality).user
    MunicipalStaffFactory(municipality=other_municipality)
    due = timezone.localdate() + datetime.timedelta(days=3)
    AgreedActionFactory(meeting=held_meeting(municipality), owner_email="kultur@example.org", due_on=due)
    assert sweeps.action_reminders_sweep(now=_at(timezone.localdate())) == 2
    assert _sent("meetings.action_due_soon") == sorted([staff.email, "kultur@example.org"])


def test_after_downtime_only_the_overdue_reminder_goes_and_closed_actions_get_none(municipality):
    MunicipalStaffFactory(municipality=municipality)
    meeting = held_meeting(municipality, days_ago=30)
    due = timezone.localdate() - datetime.timedelta(days=4)
    AgreedActionFactory(meeting=meeting, due_on=due)
    AgreedActionFactory(meeting=meeting, due_on=due, status="done")
    AgreedActionFactory(meeting=meeting, due_on=due, status="dropped", status_comment="Ikke lenger aktuelt.")
    AgreedActionFactory(meeting=held_meeting(municipality, summary_published_at=None), due_on=due)
    assert sweeps.action_reminders_sweep() == 1
    assert OutgoingEmail.objects.filter(kind="meetings.action_overdue").count() == 1
    assert not OutgoingEmail.objects.filter(kind="meetings.action_due_soon").exists()


def test_a_new_due_date_is_reminded_of_again(municipality):
    MunicipalStaffFactory(municipality=municipality)
    due = timezone.localdate() + datetime.timedelta(days=5)
    action = AgreedActionFactory(meeting=held_meeting(municipality), due_on=due)
    assert sweeps.action_reminders_sweep() == 1
    services_actions.action_update(action=action, due_on=due + datetime.timedelta(days=1))
    assert sweeps.action_reminders_sweep() == 1
    assert sweeps.action_reminders_sweep() == 0


def test_the_reminder_task_runs_the_sweep_and_is_scheduled(settings, municipality):
    MunicipalStaffFactory(municipality=municipality)
    AgreedActionFactory(meeting=held_meeting(municipality), due_on=timezone.localdate())
    assert tasks.send_action_reminders.apply().get() == 1
    assert tasks.send_action_reminders.apply().get() == 0
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "meetings.tasks.send_action_reminders" in scheduled
