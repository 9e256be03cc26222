"""Roles × actions on associations, walked through the pages themselves."""

import pytest
from django.urls import reverse

from organizations.models import Association, Category, Invitation
from tests.organizations.factories import AssociationFactory
from tests.permission_matrix import ALLOWED as ALLOWED_PAGE
from tests.permission_matrix import ROLES, expected, outcome

pytestmark = pytest.mark.django_db

MEMBERS = {"association_member", "association_admin"}
ALLOWED = {
    "view_pending": MEMBERS | {"staff_here", "site_admin"},
    "view_contact": MEMBERS | {"staff_here", "site_admin"},
    "edit": {"association_admin", "site_admin"},
    "invite": {"association_admin", "site_admin"},
    "verify": {"staff_here", "site_admin"},
    "export": {"staff_here", "site_admin"},
}


@pytest.fixture
def association(roles):
    """The association of `roles`, waiting for verification, with a contact address only some may see."""
    association = roles.association
    Association.objects.filter(pk=association.pk).update(
        name="Matrisekoret", status="pending", contact_email="hemmelig@example.org"
    )
    association.refresh_from_db()
    association.categories.set([Category.objects.get(slug="kunst-og-kultur")])
    return association


@pytest.mark.parametrize("role", ROLES)
def test_view_public_profile(as_role, association, role):
    url = reverse("organizations:association_detail", args=[association.slug])
    # A pending association does not exist for those who may not see it, signed in or not.
    hidden = expected(role, ALLOWED["view_pending"], refused=404, anonymous=404)
    assert outcome(as_role(role).get(url)) == hidden
    Association.objects.filter(pk=association.pk).update(status="verified")
    assert outcome(as_role(role).get(url)) == ALLOWED_PAGE


@pytest.mark.parametrize("role", ROLES)
def test_view_private_contact(as_role, association, role):
    Association.objects.filter(pk=association.pk).update(status="verified")
    page = as_role(role).get(reverse("organizations:association_detail", args=[association.slug])).content.decode()
    assert ("hemmelig@example.org" in page) is (role in ALLOWED["view_contact"])
    directory = as_role(role).get(reverse("organizations:directory")).content.decode()
    assert "hemmelig@example.org" not in directory


@pytest.mark.parametrize("role", ROLES)
def test_edit(as_role, association, role):
    client = as_role(role)
    url = reverse("organizations:association_edit", args=[association.slug])
    assert outcome(client.get(url)) == expected(role, ALLOWED["edit"])
    data = {
        "name": "Nytt navn",
        "municipality": association.municipality_id,
        "categories": [c.pk for c in association.categories.all()],
    }
    client.post(url, data)
    association.refresh_from_db()
    assert (association.name == "Nytt navn") is (role in ALLOWED["edit"])


@pytest.mark.parametrize("role", ROLES)
def test_invite(as_role, association, role):
    client = as_role(role)
    url = reverse("organizations:association_members", args=[association.slug])
    assert outcome(client.get(url)) == expected(role, ALLOWED["invite"])
    client.post(url, {"email": "invitert@example.org", "role": "member"})
    assert Invitation.objects.filter(email="invitert@example.org").exists() is (role in ALLOWED["invite"])


@pytest.mark.parametrize("role", ROLES)
def test_verify_and_queue(as_role, association, role):
    client = as_role(role)
    queue = reverse("organizations:verification_queue", args=[association.municipality.number])
    response = client.get(queue)
    assert outcome(response) == expected(role, ALLOWED["verify"])
    if response.status_code == 200:
        assert "Matrisekoret" in response.content.decode()
    client.post(reverse("organizations:association_verify", args=[association.slug]))
    association.refresh_from_db()
    assert (association.status == "verified") is (role in ALLOWED["verify"])


@pytest.mark.parametrize("role", ROLES)
def test_reject_needs_a_reason(as_role, association, role):
    client = as_role(role)
    url = reverse("organizations:association_reject", args=[association.slug])
    client.post(url, {"reason": ""})
    association.refresh_from_db()
    assert association.status == "pending"
    client.post(url, {"reason": "Finner ikke laget."})
    association.refresh_from_db()
    assert (association.status == "rejected") is (role in ALLOWED["verify"])
    if role in ALLOWED["verify"]:
        assert association.status_reason == "Finner ikke laget."


@pytest.mark.parametrize("role", ROLES)
def test_export(as_role, association, role):
    response = as_role(role).get(reverse("organizations:associations_export", args=[association.municipality.number]))
    assert outcome(response) == expected(role, ALLOWED["export"])
    if response.status_code == 200:
        assert "Matrisekoret" in response.content.decode("utf-8-sig")


def test_staff_never_see_another_municipalitys_queue(client, other_staff_user, association, other_municipality):
    AssociationFactory(municipality=other_municipality, name="Oslokoret", status="pending")
    client.force_login(other_staff_user)
    page = client.get(reverse("organizations:verification_queue", args=[other_municipality.number])).content.decode()
    assert "Oslokoret" in page and "Matrisekoret" not in page
