"""schema.org descriptions of public pages, for search engines (JSON-LD).

Built from the same public fields as the API: a meeting page describes its Event, an association
profile its Organization. Absolute addresses use SITE_URL, as the sitemap does.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from meetings.models import Meeting

SCHEMA = "https://schema.org/"
ATTENDANCE_MODES = {
    Meeting.Mode.IN_PERSON: "OfflineEventAttendanceMode",
    Meeting.Mode.ONLINE: "OnlineEventAttendanceMode",
    Meeting.Mode.HYBRID: "MixedEventAttendanceMode",
}
# As django.utils.html.json_script does: nothing in the data can close the script element.
ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _municipality(municipality) -> dict:
    return {"@type": "GovernmentOrganization", "name": municipality.official_name}


def meeting_event(meeting: Meeting) -> dict:
    physical = {
        "@type": "Place",
        "name": meeting.venue_name,
        "address": {"@type": "PostalAddress", "streetAddress": meeting.venue_address, "addressCountry": "NO"},
    }
    virtual = {"@type": "VirtualLocation", "url": meeting.online_url or absolute(meeting.get_absolute_url())}
    location = {
        Meeting.Mode.IN_PERSON: physical,
        Meeting.Mode.ONLINE: virtual,
        Meeting.Mode.HYBRID: [physical, virtual],
    }[meeting.mode]
    cancelled = meeting.status == Meeting.Status.CANCELLED
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.title,
        "description": meeting.description,
        "url": absolute(meeting.get_absolute_url()),
        "startDate": timezone.localtime(meeting.starts_at).isoformat(),
        "endDate": timezone.localtime(meeting.ends_at).isoformat(),
        "eventStatus": SCHEMA + ("EventCancelled" if cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + ATTENDANCE_MODES[meeting.mode],
        "location": location,
        "isAccessibleForFree": meeting.free_of_charge,
        "inLanguage": "nn" if meeting.municipality.written_standard == "nn" else "nb",
        "organizer": {**_municipality(meeting.municipality), "url": absolute(reverse("meetings:calendar"))},
    }
    if meeting.capacity is not None and getattr(meeting, "seats_taken", None) is not None:
        data["remainingAttendeeCapacity"] = max(meeting.capacity - meeting.seats_taken, 0)
    return data


def association_organization(association) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": association.name,
        "url": absolute(association.get_absolute_url()),
        "description": association.description,
        "areaServed": _municipality(association.municipality),
    }
    if association.org_number:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "organisasjonsnummer",
            "value": association.org_number,
        }
    if association.website:
        data["sameAs"] = association.website
    if association.public_email:
        data["email"] = association.public_email
    if association.public_phone:
        data["telephone"] = association.public_phone
    if association.founded_year:
        data["foundingDate"] = str(association.founded_year)
    return data


def json_ld(data: dict) -> str:
    """A <script type="application/ld+json"> element: data, which the CSP does not treat as script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308 (escaped above)
