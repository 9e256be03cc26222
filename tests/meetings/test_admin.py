"""The Django admin changes meetings, registrations and stands through the services."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from meetings import services
from meetings.domain import OSLO
from meetings.models import Exhibitor, Meeting, MeetingSeries, Registration
from notifications.models import OutgoingEmail
from tests.accounts.factories import UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, next_weekday_evening
from tests.meetings.series_helpers import december_series
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _admin_data(meeting, **changes):
    local = meeting.starts_at.astimezone(OSLO), meeting.ends_at.astimezone(OSLO)
    data = {
        "municipality": meeting.municipality_id,
        "title": meeting.title,
        "kind": meeting.kind,
        "formality": meeting.formality,
        "mode": meeting.mode,
        "venue_name": meeting.venue_name,
        "venue_address": meeting.venue_address,
        "starts_at_0": local[0].strftime("%Y-%m-%d"),
        "starts_at_1": local[0].strftime("%H:%M"),
        "ends_at_0": local[1].strftime("%Y-%m-%d"),
        "ends_at_1": local[1].strftime("%H:%M"),
        "invite_all": "on",
        "reminder_hours": "48",
        "status": Meeting.Status.CANCELLED,
        "agenda-TOTAL_FORMS": "0",
        "agenda-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_admin_cannot_change_status_and_a_moved_meeting_notifies_registrants(
    client, site_admin, municipality, send_on_commit
):
    meeting = MeetingFactory(municipality=municipality, title="Dialogmøte i biblioteket")
    RegistrationFactory(meeting=meeting)
    client.force_login(site_admin)
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    send_on_commit(client.post, url, _admin_data(meeting, venue_name="Rådhuset"))
    meeting.refresh_from_db()
    assert meeting.venue_name == "Rådhuset"
    assert meeting.status == Meeting.Status.PUBLISHED  # the posted status is ignored
    assert meeting.sequence == 1
    assert OutgoingEmail.objects.filter(kind="meetings.meeting_changed").count() == 1
    assert len(mail.outbox) == 1


def test_admin_publish_action_uses_the_service(client, site_admin, municipality, association, send_on_commit):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    client.force_login(site_admin)
    send_on_commit(
        client.post,
        reverse("admin:meetings_meeting_changelist"),
        {"action": "publish_meetings", "_selected_action": [meeting.pk]},
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.published_at is not None
    assert OutgoingEmail.objects.filter(kind="meetings.invitation").count() == 1


def _registration_data(registration, **changes):
    data = {
        "meeting": registration.meeting_id,
        "user": registration.user_id,
        "association": "",
        "attendees": registration.attendees,
        "interpretation_language": "",
        "accessibility_needs": "",
        "diet": "",
        "topics": "",
        "status": registration.status,
        "promoted_at_0": "",
        "promoted_at_1": "",
        "cancelled_at_0": "",
        "cancelled_at_1": "",
    }
    data.update(changes)
    return data


def test_admin_cannot_edit_registrations_around_the_capacity(client, site_admin, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=3)
    registration = RegistrationFactory(meeting=meeting, attendees=1)
    waiting = RegistrationFactory(meeting=meeting, attendees=1, status=Registration.Status.WAITLISTED)
    client.force_login(site_admin)

    change = reverse("admin:meetings_registration_change", args=[registration.pk])
    assert client.post(change, _registration_data(registration, attendees="9")).status_code == 403
    promote = reverse("admin:meetings_registration_change", args=[waiting.pk])
    assert client.post(promote, _registration_data(waiting, status="confirmed", attendees="5")).status_code == 403
    add = reverse("admin:meetings_registration_add")
    assert client.post(add, _registration_data(registration, user=UserFactory().pk, attendees="9")).status_code == 403
    delete = reverse("admin:meetings_registration_delete", args=[registration.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403

    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.attendees, registration.status) == (1, Registration.Status.CONFIRMED)
    assert (waiting.attendees, waiting.status) == (1, Registration.Status.WAITLISTED)
    assert meeting.registrations.count() == 2
    # The page still shows the registration, read-only.
    page = client.get(change)
    assert page.status_code == 200 and 'name="attendees"' not in page.content.decode()


def test_admin_cancel_action_frees_the_seat_through_the_service(client, site_admin, municipality, send_on_commit):
    meeting = MeetingFactory(municipality=municipality, capacity=1)
    registration = RegistrationFactory(meeting=meeting)
    waiting = RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED)
    client.force_login(site_admin)

    response = send_on_commit(
        client.post,
        reverse("admin:meetings_registration_changelist"),
        {"action": "cancel_registrations", "_selected_action": [registration.pk]},
        follow=True,
    )

    assert "Påmeldinger avmeldt: 1." in response.content.decode()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED and registration.cancelled_at is not None
    assert waiting.status == Registration.Status.CONFIRMED and waiting.promoted_at is not None
    assert OutgoingEmail.objects.filter(kind="meetings.registration_promoted", recipient_user=waiting.user).count() == 1
    assert [m.to for m in mail.outbox] == [[waiting.user.email]]


def _stand_applicant(meeting, name):
    association = AssociationFactory(municipality=meeting.municipality, name=name)
    admin_member = MembershipFactory(association=association, role="admin").user
    return services.exhibitor_apply(meeting=meeting, association=association, user=admin_member), admin_member


@pytest.fixture
def marketplace(municipality):
    start = next_weekday_evening()
    return MeetingFactory(
        municipality=municipality, kind=Meeting.Kind.MARKETPLACE, starts_at=start, ends_at=start + timedelta(hours=3)
    )


def test_admin_cannot_edit_exhibitor_decisions(client, site_admin, marketplace):
    exhibitor, _admin = _stand_applicant(marketplace, "Korpset")
    client.force_login(site_admin)
    change = reverse("admin:meetings_exhibitor_change", args=[exhibitor.pk])
    data = {
        "meeting": marketplace.pk,
        "association": exhibitor.association_id,
        "applied_by": exhibitor.applied_by_id,
        "status": "approved",
        "stand_number": "3",
    }
    assert client.post(change, data).status_code == 403
    assert client.post(reverse("admin:meetings_exhibitor_add"), data).status_code == 403
    exhibitor.refresh_from_db()
    assert (exhibitor.status, exhibitor.stand_number) == (Exhibitor.Status.PENDING, None)
    assert not OutgoingEmail.objects.filter(kind="meetings.exhibitor_decided").exists()


def test_admin_exhibitor_actions_decide_through_the_service(client, site_admin, marketplace, send_on_commit):
    first, first_admin = _stand_applicant(marketplace, "Korpset")
    second, second_admin = _stand_applicant(marketplace, "Sjakklubben")
    third, third_admin = _stand_applicant(marketplace, "Turlaget")
    services.exhibitor_decide(exhibitor=first, approve=True, stand_number=4)
    client.force_login(site_admin)
    changelist = reverse("admin:meetings_exhibitor_changelist")

    send_on_commit(client.post, changelist, {"action": "approve_exhibitors", "_selected_action": [first.pk, second.pk]})
    send_on_commit(client.post, changelist, {"action": "reject_exhibitors", "_selected_action": [third.pk]})

    for exhibitor in (first, second, third):
        exhibitor.refresh_from_db()
    # An approved stand keeps its number; a new one gets the next free number.
    assert (first.status, first.stand_number) == (Exhibitor.Status.APPROVED, 4)
    assert (second.status, second.stand_number) == (Exhibitor.Status.APPROVED, 5)
    assert (third.status, third.stand_number) == (Exhibitor.Status.REJECTED, None)
    assert [m.to for m in mail.outbox] == [[second_admin.email], [third_admin.email]]
    assert "stand nummer 5" in mail.outbox[0].body
    assert "ikke fått stand" in mail.outbox[1].body


def test_admin_cannot_edit_attendance(client, site_admin, municipality):
    meeting = MeetingFactory(municipality=municipality)
    client.force_login(site_admin)
    data = {"meeting": meeting.pk, "association": AssociationFactory(municipality=municipality).pk}
    assert client.post(reverse("admin:meetings_attendance_add"), data).status_code == 403
    assert not meeting.attendances.exists()


def test_admin_actions_need_more_than_the_view_permission(client, municipality):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_registration"))
    registration = RegistrationFactory(meeting=MeetingFactory(municipality=municipality))
    client.force_login(viewer)
    changelist = reverse("admin:meetings_registration_changelist")

    assert "cancel_registrations" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "cancel_registrations", "_selected_action": [registration.pk]})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_admin_shows_a_series_with_its_meetings_and_never_changes_it(client, site_admin, municipality):
    series = december_series(municipality)
    client.force_login(site_admin)
    page = client.get(reverse("admin:meetings_meetingseries_change", args=[series.pk])).content.decode()
    assert series.title in page
    assert page.count(reverse("admin:meetings_meeting_change", args=[series.meetings.first().pk])) == 1
    before = series.meetings.count()
    client.post(reverse("admin:meetings_meetingseries_delete", args=[series.pk]), {"post": "yes"})
    assert MeetingSeries.objects.filter(pk=series.pk).exists() and series.meetings.count() == before
