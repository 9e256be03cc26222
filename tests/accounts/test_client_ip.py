"""Rate limits count per client address: the one the trusted reverse proxies report."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.adapters import client_ip
from tests.accounts.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def _login(client, email, password, *, forwarded_for, remote_addr=PROXY):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _fail_ten_logins(client, *, forwarded_for):
    # allauth allows ten failed logins a minute per address; different emails keep the per-email
    # limit out of it.
    for attempt in range(10):
        _login(client, f"ukjent{attempt}@example.org", "feil", forwarded_for=forwarded_for(attempt))


def test_behind_one_proxy_spoofed_entries_do_not_dodge_the_login_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    _fail_ten_logins(client, forwarded_for=lambda attempt: f"192.0.2.{attempt}, 203.0.113.7")

    _login(client, user.email, PASSWORD, forwarded_for="192.0.2.200, 203.0.113.7")
    assert "_auth_user_id" not in client.session

    # Another client behind the same proxy has a count of its own.
    response = _login(client, user.email, PASSWORD, forwarded_for="198.51.100.9")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    user = UserFactory()
    _fail_ten_logins(client, forwarded_for=lambda attempt: f"203.0.113.{attempt}")

    _login(client, user.email, PASSWORD, forwarded_for="198.51.100.9")
    assert "_auth_user_id" not in client.session

    response = _login(client, user.email, PASSWORD, forwarded_for="203.0.113.1", remote_addr="10.0.0.3")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("count", "forwarded_for", "expected"),
    [
        (0, "203.0.113.7", PROXY),
        (1, "192.0.2.1, 203.0.113.7", "203.0.113.7"),
        (2, "192.0.2.1, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, "2001:db8::1", "2001:db8::1"),
        (2, "203.0.113.7", PROXY),  # shorter than the proxy chain: not through the proxies
        (1, "192.0.2.1, ikke-en-adresse", PROXY),
        (1, "", PROXY),
    ],
)
def test_client_ip_counts_trusted_proxies_from_the_right(settings, count, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected
