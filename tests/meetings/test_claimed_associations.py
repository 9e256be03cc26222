"""Someone who took over an association registers it for meetings and applies for stands only once
the municipality approved it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from meetings import services
from meetings.forms import ExhibitorForm, RegistrationForm
from meetings.models import Exhibitor, Meeting
from organizations import services as organization_services
from tests.accounts.factories import UserFactory
from tests.meetings.factories import MeetingFactory, next_weekday_evening
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed(municipality):
    """A verified association nobody ran, taken over by a stranger."""
    association = AssociationFactory(municipality=municipality, name="Skogly skiklubb", status="verified")
    stranger = UserFactory(full_name="Sigurd Fremmed")
    organization_services.association_claim(association=association, user=stranger, reason="Jeg er leder.")
    association.refresh_from_db()
    return stranger, association


@pytest.fixture
def marketplace(municipality):
    start = next_weekday_evening()
    return MeetingFactory(
        municipality=municipality,
        kind=Meeting.Kind.MARKETPLACE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )


def test_claimant_cannot_register_the_association_until_staff_approve(client, municipality, claimed, staff_user):
    stranger, association = claimed
    meeting = MeetingFactory(municipality=municipality)

    assert association not in RegistrationForm(user=stranger, meeting=meeting).fields["association"].queryset
    with pytest.raises(PermissionDenied):
        services.registration_create(meeting=meeting, user=stranger, association=association)
    client.force_login(stranger)
    response = client.post(
        reverse("meetings:register", args=[meeting.pk]), {"association": association.pk, "attendees": 1}
    )
    assert response.status_code == 200 and "association" in response.context["form"].errors
    assert not meeting.registrations.exists()

    organization_services.association_verify(association=association, by=staff_user)
    response = client.post(
        reverse("meetings:register", args=[meeting.pk]), {"association": association.pk, "attendees": 1}
    )
    assert response.status_code == 302
    assert meeting.registrations.get().association == association


def test_claimant_cannot_apply_for_a_stand_until_staff_approve(client, marketplace, claimed, staff_user):
    stranger, association = claimed

    assert association not in ExhibitorForm(user=stranger, meeting=marketplace).fields["association"].queryset
    with pytest.raises(PermissionDenied):
        services.exhibitor_apply(meeting=marketplace, association=association, user=stranger)
    client.force_login(stranger)
    url = reverse("meetings:exhibitor_apply", args=[marketplace.pk])
    response = client.post(url, {"association": association.pk, "description": "Skismøring"})
    assert response.status_code == 200 and "association" in response.context["form"].errors
    assert not Exhibitor.objects.exists()

    organization_services.association_verify(association=association, by=staff_user)
    assert client.post(url, {"association": association.pk, "description": "Skismøring"}).status_code == 302
    assert Exhibitor.objects.get().association == association
