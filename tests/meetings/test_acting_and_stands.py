"""Acting for an association takes membership, site admins included; stand applications and decisions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from meetings import services
from meetings.models import Exhibitor, Meeting
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
