"""The Django admin keeps the correspondence rules: it cannot do what the portal refuses."""

import pytest
from django.urls import reverse

from correspondence import services
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def _group_data(group, associations):
    memberships = list(group.memberships.all())
    data = {
        "name": group.name,
        "municipality": group.municipality_id,
        "meeting_date": group.meeting_date.isoformat(),
        "meeting_time": group.meeting_time.strftime("%H:%M"),
        "meeting_place": group.meeting_place,
        "theme": group.theme,
        "mandate": group.mandate,
        "categories": [c.pk for c in group.categories.all()],
        "associations": [a.pk for a in associations],
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for index, membership in enumerate(memberships):
        data[f"memberships-{index}-id"] = membership.pk
        data[f"memberships-{index}-group"] = group.pk
        data[f"memberships-{index}-user"] = membership.user_id
        data[f"memberships-{index}-is_leader"] = "on" if membership.is_leader else ""
    return data


def test_admin_cannot_attach_an_association_from_another_municipality(admin_client, group, other_municipality):
    local = AssociationFactory(municipality=group.municipality)
    foreign = AssociationFactory(municipality=other_municipality, name="Oslo-laget")
    url = reverse("admin:correspondence_workinggroup_change", args=[group.pk])

    response = admin_client.post(url, _group_data(group, [local, foreign]))

    assert response.status_code == 200
    assert "Lagene og foreningene må høre til kommunen arbeidsgruppen er i." in response.content.decode()
    assert not group.associations.exists()

    response = admin_client.post(url, _group_data(group, [local]))
    assert response.status_code == 302
    assert list(group.associations.all()) == [local]


def test_admin_cannot_add_signatures(admin_client, letter, group_leader):
    services.letter_open_for_signatures(letter=letter, user=group_leader)
    assert admin_client.get(reverse("admin:correspondence_signature_add")).status_code == 403
    changelist = admin_client.get(reverse("admin:correspondence_signature_changelist")).content.decode()
    assert reverse("admin:correspondence_signature_add") not in changelist
