"""Roles × actions: every rule of organizations/rules.py, and the municipality's staff pages."""

import pytest
from django.urls import reverse

from organizations.models import Association
from tests.organizations.factories import AssociationFactory
from tests.permission_matrix import EVERYONE, NOBODY, ROLES, SIGNED_IN, allowed_roles, expected, outcome

pytestmark = pytest.mark.django_db

MEMBERS = {"association_member", "association_admin"}
STAFF = {"staff_here", "site_admin"}


def _pending(roles):
    Association.objects.filter(pk=roles.association.pk).update(status=Association.Status.PENDING)
    roles.association.refresh_from_db()
    return roles.association


def _unclaimed(roles):
    return AssociationFactory(municipality=roles.municipality, name="Importert idrettslag", status="verified")


OBJECTS = {
    "municipality": lambda roles: roles.municipality,
    "association": lambda roles: roles.association,
    "pending association": _pending,
    "association nobody runs": _unclaimed,
}

RULE_MATRIX = [
    # (rule, object, roles the rule allows)
    ("organizations.view_staff_pages", None, {"staff_here", "staff_elsewhere", "site_admin"}),
    ("organizations.oversee_all_municipalities", None, {"site_admin"}),
    ("organizations.change_municipality_contact", "municipality", STAFF),
    ("organizations.manage_municipality_associations", "municipality", STAFF),
    ("organizations.export_associations", "municipality", STAFF),
    ("organizations.register_association", None, SIGNED_IN),
    ("organizations.view_association", "association", EVERYONE),
    ("organizations.view_association", "pending association", MEMBERS | STAFF),
    ("organizations.view_association_contact", "association", MEMBERS | STAFF),
    ("organizations.change_association", "association", {"association_admin", "site_admin"}),
    ("organizations.manage_association_members", "association", {"association_admin", "site_admin"}),
    ("organizations.verify_association", "pending association", STAFF),
    ("organizations.hide_association", "association", STAFF),
    ("organizations.act_for_association", "association", MEMBERS),
    ("organizations.leave_association", "association", MEMBERS),
    ("organizations.request_membership", "association", {"stranger", "group_member", "staff_elsewhere"}),
    ("organizations.claim_association", "association", NOBODY),
    ("organizations.claim_association", "association nobody runs", SIGNED_IN - {"site_admin"}),
]


@pytest.mark.parametrize(
    ("perm", "target", "allowed"), RULE_MATRIX, ids=[f"{perm}-{target or 'none'}" for perm, target, _ in RULE_MATRIX]
)
def test_rule_matrix(roles, perm, target, allowed):
    obj = OBJECTS[target](roles) if target else None
    assert allowed_roles(roles, perm, obj) == set(allowed)


def test_site_admin_gets_no_member_buttons_on_an_association(client, roles):
    client.force_login(roles.users["site_admin"])
    for association in (roles.association, _unclaimed(roles)):
        page = client.get(reverse("organizations:association_detail", args=[association.slug])).content.decode()
        assert "Rediger profilen" in page
        assert "Gå ut av laget" not in page
        assert "Ta over laget" not in page
        assert "Be om å få bli med" not in page


def test_site_admin_cannot_leave_claim_or_ask_to_join(client, roles):
    unclaimed = _unclaimed(roles)
    client.force_login(roles.users["site_admin"])
    assert client.post(reverse("organizations:membership_leave", args=[roles.association.slug])).status_code == 403
    assert client.post(reverse("organizations:membership_request", args=[roles.association.slug])).status_code == 403
    assert client.post(reverse("organizations:association_claim", args=[unclaimed.slug])).status_code == 403
    assert not unclaimed.memberships.exists()
    assert not roles.association.membership_requests.exists()


def test_members_see_leave_and_strangers_see_request(client, roles):
    url = reverse("organizations:association_detail", args=[roles.association.slug])
    client.force_login(roles.users["association_member"])
    page = client.get(url).content.decode()
    assert "Gå ut av laget" in page and "Be om å få bli med" not in page
    client.force_login(roles.users["stranger"])
    page = client.get(url).content.decode()
    assert "Be om å få bli med" in page and "Gå ut av laget" not in page


def test_staff_of_the_municipality_are_not_offered_to_join_and_cannot(client, roles):
    url = reverse("organizations:association_detail", args=[roles.association.slug])
    client.force_login(roles.users["staff_here"])
    page = client.get(url).content.decode()
    assert "Skjul laget" in page  # the municipality's own tools instead
    assert "Be om å få bli med" not in page
    response = client.post(reverse("organizations:membership_request", args=[roles.association.slug]))
    assert response.status_code == 403
    assert not roles.association.membership_requests.exists()
    # Staff of another municipality may be members of associations here, in their own time.
    client.force_login(roles.users["staff_elsewhere"])
    assert "Be om å få bli med" in client.get(url).content.decode()


