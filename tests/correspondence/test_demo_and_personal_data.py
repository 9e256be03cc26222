import pytest

from accounts.personal_data import deletion_blockers
from accounts.services import user_personal_data
from correspondence import demo, services
from correspondence.models import Letter, WorkingGroup
from organizations import demo as organizations_demo
from tests.correspondence.factories import GroupMembershipFactory

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent():
    context = organizations_demo.load()
    first = demo.load(context)
    second = demo.load(context)
    assert first["working_group"] == second["working_group"]
    assert WorkingGroup.objects.count() == 1
    assert Letter.objects.count() == 1
    assert first["letter"].points.count() == 4
    assert first["letter"].group.associations.exists()


def test_personal_data_lists_group_memberships_and_signatures(letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=association, user=admin)
    leader_data = user_personal_data(user=group_leader)["correspondence"]
    assert leader_data["working_groups"][0]["group"] == letter.group.name
    assert leader_data["working_groups"][0]["leader"] is True
    admin_data = user_personal_data(user=admin)["correspondence"]
    assert admin_data["signatures"][0]["association"] == "Nabolagskoret"


def test_a_leader_hands_over_before_deleting_the_account(group, group_leader, volunteer):
    assert deletion_blockers(group_leader) == []
    GroupMembershipFactory(group=group, user=volunteer)
    assert any(group.name in reason for reason in deletion_blockers(group_leader))
    services.group_leader_set(group=group, user=group_leader, leader=volunteer)
    assert deletion_blockers(group_leader) == []
