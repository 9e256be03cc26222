import pytest

from tests.e2e.conftest import axe_violations, describe

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
