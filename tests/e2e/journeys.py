"""What the journey tests share: reading emails as the recipient does and typing as people type."""

import re

from django.core import mail

from tests.accounts.factories import PASSWORD
from tests.e2e.conftest import axe_violations, describe

PASSWORD_LABEL = re.compile(r"^\s*Passord\s*\*?\s*$")
URL = re.compile(r"https?://[^\s<>\"»]+")


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"


def type_lines(field, lines):
    """Type the lines into a textarea as a person does, pressing Enter between them: the
    browser then posts the line breaks as \\r\\n."""
    field.click()
    field.press("Control+A")
    field.press("Delete")
    for number, line in enumerate(lines):
        if number:
            field.press("Enter")
        field.press_sequentially(line)


def emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def email_to(address, subject):
    """The one email the address got with this in its subject."""
    found = [message for message in emails_to(address) if subject in message.subject]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


def link_in(message, path_part):
    """The link in the email's text that the recipient would follow."""
    links = [url.rstrip(".,)") for url in URL.findall(message.body) if path_part in url]
    assert links, message.body
    return links[0]


def log_in(page, email, password=PASSWORD):
    page.get_by_label("E-post").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("main").get_by_role("button", name="Logg inn").click()
    page.get_by_role("link", name="Min konto").wait_for()


def log_in_from_home(page, email, password=PASSWORD):
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Logg inn").click()
    log_in(page, email, password)
