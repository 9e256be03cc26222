"""Whole public pages cached for visitors who are not signed in (dialog_portal.pagecache): served
without a query, never stale after a change, never one visitor's page for another."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from correspondence.models import Letter, Response
from dialog_portal import pagecache
from meetings.models import Registration
from organizations.models import Association
from organizations.selectors import open_claim_of
from tests.correspondence.factories import WorkingGroupFactory
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

CALENDAR = reverse("meetings:calendar")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_the_second_visitor_gets_the_page_without_a_query(municipality):
    MeetingFactory(municipality=municipality, title="Møte om lokaler")
    first, built = _get(Client(), CALENDAR)
    second, cached = _get(Client(), CALENDAR)
    assert built > 0
    assert cached == 0
    assert "Møte om lokaler" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "nb"


def test_each_visitor_gets_a_token_of_their_own_that_the_language_switch_accepts(municipality):
    MeetingFactory(municipality=municipality)
    Client().get(CALENDAR)
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    tokens = []
    for visitor in visitors:
        response, queries = _get(visitor, CALENDAR)
        assert queries == 0
        assert settings.CSRF_COOKIE_NAME in response.cookies
        tokens.append(TOKEN.search(response.content.decode()).group(1))
        switched = visitor.post(
            reverse("set_language"), {"language": "nn", "next": CALENDAR, "csrfmiddlewaretoken": tokens[-1]}
        )
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]
    # The token of one visitor's page is not the other's: a forged post with it is refused.
    forged = visitors[1].post(reverse("set_language"), {"language": "en", "csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403


def test_a_page_in_another_language_is_cached_apart(municipality):
    MeetingFactory(municipality=municipality)
    Client().get(CALENDAR)
    nb = Client().get(CALENDAR)
    en, _queries = _get(Client(HTTP_ACCEPT_LANGUAGE="en"), CALENDAR)
    assert nb["Content-Language"] == "nb"
    assert en["Content-Language"] == "en"
    assert 'lang="en"' in en.content.decode()
    visitor = Client()
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    nn = visitor.get(CALENDAR)
    assert nn["Content-Language"] == "nn"


def test_a_municipalitys_malform_is_chosen_and_remembered_on_a_cached_page(municipality):
    municipality.written_standard = "nn"
    municipality.save()
    meeting = MeetingFactory(municipality=municipality)
    url = reverse("meetings:detail", args=[meeting.pk])
    Client().get(url)
    visitor = Client()
    response, queries = _get(visitor, url)
    assert queries == 0
    assert response["Content-Language"] == "nn"
    # The cookie that keeps the målform on the next pages is set as by a page built anew.
    assert response.cookies["malform"].value == "nn"


def test_a_change_shows_on_the_next_request_on_every_cached_page(municipality):
    association = AssociationFactory(municipality=municipality, name="Sjakklubben Løperen")
    meeting = MeetingFactory(municipality=municipality, title="Møte om haller")
    pages = {
        "home": reverse("home"),
        "directory": reverse("organizations:directory"),
        "profile": reverse("organizations:association_detail", args=[association.slug]),
        "calendar": CALENDAR,
        "meeting": reverse("meetings:detail", args=[meeting.pk]),
        "feed": reverse("meetings:municipality_feed", args=[municipality.number]),
        "archive": reverse("correspondence:published", args=[municipality.number]),
    }
    for url in pages.values():
        Client().get(url)
        assert _get(Client(), url)[1] == 0

    association.name = "Sjakklubben Dronningen"
    association.save()
    meeting.title = "Møte om idrettshaller"
    meeting.save()

    assert "Sjakklubben Dronningen" in Client().get(pages["directory"]).content.decode()
    assert "Sjakklubben Dronningen" in Client().get(pages["profile"]).content.decode()
    assert "Møte om idrettshaller" in Client().get(pages["calendar"]).content.decode()
    assert "Møte om idrettshaller" in Client().get(pages["meeting"]).content.decode()
    assert "Møte om idrettshaller" in Client().get(pages["feed"]).content.decode()


def test_a_take_over_request_shows_on_the_profile_on_the_next_request(municipality, volunteer):
    association = AssociationFactory(municipality=municipality)
    url = reverse("organizations:association_detail", args=[association.slug])
    Client().get(url)
    assert _get(Client(), url)[1] == 0
    claimant = Client()
    claimant.force_login(volunteer)
    claimed = claimant.post(
        reverse("organizations:association_claim", args=[association.slug]),
        {"reason": "Jeg er leder i laget og vil ta over siden."},
    )
    assert claimed.status_code == 302
    assert open_claim_of(association=association).user == volunteer
    _after, queries = _get(Client(), url)
    assert queries > 0


def test_a_registration_changes_the_seats_left_on_the_next_request(municipality, volunteer):
    meeting = MeetingFactory(municipality=municipality, capacity=10)
    url = reverse("meetings:detail", args=[meeting.pk])
    Client().get(url)
    assert _get(Client(), url)[1] == 0
    Registration.objects.create(meeting=meeting, user=volunteer, attendees=4)
    response, queries = _get(Client(), url)
    assert queries > 0
    assert "6 av 10 ledige" in response.content.decode()


def test_a_letter_page_follows_a_change_to_the_letter(municipality):
    letter = Letter.objects.create(
        group=WorkingGroupFactory(municipality=municipality),
        subject="Om lokaler",
        status=Letter.Status.SENT,
        published=True,
        reference="DP-2026-0001",
        sent_at=timezone.now(),
        sent_on=timezone.localdate(),
    )
    url = reverse("correspondence:letter_detail", args=[letter.pk])
    assert "Svar fra ordføreren" not in Client().get(url).content.decode()
    archive = reverse("correspondence:published", args=[municipality.number])
    Client().get(archive)
    Response.objects.create(
        letter=letter, received_on=timezone.localdate(), kind="answer", summary="Svar fra ordføreren"
    )
    assert "Svar fra ordføreren" in Client().get(url).content.decode()
    assert "Svar registrert: 1" in Client().get(archive).content.decode()


def test_signed_in_users_get_their_own_page(municipality, volunteer):
    MeetingFactory(municipality=municipality)
    Client().get(CALENDAR)
    signed_in = Client()
    signed_in.force_login(volunteer)
    response, queries = _get(signed_in, CALENDAR)
    assert queries > 0
    assert "Logg ut" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_waiting_message_is_shown_on_a_page_built_for_the_visitor(municipality, volunteer):
    MeetingFactory(municipality=municipality)
    Client().get(CALENDAR)
    visitor = Client()
    visitor.force_login(volunteer)
    # Signing out leaves a message for the next page, which the visitor sees signed out.
    visitor.post(reverse("account_logout"))
    page, queries = _get(visitor, CALENDAR)
    assert queries > 0
    assert 'class="messages"' in page.content.decode()
    # Once shown, the next page is the shared one again.
    again, queries = _get(visitor, CALENDAR)
    assert queries == 0
    assert 'class="messages"' not in again.content.decode()


def test_requests_with_credentials_are_never_served_from_the_cache(municipality):
    MeetingFactory(municipality=municipality)
    Client().get(CALENDAR)
    assert _get(Client(), CALENDAR, HTTP_AUTHORIZATION="Bearer abc")[1] > 0


def test_the_feed_answers_304_from_the_cache(municipality):
    MeetingFactory(municipality=municipality)
    url = reverse("meetings:municipality_feed", args=[municipality.number])
    etag = Client().get(url)["ETag"]
    response, queries = _get(Client(), url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert queries == 0


def test_a_page_not_found_is_not_stored(municipality):
    url = reverse("meetings:detail", args=[999_999])
    assert Client().get(url).status_code == 404
    again, queries = _get(Client(), url)
    assert again.status_code == 404
    assert queries > 0  # looked up again, not served from the cache


def test_a_pending_association_is_never_in_a_cached_page(municipality, staff_user):
    pending = AssociationFactory(municipality=municipality, status=Association.Status.PENDING, name="Venter Forening")
    url = reverse("organizations:directory")
    staff = Client()
    staff.force_login(staff_user)
    profile = staff.get(reverse("organizations:association_detail", args=[pending.slug]))
    assert "Venter Forening" in profile.content.decode()
    staff.get(url)
    for visitor_url in (url, reverse("organizations:association_detail", args=[pending.slug])):
        assert "Venter Forening" not in Client().get(visitor_url).content.decode()


def test_unknown_sources_are_refused():
    with pytest.raises(ValueError):
        pagecache.public_page("no-such-version")
