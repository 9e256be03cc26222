import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_verify_log_in_and_switch_language(page, live_server):
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Registrer deg").click()
    page.get_by_label("Fullt navn").fill("Nora Nettleser")
    page.get_by_label("E-post").fill("nora@example.org")
    page.get_by_label(re.compile(r"^\s*Passord\s*\*?\s*$")).fill("Sterkt-passord-2026")
    page.get_by_label("Passord (gjenta)").fill("Sterkt-passord-2026")
    page.get_by_role("main").get_by_role("button", name="Registrer deg").click()
    page.wait_for_url(re.compile(r"/konto/confirm-email/"))
    assert User.objects.filter(email="nora@example.org", full_name="Nora Nettleser").exists()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + "/konto/" + link.split("/konto/", 1)[1])
    page.get_by_role("button", name="Bekreft").click()

    page.goto("/konto/login/")
    page.get_by_label("E-post").fill("nora@example.org")
    page.get_by_label(re.compile(r"^\s*Passord\s*\*?\s*$")).fill("Sterkt-passord-2026")
    page.get_by_role("main").get_by_role("button", name="Logg inn").click()
    page.get_by_role("link", name="Min konto").wait_for()

    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="My account").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    # The pages switch; the emails stay in the language chosen for them.
    assert User.objects.get(email="nora@example.org").preferred_language == "nb"

    page.get_by_role("button", name="Norsk bokmål").click()
    page.get_by_role("link", name="Min konto").wait_for()
    assert page.locator("html").get_attribute("lang") == "nb"


def test_skip_link_is_the_first_stop_for_the_keyboard(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Hopp til hovedinnholdet"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "innhold"
