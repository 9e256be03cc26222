"""In the browser: the municipality's page of agreed actions, and an association admin answering an
input round from the email link, each checked with axe (WCAG 2.1 AA)."""

import datetime

import pytest
from django.utils import timezone

from meetings import services_rounds
from meetings.models import AgreedAction, InputRoundAnswer
from tests.e2e.journeys import assert_accessible, email_to, link_in, log_in, log_in_from_home, type_lines
from tests.meetings.factories import AgreedActionFactory, held_meeting, next_weekday_evening
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bergen():
    return MunicipalityFactory(number="4601", name="Bergen")


def test_staff_follow_the_actions_of_their_meetings_and_the_owner_reports(page, bergen):
    staff = MunicipalStaffFactory(municipality=bergen).user
    choir = AssociationFactory(municipality=bergen, name="Nabolagskoret")
    admin = MembershipFactory(association=choir, role="admin").user
    meeting = held_meeting(bergen, title="Dialogmøte om lokaler")
    AgreedActionFactory(
        meeting=meeting,
        title="Åpne gymsalene på kveldstid",
        owner_unit="Eiendomsetaten",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    action = AgreedActionFactory(
        meeting=meeting, title="Korkonsert for nye innbyggere", owner_association=choir, owner_unit=""
    )

    log_in_from_home(page, staff.email)
    page.get_by_role("link", name="For kommunen").first.click()
    page.get_by_role("link", name="Tiltak fra møtene og hvordan det går").click()
    overdue = page.get_by_role("region", name="Forfalt")
    assert "Åpne gymsalene på kveldstid" in overdue.inner_text()
    assert "Korkonsert for nye innbyggere" not in overdue.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Dialogmøte om lokaler").click()
    page.get_by_role("link", name="Avtalte tiltak", exact=True).click()
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("banner").get_by_role("link", name="Logg inn").click()
    log_in(page, admin.email)
    page.goto(f"/moter/tiltak/{action.pk}/status/")
    page.get_by_label("Lagt bort").check()
    page.get_by_role("button", name="Lagre statusen").click()
    page.get_by_text("Skriv hvorfor tiltaket er lagt bort.").wait_for()
    assert_accessible(page)
    page.get_by_label("Under arbeid").check()
    type_lines(page.get_by_label("Kommentar"), ["Vi øver på sangene.", "Konserten blir i mars."])
    page.get_by_role("button", name="Lagre statusen").click()
    page.get_by_text("Statusen for tiltaket er lagret.").wait_for()
    action.refresh_from_db()
    assert action.status == AgreedAction.Status.IN_PROGRESS
    assert action.status_comment == "Vi øver på sangene.\r\nKonserten blir i mars."


def test_an_association_admin_answers_the_input_round_from_the_email(page, live_server, settings, bergen):
    settings.SITE_URL = live_server.url
    choir = AssociationFactory(municipality=bergen, name="Nabolagskoret")
    admin = MembershipFactory(association=choir, role="admin").user
    first, second = next_weekday_evening(days_ahead=14), next_weekday_evening(days_ahead=21)
    input_round = services_rounds.round_open(
        municipality=bergen,
        title="Dialogmøte om inkludering",
        dates=[(first, first + datetime.timedelta(hours=2)), (second, second + datetime.timedelta(hours=2))],
    )
    invitation = email_to(admin.email, "Hvilke datoer passer?")

    page.goto(link_in(invitation, f"/moter/innspill/{input_round.pk}/svar/"))
    log_in(page, admin.email)
    page.get_by_role("heading", name="Innspill: Dialogmøte om inkludering").wait_for()
    assert_accessible(page)

    page.get_by_role("button", name="Send svaret").click()
    page.get_by_text("Svar på om dette tidspunktet passer.").first.wait_for()
    assert_accessible(page)

    dates = list(input_round.dates.all())
    page.locator(f"input[name='dato_{dates[0].pk}'][value='yes']").check()
    page.locator(f"input[name='dato_{dates[1].pk}'][value='if_need_be']").check()
    type_lines(page.get_by_label("Temaer dere vil ta opp"), ["Lokaler", "Samarbeid med skolene"])
    page.get_by_label("Behov for tilgjengelighet").fill("Trinnfri adkomst")
    page.get_by_role("button", name="Send svaret").click()
    page.get_by_text("Takk! Svaret er lagret.").wait_for()
    assert_accessible(page)
    answer = InputRoundAnswer.objects.get()
    assert answer.topics == "Lokaler\r\nSamarbeid med skolene"
    assert sorted(answer.choices.values_list("choice", flat=True)) == ["if_need_be", "yes"]
