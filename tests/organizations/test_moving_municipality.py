"""An association's municipality decides who verified it: a move sends it back to pending."""

import pytest
from django.urls import reverse

from organizations import services
from organizations.forms import AssociationForm, AssociationRegisterForm
from organizations.models import Association, Category, Membership
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(municipality):
    association = AssociationFactory(municipality=municipality, name="Flyttekoret", org_number="988077917")
    association.categories.set([Category.objects.get(slug="kunst-og-kultur")])
    return association


def test_association_admins_cannot_move_their_association(client, verified, volunteer, other_municipality):
    MembershipFactory(association=verified, user=volunteer, role=Membership.Role.ADMIN)
    assert "municipality" not in AssociationForm.base_fields
    assert "municipality" in AssociationRegisterForm.base_fields
    client.force_login(volunteer)
    url = reverse("organizations:association_edit", args=[verified.slug])
    response = client.post(
        url,
        {
            "name": "Flyttekoret",
            "municipality": other_municipality.pk,
            "categories": [c.pk for c in verified.categories.all()],
        },
    )
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.municipality_id != other_municipality.pk
    assert verified.status == Association.Status.VERIFIED


def test_a_move_through_the_service_sends_a_verified_association_back_to_pending(
    verified, other_municipality, site_admin
):
    services.association_update(association=verified, data={"municipality": other_municipality}, by=site_admin)
    verified.refresh_from_db()
    assert verified.municipality == other_municipality
    assert verified.status == Association.Status.PENDING
    assert verified.status_changed_by == site_admin and "annen kommune" in verified.status_reason


def test_other_changes_keep_the_association_verified(verified):
    services.association_update(association=verified, data={"description": "Vi synger."})
    verified.refresh_from_db()
    assert verified.status == Association.Status.VERIFIED


def test_a_move_in_the_django_admin_sends_it_back_to_pending(client, site_admin, verified, other_municipality):
    admin_membership = MembershipFactory(association=verified, role=Membership.Role.ADMIN)
    client.force_login(site_admin)
    data = {
        "name": verified.name,
        "slug": verified.slug,
        "org_number": verified.org_number,
        "municipality": other_municipality.pk,
        "categories": [c.pk for c in verified.categories.all()],
        "contact_name": verified.contact_name,
        "contact_email": verified.contact_email,
        "memberships-TOTAL_FORMS": 1,
        "memberships-INITIAL_FORMS": 1,
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "memberships-0-id": admin_membership.pk,
        "memberships-0-association": verified.pk,
        "memberships-0-user": admin_membership.user_id,
        "memberships-0-role": admin_membership.role,
    }
    response = client.post(reverse("admin:organizations_association_change", args=[verified.pk]), data)
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.municipality == other_municipality
    assert verified.status == Association.Status.PENDING and verified.status_changed_by == site_admin


def test_a_move_in_enhetsregisteret_sends_it_back_to_pending(verified, other_municipality):
    outcome, _ = services.association_import_from_brreg(
        profile={
            "org_number": verified.org_number,
            "name": verified.name,
            "municipality_number": other_municipality.number,
        },
        municipalities={other_municipality.number: other_municipality},
    )
    assert outcome == "updated"
    verified.refresh_from_db()
    assert verified.municipality == other_municipality
    assert verified.status == Association.Status.PENDING
