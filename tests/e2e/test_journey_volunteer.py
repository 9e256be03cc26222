"""A volunteer invited by email signs up, joins the association, registers it for a meeting with a
group larger than the seats left, waits, and gets the seat when someone else cancels."""

import pytest

from meetings.models import Registration
from organizations import services as organization_services
from organizations.models import Membership
from tests.accounts.factories import UserFactory
from tests.e2e.journeys import (
    PASSWORD_LABEL,
    assert_accessible,
    email_to,
    emails_to,
    link_in,
    log_in,
    log_in_from_home,
    type_lines,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory, MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Sterkt-passord-2026"


@pytest.fixture
def site_url(settings, live_server):
    # The links in the portal's emails point at the server the browser talks to.
    settings.SITE_URL = live_server.url
    return live_server.url


def test_invited_volunteer_signs_up_joins_registers_waits_and_gets_the_seat(page, browser, site_url):
    bergen = MunicipalityFactory(number="4601", name="Bergen")
    choir = AssociationFactory(municipality=bergen, name="Nabolagskoret Ås")
    anne = UserFactory(full_name="Anne Åsheim", email="anne@example.org")
    MembershipFactory(association=choir, user=anne, role=Membership.Role.ADMIN)
    meeting = MeetingFactory(municipality=bergen, title="Dialogmøte om øvingslokaler", capacity=5)
    per = UserFactory(full_name="Per Påmeldt", email="per@example.org")
    RegistrationFactory(meeting=meeting, user=per, attendees=3)
    organization_services.membership_invite(
        association=choir, email="Vera@Example.org", role=Membership.Role.MEMBER, invited_by=anne
    )

    invitation = email_to("vera@example.org", "Invitasjon til «Nabolagskoret Ås»")
    assert "Anne Åsheim inviterer deg til å bli med i «Nabolagskoret Ås»" in invitation.body
    page.goto(link_in(invitation, "/foreninger/invitasjon/"))

    # Signed out, the invitation link leads to the login page, which says who invited her to what.
    page.get_by_role("heading", name="Logg inn").wait_for()
    assert page.get_by_text("Anne Åsheim har invitert deg til å bli med i «Nabolagskoret Ås».").is_visible()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Registrer deg her").click()
    page.get_by_role("heading", name="Registrer deg").wait_for()
    assert page.get_by_text("Anne Åsheim har invitert deg til å bli med i «Nabolagskoret Ås».").is_visible()
    assert_accessible(page)
    page.get_by_label("Fullt navn").fill("Vera Frivillig-Ødegård")
    page.get_by_label("E-post").fill("vera@example.org")
    page.get_by_label(PASSWORD_LABEL).fill(NEW_PASSWORD)
    page.get_by_label("Passord (gjenta)").fill(NEW_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Registrer deg").click()

    page.get_by_role("heading", name="Bekreft e-postadressen din").wait_for()
    assert page.get_by_text("Invitasjonen venter på deg.").is_visible()
    assert_accessible(page)
    confirmation = email_to("vera@example.org", "Bekreft e-postadressen din")
    assert confirmation.subject == "[Dialogportal] Bekreft e-postadressen din"
    assert "Hilsen Dialogportal" in confirmation.body and "example.com" not in confirmation.body
    page.goto(link_in(confirmation, "/konto/confirm-email/"))
    page.get_by_role("heading", name="Bekreft e-postadressen").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Bekreft").click()

    page.get_by_role("heading", name="Logg inn").wait_for()
    assert page.get_by_text("Anne Åsheim har invitert deg til å bli med i «Nabolagskoret Ås».").is_visible()
    log_in(page, "vera@example.org", NEW_PASSWORD)

    # The first sign-in goes to the invitation, not to the home page.
    page.get_by_role("heading", name="Invitasjon til Nabolagskoret Ås").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Godta invitasjonen").click()
    page.get_by_text("Velkommen i «Nabolagskoret Ås».").wait_for()
    page.get_by_role("heading", level=1, name="Nabolagskoret Ås").wait_for()
    assert_accessible(page)
    assert choir.memberships.filter(user__email="vera@example.org", role=Membership.Role.MEMBER).exists()

    page.get_by_role("banner").get_by_role("link", name="Møtekalender").click()
    assert_accessible(page)
    page.get_by_role("link", name="Dialogmøte om øvingslokaler").click()
    assert_accessible(page)
    page.get_by_role("link", name="Meld deg på").click()
    page.get_by_role("heading", name="Meld deg på").wait_for()
    assert page.get_by_text(
        "Det er 2 ledige plasser. Melder du på flere deltakere, kommer påmeldingen på ventelisten."
    ).is_visible()
    assert_accessible(page)
    page.get_by_label("Hvem melder du på?").select_option(label="Nabolagskoret Ås")
    page.get_by_label("Antall deltakere").fill("4")
    type_lines(
        page.get_by_label("Temaer dere vil ta opp"),
        ["Vi trenger et øvingslokale på tirsdager.", "Og et sted å lagre notene."],
    )
    page.get_by_role("button", name="Meld på").click()

    # Told before anything is stored that four do not fit into two seats.
    page.get_by_text(
        "Det er bare 2 ledige plasser, så 4 deltakere får ikke plass nå. Meld på 2 eller færre, "
        "eller kryss av for ventelisten nedenfor."
    ).wait_for()
    assert_accessible(page)
    assert not Registration.objects.filter(user__email="vera@example.org").exists()
    page.get_by_label("Sett oss på ventelisten hvis det ikke er plass til alle").check()
    page.get_by_role("button", name="Meld på").click()
    page.get_by_text(
        "Det var ikke plass til alle, så du står på ventelisten. Du får e-post hvis du får plass."
    ).wait_for()
    assert_accessible(page)
    vera = Registration.objects.get(user__email="vera@example.org")
    assert (vera.status, vera.association, vera.attendees) == (Registration.Status.WAITLISTED, choir, 4)
    assert vera.topics == "Vi trenger et øvingslokale på tirsdager.\r\nOg et sted å lagre notene."
    waitlisted = email_to("vera@example.org", "Du står på venteliste: Dialogmøte om øvingslokaler")
    assert "så du står på ventelisten" in waitlisted.body

    # Per cancels in his own browser; the cancel page promises his seats to the waitlist.
    other = browser.new_context(base_url=site_url, locale="nb-NO")
    try:
        per_page = other.new_page()
        log_in_from_home(per_page, per.email)
        per_page.get_by_role("banner").get_by_role("link", name="Møtekalender").click()
        per_page.get_by_role("link", name="Dialogmøte om øvingslokaler").click()
        per_page.get_by_role("link", name="Meld deg av").click()
        per_page.get_by_text("Plassen går til den første på ventelisten.").wait_for()
        assert_accessible(per_page)
        per_page.get_by_role("button", name="Ja, meld av").click()
        per_page.get_by_text("Påmeldingen er avmeldt.").wait_for()
    finally:
        other.close()

    vera.refresh_from_db()
    assert vera.status == Registration.Status.CONFIRMED
    promoted = email_to("vera@example.org", "Du har fått plass: Dialogmøte om øvingslokaler")
    assert "En plass ble ledig, og du har fått plass på «Dialogmøte om øvingslokaler»." in promoted.body
    assert [name for name, _content, _type in promoted.attachments] == ["moete.ics"]
    assert not [m for m in emails_to("vera@example.org") if "Du er påmeldt" in m.subject]

    page.get_by_role("banner").get_by_role("link", name="Møtekalender").click()
    page.get_by_role("main").get_by_role("link", name="Mine påmeldinger").click()
    entry = page.get_by_role("article").filter(has_text="Dialogmøte om øvingslokaler")
    assert "Påmeldt" in entry.inner_text()
    assert "På vegne av Nabolagskoret Ås." in entry.inner_text()
    assert_accessible(page)
