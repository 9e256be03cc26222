"""Acting for an association takes membership, site admins included; stand applications and decisions."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from meetings import services
from meetings.models import Exhibitor, Meeting
from notifications.models import OutgoingEmail
from tests.meetings.factories import MeetingFactory, next_weekday_evening
from tests.organizations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_site_admin_cannot_register_an_association_they_are_not_in(site_admin, association, municipality):
    meeting = MeetingFactory(municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.registration_create(meeting=meeting, user=site_admin, association=association)
    assert not meeting.registrations.exists()


def test_site_admin_who_is_a_member_may_register_the_association(site_admin, association, municipality):
    MembershipFactory(association=association, user=site_admin)
    meeting = MeetingFactory(municipality=municipality)
    registration = services.registration_create(meeting=meeting, user=site_admin, association=association)
    assert registration.association == association


def _marketplace(municipality, **fields):
    start = next_weekday_evening()
    return MeetingFactory(
        municipality=municipality,
        kind=Meeting.Kind.MARKETPLACE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        **fields,
    )


def test_site_admin_cannot_apply_for_a_stand_for_an_association_they_are_not_in(site_admin, association, municipality):
    meeting = _marketplace(municipality)
    with pytest.raises(PermissionDenied):
        services.exhibitor_apply(meeting=meeting, association=association, user=site_admin)
    assert not Exhibitor.objects.exists()


def test_two_applications_at_once_end_in_a_validation_error(association, volunteer, municipality):
    meeting = _marketplace(municipality)
    Exhibitor.objects.create(meeting=meeting, association=association, applied_by=volunteer)
    # The second request checked before the first one saved: the database constraint decides.
    with (
        mock.patch.object(Exhibitor.objects, "filter", return_value=Exhibitor.objects.none()),
        pytest.raises(ValidationError) as caught,
    ):
        services.exhibitor_apply(meeting=meeting, association=association, user=volunteer)
    assert caught.value.messages == ["Nabolagskoret har allerede søkt om stand."]
    assert Exhibitor.objects.count() == 1


def test_association_admins_hear_the_stand_decision_once_per_decision(
    send_on_commit, association, volunteer, municipality
):
    MembershipFactory(association=association)  # an ordinary member hears nothing
    meeting = _marketplace(municipality, title="Markedsplass i parken")
    exhibitor = services.exhibitor_apply(meeting=meeting, association=association, user=volunteer)

    send_on_commit(services.exhibitor_decide, exhibitor=exhibitor, approve=True, stand_number=7)
    assert [m.to for m in mail.outbox] == [[volunteer.email]]
    assert "Markedsplass i parken" in mail.outbox[0].subject
    assert "stand nummer 7" in mail.outbox[0].body

    send_on_commit(services.exhibitor_decide, exhibitor=exhibitor, approve=True, stand_number=7)
    assert len(mail.outbox) == 1  # the same decision again is not news

    send_on_commit(services.exhibitor_decide, exhibitor=exhibitor, approve=False)
    assert len(mail.outbox) == 2 and "ikke fått stand" in mail.outbox[1].body
    send_on_commit(services.exhibitor_decide, exhibitor=exhibitor, approve=True, stand_number=7)
    assert len(mail.outbox) == 3
    assert OutgoingEmail.objects.filter(kind="meetings.exhibitor_decided").count() == 3
