"""Roles × actions on an association (the registry's permission matrix)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from organizations.models import Membership
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "volunteer", "member", "admin", "staff_here", "staff_elsewhere", "site_admin"]
PERMISSIONS = {
    "organizations.view_association": {"member", "admin", "staff_here", "site_admin"},
    "organizations.view_association_contact": {"member", "admin", "staff_here", "site_admin"},
    "organizations.change_association": {"admin", "site_admin"},
    "organizations.manage_association_members": {"admin", "site_admin"},
    "organizations.verify_association": {"staff_here", "site_admin"},
}


@pytest.fixture
def pending_association(municipality):
    return AssociationFactory(municipality=municipality, status="pending")


@pytest.fixture
def users(pending_association, volunteer, staff_user, other_staff_user, site_admin):
    return {
        "anonymous": AnonymousUser(),
        "volunteer": volunteer,
        "member": MembershipFactory(association=pending_association).user,
        "admin": MembershipFactory(association=pending_association, role=Membership.Role.ADMIN).user,
        "staff_here": staff_user,
        "staff_elsewhere": other_staff_user,
        "site_admin": site_admin,
    }


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
@pytest.mark.parametrize("role", ROLES)
def test_pending_association_matrix(users, pending_association, permission, role):
    assert users[role].has_perm(permission, pending_association) is (role in PERMISSIONS[permission])


@pytest.mark.parametrize("role", ROLES)
def test_verified_association_is_public_but_contact_is_not(users, pending_association, role):
    pending_association.status = "verified"
    pending_association.save()
    assert users[role].has_perm("organizations.view_association", pending_association)
    allowed_contact = role in PERMISSIONS["organizations.view_association_contact"]
    assert users[role].has_perm("organizations.view_association_contact", pending_association) is allowed_contact


def test_last_admin_cannot_delete_account(client, municipality):
    association = AssociationFactory(municipality=municipality, name="Korpset")
    admin = MembershipFactory(association=association, role=Membership.Role.ADMIN).user
    client.force_login(admin)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert "Du er eneste administrator for «Korpset»" in page
    assert "Slett kontoen for godt" not in page
    client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert admin.__class__.objects.filter(pk=admin.pk).exists()

    MembershipFactory(association=association, role=Membership.Role.ADMIN)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert "Slett kontoen for godt" in page
    client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert not admin.__class__.objects.filter(pk=admin.pk).exists()


def test_personal_data_lists_memberships(client, municipality):
    membership = MembershipFactory(association=AssociationFactory(municipality=municipality, name="Sangkoret"))
    client.force_login(membership.user)
    data = client.get(reverse("accounts:personal_data")).json()
    assert data["organizations"]["memberships"][0]["association"] == "Sangkoret"
