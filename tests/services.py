"""Finding the real services that integration and browser tests need.

A test that needs PostgreSQL, Redis, an SMTP server or Chromium skips with the reason when the
service is absent, and fails instead when REQUIRE_SERVICES=1 (as CI sets it).
"""

import os
import shutil

import pytest
import redis
from django.db import connection

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def unavailable(reason: str):
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason)


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def xdist_worker() -> str:
    """The pytest-xdist worker running this process ("gw0", "gw1", …), or "main" without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def xdist_worker_index() -> int:
    """0 without xdist, else the worker's number: parallel workers never share a Redis database."""
    worker = xdist_worker()
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else 0


def require_redis():
    url = redis_url()
    if not url:
        unavailable("REDIS_URL is not set")

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        unavailable(f"Redis at {url} does not answer: {error}")
    return url


def require_postgresql():
    if connection.vendor != "postgresql":
        unavailable(f"the test database is {connection.vendor}, not PostgreSQL (set DATABASE_URL)")


def require_chromium():
    if not (os.path.exists(CHROMIUM_PATH) or shutil.which("chromium")):
        unavailable(f"Chromium is not installed at {CHROMIUM_PATH} (apt-get install chromium)")
    return CHROMIUM_PATH
