"""Browser tests: Playwright drives Debian's Chromium against Django's live server."""

import json
import os
from pathlib import Path

import pytest

from tests.services import CHROMIUM_ARGS, require_chromium

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
# (reading the outbox, checking rows) are plain synchronous calls between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO")
    page = context.new_page()
    page.set_default_timeout(15000)
    # Chromium reports what the Content-Security-Policy blocked on the console: no journey may
    # lose a script, a style or an image to it.
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert blocked == [], "\n".join(blocked)


def axe_violations(page):
    """Run axe-core in the page and return its WCAG 2.1 A/AA violations."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core is missing at {AXE_SCRIPT}: run `npm ci`")
    # Evaluated through the DevTools protocol rather than added as an inline <script>, which the
    # portal's Content-Security-Policy refuses, as it should.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA_TAGS
    )
    return result["violations"]


def describe(violations):
    return json.dumps(
        [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5], "help": v["help"]}
            for v in violations
        ],
        indent=2,
        ensure_ascii=False,
    )
