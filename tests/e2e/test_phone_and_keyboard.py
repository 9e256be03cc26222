"""Staff pages on a 375px phone, the focus ring of form fields and the calendar's skip link."""

import pytest
from django.conf import settings
from django.test import Client

from meetings.models import Registration
from tests.accounts.factories import UserFactory
from tests.e2e.conftest import axe_violations, describe
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert blocked == [], "\n".join(blocked)


def sign_in(page, user, live_server):
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


@pytest.fixture
def staff_pages():
    bergen = MunicipalityFactory(number="4601", name="Bergen")
    staff = MunicipalStaffFactory(municipality=bergen).user
    choir = AssociationFactory(municipality=bergen, name="Nabolagskoret for Årstad, Landås og Minde")
    admin = UserFactory(full_name="Kari Nordmann-Håkonsen", email="kari.nordmann-haakonsen.styreleder@example.org")
    MembershipFactory(association=choir, user=admin, role="admin")
    MembershipFactory(association=choir, user=UserFactory(full_name="Ola Åsen"), role="member")
    meeting = MeetingFactory(municipality=bergen, title="Dialogmøte om lokaler til lag og foreninger i bydelene")
    RegistrationFactory(
        meeting=meeting,
        user=admin,
        association=choir,
        attendees=3,
        accessibility_needs="Rullestolplass og teleslynge",
        diet="Vegetar, uten nøtter",
        topics="Lokaler til øving på kveldstid\nLeie og nøkler",
        status=Registration.Status.CONFIRMED,
    )
    return [
        (staff, f"/moter/ansatt/{bergen.number}/"),
        (staff, f"/moter/{meeting.pk}/pameldinger/"),
        (staff, f"/moter/ansatt/{bergen.number}/rekkevidde/"),
        (admin, f"/foreninger/{choir.slug}/medlemmer/"),
    ]


def test_staff_tables_fit_a_phone_without_sideways_scrolling(phone, live_server, staff_pages):
    for user, path in staff_pages:
        phone.context.clear_cookies()
        sign_in(phone, user, live_server)
        response = phone.goto(path)
        assert response.status == 200, path
        assert phone.locator("table").count() >= 1, path
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width}px wide"
        violations = axe_violations(phone)
        assert violations == [], describe(violations)


def test_a_focused_form_field_has_an_outline_as_visible_as_a_links(page, live_server):
    page.goto("/konto/login/")
    field = page.get_by_label("E-post")
    page.keyboard.press("Tab")
    while not field.evaluate("element => element === document.activeElement"):
        page.keyboard.press("Tab")
    ring = field.evaluate(
        "element => { const s = getComputedStyle(element); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert ring == ["solid", "3px", "rgb(179, 89, 0)"]


def test_the_skip_link_jumps_over_the_calendar_filters(page):
    bergen = MunicipalityFactory(number="4601", name="Bergen")
    MeetingFactory(municipality=bergen, title="Kveldsmøte om frivillighet")
    page.goto("/moter/")
    skip = page.get_by_role("link", name="Hopp over filteret til møtene")
    for _ in range(40):
        page.keyboard.press("Tab")
        if skip.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("The skip link is never reached by Tab")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "moter"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Kveldsmøte om frivillighet"
    violations = axe_violations(page)
    assert violations == [], describe(violations)
