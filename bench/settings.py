"""Settings for bench/pages.py: the portal's production settings (DEBUG off, PostgreSQL, Redis)
served over plain HTTP on loopback, with the bare page of bench/urls.py beside the portal.

Only what a loopback measurement needs differs from production: no redirect to HTTPS, cookies
not marked Secure (the load generator speaks plain HTTP), static files named without the
manifest (the bench never runs collectstatic), and no per-client limit on the open-data API (the
load generator is one client making thousands of requests a second).
"""

import os

os.environ["DEBUG"] = "False"
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-that-is-long-enough-for-the-checks-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("CONN_MAX_AGE", "60")  # as in production (README)
os.environ.setdefault("LOG_LEVEL", "WARNING")

from dialog_portal.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
OPENDATA_RATE_LIMIT = 10**9
# Static files come from the finders: the bench never runs collectstatic, and its pages' links to
# static files are not requested.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
