"""The API's documentation page and the JSON-LD on public pages work under the portal's CSP."""

import pytest

from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_api_docs_render_the_operations_from_the_portals_own_files(page, live_server, settings):
    settings.OPENDATA_RATE_LIMIT = 10_000
    external = []
    page.on(
        "request", lambda request: external.append(request.url) if not request.url.startswith(live_server.url) else None
    )
    page.goto("/api/v1/docs")
    page.locator(".opblock-summary-path", has_text="/api/v1/associations").first.wait_for()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/meetings" in [path.strip() for path in paths]
    # Nothing from another host, and (the page fixture checks) nothing refused by the CSP.
    assert external == []


def test_json_ld_is_not_blocked_as_script(page, municipality):
    # The page fixture fails the test on any Content-Security-Policy report in the console.
    meeting = MeetingFactory(municipality=municipality)
    association = AssociationFactory(municipality=municipality)
    for url in (meeting.get_absolute_url(), association.get_absolute_url()):
        page.goto(url)
        assert page.locator('script[type="application/ld+json"]').count() == 1