def test_staff_menu_follows_the_rule(client, roles):
    for role, shown in [("stranger", False), ("staff_here", True), ("site_admin", True), ("association_admin", False)]:
        client.force_login(roles.users[role])
        assert ("For kommunen" in client.get(reverse("home")).content.decode()) is shown, role


EXPECTED = {
    # action: roles that may do it
    "view_staff_pages": {"staff_here", "staff_elsewhere", "site_admin"},
    "edit_municipality": {"staff_here", "site_admin"},
}


@pytest.mark.parametrize("role", ROLES)
def test_view_staff_pages(as_role, role):
    response = as_role(role).get(reverse("organizations:staff_home"))
    assert outcome(response) == expected(role, EXPECTED["view_staff_pages"])


@pytest.mark.parametrize("role", ROLES)
def test_view_staff_resources(as_role, role):
    # The knowledge page for staff asks the same rule as the staff home.
    response = as_role(role).get(reverse("organizations:staff_resources"))
    assert outcome(response) == expected(role, EXPECTED["view_staff_pages"])


@pytest.mark.parametrize("role", ROLES)
def test_edit_municipality_get(as_role, role, municipality):
    response = as_role(role).get(reverse("organizations:municipality_edit", args=[municipality.number]))
    assert outcome(response) == expected(role, EXPECTED["edit_municipality"])


@pytest.mark.parametrize("role", ROLES)
def test_edit_municipality_post(as_role, role, municipality):
    data = {
        "political_leader_title": "Ordfører",
        "political_leader_name": "Endret Navn",
        "administrative_leader_title": "Kommunedirektør",
        "administrative_leader_name": "",
        "official_email": "postmottak@example.org",
        "postal_address": "",
        "written_standard": "nb",
        "after_work_start": "17:30",
        "partiledere-TOTAL_FORMS": "1",
        "partiledere-INITIAL_FORMS": "0",
        "folkevalgte-TOTAL_FORMS": "0",
        "folkevalgte-INITIAL_FORMS": "0",
        "partiledere-0-party": "Venstre",
        "partiledere-0-name": "Vera Venstre",
        "partiledere-0-email": "vera@example.org",
    }
    response = as_role(role).post(reverse("organizations:municipality_edit", args=[municipality.number]), data)
    municipality.refresh_from_db()
    # Saved, the form shows itself again with what was saved.
    edit_url = reverse("organizations:municipality_edit", args=[municipality.number])
    assert outcome(response, redirect=edit_url) == expected(role, EXPECTED["edit_municipality"])
    if role in EXPECTED["edit_municipality"]:
        assert response.status_code == 302
        assert municipality.political_leader_name == "Endret Navn"
        assert municipality.after_work_start.strftime("%H:%M") == "17:30"
        assert list(municipality.party_leaders.values_list("party", "name")) == [("Venstre", "Vera Venstre")]
    else:
        assert municipality.political_leader_name == "Kari Nordmann"
        assert not municipality.party_leaders.exists()


def test_staff_home_lists_only_own_municipality(client, staff_user, municipality, other_municipality):
    client.force_login(staff_user)
    content = client.get(reverse("organizations:staff_home")).content.decode()
    assert municipality.name in content
    assert other_municipality.name not in content


def test_bad_input_changes_nothing(client, staff_user, municipality):
    client.force_login(staff_user)
    response = client.post(
        reverse("organizations:municipality_edit", args=[municipality.number]),
        {
            "political_leader_title": "Ordfører",
            "political_leader_name": "Skal ikke lagres",
            "administrative_leader_title": "Kommunedirektør",
            "official_email": "ikke-en-adresse",
            "written_standard": "nb",
            "after_work_start": "17:00",
            "partiledere-TOTAL_FORMS": "0",
            "partiledere-INITIAL_FORMS": "0",
            "folkevalgte-TOTAL_FORMS": "0",
            "folkevalgte-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "gyldig e-postadresse" in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.political_leader_name == "Kari Nordmann"


def test_user_text_is_escaped(client, staff_user, municipality):
    municipality.political_leader_name = "<script>alert(1)</script>"
    municipality.save()
    client.force_login(staff_user)
    content = client.get(reverse("organizations:municipality_edit", args=[municipality.number])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
