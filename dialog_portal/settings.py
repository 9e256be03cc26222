"""Settings for Dialogportal, read from the environment.

With nothing set, the portal runs on the embedded default: SQLite, tasks in-process and mail to
the console and to .eml files under var/mail. Production sets DATABASE_URL, REDIS_URL, EMAIL_URL,
SECRET_KEY and ALLOWED_HOSTS (see README.md).
"""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
PORTAL_NAME = env.str("PORTAL_NAME", default="Dialogportal")
# Enhetsregisteret's open API (Brønnøysundregistrene), for "Hent fra Enhetsregisteret" and import_brreg.
BRREG_API_URL = env.str("BRREG_API_URL", default="https://data.brreg.no/enhetsregisteret/api")
BRREG_TIMEOUT = env.float("BRREG_TIMEOUT", default=5.0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "organizations",
    "meetings",
    "correspondence",
    "notifications",
    "ninja",
    "opendata",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dialog_portal.middleware.RefuseNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "dialog_portal.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "opendata.middleware.OpenDataMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dialog_portal.languages.PageLanguageMiddleware",
    "dialog_portal.headers.PrivateCacheMiddleware",
]

ROOT_URLCONF = "dialog_portal.urls"
WSGI_APPLICATION = "dialog_portal.wsgi.application"

# The portal's own template tag libraries, in both engines.
TEMPLATE_LIBRARIES = {
    "dates": "dialog_portal.dates",
    "languages": "dialog_portal.languages",
    "permissions": "dialog_portal.permissions",
}
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "libraries": TEMPLATE_LIBRARIES,
        },
    },
    {
        # Plain-text emails and subjects (notifications.mailer): the same templates, nothing
        # HTML-escaped, since the text goes into a text/plain part or a header.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "autoescape": False,
            "libraries": TEMPLATE_LIBRARIES,
        },
    },
]

if not env.str("DATABASE_URL", default=""):
    # The embedded default keeps its SQLite file in var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    from . import sqlite

    sqlite.register()
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https" if not DEBUG else "http")
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# allauth's rate limits stay at their defaults (on); they are counted in the cache below, per
# client address: the one the TRUSTED_PROXY_COUNT reverse proxies in front of the portal report in
# X-Forwarded-For (accounts.adapters.client_ip), REMOTE_ADDR when there is none.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("Engelsk"))]
# The portal's catalogue first; then its Nynorsk for the library texts it shows that have none of
# their own (django-allauth), which would otherwise fall back to the libraries' Bokmål.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_libraries"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REDIS_URL = env.str("REDIS_URL", default="")
# Open data (/api/): requests per client address (as for the sign-in limits, behind
# TRUSTED_PROXY_COUNT proxies) in each window of this many seconds; past it the answer is 429.
OPENDATA_RATE_LIMIT = env.int("OPENDATA_RATE_LIMIT", default=300)
OPENDATA_RATE_WINDOW = env.int("OPENDATA_RATE_WINDOW", default=60)

if REDIS_URL:
    # While Redis is down, each process counts rate limits and caches feeds in its own memory
    # (logged) instead of failing the request: see dialog_portal/cache.py.
    CACHES = {
        "default": {
            "BACKEND": "dialog_portal.cache.RedisCacheWithLocalFallback",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages for visitors who are not signed in are served whole from the cache
# (dialog_portal.pagecache); PUBLIC_PAGE_CACHE=False builds every page for every request.
PUBLIC_PAGE_CACHE = env.bool("PUBLIC_PAGE_CACHE", default=True)

# Celery: with no REDIS_URL the tasks run in-process, so the embedded default needs no broker.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_PREFETCH_MULTIPLIER", default=4)
# The portal's tasks mostly wait on the mail server and the database: twice as many worker
# processes as cores keep the cores busy while some of them wait.
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=2 * (os.cpu_count() or 1))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery would close a worker's database connection after every task; dialog_portal.celery closes
# it by CONN_MAX_AGE instead, and Celery only recycles it after this many tasks.
CELERY_DB_REUSE_MAX = 1000
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# A message a dead worker held comes back after the visibility timeout; the outbox sweep does not
# wait for it (NOTIFICATIONS_REENQUEUE_AFTER), so Redis's hour is fine.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "socket_connect_timeout": 3,
}

# Outgoing email (notifications app). Times in seconds.
# Emails recorded together (in one transaction, or found by one outbox sweep) go to the worker in
# tasks of this many; the time limit below is for one such task.
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=25)
NOTIFICATIONS_SEND_TIME_LIMIT = env.int("NOTIFICATIONS_SEND_TIME_LIMIT", default=60)
# A row left 'sending' longer than this belongs to a worker that died: the hard time limit above
# has killed any task still at it, so another worker may send it. Must exceed the time limit.
NOTIFICATIONS_STALE_AFTER = env.int("NOTIFICATIONS_STALE_AFTER", default=NOTIFICATIONS_SEND_TIME_LIMIT + 30)
if NOTIFICATIONS_STALE_AFTER <= NOTIFICATIONS_SEND_TIME_LIMIT:
    raise ImproperlyConfigured("NOTIFICATIONS_STALE_AFTER must be longer than NOTIFICATIONS_SEND_TIME_LIMIT.")
