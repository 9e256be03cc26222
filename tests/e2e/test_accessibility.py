import pytest

from tests.e2e.conftest import axe_violations, describe
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory, MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/konto/signup/", "/konto/login/", "/konto/password/reset/"])
def test_page_has_no_wcag_21_aa_violations(page, path):
    page.goto(path)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_signup_errors_have_no_wcag_21_aa_violations(page):
    page.goto("/konto/signup/")
    page.get_by_role("main").get_by_role("button", name="Registrer deg").click()
    page.wait_for_load_state()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize("language", ["nb", "en"])
def test_home_in_both_languages_has_no_violations(page, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto("/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)


NYNORSK_PAGES = [
    "/",
    "/moter/",
    "/foreninger/",
    "/henvendelser/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]


@pytest.mark.parametrize("path", NYNORSK_PAGES)
def test_main_pages_in_nynorsk_have_no_violations(page, live_server, path):
    page.context.add_cookies([{"name": "django_language", "value": "nn", "url": live_server.url}])
    page.goto(path)
    assert page.locator("html").get_attribute("lang") == "nn"
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_nynorsk_municipalitys_meeting_and_association_read_in_nynorsk_without_violations(page):
    volda = MunicipalityFactory(number="1577", name="Volda", written_standard="nn")
    meeting = MeetingFactory(municipality=volda, title="Ope møte om lokale")
    association = AssociationFactory(municipality=volda, name="Volda songlag")
    for path in (
        meeting.get_absolute_url(),
        f"/foreninger/{association.slug}/",
        f"/moter/?municipality={volda.number}",
    ):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == "nn", path
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    page.get_by_role("link", name="Ope møte om lokale").first.click()
    page.get_by_role("link", name="Meld deg på").click()
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("heading", name="Logg inn").is_visible()
