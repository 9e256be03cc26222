"""Cached page parts (dialog_portal.versions): a change to their sources shows on the next request."""

import re

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from dialog_portal import versions
from meetings import services as meeting_services
from meetings.models import Meeting
from organizations import services as organization_services
from organizations.models import Category, Language
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory, MunicipalityFactory

DIRECTORY = reverse("organizations:directory")
CALENDAR = reverse("meetings:calendar")


def _options(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select[^>]* id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_a_new_version_at_every_bump_and_again_at_commit(db, django_capture_on_commit_callbacks):
    first = versions.current("directory")
    assert versions.current("directory") == first
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        versions.bump("directory")
        during = versions.current("directory")
        assert during != first
    assert versions.current("directory") not in (first, during)


def test_every_request_builds_anew_while_redis_is_away(monkeypatch):
    # The portal's backend says so with redis_available; then no process's version can be trusted.
    monkeypatch.setattr(cache, "redis_available", False, raising=False)
    assert versions.current("calendar-filters") != versions.current("calendar-filters")


def test_directory_filter_lists_the_first_verified_association_of_a_municipality_at_once(client, staff_user):
    bergen = staff_user.staff_roles.get().municipality
    AssociationFactory(municipality=bergen)
    voss = MunicipalityFactory(number="4621", name="Voss")
    pending = AssociationFactory(municipality=voss, status="pending")
    assert "Voss" not in _options(client.get(DIRECTORY).content.decode(), "id_kommune")
    assert "Voss" not in _options(client.get(DIRECTORY).content.decode(), "id_kommune")  # now from the cache

    organization_services.association_verify(association=pending, by=staff_user)

    assert "Voss" in _options(client.get(DIRECTORY).content.decode(), "id_kommune")


def test_a_renamed_category_shows_in_the_directory_filter_on_the_next_request(client, municipality):
    AssociationFactory(municipality=municipality)
    client.get(DIRECTORY)
    category = Category.objects.get(slug="idrett")
    category.name = "Idrett og friluftsliv"
    category.save()

    html = client.get(DIRECTORY).content.decode()
    assert "Idrett og friluftsliv" in _options(html, "id_kategori")
    # The counts beside the list name it too.
    assert "Idrett og friluftsliv</a>" in html


def test_the_selected_filter_stays_selected_with_the_cached_lists(client, municipality):
    AssociationFactory(municipality=municipality)
    client.get(DIRECTORY)
    html = client.get(DIRECTORY, {"kommune": municipality.number}).content.decode()
    assert f'<option value="{municipality.number}" selected>' in html
    assert f'<option value="{municipality.number}" selected>' not in client.get(DIRECTORY).content.decode()


def test_calendar_filter_lists_a_municipality_once_its_first_meeting_is_published(client, municipality):
    MeetingFactory(municipality=municipality)
    voss = MunicipalityFactory(number="4621", name="Voss")
    draft = MeetingFactory(municipality=voss, status=Meeting.Status.DRAFT)
    assert not any("Voss" in option for option in _options(client.get(CALENDAR).content.decode(), "id_municipality"))

    meeting_services.meeting_publish(meeting=draft)

    assert any("Voss" in option for option in _options(client.get(CALENDAR).content.decode(), "id_municipality"))


def test_a_renamed_language_shows_in_the_calendar_filter_on_the_next_request(client, municipality):
    MeetingFactory(municipality=municipality)
    client.get(CALENDAR)
    language = Language.objects.get(slug="uk")
    language.name = "Ukrainsk (українська)"
    language.save()

    assert any("українська" in option for option in _options(client.get(CALENDAR).content.decode(), "id_language"))


@pytest.mark.parametrize("query", [{"date_from": "ikke-en-dato"}, {"features": ["food"], "kind": ["dialogmote"]}])
def test_the_calendar_filter_shows_what_was_asked_for_and_its_errors(client, municipality, query):
    MeetingFactory(municipality=municipality)
    html = client.get(CALENDAR, query).content.decode()
    if "date_from" in query:
        assert 'aria-invalid="true" aria-describedby="id_date_from_errors"' in html
        assert 'id="id_date_from_errors"' in html
    else:
        assert re.search(r'value="food" id="id_features_\d+" checked', html)
        assert re.search(r'value="dialogmote" id="id_kind_\d+" checked', html)
    # Another query gets its own panel, not this one from the cache.
    assert "checked" not in client.get(CALENDAR).content.decode().split('id="filter-tittel"')[1].split("</form>")[0]


def test_the_municipal_feed_answers_304_until_a_meeting_in_it_changes(client, municipality):
    meeting = MeetingFactory(municipality=municipality, title="Første tittel")
    url = reverse("meetings:municipality_feed", args=[municipality.number])
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    meeting.title = "Ny tittel"
    meeting.save()

    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "Ny tittel" in changed.content.decode()
    assert changed["ETag"] != etag
    assert client.get(reverse("meetings:municipality_feed", args=["9999"])).status_code == 404


def test_the_directory_shows_each_change_to_an_association_on_the_next_request(client, municipality, staff_user):
    sports = Category.objects.get(slug="idrett")
    culture = Category.objects.get(slug="kunst-og-kultur")
    association = AssociationFactory(municipality=municipality, name="Sjakklubben", categories=[sports])
    pending = AssociationFactory(municipality=municipality, name="Ventende lag", status="pending")
    assert "Sjakklubben" in client.get(DIRECTORY).content.decode()
    assert "Sjakklubben" in client.get(DIRECTORY, {"kategori": "idrett"}).content.decode()  # both pages cached now

    association.name = "Sjakk- og bridgeklubben"
    association.save()
    association.categories.set([culture])  # links only: no save of the association

    html = client.get(DIRECTORY).content.decode()
    assert "Sjakk- og bridgeklubben" in html and "Sjakklubben" not in html
    assert "Sjakk- og bridgeklubben" not in client.get(DIRECTORY, {"kategori": "idrett"}).content.decode()
    assert "Sjakk- og bridgeklubben" in client.get(DIRECTORY, {"kategori": "kunst-og-kultur"}).content.decode()
    assert "Ventende lag" not in html

    organization_services.association_verify(association=pending, by=staff_user)
    assert "Ventende lag" in client.get(DIRECTORY).content.decode()


def test_signed_in_users_never_get_the_page_cached_for_visitors(client, municipality, staff_user):
    AssociationFactory(municipality=municipality, name="Godkjent lag")
    AssociationFactory(municipality=municipality, name="Ventende lag", status="pending")
    assert "Ventende lag" not in client.get(DIRECTORY).content.decode()
    client.force_login(staff_user)
    assert "Ventende lag" in client.get(DIRECTORY).content.decode()
    client.logout()
    assert "Ventende lag" not in client.get(DIRECTORY).content.decode()
