"""Hostile input on the registry's pages gets 400 or 404 or the form's error, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from organizations.forms import MAX_PARTY_LEADERS, PartyLeaderFormSet
from organizations.models import PartyLeader
from organizations.selectors import DIRECTORY_PAGE_SIZE
from tests.organizations.factories import AssociationFactory, PartyLeaderFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organizations:directory")
BEYOND_BIGINT = "9" * 25


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("query", ["q=%00", "q=kor%00", "kommune=%00", "kategori=%00", "side=%00", "%00=1"])
def test_a_nul_in_the_directorys_query_string_is_a_bad_request(client, query):
    assert client.get(f"{DIRECTORY}?{query}").status_code == 400


def test_a_nul_in_a_cookie_is_a_bad_request(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    assert client.get(DIRECTORY).status_code == 400


@pytest.mark.parametrize("side", [BEYOND_BIGINT, str(2**62)])
@pytest.mark.parametrize("query", [{"q": "kor"}, {}], ids=["search", "list"])
def test_a_page_number_beyond_bigint_shows_the_last_page(client, municipality, query, side):
    for n in range(DIRECTORY_PAGE_SIZE + 3):
        AssociationFactory(municipality=municipality, name=f"Kor nummer {n:02d}")
    response = client.get(DIRECTORY, {**query, "side": side})
    assert response.status_code == 200
    page = response.context["page"]
    assert page.number == 2
    assert [a.name for a in page.object_list] == [f"Kor nummer {n:02d}" for n in range(20, 23)]


@pytest.mark.parametrize(
    "path",
    [
        "/kommune/%00/rediger/",
        "/kommune/%00/foreninger/til-godkjenning/",
        "/kommune/%00/foreninger/eksport.csv",
        "/foreninger/invitasjon/%00/",
    ],
)
def test_a_nul_in_a_path_part_is_refused(client, staff_user, volunteer, path):
    for user in (None, volunteer, staff_user):
        if user:
            client.force_login(user)
        assert client.get(path).status_code == 400, (user, path)
        assert client.post(path, {"name": "x"}).status_code == 400, (user, path)


@pytest.mark.parametrize("number", ["abcd", "46011", "460", "4601x", "%C2%B2%C2%B2%C2%B2%C2%B2", BEYOND_BIGINT])
def test_a_municipality_number_that_cannot_be_one_is_not_found(client, staff_user, municipality, number):
    client.force_login(staff_user)
    assert client.get(f"/kommune/{number}/rediger/").status_code == 404
    assert client.get(f"/kommune/{municipality.number}/rediger/").status_code == 200


@pytest.mark.parametrize("token", ["a" * 65, "%C2%B2", "..", "a%20b", "%3Cscript%3E"])
def test_an_invitation_key_that_cannot_be_one_is_not_found(client, volunteer, token):
    client.force_login(volunteer)
    assert client.get(f"/foreninger/invitasjon/{token}/").status_code == 404


def _leaders_post(municipality, total: str) -> dict:
    return {
        "political_leader_title": municipality.political_leader_title,
        "political_leader_name": municipality.political_leader_name,
        "administrative_leader_title": municipality.administrative_leader_title,
        "administrative_leader_name": municipality.administrative_leader_name,
        "official_email": municipality.official_email,
        "postal_address": "Postboks 1\n5020 Bergen",
        "written_standard": municipality.written_standard,
        "after_work_start": "17:00",
        "partiledere-TOTAL_FORMS": total,
        "partiledere-INITIAL_FORMS": "0",
        "folkevalgte-TOTAL_FORMS": "0",
        "folkevalgte-INITIAL_FORMS": "0",
        "partiledere-0-party": "Nytt parti",
        "partiledere-0-name": "Nina Ny",
    }


def test_the_party_leader_formset_refuses_more_rows_than_the_page_offers(client, staff_user, municipality):
    assert PartyLeaderFormSet.max_num == PartyLeaderFormSet.absolute_max == MAX_PARTY_LEADERS
    assert PartyLeaderFormSet.validate_max
    PartyLeaderFactory(municipality=municipality, party="Høyre")
    client.force_login(staff_user)
    url = reverse("organizations:municipality_edit", args=[municipality.number])
    response = client.post(url, _leaders_post(municipality, "100000"))
    assert response.status_code == 200
    leaders = response.context["leaders"]
    assert len(leaders.forms) == MAX_PARTY_LEADERS
    assert f"Det er plass til høyst {MAX_PARTY_LEADERS} rader her." in response.content.decode()
    assert list(PartyLeader.objects.values_list("party", flat=True)) == ["Høyre"]
    assert client.post(url, _leaders_post(municipality, "1")).status_code == 302
    assert PartyLeader.objects.filter(party="Nytt parti").exists()
