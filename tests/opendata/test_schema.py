"""The API answers as its OpenAPI schema says, checked with schemathesis against the live API.

The schema is read from /api/v1/openapi.json as a client reads it, and schemathesis generates
requests from it (valid ones and invalid ones: wrong types, values out of range, strings with
NUL, unknown parameters) and holds every answer to it: never a server error, only documented
status codes, content types and headers, and bodies that match their schema. It runs over
public data like the portal's (verified and pending associations, published, cancelled and draft
meetings, a published letter with an answer) without a key and with a staff key, and then walks
every list page by page and reads every public object, so real rows are checked too, not only
the empty lists and 404s that random input mostly reaches.

The run is deterministic (derandomised, no example database) and bounded in examples, so it
takes the same time and finds the same things in every run.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from correspondence.models import Letter
from meetings.models import Meeting, Registration
from opendata.tokens import api_token_create
from organizations.models import Association, Category, Language, Need, TargetGroup
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.opendata.conftest import add_answer
from tests.organizations.factories import AssociationFactory, DistrictFactory

API = "/api/v1"
schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", get_wsgi_application())

EXAMPLES = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    # The data is made once per operation and only read; the requests do not change it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class OpenData:
    key: str
    municipality: str
    associations: list[str]
    languages: list[str]
    target_group: str
    need: str
    meetings: list[int]
    letters: list[int]


@pytest.fixture
def _one_connection(db):
    """Requests go through the WSGI application in the test's own transaction. Its handler would
    close the database connection at the start and end of each request (Django's
    close_old_connections), which would end that transaction; the test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def open_data(_one_connection, municipality, other_municipality, staff_user, make_letter):
    district = DistrictFactory(municipality=municipality, code="460101", name="Bergenhus")
    sports = Category.objects.get(slug="idrett")
    public = AssociationFactory(
        municipality=municipality,
        district=district,
        name="Bergen Sjakklubb",
        slug="bergen-sjakklubb",
        categories=[sports],
        website="https://sjakk.example.no",
        public_email="post@sjakk.example.no",
        founded_year=1920,
        member_count=40,
    )
    languages = list(Language.objects.order_by("slug")[:2])
    public.activity_languages.set(languages)
    target_group = TargetGroup.objects.order_by("slug").first()
    public.target_groups.set([target_group])
    need = Need.objects.order_by("slug").first()
    public.needs.set([need])
    registered = AssociationFactory(
        municipality=other_municipality,
        name="Oslo Kor",
        slug="oslo-kor",
        org_number="974760673",
        source=Association.Source.BRREG,
    )
    pending = AssociationFactory(municipality=municipality, name="Nytt lag", status=Association.Status.PENDING)
    AssociationFactory(municipality=municipality, name="Skjult lag", status=Association.Status.HIDDEN)

    meeting = MeetingFactory(
        municipality=municipality,
        district=district,
        title="Dialogmøte om lokaler",
        capacity=30,
        free_of_charge=True,
        step_free=True,
    )
    meeting.interpretation_languages.set(languages[:1])
    RegistrationFactory(meeting=meeting, association=public, attendees=2, status=Registration.Status.CONFIRMED)
    cancelled = MeetingFactory(
        municipality=other_municipality,
        status=Meeting.Status.CANCELLED,
        cancel_reason="Sykdom",
        mode=Meeting.Mode.ONLINE,
        online_url="https://mote.example.no/123",
    )
    MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT, title="Utkast")

    letter = make_letter(subject="Om frivillighetspolitikk")
    add_answer(letter)
    make_letter(subject="Upublisert", published=False)
    make_letter(subject="Utkast", status=Letter.Status.DRAFT, published=False)

    _token, key = api_token_create(user=staff_user, name="Nettsiden")
    return OpenData(
        key=key,
        municipality=municipality.number,
        associations=[public.slug, registered.slug, pending.slug],
        languages=[language.slug for language in languages],
        target_group=target_group.slug,
        need=need.slug,
        meetings=[meeting.pk, cancelled.pk],
        letters=[letter.pk],
    )


