"""Settings for the test suite: the environment's database, services and a fast hasher."""

import os

# Tests run with the production-like settings (DEBUG off), whatever the shell says.
os.environ["DEBUG"] = "False"
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-the-checks-0123456789")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# The live server for browser tests speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# Unit tests run tasks in-process; the integration tests start real workers with their own settings.
CELERY_TASK_ALWAYS_EAGER = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Static files come straight from the finders; tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The schema tests call the WSGI application as a client that sends `Host: localhost`.
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "localhost"]  # noqa: F405
