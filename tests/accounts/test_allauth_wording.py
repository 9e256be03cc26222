"""allauth's emails name the portal, and its pages and emails speak the portal's own Bokmål."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse

from accounts.services import site_sync
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ODD_PHRASES = ["Bekreftelsese", "Vennligst", "vennligst", "Glemt ditt passord", "example.com", "og/eller"]


def _domain(settings):
    return urlsplit(settings.SITE_URL).netloc


def _assert_plain(text):
    for phrase in ODD_PHRASES:
        assert phrase not in text, phrase


def test_the_site_is_named_after_the_portal_settings(settings):
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == (settings.PORTAL_NAME, _domain(settings))

    settings.PORTAL_NAME = "Frivillig Bergen"
    settings.SITE_URL = "https://frivillig.bergen.kommune.no"
    site_sync()
    site = Site.objects.get(pk=settings.SITE_ID)
    assert (site.name, site.domain) == ("Frivillig Bergen", "frivillig.bergen.kommune.no")


def test_the_confirmation_email_names_the_portal_and_its_domain(client, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "Nora Ny",
                "email": "nora@example.org",
                "password1": "Sterkt-passord-2026",
                "password2": "Sterkt-passord-2026",
            },
            follow=True,
        )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"[{settings.PORTAL_NAME}] Bekreft e-postadressen din"
    assert f"en konto på {settings.PORTAL_NAME} ({_domain(settings)})" in message.body
    assert message.body.startswith("Hei!")
    _assert_plain(message.subject + message.body)

    page = response.content.decode()
    assert "Vi har sendt en e-post med en lenke til nora@example.org." in page
    _assert_plain(page)
    confirm = re.search(r"https?://[^/\s]+(/konto/confirm-email/\S+)", message.body).group(1)
    page = client.get(confirm).content.decode()
    assert "Trykk på knappen for å bekrefte at nora@example.org er din e-postadresse." in page
    _assert_plain(page)
    page = client.post(confirm, follow=True).content.decode()
    assert "Adressen nora@example.org er bekreftet." in page
    _assert_plain(page)


def test_the_password_reset_email_names_the_portal_and_its_domain(client, settings, django_capture_on_commit_callbacks):
    UserFactory(email="ola@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "ola@example.org"}, follow=True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"[{settings.PORTAL_NAME}] Nytt passord"
    assert f"kontoen din på {settings.PORTAL_NAME} ({_domain(settings)})" in message.body
    _assert_plain(message.subject + message.body)
    _assert_plain(response.content.decode())

    reset = re.search(r"https?://[^/\s]+(/konto/password/reset/key/\S+)", message.body).group(1)
    page = client.get(reset, follow=True).content.decode()
    assert "Velg nytt passord" in page
    _assert_plain(page)


@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password", "account_email_verification_sent"]
)
def test_the_account_pages_read_plainly(client, name):
    page = client.get(reverse(name)).content.decode()
    _assert_plain(page)


def test_the_login_page_offers_a_new_password_in_plain_words(client):
    page = client.get(reverse("account_login")).content.decode()
    assert "Har du glemt passordet?" in page
    UserFactory(email="ola@example.org")
    page = client.post(reverse("account_login"), {"login": "ola@example.org", "password": "feil"}).content.decode()
    assert "E-postadressen eller passordet er feil." in page
    _assert_plain(page)


def test_the_change_password_page_reads_plainly(client):
    client.force_login(UserFactory())
    page = client.post(reverse("account_change_password"), {"oldpassword": "", "password1": PASSWORD}).content.decode()
    assert "Bytt passord" in page
    _assert_plain(page)


def test_the_email_addresses_page_speaks_the_portals_bokmaal(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("account_email")).content.decode()
    assert "E-postadressene dine" in page
    assert "Send bekreftelseslenken på nytt" in page
    for stiff in ("assosiert", "verifikasjon", "Re-send", "Email Addresses"):
        assert stiff not in page, stiff
    _assert_plain(page)
