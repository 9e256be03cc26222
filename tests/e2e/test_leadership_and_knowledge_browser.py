"""In the browser: staff record that the mayor will attend a meeting, which its page then says,
and open the knowledge page for staff from their home page; every page passes axe (WCAG 2.1 AA)."""

import pytest

from organizations.models import StaffResource
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_meetings_browser import log_in
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import MunicipalityFactory, MunicipalStaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_staff_record_that_the_mayor_attends_and_the_meeting_page_says_so(page):
    bergen = MunicipalityFactory(number="4601", name="Bergen", political_leader_name="Kari Nordmann")
    staff = MunicipalStaffFactory(municipality=bergen).user
    meeting = MeetingFactory(municipality=bergen, title="Dialogmøte om lokaler", status="published")

    log_in(page, staff)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Fra kommuneledelsen").click()
    assert_accessible(page)
    mayor = page.get_by_label("Ordfører: Kari Nordmann")
    mayor.focus()
    page.keyboard.press("Space")
    assert mayor.is_checked()
    page.get_by_role("button", name="Lagre").click()

    page.goto(meeting.get_absolute_url())
    leadership = page.get_by_role("list", name="Fra kommuneledelsen")
    assert "Ordføreren deltar" in leadership.inner_text()
    assert "Kari Nordmann" in leadership.inner_text()
    assert_accessible(page)


def test_staff_find_the_knowledge_page_from_their_home_page(page):
    bergen = MunicipalityFactory(number="4601", name="Bergen")
    staff = MunicipalStaffFactory(municipality=bergen).user
    # The defaults come from a data migration, which a browser test's emptied database lacks.
    StaffResource.objects.get_or_create(
        title="Frivillighet Norge",
        defaults={"text": "Paraplyorganisasjonen for frivilligheten.", "url": "https://www.frivillighetnorge.no/"},
    )

    log_in(page, staff)
    page.goto("/kommune/ansatt/")
    page.get_by_role("link", name="Kunnskap om frivilligheten", exact=False).click()
    assert page.get_by_role("heading", level=1).is_visible()
    # The default texts name the public guides as plain links, no assets from elsewhere.
    guide = page.get_by_role("region", name="Frivillighet Norge")
    assert guide.get_by_role("link", name="https://www.frivillighetnorge.no/").is_visible()
    assert_accessible(page)
