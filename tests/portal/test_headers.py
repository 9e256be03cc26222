"""The security headers: Content-Security-Policy, Permissions-Policy and Cache-Control."""

import re

import pytest
from django.urls import reverse

from correspondence import services as correspondence_services
from meetings.models import Meeting
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I)


@pytest.fixture
def portal(municipality, staff_user):
    association = AssociationFactory(municipality=municipality, name="Nabolagskoret")
    member = MembershipFactory(association=association).user
    meeting = MeetingFactory(municipality=municipality)
    draft = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    RegistrationFactory(meeting=meeting, user=member)
    leader = UserFactory(full_name="Lise Leder")
    group = WorkingGroupFactory(municipality=municipality)
    GroupMembershipFactory(group=group, user=leader, is_leader=True)
    letter = correspondence_services.letter_create(group=group, user=leader)
    return {
        "association": association,
        "member": member,
        "meeting": meeting,
        "draft": draft,
        "leader": leader,
        "group": group,
        "letter": letter,
    }


def _public_pages(portal, municipality):
    return [
        reverse("home"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        reverse("organizations:directory"),
        reverse("organizations:association_detail", args=[portal["association"].slug]),
        reverse("meetings:calendar"),
        reverse("meetings:volunteer_day"),
        reverse("meetings:detail", args=[portal["meeting"].pk]),
        reverse("correspondence:groups"),
    ]


def _personal_pages(portal, municipality):
    """(user, URL) pairs: personal pages and downloads, each for someone who may see it."""
    member, leader, letter = portal["member"], portal["leader"], portal["letter"]
    return [
        ("member", member, reverse("accounts:profile")),
        ("member", member, reverse("accounts:personal_data")),
        ("member", member, reverse("meetings:my_registrations")),
        ("member", member, reverse("notifications:settings")),
        ("leader", leader, reverse("correspondence:group_detail", args=[portal["group"].pk])),
        ("leader", leader, reverse("correspondence:letter_detail", args=[letter.pk])),
        ("leader", leader, reverse("correspondence:letter_docx", args=[letter.pk])),
        ("staff", None, reverse("organizations:associations_export", args=[municipality.number])),
        ("staff", None, reverse("meetings:registrations_csv", args=[portal["meeting"].pk])),
        ("staff", None, reverse("meetings:preview", args=[portal["draft"].pk])),
        ("staff", None, reverse("meetings:staff_meetings", args=[municipality.number])),
    ]


def test_every_page_has_a_policy_of_only_the_portals_own_scripts_and_styles(client, portal, municipality):
    for url in _public_pages(portal, municipality):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy


def test_pages_carry_no_inline_script_or_style_the_policy_would_block(client, portal, municipality, staff_user):
    pages = [(None, url) for url in _public_pages(portal, municipality)]
    pages += [(user or staff_user, url) for _role, user, url in _personal_pages(portal, municipality)]
    for user, url in pages:
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        if not response["Content-Type"].startswith("text/html"):
            continue
        content = response.content.decode()
        assert not INLINE_SCRIPT.search(content), (url, INLINE_SCRIPT.search(content).group(0))
        assert not INLINE_STYLE.search(content), (url, INLINE_STYLE.search(content).group(0))


def test_browser_features_the_portal_never_uses_are_switched_off(client):
    policy = client.get(reverse("home"))["Permissions-Policy"]
    features = dict(part.strip().split("=") for part in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert features[feature] == "()"


def test_personal_pages_and_downloads_are_not_stored(client, portal, municipality, staff_user):
    for _role, user, url in _personal_pages(portal, municipality):
        client.force_login(user or staff_user)
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, (url, response["Cache-Control"])


def test_public_pages_for_anonymous_visitors_may_be_stored(client, portal, municipality):
    # allauth's sign-in and sign-up pages say never_cache themselves; the rest is the portal's.
    pages = [url for url in _public_pages(portal, municipality) if not url.startswith("/konto/")]
    for url in [*pages, reverse("meetings:municipality_feed", args=["4601"])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_a_view_that_sets_its_own_cache_control_keeps_it(client, portal):
    # Django's admin login page says never_cache itself (no-cache, no-store, must-revalidate, private).
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "must-revalidate" in response["Cache-Control"]
