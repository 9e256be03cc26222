"""One test for "staff of this municipality", behind every predicate that asks it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from organizations.rules import is_staff_for
from tests.accounts.factories import UserFactory
from tests.organizations.factories import MunicipalStaffFactory

pytestmark = pytest.mark.django_db


def test_is_staff_for(municipality, other_municipality, staff_user):
    assert is_staff_for(staff_user, municipality.pk) is True
    assert is_staff_for(staff_user, other_municipality.pk) is False
    assert is_staff_for(staff_user, None) is False
    assert is_staff_for(AnonymousUser(), municipality.pk) is False
    assert is_staff_for(UserFactory(), municipality.pk) is False
    MunicipalStaffFactory(user=staff_user, municipality=other_municipality)
    assert is_staff_for(staff_user, other_municipality.pk) is True
