"""Every URL the portal answers, fed hostile input, answers without a server error.

The patterns come from the resolver, so a new page is walked without touching this file. Each one
is requested as anonymous, as a volunteer who runs an association (and leads a working group)
and as municipal staff:

- with plausible values in its path parts (objects made for the walk, all with the same primary
  key, so that any `<int:…>` reaches its view) and with hostile ones in each part in turn;
- with hostile query strings, every parameter the page's HTML names and the usual filters;
- posted hostile form data in every field the page's HTML names and in the usual ones.

Any 5xx fails, with the request that caused it. The input is fixed, so the walk is the same on
every run.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone

from correspondence import services as correspondence_services
from correspondence.models import GroupInvitation, Response
from meetings.models import Exhibitor, Meeting
from organizations.models import Invitation, Membership, MembershipRequest
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
    PartyLeaderFactory,
)

pytestmark = pytest.mark.django_db

# Far above what the sequences reach in a test run, so that it names only the walk's objects.
PK = 987_654_321
NUMBER = "4601"
SLUG = "fuzz-forening"
TOKEN = "fuzz-invitasjon-abc123"

HOSTILE = {
    "nul": "fuzz\x00",
    "long": "x" * 3000,
    "beyond-bigint": "9" * 25,
    "negative": "-1",
    "superscript": "²",  # "²".isdigit() holds, int("²") fails
    "other-digits": "١٢",  # int() reads these as 12
    "float": "1e400",  # float() makes it infinity, which int() refuses
    "markup": "Ærlig ../../etc/passwd\"'><script>alert(1)</script> 🎉",
    "blank": " ",
    "empty": "",
}
# Hostile path parts: the same, and a slash-free traversal that stays inside one segment.
HOSTILE_PATH = {**{name: quote(value, safe="") for name, value in HOSTILE.items()}, "dot-dot": ".."}

QUERY_NAMES = [
    "q",
    "side",
    "page",
    "status",
    "kategori",
    "category",
    "kommune",
    "sprak",
    "malgruppe",
    "behov",
    "kind",
    "type",
    "year",
    "next",
    "o",
    "p",
    "e",
]
FIELD_NAMES = [
    "action",
    "decision",
    "exhibitor",
    "present",
    "walk_in",
    "association",
    "email",
    "name",
    "text",
    "language",
    "published",
    "channel",
    "status",
    "stand_number",
    "attendees",
    "reason",
    "role",
    "next",
]
# Path parts given a plausible value by name; any other takes one by its converter.
PLAUSIBLE_BY_NAME = {
    "number": NUMBER,
    "slug": SLUG,
    "token": TOKEN,
    "app_label": "organizations",
    "key": "fuzz-key",
    "uidb36": "abc",
    "url": "fuzz",
}
NAME_IN_HTML = re.compile(r"<(?:input|select|textarea|button)\b[^>]*?\bname=\"([^\"]+)\"")
ROUTE_PART = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()\\]|\\.|\([^()]*\))*\)")


@dataclass(frozen=True)
class Walked:
    """One URL pattern: its route split into literal text and named parts."""

    name: str
    pieces: tuple  # a str for literal text, (name, converter) for a part

    @property
    def parts(self) -> list[tuple[str, str]]:
        return [piece for piece in self.pieces if isinstance(piece, tuple)]

    def url(self, values: dict[str, str]) -> str:
        return "/" + "".join(piece if isinstance(piece, str) else values[piece[0]] for piece in self.pieces)


def _pieces(pattern) -> list:
    if isinstance(pattern, RoutePattern):
        text, parts = str(pattern), ROUTE_PART
    elif isinstance(pattern, RegexPattern):
        text, parts = str(pattern).removeprefix("^").removesuffix("$"), REGEX_GROUP
    else:
        raise AssertionError(f"a URL pattern of a kind the walk does not know: {pattern!r}")
    pieces, at = [], 0
    for match in parts.finditer(text):
        pieces.append(text[at : match.start()])
        pieces.append((match["name"], match.groupdict().get("converter") or "str"))
        at = match.end()
    pieces.append(text[at:])
    if isinstance(pattern, RegexPattern):
        pieces = [piece.replace("\\", "") if isinstance(piece, str) else piece for piece in pieces]
        leftover = [piece for piece in pieces if isinstance(piece, str) and re.search(r"[][()*+?|^$]", piece)]
        assert not leftover, f"the walk cannot write a URL for the regular expression {text!r}"
    return [piece for piece in pieces if piece != ""]


def _walk(patterns, prefix: list, namespaces: list):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            spaces = [*namespaces, entry.namespace] if entry.namespace else namespaces
            yield from _walk(entry.url_patterns, [*prefix, *_pieces(entry.pattern)], spaces)
        else:
            assert isinstance(entry, URLPattern)
            pieces = (*prefix, *_pieces(entry.pattern))
            route = "".join(piece if isinstance(piece, str) else f"<{piece[0]}>" for piece in pieces)
            name = ":".join([*namespaces, entry.name or entry.lookup_str])
            yield Walked(name=f"{name} /{route}", pieces=pieces)


ALL_PATTERNS = list(_walk(get_resolver().url_patterns, [], []))


def _plausible(part: tuple[str, str]) -> str:
    name, converter = part
    if name in PLAUSIBLE_BY_NAME:
        return PLAUSIBLE_BY_NAME[name]
    return SLUG if converter == "slug" else str(PK)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One of everything a page can be about, the main objects all under the primary key PK.

    Made once for the module, in a transaction rolled back at its end; each test's own
    transaction rolls back what its requests changed.
    """
    overrides = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        # Registration looks organisation numbers up in Enhetsregisteret: nothing listens here.
        BRREG_API_URL="http://127.0.0.1:9/enhetsregisteret/api",
        BRREG_TIMEOUT=0.2,
    )
    with django_db_blocker.unblock(), overrides, transaction.atomic():
        municipality = MunicipalityFactory(number=NUMBER, name="Bergen")
        PartyLeaderFactory(municipality=municipality, id=PK)
        volunteer = UserFactory(id=PK, full_name="Vera Frivillig")
        staff = MunicipalStaffFactory(id=PK, municipality=municipality).user
        association = AssociationFactory(id=PK, slug=SLUG, municipality=municipality, name="Fuzzkoret")
        MembershipFactory(id=PK, association=association, user=volunteer, role=Membership.Role.ADMIN)
        MembershipFactory(association=association, role=Membership.Role.MEMBER)
        MembershipRequest.objects.create(id=PK, association=association, user=UserFactory())
        Invitation.objects.create(
            id=PK, association=association, email="ny@example.org", token=TOKEN, invited_by=volunteer
        )
        meeting = MeetingFactory(id=PK, municipality=municipality, kind=Meeting.Kind.MARKETPLACE)
        RegistrationFactory(id=PK, meeting=meeting, user=volunteer, association=association)
        Exhibitor.objects.create(id=PK, meeting=meeting, association=association, applied_by=volunteer)
        group = WorkingGroupFactory(id=PK, municipality=municipality)
        GroupMembershipFactory(group=group, user=volunteer, is_leader=True)
        GroupInvitation.objects.create(group=group, email="ny@example.org", token=TOKEN, invited_by=volunteer)
        letter = _renumbered(correspondence_services.letter_create(group=group, user=volunteer), PK)
        Response.objects.create(
            id=PK, letter=letter, received_on=timezone.localdate(), kind=Response.Kind.ANSWER, summary="Takk."
        )
        yield {"anonymous": None, "volunteer": volunteer, "staff": staff}
        transaction.set_rollback(True)


