from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from tests.accounts.factories import UserFactory
from tests.organizations.factories import MunicipalityFactory, MunicipalStaffFactory
from tests.permission_matrix import ROLES


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits count in the cache; every test starts with a clean count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def municipality(db):
    return MunicipalityFactory(number="4601", name="Bergen")


@pytest.fixture
def other_municipality(db):
    return MunicipalityFactory(number="0301", name="Oslo")


@pytest.fixture
def volunteer(db):
    return UserFactory(full_name="Vera Frivillig")


@pytest.fixture
def staff_user(municipality):
    return MunicipalStaffFactory(municipality=municipality).user


@pytest.fixture
def other_staff_user(other_municipality):
    return MunicipalStaffFactory(municipality=other_municipality).user


@pytest.fixture
def site_admin(db):
    return UserFactory(is_staff=True, is_superuser=True, full_name="Ada Admin")


@pytest.fixture
def roles(municipality, volunteer, staff_user, other_staff_user, site_admin):
    """One person in each role of the permission matrices, around one verified association and one
    working group in the municipality. The site admin is a superuser with no other role."""
    from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
    from tests.organizations.factories import AssociationFactory, MembershipFactory

    association = AssociationFactory(municipality=municipality, name="Rollekoret", status="verified")
    group = WorkingGroupFactory(municipality=municipality, name="Rollegruppa")
    users = {
        "anonymous": AnonymousUser(),
        "stranger": volunteer,
        "association_member": MembershipFactory(association=association, role="member").user,
        "association_admin": MembershipFactory(association=association, role="admin").user,
        "group_member": GroupMembershipFactory(group=group, is_leader=True).user,
        "staff_here": staff_user,
        "staff_elsewhere": other_staff_user,
        "site_admin": site_admin,
    }
    assert list(users) == list(ROLES)
    return SimpleNamespace(users=users, municipality=municipality, association=association, group=group)
