"""Roles × actions for the municipality's staff pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "volunteer", "staff_here", "staff_elsewhere", "site_admin"]

EXPECTED = {
    # action: roles that may do it
    "view_staff_pages": {"staff_here", "staff_elsewhere", "site_admin"},
    "edit_municipality": {"staff_here", "site_admin"},
}


@pytest.fixture
def as_role(client, volunteer, staff_user, other_staff_user, site_admin):
    users = {
        "anonymous": None,
        "volunteer": volunteer,
        "staff_here": staff_user,
        "staff_elsewhere": other_staff_user,
        "site_admin": site_admin,
    }

    def login(role):
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return login


def _allowed(response):
    assert response.status_code in (200, 302, 403), response.status_code
    if response.status_code == 302:
        return "/konto/login/" not in response.url
    return response.status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_view_staff_pages(as_role, role):
    response = as_role(role).get(reverse("organizations:staff_home"))
    assert _allowed(response) is (role in EXPECTED["view_staff_pages"])


@pytest.mark.parametrize("role", ROLES)
def test_edit_municipality_get(as_role, role, municipality):
    response = as_role(role).get(reverse("organizations:municipality_edit", args=[municipality.number]))
    assert _allowed(response) is (role in EXPECTED["edit_municipality"])


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
        "partiledere-0-party": "Venstre",
        "partiledere-0-name": "Vera Venstre",
        "partiledere-0-email": "vera@example.org",
    }
    response = as_role(role).post(reverse("organizations:municipality_edit", args=[municipality.number]), data)
    municipality.refresh_from_db()
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
