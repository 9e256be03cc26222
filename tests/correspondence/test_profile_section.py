"""An association's profile lists the sent letters it co-signed."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from correspondence.models import Letter, Signature
from organizations.models import Membership
from tests.correspondence.factories import WorkingGroupFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(municipality):
    return AssociationFactory(municipality=municipality, name="Nabolagskoret", slug="nabolagskoret")


def _letters(association, count, *, start=0, **fields):
    group = WorkingGroupFactory(municipality=association.municipality)
    now = timezone.now()
    values = {"status": Letter.Status.SENT, "published": False, **fields}
    letters = Letter.objects.bulk_create(
        Letter(
            group=group,
            subject=f"Brev {n}",
            reference=f"DP-2026-{n:04d}" if values["status"] != Letter.Status.DRAFT else "",
            sent_at=now - datetime.timedelta(hours=n) if values["status"] != Letter.Status.DRAFT else None,
            sent_on=now.date(),
            **values,
        )
        for n in range(start, start + count)
    )
    Signature.objects.bulk_create(Signature(letter=letter, association=association) for letter in letters)
    return letters


def _page(client, association):
    return client.get(reverse("organizations:association_detail", args=[association.slug])).content.decode()


def test_the_public_sees_published_sent_letters_with_a_link(client, association):
    [published] = _letters(association, 1, start=1, published=True)
    Letter.objects.filter(pk=published.pk).update(subject="Om <b>lokaler</b>")
    [unpublished] = _letters(association, 1, start=2)
    [draft] = _letters(association, 1, start=3, status=Letter.Status.COLLECTING)
    Letter.objects.filter(pk=draft.pk).update(subject="Utkast som samler")

    page = _page(client, association)

    assert "Brev til kommunen laget har skrevet under på" in page
    assert "Om &lt;b&gt;lokaler&lt;/b&gt;" in page
    assert reverse("correspondence:letter_detail", args=[published.pk]) in page
    assert "Brev 2" not in page
    assert "Utkast som samler" not in page


@pytest.mark.parametrize("role", ["member", "staff"])
def test_members_and_staff_also_see_unpublished_sent_letters_without_a_link(client, association, staff_user, role):
    [unpublished] = _letters(association, 1, start=2)
    [_draft] = _letters(association, 1, start=3, status=Letter.Status.DRAFT)
    user = MembershipFactory(association=association).user if role == "member" else staff_user
    client.force_login(user)

    page = _page(client, association)

    assert "Brev 2" in page and "DP-2026-0002" in page
    assert reverse("correspondence:letter_detail", args=[unpublished.pk]) not in page
    assert "Brev 3" not in page


def test_staff_of_another_municipality_see_only_the_published(client, association, other_staff_user):
    _letters(association, 1, start=2)
    client.force_login(other_staff_user)
    assert "Brev 2" not in _page(client, association)


def test_profile_queries_do_not_grow_with_the_letters(client, association):
    admin = MembershipFactory(association=association, role=Membership.Role.ADMIN).user
    client.force_login(admin)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("organizations:association_detail", args=[association.slug])).status_code == 200
        return len(context)

    _letters(association, 10, published=True)
    at_10 = queries()
    _letters(association, 490, start=10)
    at_500 = queries()
    assert at_10 == at_500
    assert "Viser de 20 siste av 500 brev." in _page(client, association)
