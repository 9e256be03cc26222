"""One way for each kind of thing: a service's refusal reaches the page through
dialog_portal.service_errors, services set values through model_assign, and emails are named by
the kinds their app registers in emails.py."""

import re
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory

from dialog_portal.service_errors import show_as_messages, show_on_form
from dialog_portal.updates import model_assign
from organizations.models import Association

APPS = ["accounts", "organizations", "meetings", "correspondence"]


class NameForm(forms.Form):
    name = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_field_error_lands_on_its_field_and_the_rest_above_the_form():
    form = NameForm(data={"name": "Korps"})
    assert form.is_valid()
    show_on_form(form, ValidationError({"name": "Navnet er tatt.", "slug": "Adressen er tatt."}))
    assert form.errors["name"] == ["Navnet er tatt."]
    assert form.non_field_errors() == ["Adressen er tatt."]


def test_a_refusal_without_fields_is_said_above_the_form():
    form = NameForm(data={"name": "Korps"})
    form.is_valid()
    show_on_form(form, PermissionDenied("Bare medlemmer av arbeidsgruppen kan gjøre dette."))
    assert form.non_field_errors() == ["Bare medlemmer av arbeidsgruppen kan gjøre dette."]


def test_refusals_become_messages():
    request = _request()
    show_as_messages(request, ValidationError(["Brevet er sendt og kan ikke endres.", "Prøv igjen."]))
    show_as_messages(request, PermissionDenied("Du har ikke tilgang."))
    assert [str(message) for message in get_messages(request)] == [
        "Brevet er sendt og kan ikke endres.",
        "Prøv igjen.",
        "Du har ikke tilgang.",
    ]


def test_model_assign_sets_only_the_named_fields_and_saves_nothing():
    association = Association(name="Før", description="Før")
    assert model_assign(instance=association, data={"name": "Etter", "status": "verified"}, fields=["name"]) == ["name"]
    assert (association.name, association.status) == ("Etter", Association.Status.PENDING)
    assert association.pk is None


@pytest.mark.parametrize("app", APPS)
def test_views_have_no_error_helper_of_their_own(app):
    views = Path(app, "views.py").read_text()
    assert not re.search(r"^def _(report|show_errors|add_errors)\b", views, re.M)
    assert not re.search(r"for message in error\.messages:", views)


@pytest.mark.parametrize("app", APPS)
def test_emails_are_named_by_their_registered_kind(app):
    for path in Path(app).rglob("*.py"):
        if "migrations" in path.parts or path.name == "emails.py":
            continue
        assert not re.search(r"""kind=["'](accounts|organizations|meetings|correspondence)\.""", path.read_text()), path
