"""Hostile input on the correspondence pages gets 400 or 404 or the form's error, never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from correspondence import forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    "path", ["/henvendelser/kommune/%00/", "/henvendelser/invitasjon/%00/", "/henvendelser/kommune/4601/?side=%00"]
)
def test_a_nul_in_the_path_or_query_string_is_refused(client, volunteer, municipality, path):
    assert client.get(path).status_code == 400
    client.force_login(volunteer)
    assert client.get(path).status_code == 400
    assert client.post(path).status_code == 400


@pytest.mark.parametrize("number", ["abcd", "%C2%B2%C2%B2%C2%B2%C2%B2", "46010"])
def test_published_letters_of_a_number_that_cannot_be_a_municipality_are_not_found(client, municipality, number):
    assert client.get(f"/henvendelser/kommune/{number}/").status_code == 404
    assert client.get(f"/henvendelser/kommune/{municipality.number}/").status_code == 200


def test_a_group_invitation_key_that_cannot_be_one_is_not_found(client, volunteer):
    client.force_login(volunteer)
    assert client.get("/henvendelser/invitasjon/%C2%B2/").status_code == 404
    assert client.get("/henvendelser/invitasjon/finnes-ikke/").status_code == 404


def _letter_post(letter, prefix: str, total: str) -> dict:
    data = {name: getattr(letter, name) or "" for name in letter.CONTENT_FIELDS if name != "language"}
    data["challenges"] = list(letter.challenges or [])
    for formset in ("punkt", "kopi"):
        data[f"{formset}-TOTAL_FORMS"] = "1"
        data[f"{formset}-INITIAL_FORMS"] = "0"
    data[f"{prefix}-TOTAL_FORMS"] = total
    return data


@pytest.mark.parametrize(
    ("prefix", "formset_name", "limit_name", "context_name"),
    [("punkt", "PointFormSet", "MAX_POINTS", "points"), ("kopi", "CopyFormSet", "MAX_COPIES", "copies")],
)
def test_the_letter_formsets_refuse_more_rows_than_the_page_offers(
    client, letter, group_leader, prefix, formset_name, limit_name, context_name
):
    formset, limit = getattr(forms, formset_name), getattr(forms, limit_name)
    assert formset.max_num == formset.absolute_max == limit
    assert formset.validate_max
    points_before = list(letter.points.values_list("text", flat=True))
    client.force_login(group_leader)
    url = reverse("correspondence:letter_edit", args=[letter.pk])
    response = client.post(url, _letter_post(letter, prefix, "100000"))
    assert response.status_code == 200
    assert len(response.context[context_name].forms) == limit
    assert f"Det er plass til høyst {limit} rader her." in response.content.decode()
    assert list(letter.points.values_list("text", flat=True)) == points_before


BEYOND_BIGINT = "9" * 25


def test_a_leader_id_beyond_bigint_is_not_found(client, group, group_leader):
    """Also on SQLite, whose driver cannot bind such a number (dialog_portal.sqlite)."""
    client.force_login(group_leader)
    response = client.post(reverse("correspondence:group_leader", args=[group.pk, BEYOND_BIGINT]))
    assert response.status_code == 404


def test_a_category_id_beyond_bigint_is_the_forms_error(client, volunteer, municipality):
    client.force_login(volunteer)
    response = client.post(
        reverse("correspondence:group_create"),
        {"name": "Gruppa", "municipality": str(municipality.pk), "categories": [BEYOND_BIGINT]},
    )
    assert response.status_code == 200
    assert "categories" in response.context["form"].errors
