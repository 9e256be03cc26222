"""A working group writes its letter, saves it, switches it to Nynorsk, gathers two co-signatures
from the links in the request emails, sends it through the confirmation page, logs a preliminary
answer and sees the follow-up it is offered change."""

import datetime
import importlib
import re

import pytest
from django.utils import timezone

from correspondence import sweeps as correspondence_sweeps
from correspondence import texts
from correspondence.models import Letter
from organizations.models import Category, Membership
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.e2e.journeys import assert_accessible, email_to, emails_to, link_in, log_in, log_in_from_home, type_lines
from tests.organizations.factories import AssociationFactory, MembershipFactory, MunicipalityFactory, PartyLeaderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POSTMOTTAK = "postmottak@bergen.example.org"
GROUP = "Frivillighetsgruppa i Åsane"


@pytest.fixture(autouse=True)
def _default_terms(transactional_db):
    # Transactional tests flush the database, and with it the term lists migration 0003 seeds.
    from django.apps import apps

    importlib.import_module("organizations.migrations.0003_default_terms").add_terms(apps, None)


@pytest.fixture
def group(settings, live_server):
    settings.SITE_URL = live_server.url
    bergen = MunicipalityFactory(
        number="4601",
        name="Bergen",
        political_leader_name="Marte Mjøs Persen",
        administrative_leader_name="Ørjan Åsheim",
        official_email=POSTMOTTAK,
    )
    PartyLeaderFactory(municipality=bergen, party="Venstre", name="Vilde Vik", email="vilde@example.org")
    group = WorkingGroupFactory(
        municipality=bergen,
        name=GROUP,
        theme="Hvordan kan kommunen og lagene sammen lage en god frivillighetspolitikk?",
        mandate="Skrive til ordføreren og kommunedirektøren",
    )
    group.categories.set(Category.objects.filter(slug__in=["idrett", "kunst-og-kultur"]))
    GroupMembershipFactory(
        group=group, user=UserFactory(full_name="Lise Leder", email="lise@example.org"), is_leader=True
    )
    for name, admin, email in [
        ("Idrettslaget Ørn", "Ola Olsen", "ola@example.org"),
        ("Nabolagskoret", "Kari Korsvik", "kari@example.org"),
    ]:
        association = AssociationFactory(municipality=bergen, name=name)
        MembershipFactory(
            association=association, user=UserFactory(full_name=admin, email=email), role=Membership.Role.ADMIN
        )
        group.associations.add(association)
    return group


def _visible_text(locator) -> str:
    return re.sub(r"\s+", " ", locator.inner_text())


def _co_sign(browser, base_url, *, email, association, name, role):
    """An association admin follows the link in the request email, signs in and co-signs."""
    message = email_to(email, f"Vil dere skrive under på brevet fra «{GROUP}»?")
    context = browser.new_context(base_url=base_url, locale="nb-NO")
    try:
        page = context.new_page()
        page.goto(link_in(message, "/henvendelser/brev/"))
        page.get_by_role("heading", name="Logg inn").wait_for()
        log_in(page, email)
        page.get_by_role("heading", name="Underskrifter").wait_for()
        assert_accessible(page)
        page.get_by_label("Skriv under på vegne av").select_option(label=association)
        page.get_by_label("Navnet ditt slik det skal stå i brevet").fill(name)
        page.get_by_label("Rollen din i laget eller foreningen").fill(role)
        page.get_by_role("button", name="Skriv under").click()
        page.get_by_text(f"Du har skrevet under på vegne av {association}.").wait_for()
        assert f"{association} ({name}, {role}" in _visible_text(page.locator("#underskrifter + *"))
        assert_accessible(page)
    finally:
        context.close()