# A pending email handed to the broker this long ago and still not claimed is handed over again.
NOTIFICATIONS_REENQUEUE_AFTER = env.int("NOTIFICATIONS_REENQUEUE_AFTER", default=300)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=6)
NOTIFICATIONS_RETRY_BACKOFF = env.int("NOTIFICATIONS_RETRY_BACKOFF", default=30)
NOTIFICATIONS_SWEEP_INTERVAL = env.int("NOTIFICATIONS_SWEEP_INTERVAL", default=60)

# How long personal data is kept (days; README, "How long data is kept"). Daily sweeps remove
# what is older, so the periods hold after downtime too.
# The content of emails sent (or failed) this long ago is cleared; the record that it went stays.
NOTIFICATIONS_KEEP_CONTENT_DAYS = env.int("NOTIFICATIONS_KEEP_CONTENT_DAYS", default=90)
# Invitations never accepted are deleted this long after they expired.
INVITATIONS_KEEP_DAYS = env.int("INVITATIONS_KEEP_DAYS", default=30)
# Requests to join an association that were declined, or never answered, this long ago are deleted.
MEMBERSHIP_REQUESTS_KEEP_DAYS = env.int("MEMBERSHIP_REQUESTS_KEEP_DAYS", default=365)
# The needs registrants stated (interpretation, accessibility, diet) are cleared this long after the meeting.
MEETINGS_KEEP_NEEDS_DAYS = env.int("MEETINGS_KEEP_NEEDS_DAYS", default=30)
RETENTION_SWEEP_INTERVAL = 60 * 60 * 24

# Periodic work: idempotent sweeps ("send what is due and not yet sent"), so a missed run or a
# second beat costs nothing. With no REDIS_URL, `manage.py run_sweeps` runs them beside the dev
# server. Apps add their sweeps here.
CELERY_BEAT_SCHEDULE = {
    "notifications-outbox-sweep": {
        "task": "notifications.tasks.sweep_outbox",
        "schedule": NOTIFICATIONS_SWEEP_INTERVAL,
        "options": {"expires": NOTIFICATIONS_SWEEP_INTERVAL},
    },
    "meetings-reminders": {
        "task": "meetings.tasks.send_due_reminders",
        "schedule": 15 * 60,
        "options": {"expires": 15 * 60},
    },
    "meetings-volunteer-day-nudges": {
        "task": "meetings.tasks.send_volunteer_day_nudges",
        "schedule": 60 * 60,
        "options": {"expires": 60 * 60},
    },
    # Owners of agreed actions, a week before the due date and when it has passed.
    "meetings-action-reminders": {
        "task": "meetings.tasks.send_action_reminders",
        "schedule": 60 * 60,
        "options": {"expires": 60 * 60},
    },
    # Working groups are reminded when the municipality has not answered their letter.
    "correspondence-follow-up-reminders": {
        "task": "correspondence.tasks.follow_up_reminders_sweep",
        "schedule": 60 * 60 * 6,
        "options": {"expires": 60 * 60 * 6},
    },
    # Retention: each removes what is older than its period (above), whenever it runs.
    **{
        name: {"task": task, "schedule": RETENTION_SWEEP_INTERVAL, "options": {"expires": RETENTION_SWEEP_INTERVAL}}
        for name, task in [
            ("notifications-clear-old-content", "notifications.tasks.clear_old_email_content"),
            ("organizations-delete-expired-invitations", "organizations.tasks.delete_expired_invitations"),
            ("organizations-delete-old-membership-requests", "organizations.tasks.delete_old_membership_requests"),
            ("correspondence-delete-expired-invitations", "correspondence.tasks.delete_expired_invitations"),
            ("accounts-clear-expired-sessions", "accounts.tasks.clear_expired_sessions"),
            ("meetings-clear-registration-needs", "meetings.tasks.clear_registration_needs"),
        ]
    },
}

EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    # smtp:// (and smtp+tls://, smtp+ssl://) choose Django's SMTP backend.
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "dialog_portal.mail.ConsoleAndFileBackend"
EMAIL_FILE_PATH = env.path("EMAIL_FILE_PATH", default=VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Dialogportal <noreply@dialogportal.no>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Only the portal's own scripts, styles, fonts and images (Bootstrap's CSS draws some icons as
# data: SVGs); no inline script or style, no plug-ins, no framing, forms post only to the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the portal never uses, switched off for every page (dialog_portal/headers.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint reports each stylesheet it parses (its own, on import) at INFO.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}