def _renumbered(instance, pk):
    """The instance under a new primary key, with every row that points to it moved along."""
    model = type(instance)
    old = instance.pk
    model._default_manager.filter(pk=old).update(**{model._meta.pk.attname: pk})
    for field in model._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one):
            related = field.remote_field
            field.related_model._base_manager.filter(**{related.attname: old}).update(**{related.attname: pk})
    return model._default_manager.get(pk=pk)


def _field_names(response) -> list[str]:
    if "html" not in response.get("Content-Type", ""):
        return []
    return sorted(set(NAME_IN_HTML.findall(response.content.decode(errors="replace"))))


def _mixed(names: list[str], shift: int = 0) -> dict[str, str]:
    """Each name a different hostile value, so that one request tries many kinds at once."""
    values = list(HOSTILE.values())
    return {name: values[(index + shift) % len(values)] for index, name in enumerate(names)}


class Walker:
    def __init__(self, user):
        self.user = user
        self.client = Client(raise_request_exception=False)
        self.failures = []
        self._sign_in()

    def _sign_in(self):
        if self.user is not None and get_user_model().objects.filter(pk=self.user.pk).exists():
            self.client.force_login(self.user)

    def request(self, method: str, path: str, query: dict | None = None, data: dict | None = None):
        full = f"{path}?{urlencode(query)}" if query else path
        # A savepoint per request: a database error in one leaves the next ones a working connection.
        with transaction.atomic():
            response = getattr(self.client, method)(full, data=data or {})
        if response.status_code >= 500:
            cause = repr(response.exc_info[1]) if response.exc_info else "no exception"
            sent = f" with {data!r}" if data else ""
            self.failures.append(f"{method.upper()} {full!r}{sent} -> {response.status_code}: {cause}"[:600])
        # Signing out (or deleting the account) is a page like any other; the walk goes on signed in.
        session = self.client.cookies.get(django_settings.SESSION_COOKIE_NAME)
        if self.user is not None and (session is None or not session.value):
            self._sign_in()
        return response


