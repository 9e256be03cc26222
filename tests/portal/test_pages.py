import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from organizations.models import Municipality, MunicipalStaff

pytestmark = pytest.mark.django_db


def test_home_page_says_what_the_portal_is_for(client):
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb">' in content
    assert 'href="#innhold"' in content
    assert '<main id="innhold"' in content
    assert "<header" in content and "<footer" in content and "<nav" in content
    assert "Dialog mellom kommunen og lag og foreninger" in content
    assert "Start en arbeidsgruppe" in content


def test_home_page_in_english(client):
    client.cookies["django_language"] = "en"
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in content
    assert "Dialogue between the municipality and local associations" in content


def test_static_assets_are_served_locally(client):
    content = client.get(reverse("home")).content.decode()
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in content
    assert "https://" not in content.split("<body")[0]


def test_demo_data_is_idempotent(capsys):
    call_command("load_demo")
    call_command("load_demo")
    assert Municipality.objects.filter(number="4601").count() == 1
    assert User.objects.filter(email="ansatt@example.org").count() == 1
    assert MunicipalStaff.objects.filter(user__email="ansatt@example.org").count() == 1
    assert "demo-passord-2026" in capsys.readouterr().out
