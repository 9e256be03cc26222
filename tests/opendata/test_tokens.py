"""Staff API keys: made and revoked on the account page, stored hashed, shown once, scoped to the
staff member's municipalities, and giving the contact person and pending associations there."""

import hashlib

import pytest
from django.urls import reverse

from accounts.services import user_delete, user_personal_data
from opendata.models import ApiToken
from opendata.tokens import api_token_create
from organizations.models import MunicipalStaff
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def _bearer(key):
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def associations(municipality, other_municipality):
    return {
        "here": AssociationFactory(municipality=municipality, name="Bergen Kor", contact_name="Berit Bergenkontakt"),
        "pending here": AssociationFactory(
            municipality=municipality, name="Bergen Venter", status="pending", contact_email="venter@example.org"
        ),
        "there": AssociationFactory(municipality=other_municipality, name="Oslo Kor", contact_name="Ola Kontakt"),
        "pending there": AssociationFactory(
            municipality=other_municipality, name="Oslo Venter", status="pending", contact_email="oslo@example.org"
        ),
    }


def test_staff_make_a_key_on_the_account_page_shown_once_and_stored_hashed(client, staff_user, municipality):
    client.force_login(staff_user)
    assert "Lag en ny API-nøkkel" in client.get(reverse("accounts:profile")).content.decode()
    response = client.post("/konto/api-nokler/ny/", {"name": "Kommunens nettside"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    key = response.context["key"]
    assert key in response.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in (token.key_hash, token.prefix) and key.startswith(token.prefix)
    assert list(token.municipalities.all()) == [municipality]


def test_account_page_lists_keys_without_the_key(client, staff_user):
    token, key = api_token_create(user=staff_user, name="Avisa")
    client.force_login(staff_user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Avisa" in page
    assert f"{token.prefix}…" in page
    assert key not in page
    assert "Aldri" in page


def test_volunteers_see_no_key_section_and_cannot_make_one(client, volunteer):
    client.force_login(volunteer)
    assert "API-nøkler" not in client.get(reverse("accounts:profile")).content.decode()
    response = client.post("/konto/api-nokler/ny/", {"name": "Forsøk"})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [("  ", "Gi nøkkelen et navn"), ("x" * 101, "kan ha høyst 100 tegn"), ("nul\x00", "Null-tegn er ikke tillatt")],
)
def test_a_key_without_a_good_name_makes_nothing(client, staff_user, name, message):
    client.force_login(staff_user)
    response = client.post("/konto/api-nokler/ny/", {"name": name}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_key_reads_contact_persons_and_pending_associations_of_its_municipality_only(
    client, staff_user, associations
):
    _token, key = api_token_create(user=staff_user, name="Nettsiden")
    body = client.get("/api/v1/associations", headers=_bearer(key)).json()
    rows = {row["name"]: row for row in body["data"]}
    assert set(rows) == {"Bergen Kor", "Bergen Venter", "Oslo Kor"}
    assert rows["Bergen Kor"]["private"]["contact_name"] == "Berit Bergenkontakt"
    assert rows["Bergen Venter"]["private"] == {
        "status": "pending",
        "contact_name": associations["pending here"].contact_name,
        "contact_email": "venter@example.org",
        "contact_phone": associations["pending here"].contact_phone,
    }
    # Another municipality's association is there as for anyone, without its contact person.
    assert rows["Oslo Kor"]["private"] is None
    assert "Ola Kontakt" not in str(body) and "oslo@example.org" not in str(body)
    assert (
        client.get(f"/api/v1/associations/{associations['pending there'].slug}", headers=_bearer(key)).status_code
        == 404
    )
    detail = client.get(f"/api/v1/associations/{associations['pending here'].slug}", headers=_bearer(key)).json()
    assert detail["data"]["private"]["status"] == "pending"
    there = client.get(f"/api/v1/associations/{associations['there'].slug}", headers=_bearer(key)).json()
    assert there["data"]["private"] is None


def test_other_municipalitys_key_never_reads_ours(client, other_staff_user, associations):
    _token, key = api_token_create(user=other_staff_user, name="Oslo")
    body = client.get("/api/v1/associations", headers=_bearer(key)).json()
    rows = {row["name"]: row for row in body["data"]}
    assert set(rows) == {"Bergen Kor", "Oslo Kor", "Oslo Venter"}
    assert rows["Bergen Kor"]["private"] is None
    assert rows["Oslo Kor"]["private"]["contact_name"] == "Ola Kontakt"
    assert "Berit Bergenkontakt" not in str(body) and "venter@example.org" not in str(body)
    assert (
        client.get(f"/api/v1/associations/{associations['pending here'].slug}", headers=_bearer(key)).status_code == 404
    )


def test_answers_to_a_key_are_private_and_anonymous_answers_stay_public(client, staff_user, associations):
    _token, key = api_token_create(user=staff_user, name="Nettsiden")
    with_key = client.get("/api/v1/associations", headers=_bearer(key))
    assert with_key["Cache-Control"] == "private, no-store"
    assert "Authorization" in with_key["Vary"]
    anonymous = client.get("/api/v1/associations")
    assert "private" not in anonymous["Cache-Control"]
    assert "Berit Bergenkontakt" not in anonymous.content.decode()
    # The anonymous client's ETag is not the keyed answer's: a 304 never hands one to the other.
    assert anonymous["ETag"] != with_key["ETag"]
    assert client.get("/api/v1/associations", headers={"If-None-Match": with_key["ETag"]}).status_code == 200


def test_use_is_recorded(client, staff_user, associations):
    token, key = api_token_create(user=staff_user, name="Nettsiden")
    assert token.last_used_at is None
    client.get("/api/v1/associations", headers=_bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer feil-nokkel", "Bearer ", "Basic abc"])
def test_a_wrong_key_is_401_problem(client, header):
    response = client.get("/api/v1/associations", headers={"Authorization": header})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Ukjent eller tilbaketrukket API-nøkkel."


def test_a_revoked_key_is_401(client, staff_user, associations):
    token, key = api_token_create(user=staff_user, name="Nettsiden")
    client.force_login(staff_user)
    response = client.post(f"/konto/api-nokler/{token.pk}/trekk-tilbake/", follow=True)
    assert "trukket tilbake" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()
    response = client.get("/api/v1/associations", headers=_bearer(key))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_nobody_revokes_another_persons_key(client, staff_user, other_staff_user):
    token, _key = api_token_create(user=staff_user, name="Nettsiden")
    client.force_login(other_staff_user)
    assert client.post(f"/konto/api-nokler/{token.pk}/trekk-tilbake/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_losing_the_staff_role_loses_the_keys_reach(client, staff_user, associations):
    _token, key = api_token_create(user=staff_user, name="Nettsiden")
    MunicipalStaff.objects.filter(user=staff_user).delete()
    body = client.get("/api/v1/associations", headers=_bearer(key)).json()
    assert {row["name"] for row in body["data"]} == {"Bergen Kor", "Oslo Kor"}
    assert all(row["private"] is None for row in body["data"])


def test_personal_data_lists_keys_without_the_hash_and_deletion_deletes_them(staff_user):
    token, key = api_token_create(user=staff_user, name="Nettsiden")
    data = user_personal_data(user=staff_user)
    assert data["opendata"]["api_tokens"][0]["prefix"] == token.prefix
    assert data["opendata"]["api_tokens"][0]["name"] == "Nettsiden"
    assert token.key_hash not in str(data) and key not in str(data)
    user_delete(user=staff_user)
    assert not ApiToken.objects.exists()
