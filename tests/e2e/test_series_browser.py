"""A clerk plans a fixed meeting place with the keyboard: sees every date, skips one the rule
refuses, moves another, saves, and publishes the series."""

import re

import pytest
from django.core import mail

from meetings.domain import OSLO
from meetings.models import Meeting, MeetingSeries
from tests.e2e.journeys import assert_accessible, log_in, type_lines
from tests.meetings.series_helpers import december_start
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def field(page, label):
    """The field of this label exactly (crispy marks required ones with an asterisk)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def tab_to(page, locator, presses=80):
    """Press Tab until the element has the focus, as a keyboard user gets there."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reaches {locator}")


def test_staff_plan_a_weekly_series_skip_and_move_dates_and_publish(page):
    bergen = MunicipalityFactory(number="4601", name="Bergen")
    staff = MunicipalStaffFactory(municipality=bergen).user
    MembershipFactory(association=AssociationFactory(municipality=bergen, name="Nabolagskoret"), role="admin")
    start = december_start()
    page.goto("/konto/login/")
    log_in(page, staff.email)
    page.goto("/moter/")
    page.get_by_role("link", name="Planlegg møter i Bergen").click()
    page.get_by_role("link", name="Ny fast møteplass").click()
    page.get_by_role("heading", name="Ny fast møteplass").wait_for()
    assert_accessible(page)

    weekly = field(page, "Hver uke")
    tab_to(page, weekly)
    page.keyboard.press("Space")
    assert weekly.is_checked()
    page.get_by_label("Antall ganger").fill("4")
    field(page, "Tittel").fill("Frivillighetskafé")
    type_lines(field(page, "Beskrivelse"), ["Kaffe og prat.", "Alle er velkomne."])
    field(page, "Starter").fill(start.strftime("%Y-%m-%dT%H:%M"))
    field(page, "Slutter").fill(start.replace(hour=20).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted", exact=True).fill("Biblioteket")
    show = page.get_by_role("button", name="Se datoene")
    show.focus()
    page.keyboard.press("Enter")

    page.get_by_role("heading", name="Datoene i serien: 4 møter").wait_for()
    assert not MeetingSeries.objects.exists()
    assert page.get_by_text("2 datoer trenger et valg før serien kan lagres.").is_visible()
    assert_accessible(page)
    new_year = page.get_by_role("group", name=re.compile(r"Hva skal skje med møtet .*31\. desember"))
    move = new_year.get_by_label("Flytt møtet")
    # From the list's heading on, as after the skip over the form above it.
    page.get_by_role("heading", name="Datoene i serien: 4 møter").focus()
    tab_to(page, new_year.get_by_label("Hopp over denne datoen"))
    page.keyboard.press("ArrowDown")
    assert move.is_checked()
    new_year.get_by_label("Ny start").fill(f"{start.year}-12-30T18:00")
    new_year.get_by_label("Ny slutt").fill(f"{start.year}-12-30T20:00")
    save = page.get_by_role("button", name="Lagre serien som utkast")
    save.focus()
    page.keyboard.press("Enter")

    page.get_by_text("Serien er lagret med møtene som utkast").wait_for()
    assert page.get_by_text(re.compile(r"Fast møteplass: hver \w+ kl\. 18\.00–20\.00")).is_visible()
    assert page.get_by_text("Flyttet fra").is_visible()
    assert_accessible(page)
    publish = page.get_by_role("button", name="Publiser alle utkast i serien")
    tab_to(page, publish)
    page.keyboard.press("Enter")
    page.get_by_text("3 møter er publisert").wait_for()

    series = MeetingSeries.objects.get()
    meetings = list(series.meetings.order_by("series_slot"))
    assert [m.starts_at.astimezone(OSLO).day for m in meetings] == [10, 17, 30]
    assert all(m.status == Meeting.Status.PUBLISHED for m in meetings)
    assert meetings[0].description == "Kaffe og prat.\r\nAlle er velkomne."
    assert len([m for m in mail.outbox if "Invitasjon" in m.subject]) == 1

    page.get_by_role("link", name="Frivillighetskafé").first.click()
    page.get_by_role("link", name="Se alle datoene").wait_for()
    assert_accessible(page)
