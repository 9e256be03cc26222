import pytest
from django.core.cache import cache

from tests.accounts.factories import UserFactory
from tests.organizations.factories import MunicipalityFactory, MunicipalStaffFactory


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
