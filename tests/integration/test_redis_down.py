"""With Redis stopped, signing in, signing up, password reset, the public pages and the feed work.

The test starts a redis-server of its own on a free port (the shared one is never touched),
points the cache at it, checks that the cache really lives there, stops it and walks the pages.
"""

import logging
import shutil
import subprocess

import pytest
import redis
from django.urls import reverse

from dialog_portal import cache as fallback_cache
from notifications.models import OutgoingEmail
from tests.accounts.factories import PASSWORD, UserFactory
from tests.integration.mailstack import free_port, wait_until
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory, MunicipalityFactory
from tests.services import unavailable

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


@pytest.fixture
def own_redis(tmp_path):
    binary = shutil.which("redis-server")
    if not binary:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    # A free port found by probing can be taken (by a parallel test worker) before redis-server
    # binds it; it then exits at once, and another port is tried.
    for _attempt in range(5):
        port = free_port()
        process = subprocess.Popen(  # noqa: S603 (our own arguments)
            [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", tmp_path],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url, socket_connect_timeout=1)

        def answers(process=process, client=client):
            if process.poll() is not None:
                return True  # exited: nothing to wait for
            try:
                return client.ping()
            except redis.exceptions.ConnectionError:
                return False

        started = wait_until(answers, timeout=10, interval=0.05)
        if started and process.poll() is None:
            break
        process.kill()
        process.wait(timeout=10)
        if not started:
            pytest.fail(f"redis-server on port {port} did not start")
    else:
        pytest.fail("redis-server exited at once on five free ports")
    yield url, process, client
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


def _stop(process):
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_cache(own_redis, settings, monkeypatch):
    url, process, client = own_redis
    # The settings' production cache, pointed at this Redis.
    settings.CACHES = {
        "default": {
            "BACKEND": "dialog_portal.cache.RedisCacheWithLocalFallback",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    # The test walks several pages within seconds; let it see each retry of the dead server.
    monkeypatch.setattr(fallback_cache, "RETRY_AFTER", 0)
    return process, client


def _assert_no_5xx(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"
    return response


def test_pages_work_while_redis_is_down(client, redis_cache, caplog):
    process, redis_client = redis_cache
    municipality = MunicipalityFactory(number="4601", name="Bergen")
    association = AssociationFactory(municipality=municipality)
    meeting = MeetingFactory(municipality=municipality)
    user = UserFactory(email="vera@example.org")
    feed_url = reverse("meetings:municipality_feed", args=[municipality.number])

    # With Redis up, the rate limits and the feed live in Redis.
    assert client.get(feed_url).status_code == 200
    client.post(reverse("account_login"), {"login": user.email, "password": "feil"})
    keys = [key.decode() for key in redis_client.keys("*")]
    assert any("meetings:feed" in key for key in keys), keys
    assert any("allauth" in key for key in keys), keys

    _stop(process)
    with pytest.raises(redis.exceptions.ConnectionError):
        redis_client.ping()

    with caplog.at_level(logging.WARNING, logger="dialog_portal.cache"):
        response = _assert_no_5xx(
            client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}), "login"
        )
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()

    assert any("Redis cache unavailable" in record.getMessage() for record in caplog.records)

    response = _assert_no_5xx(
        client.post(
            reverse("account_signup"),
            {
                "full_name": "Nora Ny",
                "email": "ny@example.org",
                "password1": "Sterkt-passord-2026",
                "password2": "Sterkt-passord-2026",
            },
        ),
        "signup",
    )
    assert response.status_code == 302
    client.logout()

    response = _assert_no_5xx(client.post(reverse("account_reset_password"), {"email": user.email}), "password reset")
    assert response.status_code == 302

    pages = [
        reverse("home"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("organizations:directory"),
        reverse("organizations:association_detail", args=[association.slug]),
        reverse("meetings:calendar"),
        reverse("meetings:volunteer_day"),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:ical", args=[meeting.pk]),
        reverse("correspondence:groups"),
    ]
    for page in pages:
        assert _assert_no_5xx(client.get(page), page).status_code == 200, page

    feed = _assert_no_5xx(client.get(feed_url), "feed")
    assert feed.status_code == 200
    assert meeting.title in feed.content.decode()

    # The rate limit on failed logins still holds, counted in this process.
    for _ in range(6):
        _assert_no_5xx(client.post(reverse("account_login"), {"login": user.email, "password": "feil"}), "login")
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    # The sign-up confirmation and the reset link are in the outbox.
    recipients = set(OutgoingEmail.objects.values_list("recipient_email", flat=True))
    assert {"ny@example.org", user.email} <= recipients
