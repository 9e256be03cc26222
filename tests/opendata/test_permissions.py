"""Roles × actions: every rule of opendata/rules.py."""

import pytest

from opendata.models import ApiToken
from tests.permission_matrix import NOBODY, allowed_roles

pytestmark = pytest.mark.django_db

STAFF_ANYWHERE = {"staff_here", "staff_elsewhere"}


def _token_of_staff_here(roles):
    return ApiToken.objects.create(user=roles.users["staff_here"], name="Nøkkel", prefix="abc", key_hash="0" * 64)


OBJECTS = {
    "municipality": lambda roles: roles.municipality,
    "token of staff_here": _token_of_staff_here,
}

RULE_MATRIX = [
    # (rule, object, roles the rule allows)
    ("opendata.create_api_token", None, STAFF_ANYWHERE),
    ("opendata.revoke_api_token", "token of staff_here", {"staff_here"}),
    # Site admins read private data on the staff pages, not through a key of their own.
    ("opendata.read_private_associations", "municipality", {"staff_here"}),
]


@pytest.mark.parametrize(
    ("perm", "target", "allowed"), RULE_MATRIX, ids=[f"{perm}-{target or 'none'}" for perm, target, _ in RULE_MATRIX]
)
def test_rule_matrix(roles, perm, target, allowed):
    obj = OBJECTS[target](roles) if target else None
    assert allowed_roles(roles, perm, obj) == set(allowed)


def test_nobody_revokes_a_missing_token(roles):
    assert allowed_roles(roles, "opendata.revoke_api_token", None) == set(NOBODY)
