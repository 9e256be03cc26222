import datetime
import re
from pathlib import Path

import pytest
from django.core import mail
from icalendar import Calendar

from meetings.models import Meeting, Registration
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations, describe
from tests.meetings.factories import MeetingFactory, next_weekday_evening
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, user):
    page.goto("/konto/login/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label(re.compile(r"^\s*Passord\s*\*?\s*$")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logg inn").click()
    page.get_by_role("link", name="Min konto").wait_for()


@pytest.fixture
def bergen():
    return MunicipalityFactory(number="4601", name="Bergen")


def test_staff_schedule_a_weekday_meeting_read_the_refusal_and_publish(page, bergen):
    staff = MunicipalStaffFactory(municipality=bergen).user
    choir = AssociationFactory(municipality=bergen, name="Nabolagskoret")
    MembershipFactory(association=choir, role="admin")
    log_in(page, staff)
    page.goto("/moter/")
    page.get_by_role("link", name="Planlegg møter i Bergen").click()
    page.get_by_role("link", name="Nytt møte").click()
    afternoon = next_weekday_evening(hour=15)
    page.get_by_label("Tittel").fill("Dialogmøte om lokaler")
    page.get_by_label("Starter").fill(afternoon.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill(afternoon.replace(hour=16).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted", exact=True).fill("Biblioteket")
    page.get_by_role("button", name="Lagre og forhåndsvis").click()

    refusal = page.locator("#id_starts_at ~ .invalid-feedback, #error_1_id_starts_at").first
    refusal.wait_for()
    assert "Møter på hverdager må starte etter arbeidstid, tidligst kl. 17.00" in refusal.inner_text()
    assert page.get_by_label("Starter").get_attribute("aria-invalid") == "true" or "is-invalid" in (
        page.get_by_label("Starter").get_attribute("class") or ""
    )
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert not Meeting.objects.exists()

    page.get_by_label("Starter").fill(afternoon.replace(hour=18).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill(afternoon.replace(hour=20).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Lagre og forhåndsvis").click()
    page.get_by_text("Forhåndsvisning: møtet er et utkast").wait_for()
    page.get_by_role("button", name="Publiser").click()
    page.get_by_text("Møtet er publisert").wait_for()
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.starts_at == afternoon.replace(hour=18)
    assert any("Invitasjon" in message.subject for message in mail.outbox)


def test_volunteer_registers_for_the_association_and_downloads_the_ics(page, bergen):
    volunteer = UserFactory(full_name="Vera Frivillig")
    choir = AssociationFactory(municipality=bergen, name="Nabolagskoret")
    MembershipFactory(association=choir, user=volunteer, role="member")
    meeting = MeetingFactory(municipality=bergen, title="Dialogmøte om lokaler", capacity=20)
    log_in(page, volunteer)
    page.goto("/moter/")
    page.get_by_role("link", name="Dialogmøte om lokaler").click()
    page.get_by_role("link", name="Meld deg på").click()
    page.get_by_label("Hvem melder du på?").select_option(label="Nabolagskoret")
    page.get_by_label("Antall deltakere").fill("3")
    page.get_by_label("Temaer dere vil ta opp").fill("Vi trenger et øvingslokale på tirsdager.")
    page.get_by_role("button", name="Meld på").click()
    page.get_by_text("Du er påmeldt.").first.wait_for()
    registration = Registration.objects.get()
    assert (registration.association, registration.attendees) == (choir, 3)
    assert "Nabolagskoret" in page.get_by_role("main").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Legg i kalenderen (.ics)").click()
    event = Calendar.from_ical(Path(download_info.value.path()).read_bytes()).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Dialogmøte om lokaler"
    assert event["DTSTART"].dt == meeting.starts_at


def test_pages_have_no_wcag_21_aa_violations(page, bergen):
    volunteer = UserFactory()
    MembershipFactory(association=AssociationFactory(municipality=bergen), user=volunteer)
    meeting = MeetingFactory(municipality=bergen, hearing_loop=True, food=True, capacity=10)
    start = datetime.datetime(next_weekday_evening().year + 1, 12, 5, 12, tzinfo=datetime.UTC)
    MeetingFactory(
        municipality=bergen, kind="frivillighetens_dag", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    for path in ["/moter/", f"/moter/{meeting.pk}/", "/moter/frivillighetens-dag/"]:
        page.goto(path)
        violations = axe_violations(page)
        assert violations == [], f"{path}: {describe(violations)}"
    log_in(page, volunteer)
    page.goto("/moter/mine-pameldinger/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.goto(f"/moter/{meeting.pk}/meld-pa/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.get_by_label("Antall deltakere").fill("0")
    page.get_by_role("button", name="Meld på").click()
    page.get_by_label("Antall deltakere").wait_for()
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_staff_pages_have_no_wcag_21_aa_violations(page, bergen):
    from django.utils import timezone

    staff = MunicipalStaffFactory(municipality=bergen).user
    meeting = MeetingFactory(municipality=bergen)
    past = timezone.now() - datetime.timedelta(days=3)
    held = MeetingFactory(municipality=bergen, starts_at=past, ends_at=past + datetime.timedelta(hours=1))
    log_in(page, staff)
    for path in [
        "/moter/ansatt/4601/",
        "/moter/ansatt/4601/nytt/",
        f"/moter/{meeting.pk}/rediger/",
        f"/moter/{meeting.pk}/forhandsvis/",
        f"/moter/{meeting.pk}/avlys/",
        f"/moter/{held.pk}/pameldinger/",
        f"/moter/{held.pk}/oppsummering/",
        "/moter/ansatt/4601/rekkevidde/",
    ]:
        page.goto(path)
        violations = axe_violations(page)
        assert violations == [], f"{path}: {describe(violations)}"
