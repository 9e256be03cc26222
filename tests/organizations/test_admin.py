"""The Django admin lists and searches associations, and every rule holds there too."""

import pytest
from django.core import mail
from django.urls import reverse

from organizations.models import Association, Category, Membership
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def test_list_and_search(admin_client, municipality):
    AssociationFactory(municipality=municipality, name="Søkbart kor", org_number="988077917")
    AssociationFactory(municipality=municipality, name="Annet lag")
    url = reverse("admin:organizations_association_changelist")
    page = admin_client.get(url, {"q": "988077917"}).content.decode()
    assert "Søkbart kor" in page and "Annet lag" not in page
    assert "Annet lag" in admin_client.get(url).content.decode()


def _change_data(association, memberships, **changes):
    data = {
        "name": association.name,
        "slug": association.slug,
        "org_number": association.org_number or "",
        "municipality": association.municipality_id,
        "categories": [c.pk for c in association.categories.all()],
        "contact_name": association.contact_name,
        "contact_email": association.contact_email,
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for index, membership in enumerate(memberships):
        data[f"memberships-{index}-id"] = membership.pk
        data[f"memberships-{index}-association"] = association.pk
        data[f"memberships-{index}-user"] = membership.user_id
        data[f"memberships-{index}-role"] = membership.role
    data.update(changes)
    return data


@pytest.fixture
def association(municipality):
    association = AssociationFactory(municipality=municipality, name="Adminlaget")
    association.categories.set([Category.objects.get(slug="idrett")])
    return association


def test_org_number_rule_holds_in_the_admin(admin_client, association):
    admin_membership = MembershipFactory(association=association, role=Membership.Role.ADMIN)
    url = reverse("admin:organizations_association_change", args=[association.pk])
    response = admin_client.post(url, _change_data(association, [admin_membership], org_number="988077918"))
    assert response.status_code == 200
    assert "Organisasjonsnummeret 988077918 er ikke gyldig" in response.content.decode()
    response = admin_client.post(url, _change_data(association, [admin_membership], org_number="988 077 917"))
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.org_number == "988077917"


def test_last_admin_rule_holds_in_the_admin_inline(admin_client, association):
    admin_membership = MembershipFactory(association=association, role=Membership.Role.ADMIN)
    member = MembershipFactory(association=association)
    url = reverse("admin:organizations_association_change", args=[association.pk])
    data = _change_data(association, [admin_membership, member], **{"memberships-0-DELETE": "on"})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "minst én administrator" in response.content.decode()
    assert Membership.objects.filter(pk=admin_membership.pk).exists()

    data = _change_data(association, [admin_membership, member], **{"memberships-0-role": "member"})
    assert admin_client.post(url, data).status_code == 200
    admin_membership.refresh_from_db()
    assert admin_membership.role == "admin"


def test_verify_action_uses_the_service(admin_client, association, django_capture_on_commit_callbacks):
    Association.objects.filter(pk=association.pk).update(status="pending")
    MembershipFactory(association=association, role=Membership.Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:organizations_association_changelist"),
            {"action": "verify_associations", "_selected_action": [association.pk]},
        )
    association.refresh_from_db()
    assert association.status == "verified" and association.status_changed_by is not None

    assert len(mail.outbox) == 1 and "Adminlaget" in mail.outbox[0].subject


def test_term_lists_are_editable(admin_client):
    url = reverse("admin:organizations_category_add")
    response = admin_client.post(
        url, {"slug": "friluftsliv", "name": "Friluftsliv", "name_en": "Outdoor life", "position": 99}
    )
    assert response.status_code == 302
    assert Category.objects.filter(slug="friluftsliv").exists()
