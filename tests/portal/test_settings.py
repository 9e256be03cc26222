import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import get_connection, send_mail

from dialog_portal import settings as portal_settings
from dialog_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "dialog_portal.settings", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="dialog.example.no",
        DATABASE_URL="sqlite:////tmp/dialogportal-deploy-check.sqlite3",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_embedded_default_needs_no_services():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.TIME_ZONE, s.USE_TZ)",
        DEBUG="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "dialog_portal.mail.ConsoleAndFileBackend",
        "Europe/Oslo",
        "True",
    ]


def test_services_come_from_the_environment():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_HOST)",
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/dialogportal",
        REDIS_URL="redis://127.0.0.1:6379/3",
        EMAIL_URL="smtp://mail.example.org:587",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "redis://127.0.0.1:6379/3",
        "False",
        "mail.example.org",
    ]


@pytest.mark.django_db
def test_console_and_file_backend_keeps_an_eml_file(tmp_path, settings):
    connection = get_connection("dialog_portal.mail.ConsoleAndFileBackend", file_path=tmp_path)
    send_mail("Hei Åse", "Innhold med æøå", "fra@example.org", ["til@example.org"], connection=connection)
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    assert b"Subject: =?utf-8?" in files[0].read_bytes()


def test_celery_app_reads_django_settings():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == 120
    assert app.main == "dialog_portal"


def test_an_smtp_url_sends_with_djangos_smtp_backend(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp+tls://mail.example.org:587")
    try:
        reloaded = importlib.reload(portal_settings)
        assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
        assert (reloaded.EMAIL_HOST, reloaded.EMAIL_PORT, reloaded.EMAIL_USE_TLS) == ("mail.example.org", 587, True)
    finally:
        monkeypatch.delenv("EMAIL_URL")
        importlib.reload(portal_settings)
