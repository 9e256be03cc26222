import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts import personal_data
from accounts.models import User
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signup(client, email="ny@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Nora Ny",
            "email": email,
            "password1": "Sterkt-passord-2026",
            "password2": "Sterkt-passord-2026",
        },
    )


def test_email_is_the_login_and_is_normalised():
    user = User.objects.create_user("Ola.Nordmann@Example.ORG", "x", full_name="Ola Nordmann")
    assert user.email == "ola.nordmann@example.org"
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(user, "username")


def test_signup_sends_verification_and_blocks_login_until_verified(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="ny@example.org")
    assert user.full_name == "Nora Ny"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ny@example.org"]

    client.logout()
    response = client.post(reverse("account_login"), {"login": "ny@example.org", "password": "Sterkt-passord-2026"})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(reverse("account_login"), {"login": "ny@example.org", "password": "Sterkt-passord-2026"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_pages_are_norwegian_by_default(client):
    response = client.get(reverse("account_signup"))
    content = response.content.decode()
    assert '<html lang="nb">' in content
    assert "Fullt navn" in content
    assert "Passord" in content


def test_signing_up_with_a_taken_email_reveals_nothing_and_tells_the_owner(client, django_capture_on_commit_callbacks):
    UserFactory(email="finnes@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, email="finnes@example.org")
    # The page looks like any sign-up, so nobody learns which addresses have accounts here;
    # the owner of the address is told by email instead.
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email="finnes@example.org").count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["finnes@example.org"]


def test_failed_logins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "feil"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_password_reset_sends_a_link(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert "/konto/password/reset/key/" in mail.outbox[0].body


def test_personal_data_download_contains_what_we_hold(client):
    user = UserFactory(full_name="Æsa Øvrebø", phone="+47 900 00 000")
    client.force_login(user)
    response = client.get(reverse("accounts:personal_data"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["full_name"] == "Æsa Øvrebø"
    assert data["account"]["phone"] == "+47 900 00 000"
    assert data["email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]


def test_personal_data_requires_login(client):
    response = client.get(reverse("accounts:personal_data"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_account_can_be_deleted(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:delete"))
    assert "administratoren" in page.content.decode()
    response = client.post(reverse("accounts:delete"), {"confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert "_auth_user_id" not in client.session


def test_deletion_needs_confirmation(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {})
    assert response.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()


def test_deletion_blockers_stop_deletion_and_are_shown(client, monkeypatch):
    user = UserFactory()
    monkeypatch.setattr(personal_data, "_blockers", [lambda u: ["Du er eneste administrator for Testlaget."]])
    client.force_login(user)
    page = client.get(reverse("accounts:delete"))
    assert "Du er eneste administrator for Testlaget." in page.content.decode()
    response = client.post(reverse("accounts:delete"), {"confirm": "on"}, follow=True)
    assert User.objects.filter(pk=user.pk).exists()
    assert "Kontoen kan ikke slettes" in response.content.decode()


def test_profile_edit_saves_language_and_phone(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Nytt Navn", "phone": "12345678", "preferred_language": "en"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.phone, user.preferred_language) == ("Nytt Navn", "12345678", "en")


def test_switching_the_pages_to_english_keeps_the_emails_in_norwegian(client, django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="nb")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "nb"

    # Signed out, still reading in English, the person asks for a new password: it comes in Norwegian.
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert "passord" in mail.outbox[0].subject.lower()
    assert "Password" not in mail.outbox[0].subject


def test_the_language_switch_says_the_emails_keep_their_language(client):
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("set_language"), {"language": "nb", "next": "/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="nb">' in page
    assert (
        "Sidene vises nå på norsk bokmål. E-post fra portalen kommer fortsatt på engelsk. "
        "Språket i e-post kan du endre under Min konto."
    ) in page
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_the_email_language_is_set_on_the_profile_and_shown_with_the_notification_settings(client):
    user = UserFactory(preferred_language="nb")
    client.force_login(user)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Språk i e-post" in profile
    assert "Språket på sidene velger du med språkknappen." in profile
    client.post(reverse("accounts:profile"), {"full_name": user.full_name, "phone": "", "preferred_language": "en"})
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "E-post fra portalen sendes på engelsk, uansett hvilket språk du leser sidene på." in page


def test_verification_email_follows_the_preferred_language(client, django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="en", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert "Confirm" in subject
    assert "Bekreft" not in subject
