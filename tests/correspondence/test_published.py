"""The public page of published letters is reachable, and every letter list stays O(1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from correspondence.models import Letter, Response
from tests.organizations.factories import MunicipalStaffFactory

pytestmark = pytest.mark.django_db


def _letters(group, count, *, start=0, **fields):
    now = timezone.now()
    values = {"status": Letter.Status.SENT, "published": True, **fields}
    sent = values["status"] in Letter.FROZEN_STATUSES
    return Letter.objects.bulk_create(
        Letter(
            group=group,
            subject=f"Brev {n}",
            reference=f"DP-2026-{n:04d}" if sent else "",
            sent_at=now - datetime.timedelta(hours=n) if sent else None,
            sent_on=now.date() if sent else None,
            **values,
        )
        for n in range(start, start + count)
    )


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(context), response.content.decode()


def test_groups_page_links_the_municipalitys_published_letters(client, group):
    _letters(group, 1)
    published_url = reverse("correspondence:published", args=[group.municipality.number])
    _count, page = _get(client, reverse("correspondence:groups"))
    assert f'href="{published_url}"' in page


def test_staff_home_links_the_published_letters(client, municipality):
    staff = MunicipalStaffFactory(municipality=municipality).user
    client.force_login(staff)
    _count, page = _get(client, reverse("organizations:staff_home"))
    assert reverse("correspondence:published", args=[municipality.number]) in page


def test_published_page_is_paginated_and_constant_in_queries(client, group):
    url = reverse("correspondence:published", args=[group.municipality.number])
    letters = _letters(group, 10)
    Response.objects.bulk_create(
        Response(letter=letter, received_on=letter.sent_on, kind="answer", summary="Svar") for letter in letters
    )
    at_10, _page = _get(client, url)
    _letters(group, 490, start=10)
    at_500, page = _get(client, url)
    assert at_10 == at_500
    assert "Brev 0<" in page and "Brev 49<" in page and "Brev 50<" not in page
    assert "?side=2" in page
    assert "Brev 499<" in _get(client, url, {"side": 10})[1]


def test_group_page_shows_the_latest_letters_and_links_to_all(client, group, group_leader):
    _letters(group, 12, status=Letter.Status.DRAFT, published=False)
    client.force_login(group_leader)
    _count, page = _get(client, reverse("correspondence:group_detail", args=[group.pk]))
    assert page.count("/henvendelser/brev/") == 10
    assert reverse("correspondence:group_letters", args=[group.pk]) in page
    assert "Vis alle 12 brev" in page

    _count, page = _get(client, reverse("correspondence:group_letters", args=[group.pk]))
    assert page.count("/henvendelser/brev/") == 12


def test_all_letters_page_is_constant_in_queries(client, group, group_leader):
    client.force_login(group_leader)
    url = reverse("correspondence:group_letters", args=[group.pk])
    _letters(group, 10, status=Letter.Status.DRAFT, published=False)
    at_10, _page = _get(client, url)
    _letters(group, 490, start=10, status=Letter.Status.DRAFT, published=False)
    at_500, page = _get(client, url)
    assert at_10 == at_500
    assert "?side=2" in page


def test_all_letters_page_shows_staff_only_sent_letters(client, group, staff_user, volunteer):
    _letters(group, 1, start=1)
    _letters(group, 1, start=2, status=Letter.Status.DRAFT, published=False)
    url = reverse("correspondence:group_letters", args=[group.pk])
    client.force_login(staff_user)
    _count, page = _get(client, url)
    assert "Brev 1<" in page and "Brev 2<" not in page
    client.force_login(volunteer)
    assert client.get(url).status_code == 403
