import importlib
import re

import pytest

from organizations.models import Association, Category, Membership
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations, describe
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _default_terms(transactional_db):
    # Transactional tests flush the database, and with it the term lists migration 0003 seeds.
    from django.apps import apps

    importlib.import_module("organizations.migrations.0003_default_terms").add_terms(apps, None)


def _log_in(page, user):
    page.goto("/konto/login/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label(re.compile(r"^\s*Passord\s*\*?\s*$")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logg inn").click()
    page.get_by_role("link", name="Min konto").wait_for()


def test_new_user_registers_fixes_the_number_and_finds_it_pending(page):
    MunicipalityFactory(number="4601", name="Bergen")
    user = UserFactory(full_name="Nina Ny")
    _log_in(page, user)

    page.goto("/foreninger/")
    page.get_by_role("link", name="Registrer et lag").click()
    page.get_by_label(re.compile(r"^\s*Navn")).fill("Skogly sjakklubb")
    page.get_by_label(re.compile(r"^\s*Organisasjonsnummer")).fill("988 077 918")
    page.get_by_label(re.compile(r"^\s*Kommune")).select_option(label="Bergen (4601)")
    page.get_by_label("Idrett", exact=True).check()
    page.get_by_role("button", name="Registrer laget").last.click()

    field = page.get_by_label(re.compile(r"^\s*Organisasjonsnummer"))
    error = page.get_by_text("Organisasjonsnummeret 988077918 er ikke gyldig").first
    error.wait_for()
    assert field.get_attribute("aria-invalid") == "true"
    assert not Association.objects.exists()

    field.fill("988 077 917")
    page.get_by_role("button", name="Registrer laget").last.click()
    page.get_by_role("heading", level=1, name="Skogly sjakklubb").wait_for()
    assert page.get_by_text("Venter på godkjenning").first.is_visible()
    association = Association.objects.get()
    assert association.status == "pending" and association.org_number == "988077917"

    page.goto("/foreninger/")
    listing = page.get_by_role("listitem").filter(has_text="Skogly sjakklubb")
    assert "Venter på godkjenning" in listing.inner_text()


def test_staff_verify_from_the_queue_with_the_keyboard(page):
    municipality = MunicipalityFactory(number="4601", name="Bergen")
    staff = MunicipalStaffFactory(municipality=municipality).user
    association = AssociationFactory(municipality=municipality, name="Ventelaget", status="pending")
    MembershipFactory(association=association, role=Membership.Role.ADMIN)
    _log_in(page, staff)
    page.goto("/kommune/4601/foreninger/til-godkjenning/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Godkjenn Ventelaget").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Ingen lag venter på godkjenning.").wait_for()
    association.refresh_from_db()
    assert association.status == "verified"


@pytest.fixture
def registry(transactional_db):
    municipality = MunicipalityFactory(number="4601", name="Bergen")
    association = AssociationFactory(
        municipality=municipality,
        name="Tilgjengelighetslaget",
        description="Et lag som tester tilgjengelighet.",
        categories=[Category.objects.get(slug="kunst-og-kultur")],
        website="https://lag.example.no",
        public_email="post@lag.example.no",
    )
    admin = MembershipFactory(association=association, role=Membership.Role.ADMIN).user
    for n in range(25):
        AssociationFactory(municipality=municipality, name=f"Lag {n:02d}")
    return {"association": association, "admin": admin}


@pytest.mark.parametrize(
    "path",
    ["/foreninger/", "/foreninger/?q=lag&kategori=kunst-og-kultur", "/foreninger/tilgjengelighetslaget/"],
)
def test_public_registry_pages_have_no_wcag_21_aa_violations(page, registry, path):
    if path.endswith("tilgjengelighetslaget/"):
        path = f"/foreninger/{registry['association'].slug}/"
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_registration_form_and_its_errors_have_no_violations(page, registry):
    _log_in(page, UserFactory())
    page.goto("/foreninger/registrer/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label(re.compile(r"^\s*Organisasjonsnummer")).fill("12345")
    page.get_by_role("button", name="Registrer laget").last.click()
    page.get_by_role("alert").first.wait_for()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_admin_pages_have_no_violations(page, registry):
    _log_in(page, registry["admin"])
    slug = registry["association"].slug
    for path in [f"/foreninger/{slug}/", f"/foreninger/{slug}/medlemmer/", f"/foreninger/{slug}/rediger/"]:
        page.goto(path)
        violations = axe_violations(page)
        assert violations == [], f"{path}: {describe(violations)}"
