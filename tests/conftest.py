import functools
import io
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import translation

from tests.accounts.factories import UserFactory
from tests.organizations.factories import MunicipalityFactory, MunicipalStaffFactory
from tests.permission_matrix import ROLES


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth's rate limits count in the cache; every test starts with a clean count.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _pages_built(request, settings):
    # Each test sees the page its view builds (and counts that page's queries); the whole-page
    # cache in front of the public pages is tested on its own (tests/portal/test_page_cache.py).
    settings.PUBLIC_PAGE_CACHE = request.node.get_closest_marker("page_cache") is not None


@pytest.fixture(autouse=True)
def _default_language():
    # A request leaves its language active in the thread (LocaleMiddleware activates one for each
    # request, nothing deactivates it), and so would a page read in Nynorsk for the next test's
    # messages made outside a request: every test starts in the default language.
    translation.deactivate()
    yield
    translation.deactivate()


@functools.cache
def _blank_a4_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595.28, height=841.89)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _cheap_pdf(request, monkeypatch):
    """Laying a letter out with WeasyPrint takes most of a second; tests that do not read the PDF
    get a one-page blank A4 PDF instead. The letter's PDF markup is still built and parsed, so a
    broken template fails everywhere. Tests that read the PDF are marked `real_pdf`."""
    if request.node.get_closest_marker("real_pdf"):
        return
    from weasyprint import HTML

    monkeypatch.setattr(HTML, "write_pdf", lambda self, *args, **kwargs: _blank_a4_pdf())


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


@pytest.fixture
def as_role(client, roles):
    """`as_role(role)`: the test client, signed in as that role's person of `roles` (signed out
    for "anonymous")."""

    def sign_in(role):
        client.logout()
        if role != "anonymous":
            client.force_login(roles.users[role])
        return client

    return sign_in