# Query parameters whose value names something: a municipality, a term of a vocabulary, a page.
REFERENCES = ("kommune", "kategori", "sprak", "malgruppe", "behov", "tolking", "cursor")


def _validate(case, **kwargs):
    # The schema can say how such a name is written (four digits, at most 60 characters, at most
    # 500 for a cursor, which is opaque), not whether it names anything. The API answers a name
    # that names nothing with a 400 problem: a mistake by the client, not an empty list. So a
    # request with a generated name is not expected to succeed (positive_data_acceptance); every
    # other check still holds for it. Real names are sent in
    # test_every_list_page_and_public_object_conforms, which follows the cursors the API writes.
    named = any((case.query or {}).get(name) for name in REFERENCES)
    return case.call_and_validate(excluded_checks=[positive_data_acceptance] if named else [], **kwargs)


@schema.parametrize()
@EXAMPLES
def test_every_answer_conforms(case, open_data):
    _validate(case)


@schema.include(path_regex="/associations").parametrize()
@EXAMPLES
def test_every_answer_to_a_staff_key_conforms(case, open_data):
    _validate(case, headers={"Authorization": f"Bearer {open_data.key}"})


def _walk(path, query, headers):
    """Every page of a list, two rows at a time, following links.next as a client does."""
    operation = schema[path]["GET"]
    rows = []
    query = {**query, "limit": 2}
    while True:
        response = _validate(operation.Case(query=query), headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        rows += body["data"]
        if body["links"]["next"] is None:
            return rows
        query = {**query, "cursor": parse_qs(urlsplit(body["links"]["next"]).query)["cursor"][0]}


def test_every_list_page_and_public_object_conforms(open_data):
    for headers in ({}, {"Authorization": f"Bearer {open_data.key}"}):
        associations = _walk(f"{API}/associations", {}, headers)
        assert {row["slug"] for row in associations} >= set(open_data.associations[:2])
        assert _walk(f"{API}/associations", {"q": "sjakk"}, headers)
        assert _walk(f"{API}/associations", {"kommune": open_data.municipality, "kategori": "idrett"}, headers)
        meetings = _walk(f"{API}/meetings", {}, headers)
        assert {row["id"] for row in meetings} == set(open_data.meetings)
        features = {"tilrettelegging": ["free_of_charge", "step_free"], "tolking": open_data.languages[0]}
        assert _walk(f"{API}/meetings", {"kommune": open_data.municipality, **features}, headers)
        terms = {"sprak": open_data.languages[0], "malgruppe": open_data.target_group, "behov": open_data.need}
        assert _walk(f"{API}/associations", terms, headers)
        assert [row["id"] for row in _walk(f"{API}/letters", {}, headers)] == open_data.letters
        assert _walk(f"{API}/municipalities", {}, headers)
        for vocabulary in ("categories", "needs", "target-groups", "languages"):
            response = _validate(schema[f"{API}/{vocabulary}"]["GET"].Case(), headers=headers)
            assert response.status_code == 200 and response.json()["data"]
        for path, name, values in (
            (f"{API}/municipalities/{{number}}", "number", [open_data.municipality]),
            (f"{API}/associations/{{slug}}", "slug", open_data.associations),
            (f"{API}/meetings/{{meeting_id}}", "meeting_id", open_data.meetings),
            (f"{API}/letters/{{letter_id}}", "letter_id", open_data.letters),
        ):
            for value in values:
                case = schema[path]["GET"].Case(path_parameters={name: value})
                response = _validate(case, headers=headers)
                # The pending association is there only for the key of its municipality's staff.
                expected = 404 if value == open_data.associations[2] and not headers else 200
                assert response.status_code == expected, (path, value, response.text)