def test_letter_in_nynorsk_co_signed_confirmed_sent_and_followed_up(page, browser, live_server, group):
    log_in_from_home(page, "lise@example.org")
    page.get_by_role("banner").get_by_role("link", name="Arbeidsgrupper").click()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name=GROUP).click()
    page.get_by_role("heading", name=GROUP).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Skriv et nytt brev").click()
    page.get_by_role("heading", name="Rediger brevet").wait_for()
    page.get_by_text("Et utkast er laget. Alle delene kan endres.").wait_for()
    assert_accessible(page)

    # The group writes a point of its own and where the answer should go, and saves once: every
    # textarea, the default texts too, goes back to the portal with \r\n line breaks.
    page.get_by_label("Lokaler", exact=True).check()
    page.get_by_label("Økonomi", exact=True).check()
    type_lines(
        page.get_by_label("Punkt").last,
        ["Faste dialogmøter to ganger i året,", "med referat som blir lagt ut."],
    )
    type_lines(page.get_by_label("Adresse for svar"), ["Postboks 12", "5835 Bergen"])
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.get_by_text("Brevet er lagret.").wait_for()
    letter = Letter.objects.get()
    assert letter.contact_address == "Postboks 12\n5835 Bergen"

    page.get_by_label("Målform i brevet").select_option(label="Nynorsk")
    page.get_by_role("button", name="Bytt målform").click()
    page.get_by_text("Målformen er endret. Deler du har skrevet selv, er ikke endret.").wait_for()
    assert_accessible(page)
    letter.refresh_from_db()
    assert letter.language == "nn"
    for part, text in texts.default_parts(group, "nn").items():
        assert getattr(letter, part) == text, part
    assert [point.text for point in letter.points.all()] == [
        *texts.default_points("nn"),
        "Faste dialogmøter to ganger i året,\nmed referat som blir lagt ut.",
    ]

    page.get_by_role("link", name="Tilbake til brevet").click()
    document = page.locator("article.letter")
    assert document.get_attribute("lang") == "nn"
    shown = _visible_text(document)
    nynorsk = texts.default_parts(group, "nn")
    assert " ".join(nynorsk["subject"].split()) in shown
    labels = texts.labels("nn")
    for key in ["to", "background", "voluntary_effort", "situation", "wishes", "greeting", "copy"]:
        assert labels[key] in shown, key
    assert texts.challenge_text("nn", "premises") in shown
    assert texts.challenge_text("nn", "finances") in shown
    for name in Category.objects.filter(slug__in=["idrett", "kunst-og-kultur"]).values_list("name_nn", flat=True):
        assert name.lower() in shown.lower()
    bokmål = texts.default_parts(group, "nb")
    assert " ".join(bokmål["voluntary_effort"].split()[:8]) not in shown
    assert "henvendinga" not in shown and "henvendelsen" not in shown
    assert "Faste dialogmøter to ganger i året, med referat som blir lagt ut." in shown
    assert_accessible(page)

    page.get_by_role("button", name="Åpne for underskrifter").click()
    page.get_by_text("Brevet er åpent for underskrifter.").wait_for()
    send = page.get_by_role("link", name=f"Send til {POSTMOTTAK}")
    # While signatures are still coming in, sending is not what the page suggests first.
    assert "btn-primary" not in send.get_attribute("class")
    assert_accessible(page)
    letter.refresh_from_db()
    subject = " ".join(letter.subject.split())
    for email in ["ola@example.org", "kari@example.org"]:
        request = email_to(email, f"Vil dere skrive under på brevet fra «{GROUP}»?")
        assert f"Emne: {subject}" in " ".join(request.body.split())

    _co_sign(
        browser,
        live_server.url,
        email="ola@example.org",
        association="Idrettslaget Ørn",
        name="Ola Olsen",
        role="styreleder",
    )
    _co_sign(
        browser,
        live_server.url,
        email="kari@example.org",
        association="Nabolagskoret",
        name="Kari Korsvik",
        role="nestleder",
    )

    page.reload()
    signatures = _visible_text(page.locator("#underskrifter + *"))
    assert "Idrettslaget Ørn (Ola Olsen, styreleder" in signatures
    assert "Nabolagskoret (Kari Korsvik, nestleder" in signatures
    page.get_by_role("link", name=f"Send til {POSTMOTTAK}").click()
    page.get_by_role("heading", name="Send brevet til kommunen").wait_for()
    where = _visible_text(page.locator("#mottakere").locator(".."))
    assert f"Til {POSTMOTTAK}" in where
    assert "Kopi (Cc) Vilde Vik (Venstre) <vilde@example.org>" in where
    assert "Svar til (Reply-To) lise@example.org" in where
    attachment = _visible_text(page.locator("#vedlegg").locator(".."))
    assert re.search(r"\.pdf – \d+ sider?,", attachment), attachment
    cosigners = page.locator("#medunderskrifter").locator("..").get_by_role("listitem").all_inner_texts()
    assert cosigners == ["Idrettslaget Ørn (Ola Olsen, styreleder)", "Nabolagskoret (Kari Korsvik, nestleder)"]
    assert page.get_by_text("Underskrifter samles fortsatt inn.").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Bekreft og send til {POSTMOTTAK}").click()
    page.get_by_text(f"Brevet er sendt til {POSTMOTTAK}.").wait_for()
    assert_accessible(page)

    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    sent = email_to(POSTMOTTAK, letter.reference)
    assert sent.subject == f"{letter.reference}: {subject}"
    assert (sent.cc, sent.reply_to) == (["vilde@example.org"], ["lise@example.org"])
    assert [(name, mimetype) for name, _content, mimetype in sent.attachments] == [
        (f"{letter.reference}.pdf", "application/pdf")
    ]
    assert "Auto-Submitted" not in sent.extra_headers
    assert f"Vedlagt er eit brev frå arbeidsgruppa {GROUP}" in sent.body
    confirmation = email_to("lise@example.org", f"{letter.reference}: brevet er sendt")
    assert f"Emne: {subject}" in " ".join(confirmation.body.split())

    # Nothing has come back yet: the follow-up says so.
    page.get_by_role("link", name="Lag en purring").click()
    page.get_by_role("heading", name="Lag en purring").wait_for()
    assert "Vi har enno ikkje fått svar." in _visible_text(page.get_by_role("main"))
    assert_accessible(page)
    page.get_by_role("link", name="Tilbake til brevet").click()

    today = timezone.localdate()
    page.get_by_label("Mottatt").fill(today.isoformat())
    page.get_by_label("Type svar").select_option(label="Foreløpig svar")
    type_lines(
        page.get_by_label("Sammendrag"),
        ["Kommunen svarer innen utgangen av februar.", "Saksbehandler er Siri Sakseth."],
    )
    page.get_by_role("button", name="Registrer svaret").click()
    page.get_by_text("Svaret er registrert.").wait_for()
    answers = _visible_text(page.locator("#svar").locator(".."))
    assert "Foreløpig svar" in answers and "Saksbehandler er Siri Sakseth." in answers
    assert_accessible(page)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.PRELIMINARY

    # The follow-up now thanks for the preliminary answer and asks for the real one.
    page.get_by_role("link", name="Lag en purring").click()
    offer = _visible_text(page.get_by_role("main"))
    assert "Takk for det førebelse svaret av " in offer
    assert "Vi har enno ikkje fått eit endeleg svar." in offer
    assert "Vi har enno ikkje fått svar." not in offer
    assert_accessible(page)

    # Three weeks on, the group is not reminded of an inquiry that has been answered in part.
    Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now() - datetime.timedelta(days=22))
    assert correspondence_sweeps.reminders_sweep() == 0
    assert [m.subject for m in emails_to("lise@example.org")] == [confirmation.subject]
