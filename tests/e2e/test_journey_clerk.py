"""A municipal clerk verifies a new association, schedules a meeting after work, publishes it,
marks who came once it has been held, writes the summary and sees the association in the reach
report."""

import datetime
import importlib
import re

import pytest
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from organizations.models import Association, Category, Membership
from tests.accounts.factories import UserFactory
from tests.e2e.journeys import assert_accessible, email_to, log_in_from_home, type_lines
from tests.meetings.factories import next_weekday_evening
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _default_terms(transactional_db):
    # Transactional tests flush the database, and with it the term lists migration 0003 seeds.
    from django.apps import apps

    importlib.import_module("organizations.migrations.0003_default_terms").add_terms(apps, None)


def test_clerk_verifies_schedules_marks_attendance_summarises_and_sees_the_reach(page, settings, live_server):
    settings.SITE_URL = live_server.url
    bergen = MunicipalityFactory(number="4601", name="Bergen")
    clerk = MunicipalStaffFactory(municipality=bergen, user=UserFactory(full_name="Kari Kommune")).user
    chess = AssociationFactory(
        municipality=bergen,
        name="Skogly sjakklubb",
        status=Association.Status.PENDING,
        categories=[Category.objects.get(slug="idrett")],
    )
    nina = UserFactory(full_name="Nina Ny", email="nina@example.org")
    MembershipFactory(association=chess, user=nina, role=Membership.Role.ADMIN)
    AssociationFactory(
        municipality=bergen, name="Strandens sanglag", categories=[Category.objects.get(slug="kunst-og-kultur")]
    )

    log_in_from_home(page, clerk.email)
    page.get_by_role("banner").get_by_role("link", name="For kommunen").click()
    page.get_by_role("heading", name="For kommunen").wait_for()
    assert page.get_by_text("Møter på hverdager starter tidligst kl. 17.00.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Lag som venter på godkjenning").click()
    page.get_by_role("heading", name="Lag som venter på godkjenning i Bergen").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Godkjenn Skogly sjakklubb").click()
    page.get_by_text("«Skogly sjakklubb» er godkjent og vises i katalogen.").wait_for()
    page.get_by_text("Ingen lag venter på godkjenning.").wait_for()
    assert_accessible(page)
    verified = email_to("nina@example.org", "«Skogly sjakklubb» er godkjent")
    assert "Bergen kommune har godkjent «Skogly sjakklubb»." in verified.body
    assert "nå kan dere melde laget på møter" in verified.body

    page.get_by_role("banner").get_by_role("link", name="For kommunen").click()
    page.get_by_role("link", name="Planlegg og følg opp møter").click()
    page.get_by_role("heading", name="Møter i Bergen").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Nytt møte").click()
    assert_accessible(page)
    day = next_weekday_evening(hour=14)
    page.get_by_label("Tittel").fill("Dialogmøte om lokaler og lagring")
    type_lines(
        page.locator("#id_description"),
        ["Vi snakker om øvingslokaler, lagerplass og utlån.", "Ta gjerne med en kollega fra laget."],
    )
    page.get_by_label("Starter").fill(day.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill(day.replace(hour=16).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted", exact=True).fill("Bergen offentlige bibliotek")
    page.get_by_label("Antall plasser").fill("30")
    page.get_by_role("button", name="Lagre og forhåndsvis").click()

    refusal = page.locator("#id_starts_at ~ .invalid-feedback, #error_1_id_starts_at").first
    refusal.wait_for()
    assert "Møter på hverdager må starte etter arbeidstid, tidligst kl. 17.00" in refusal.inner_text()
    # The second sentence names the day, and begins with a capital letter like any other.
    assert re.search(r"\. [A-ZÆØÅ][a-zæøå]+ \d+\. [a-zæøå]+ \d{4} er en hverdag", refusal.inner_text()), (
        refusal.inner_text()
    )
    assert_accessible(page)
    assert not Meeting.objects.exists()
    page.get_by_label("Starter").fill(day.replace(hour=18).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill(day.replace(hour=20).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Lagre og forhåndsvis").click()
    page.get_by_text("Møtet er lagret som utkast. Se over og publiser når det er klart.").wait_for()
    page.get_by_text("Forhåndsvisning: møtet er et utkast").wait_for()
    assert "kl. 18.00" in page.get_by_role("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Publiser").click()
    page.get_by_text("Møtet er publisert, og de inviterte lagene får en invitasjon på e-post.").wait_for()
    assert_accessible(page)
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.starts_at) == (Meeting.Status.PUBLISHED, day.replace(hour=18))
    assert (
        meeting.description
        == "Vi snakker om øvingslokaler, lagerplass og utlån.\r\nTa gjerne med en kollega fra laget."
    )
    invitation = email_to("nina@example.org", "Dialogmøte om lokaler og lagring")
    assert "Invitasjon" in invitation.subject
    assert "kl. 18.00" in invitation.body

    meeting_services.registration_create(meeting=meeting, user=nina, association=chess, attendees=2)
    # The evening comes and goes.
    held_on = meeting.starts_at - datetime.timedelta(weeks=(meeting.starts_at - timezone.now()).days // 7 + 1)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=held_on, ends_at=held_on + datetime.timedelta(hours=2))

    page.get_by_role("banner").get_by_role("link", name="For kommunen").click()
    page.get_by_role("link", name="Planlegg og følg opp møter").click()
    row = page.get_by_role("row").filter(has_text="Dialogmøte om lokaler og lagring")
    row.get_by_role("link", name="1").click()
    page.get_by_role("heading", name="Påmeldinger").wait_for()
    assert_accessible(page)
    page.get_by_label("Nina Ny møtte").check()
    page.get_by_role("button", name="Lagre oppmøte").click()
    page.get_by_text("Oppmøtet er lagret.").wait_for()
    assert page.get_by_label("Nina Ny møtte").is_checked()
    assert_accessible(page)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert list(meeting.attendances.values_list("association__name", flat=True)) == ["Skogly sjakklubb"]

    page.get_by_role("main").get_by_role("link", name="Dialogmøte om lokaler og lagring").click()
    page.get_by_role("link", name="Oppsummering").click()
    page.get_by_role("heading", name="Publiser oppsummering").wait_for()
    assert_accessible(page)
    type_lines(
        page.get_by_label("Oppsummering"),
        ["Elleve lag møtte, og lokaler var det viktigste temaet.", "Kommunen ser på utlån av skolene."],
    )
    type_lines(
        page.get_by_label("Oppfølgingspunkter"),
        ["Liste over ledige lokaler", "Nytt møte til våren"],
    )
    page.get_by_role("button", name="Publiser oppsummeringen").click()
    page.get_by_text("Oppsummeringen er publisert på møtesiden.").wait_for()
    main = page.get_by_role("main")
    assert "Elleve lag møtte, og lokaler var det viktigste temaet.\nKommunen ser på utlån av skolene." in (
        main.inner_text()
    )
    points = main.get_by_role("list").filter(has_text="Liste over ledige lokaler").get_by_role("listitem")
    assert points.all_inner_texts() == ["Liste over ledige lokaler", "Nytt møte til våren"]
    assert_accessible(page)

    page.get_by_role("banner").get_by_role("link", name="For kommunen").click()
    page.get_by_role("link", name="Hvem når kommunen, og hvem møter den aldri?").click()
    page.get_by_role("heading", name="Hvem når Bergen?").wait_for()
    assert_accessible(page)
    sports = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Idrett"))
    assert [cell.strip() for cell in sports.get_by_role("cell").all_inner_texts()] == ["1", "1 (100 %)", "0"]
    culture = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Kunst og kultur"))
    assert [cell.strip() for cell in culture.get_by_role("cell").all_inner_texts()] == ["1", "0 (0 %)", "1"]
    never_met = page.locator("h2:has-text('Lag kommunen aldri har møtt') + ul").inner_text()
    assert "Strandens sanglag" in never_met
    assert "Skogly sjakklubb" not in never_met