def _reaches_a_view(path: str) -> bool:
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return False
    return True


@pytest.mark.parametrize("walked", ALL_PATTERNS, ids=[walked.name for walked in ALL_PATTERNS])
def test_no_url_answers_hostile_input_with_a_server_error(walked, world):
    plausible = {name: _plausible((name, converter)) for name, converter in walked.parts}
    url = walked.url(plausible)
    # The admin site turns away everyone but site staff before any of its views runs
    # (AdminSite.admin_view): there the three roles get one request of each kind, and hostile
    # path parts are only fetched.
    turned_away = walked.name.startswith("admin:")
    values = {"mixed": None} if turned_away else {**HOSTILE, "mixed": None}
    failures = []
    for role, user in world.items():
        walker = Walker(user)
        names = _field_names(walker.request("get", url))
        walker.request("post", url)
        query_names = sorted(set(QUERY_NAMES + names))
        field_names = sorted(set(FIELD_NAMES + names))
        for kind, value in values.items():
            query = _mixed(query_names) if kind == "mixed" else dict.fromkeys(query_names, value)
            walker.request("get", url, query=query)
            walker.request(
                "post", url, data=_mixed(field_names) if kind == "mixed" else dict.fromkeys(field_names, value)
            )
        for name, _converter in walked.parts:
            for shift, value in enumerate(HOSTILE_PATH.values()):
                hostile_url = walked.url({**plausible, name: value})
                if _reaches_a_view(hostile_url):
                    walker.request("get", hostile_url)
                    if not turned_away:
                        walker.request("post", hostile_url, data=_mixed(field_names, shift))
                elif role == "anonymous":
                    walker.request("get", hostile_url)
        failures += [f"[{role}] {failure}" for failure in walker.failures]
    assert not failures, "\n".join(failures)


def test_the_walk_covers_every_app_and_its_parts():
    names = " ".join(walked.name for walked in ALL_PATTERNS)
    for namespace in ("organizations:", "meetings:", "correspondence:", "accounts:", "notifications:", "admin:"):
        assert namespace in names
    assert "account_login" in names
    parts = {name for walked in ALL_PATTERNS for name, _converter in walked.parts}
    assert {"pk", "slug", "number", "token"} <= parts


def test_the_walks_objects_answer_their_plausible_urls(world):
    """The plausible values lead into the views, not to a 404 that would leave their bodies unwalked."""
    walker = Walker(world["volunteer"])
    assert walker.request("get", f"/foreninger/{SLUG}/").status_code == 200
    assert walker.request("get", f"/moter/{PK}/").status_code == 200
    assert walker.request("get", f"/henvendelser/brev/{PK}/rediger/").status_code == 200
    assert walker.request("get", f"/henvendelser/arbeidsgrupper/{PK}/").status_code == 200
    assert walker.request("get", f"/foreninger/invitasjon/{TOKEN}/").status_code == 200
    staff = Walker(world["staff"])
    assert staff.request("get", f"/moter/{PK}/utstillere/").status_code == 200
    assert staff.request("get", f"/kommune/{NUMBER}/rediger/").status_code == 200
    assert not walker.failures and not staff.failures
