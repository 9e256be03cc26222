"""Roles × actions on an association (the registry's permission matrix)."""

import pytest
from django.urls import reverse

from organizations.models import Association, Membership
from tests.organizations.factories import AssociationFactory, MembershipFactory
from tests.permission_matrix import EVERYONE, allowed_roles

pytestmark = pytest.mark.django_db

MEMBERS = {"association_member", "association_admin"}
PERMISSIONS = {
    "organizations.view_association": MEMBERS | {"staff_here", "site_admin"},
    "organizations.view_association_contact": MEMBERS | {"staff_here", "site_admin"},
    "organizations.change_association": {"association_admin", "site_admin"},
    "organizations.manage_association_members": {"association_admin", "site_admin"},
    "organizations.verify_association": {"staff_here", "site_admin"},
}


@pytest.fixture
def pending_association(roles):
    Association.objects.filter(pk=roles.association.pk).update(status=Association.Status.PENDING)
    roles.association.refresh_from_db()
    return roles.association


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_pending_association_matrix(roles, pending_association, permission):
    assert allowed_roles(roles, permission, pending_association) == PERMISSIONS[permission]


def test_verified_association_is_public_but_contact_is_not(roles, pending_association):
    pending_association.status = "verified"
    pending_association.save()
    assert allowed_roles(roles, "organizations.view_association", pending_association) == EVERYONE
    contact = allowed_roles(roles, "organizations.view_association_contact", pending_association)
    assert contact == PERMISSIONS["organizations.view_association_contact"]


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
