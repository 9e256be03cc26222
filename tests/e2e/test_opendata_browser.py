"""The API's documentation page and the JSON-LD on public pages work under the portal's CSP."""

import pytest

from tests.e2e.conftest import axe_violations, describe
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_list_the_operations_from_the_portals_own_files_without_violations(page, live_server, settings):
    settings.OPENDATA_RATE_LIMIT = 10_000
    external = []
    page.on(
        "request", lambda request: external.append(request.url) if not request.url.startswith(live_server.url) else None
    )
    page.goto("/api/v1/docs")
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert any("GET /api/v1/associations" in heading for heading in headings)
    assert any("GET /api/v1/meetings" in heading for heading in headings)
    # Nothing from another host, and (the page fixture checks) nothing refused by the CSP.
    assert external == []
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_json_ld_is_not_blocked_as_script(page, municipality):
    # The page fixture fails the test on any Content-Security-Policy report in the console.
    meeting = MeetingFactory(municipality=municipality)
    association = AssociationFactory(municipality=municipality)
    for url in (meeting.get_absolute_url(), association.get_absolute_url()):
        page.goto(url)
        assert page.locator('script[type="application/ld+json"]').count() == 1
