"""From "start a working group" to a letter co-signed by another association and sent."""

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from correspondence.models import Letter, WorkingGroup
from organizations.models import Category, Membership
from tests.accounts.factories import PASSWORD, UserFactory
from tests.e2e.conftest import axe_violations, describe
from tests.organizations.factories import AssociationFactory, MembershipFactory, PartyLeaderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD_LABEL = re.compile(r"^\s*\s*Passord\s*\*?\s*$")


def log_in(page, user):
    page.context.clear_cookies()
    page.goto("/konto/login/")
    page.get_by_label("E-post").fill(user.email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logg inn").click()
    page.get_by_role("link", name="Min konto").wait_for()


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.fixture
def setting(municipality):
    # Browser tests flush the database between tests, which removes the seeded term lists.
    Category.objects.get_or_create(slug="idrett", defaults={"name": "Idrett", "name_en": "Sports"})
    municipality.political_leader_name = "Marte Mjøs Persen"
    municipality.administrative_leader_name = "Ørjan Åsheim"
    municipality.official_email = "postmottak@bergen.example.org"
    municipality.save()
    PartyLeaderFactory(municipality=municipality, party="Venstre", name="Vilde Vik", email="vilde@example.org")
    leader = UserFactory(full_name="Lise Leder", email="lise@example.org")
    own = AssociationFactory(municipality=municipality, name="Lise sitt kor")
    MembershipFactory(association=own, user=leader, role=Membership.Role.ADMIN)
    admin = UserFactory(full_name="Ola Idrett", email="ola@example.org")
    club = AssociationFactory(municipality=municipality, name="Idrettslaget Ørn")
    MembershipFactory(association=club, user=admin, role=Membership.Role.ADMIN)
    return {"leader": leader, "admin": admin, "club": club, "own": own}


@pytest.mark.real_pdf
def test_start_a_group_write_cosign_and_send(page, setting):
    leader, admin = setting["leader"], setting["admin"]
    log_in(page, leader)
    page.goto("/")
    page.get_by_role("main").get_by_role("link", name="Start en arbeidsgruppe").click()
    assert_accessible(page)
    page.get_by_label(re.compile(r"^\s*Navn")).fill("Frivillighetsgruppa <i>Bergen</i>")
    page.get_by_label(re.compile(r"^\s*Kommune")).select_option(label="Bergen (4601)")
    page.get_by_label(re.compile(r"^\s*Dato for diskusjonsmøtet")).fill("2026-11-03")
    page.get_by_label(re.compile(r"^\s*Klokkeslett for diskusjonsmøtet")).fill("18:30")
    page.get_by_label(re.compile(r"^\s*Sted for diskusjonsmøtet")).fill("Biblioteket")
    page.get_by_label("Idrett", exact=True).check()
    page.get_by_label(re.compile(r"^\s*Tema for møtet")).fill("Frivillighetspolitikk i Bergen")
    page.get_by_label(re.compile(r"^\s*Mandat")).fill("Skrive til ordføreren og kommunedirektøren")
    page.get_by_role("button", name="Opprett arbeidsgruppen").click()
    page.get_by_role("heading", name="Frivillighetsgruppa <i>Bergen</i>").wait_for()
    group = WorkingGroup.objects.get()
    assert group.leader == leader

    page.get_by_label("Idrettslaget Ørn").check()
    page.get_by_role("button", name="Lagre listen").click()
    page.get_by_role("button", name="Skriv et nytt brev").click()
    page.get_by_role("heading", name="Rediger brevet").wait_for()
    assert_accessible(page)
    page.get_by_label("Økonomi").check()
    page.locator("#id_punkt-4-text").fill("Hvordan kan kommunen hjelpe med lokaler?")
    page.get_by_role("button", name="Lagre og se brevet").click()
    page.get_by_role("heading", name="Forhåndsvisning").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Åpne for underskrifter").click()
    page.get_by_text("Brevet er åpent for underskrifter.").wait_for()
    letter = Letter.objects.get()
    assert letter.status == "collecting"

    log_in(page, admin)
    page.goto("/henvendelser/")
    page.get_by_role("link", name=letter.subject).click()
    page.get_by_label("Skriv under på vegne av").select_option(label="Idrettslaget Ørn")
    assert_accessible(page)
    page.get_by_role("button", name="Skriv under").click()
    page.get_by_text("Du har skrevet under på vegne av Idrettslaget Ørn.").wait_for()

    log_in(page, leader)
    page.goto(f"/henvendelser/brev/{letter.pk}/")
    page.get_by_role("link", name="Send til postmottak@bergen.example.org").click()
    page.get_by_role("heading", name="Send brevet til kommunen").wait_for()
    assert page.get_by_text("Reply-To").is_visible()
    assert page.get_by_text("Idrettslaget Ørn").first.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Bekreft og send til postmottak@bergen.example.org").click()
    page.get_by_text("Brevet er sendt til postmottak@bergen.example.org.").wait_for()
    assert_accessible(page)
    letter.refresh_from_db()
    assert letter.status == "sent"

    message = next(m for m in mail.outbox if m.to == ["postmottak@bergen.example.org"])
    assert message.subject.startswith(letter.reference)
    assert message.cc == ["vilde@example.org"]
    assert message.reply_to == ["lise@example.org"]
    filename, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf"
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))
    assert letter.reference in text
    assert "Idrettslaget Ørn" in text
    assert "Hvordan kan kommunen hjelpe med lokaler?" in text
    assert "Frivillighetsgruppa <i>Bergen</i>" in text
    assert "Vilde Vik (Venstre)" in text
    assert [m for m in mail.outbox if m.to == ["lise@example.org"] and letter.reference in m.subject]


def test_groups_pages_have_no_violations(page, setting):
    log_in(page, setting["leader"])
    for path in ["/henvendelser/", "/henvendelser/arbeidsgrupper/ny/"]:
        page.goto(path)
        assert_accessible(page)
    page.goto("/henvendelser/arbeidsgrupper/ny/")
    page.get_by_role("button", name="Opprett arbeidsgruppen").click()
    page.locator(".invalid-feedback").first.wait_for()
    assert_accessible(page)
