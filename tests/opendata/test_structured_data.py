"""schema.org JSON-LD on meeting and association pages, sitemap.xml and robots.txt."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest

from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory, RegistrationFactory, oslo
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db

# The properties search engines require of each type (Google's structured-data rules for Event;
# name and url for Organization), and the values schema.org allows for the enumerations.
EVENT_REQUIRED = {
    "@context",
    "@type",
    "name",
    "startDate",
    "endDate",
    "location",
    "eventStatus",
    "eventAttendanceMode",
    "organizer",
    "inLanguage",
    "isAccessibleForFree",
}
ORGANIZATION_REQUIRED = {"@context", "@type", "name", "url"}
EVENT_STATUSES = {
    f"https://schema.org/{name}"
    for name in ("EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled", "EventMovedOnline")
}
MODES = {f"https://schema.org/{name}EventAttendanceMode" for name in ("Offline", "Online", "Mixed")}
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _json_ld(page: str) -> list[dict]:
    return [json.loads(block) for block in SCRIPT.findall(page)]


def _validate_event(data):
    assert set(data) >= EVENT_REQUIRED
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["eventStatus"] in EVENT_STATUSES and data["eventAttendanceMode"] in MODES
    for key in ("startDate", "endDate"):
        assert datetime.datetime.fromisoformat(data[key]).utcoffset() is not None
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    assert all(location["@type"] in ("Place", "VirtualLocation") for location in locations)
    assert data["organizer"]["@type"] == "GovernmentOrganization" and data["organizer"]["name"]


def test_meeting_page_describes_its_event(client, municipality):
    meeting = MeetingFactory(
        municipality=municipality,
        title="Dialogmøte <om> «lokaler» & økonomi",
        free_of_charge=True,
        capacity=20,
        starts_at=oslo(2030, 6, 12, 18),
        ends_at=oslo(2030, 6, 12, 20),
    )
    RegistrationFactory(meeting=meeting, attendees=5)
    page = client.get(meeting.get_absolute_url()).content.decode()
    (data,) = _json_ld(page)
    _validate_event(data)
    assert data["name"] == "Dialogmøte <om> «lokaler» & økonomi"
    assert data["startDate"] == "2030-06-12T18:00:00+02:00"
    assert data["endDate"] == "2030-06-12T20:00:00+02:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["name"] == "Biblioteket"
    assert data["isAccessibleForFree"] is True
    assert data["inLanguage"] == "nb"
    assert data["organizer"]["name"] == "Bergen kommune"
    assert data["url"] == f"https://dialog.example.no/moter/{meeting.pk}/"
    assert data["remainingAttendeeCapacity"] == 15
    # The text cannot close the script element: <, > and & are escaped inside the JSON.
    block = SCRIPT.search(page).group(1)
    assert "<" not in block and ">" not in block and "&" not in block


def test_cancelled_and_online_meetings(client, municipality):
    cancelled = MeetingFactory(municipality=municipality, status=Meeting.Status.CANCELLED, cancel_reason="Sykdom")
    online = MeetingFactory(municipality=municipality, mode=Meeting.Mode.HYBRID, online_url="https://mote.example.no/1")
    (data,) = _json_ld(client.get(cancelled.get_absolute_url()).content.decode())
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    (data,) = _json_ld(client.get(online.get_absolute_url()).content.decode())
    _validate_event(data)
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [location["@type"] for location in data["location"]] == ["Place", "VirtualLocation"]


def test_draft_preview_has_no_structured_data(client, municipality, staff_user):
    draft = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    client.force_login(staff_user)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert _json_ld(response.content.decode()) == []


def test_association_profile_describes_its_organization(client, municipality):
    association = AssociationFactory(
        municipality=municipality,
        name="Bergen Sjakklubb",
        org_number="988077917",
        website="https://sjakk.example.no",
        public_email="post@sjakk.example.no",
    )
    (data,) = _json_ld(client.get(association.get_absolute_url()).content.decode())
    assert set(data) >= ORGANIZATION_REQUIRED
    assert data["@type"] == "Organization" and data["name"] == "Bergen Sjakklubb"
    assert data["identifier"] == {"@type": "PropertyValue", "propertyID": "organisasjonsnummer", "value": "988077917"}
    assert data["url"] == f"https://dialog.example.no/foreninger/{association.slug}/"
    assert data["email"] == "post@sjakk.example.no"
    assert "Kari Kontakt" not in json.dumps(data) and association.contact_email not in json.dumps(data)


def test_pending_association_page_has_no_structured_data(client, municipality, staff_user):
    pending = AssociationFactory(municipality=municipality, status="pending")
    client.force_login(staff_user)
    response = client.get(pending.get_absolute_url())
    assert response.status_code == 200
    assert _json_ld(response.content.decode()) == []


def test_sitemap_lists_public_pages_only(client, municipality, make_letter):
    public = AssociationFactory(municipality=municipality)
    pending = AssociationFactory(municipality=municipality, status="pending")
    meeting = MeetingFactory(municipality=municipality)
    draft = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    letter = make_letter()
    unpublished = make_letter(published=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    sitemap = ET.fromstring(response.content)  # noqa: S314 (our own response)
    urls = {node.text for node in sitemap.findall("s:url/s:loc", namespace)}
    site = "https://dialog.example.no"
    assert {f"{site}/", f"{site}/foreninger/", f"{site}/moter/", f"{site}/api/v1/docs"} <= urls
    assert f"{site}/foreninger/{public.slug}/" in urls
    assert f"{site}/moter/{meeting.pk}/" in urls
    assert f"{site}/henvendelser/brev/{letter.pk}/" in urls
    assert f"{site}/foreninger/{pending.slug}/" not in urls
    assert f"{site}/moter/{draft.pk}/" not in urls
    assert f"{site}/henvendelser/brev/{unpublished.pk}/" not in urls


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /min-side/" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: https://dialog.example.no/sitemap.xml" in lines
