"""Signing up answers the same way, after the same work, whether or not the address has an account."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from accounts.emails import ACCOUNT_MESSAGE
from notifications.models import OutgoingEmail
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    encoded = 0

    def encode(self, password, salt):
        CountingHasher.encoded += 1
        return super().encode(password, salt)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.test_signup_outbox.CountingHasher"]
    CountingHasher.encoded = 0
    return CountingHasher


def _signup(client, email):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Nora Ny",
            "email": email,
            "password1": "Sterkt-passord-2026",
            "password2": "Sterkt-passord-2026",
        },
    )


def _sign_up_and_watch(client, email, hasher, django_capture_on_commit_callbacks):
    """Sign up; what happened during the request, and what went out after its commit."""
    hasher.encoded = 0
    with django_capture_on_commit_callbacks() as callbacks:
        response = _signup(client, email)
        sent_during_request = list(mail.outbox)
    hashed = hasher.encoded
    rows = list(OutgoingEmail.objects.filter(kind=ACCOUNT_MESSAGE.key, recipient_email=email))
    for callback in callbacks:
        callback()
    client.logout()
    return response, sent_during_request, hashed, rows


def test_signup_with_a_taken_address_sends_after_the_request_through_the_outbox(
    client, counting_hasher, django_capture_on_commit_callbacks
):
    UserFactory(email="finnes@example.org")
    response, sent_during_request, _hashed, rows = _sign_up_and_watch(
        client, "finnes@example.org", counting_hasher, django_capture_on_commit_callbacks
    )
    assert response.status_code == 302
    assert sent_during_request == []
    assert len(rows) == 1
    assert rows[0].state == OutgoingEmail.State.PENDING
    assert "finnes@example.org" in rows[0].context["message_text"]
    # After the commit the outbox sends it: allauth's "you already have an account" email.
    assert [message.to for message in mail.outbox] == [["finnes@example.org"]]
    assert "/konto/password/reset/" in mail.outbox[0].body


def test_signup_with_a_new_and_a_taken_address_do_the_same_work(
    client, counting_hasher, django_capture_on_commit_callbacks
):
    UserFactory(email="finnes@example.org")
    new = _sign_up_and_watch(client, "ny@example.org", counting_hasher, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    taken = _sign_up_and_watch(client, "finnes@example.org", counting_hasher, django_capture_on_commit_callbacks)

    for response, sent_during_request, hashed, rows in (new, taken):
        assert response.status_code == 302
        assert response.url == reverse("account_email_verification_sent")
        assert sent_during_request == []  # no mail server inside the request
        assert hashed == 1  # one password hashed: the new account's, or a throwaway one
        assert len(rows) == 1  # one email recorded in the outbox
    assert new[0].url == taken[0].url
