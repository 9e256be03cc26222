"""Open data shows only what is public, and its lists cost the same queries at 10 and 500 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from correspondence.models import Letter
from meetings.models import Meeting
from organizations.models import Association, Category, Language, Membership
from tests.accounts.factories import UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.opendata.conftest import add_answer
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/municipalities",
    "/api/v1/categories",
    "/api/v1/needs",
    "/api/v1/target-groups",
    "/api/v1/languages",
    "/api/v1/associations",
    "/api/v1/meetings",
    "/api/v1/letters",
]


def _walk(client, url):
    """Every page of a list, following links.next."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, url
        pages.append(response.content.decode())
        url = response.json()["links"]["next"]
    return pages


def test_no_private_field_or_object_ever_appears(client, municipality, make_letter):
    public = AssociationFactory(
        municipality=municipality,
        name="Offentlig lag",
        contact_name="Hemmelig Kontakt",
        contact_email="hemmelig.kontakt@example.org",
        contact_phone="+47 999 99 999",
        status_reason="",
    )
    member = UserFactory(email="hemmelig.medlem@example.org", full_name="Hemmelig Medlem")
    MembershipFactory(association=public, user=member, role=Membership.Role.ADMIN)
    for status in ("pending", "rejected", "hidden"):
        AssociationFactory(
            municipality=municipality, name=f"Hemmelig {status}-lag", status=status, slug=f"hemmelig-{status}"
        )
    meeting = MeetingFactory(municipality=municipality, title="Offentlig møte")
    RegistrationFactory(meeting=meeting, user=member, association=public, accessibility_needs="Hemmelig behov")
    draft = MeetingFactory(municipality=municipality, title="Hemmelig utkast", status=Meeting.Status.DRAFT)
    published = make_letter(subject="Offentlig brev")
    add_answer(published)
    drafts = [
        make_letter(subject=f"Hemmelig {status}-brev", status=status, published=status == "collecting")
        for status in (Letter.Status.DRAFT, Letter.Status.COLLECTING)
    ]
    sent_unpublished = make_letter(subject="Hemmelig upublisert brev", published=False)
    add_answer(sent_unpublished, summary="Hemmelig svar")

    texts = []
    for url in LISTS:
        texts += _walk(client, url)
    details = [
        f"/api/v1/municipalities/{municipality.number}",
        f"/api/v1/associations/{public.slug}",
        f"/api/v1/meetings/{meeting.pk}",
        f"/api/v1/letters/{published.pk}",
    ]
    pages = [
        "/api/v1/openapi.json",
        "/api/v1/docs",
        "/sitemap.xml",
        "/robots.txt",
        public.get_absolute_url(),
        meeting.get_absolute_url(),
    ]
    for url in details:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    # The data never holds a contact field; the schema and the docs name the ones a staff key gets.
    data = "\n".join(texts)
    assert '"private": null' in data.replace('"private":null', '"private": null')
    for field in ("contact_name", "contact_email", "contact_phone"):
        assert field not in data, field
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        texts.append(response.content.decode())
    everything = "\n".join(texts)
    assert "Offentlig lag" in everything and "Offentlig møte" in everything and "Offentlig brev" in everything
    for secret in (
        "Hemmelig",
        "hemmelig",
        "+47 999 99 999",
        "brevkontakt@example.org",
        member.email,
    ):
        assert secret not in everything, secret

    hidden = [f"/api/v1/associations/hemmelig-{status}" for status in ("pending", "rejected", "hidden")]
    hidden += [f"/api/v1/meetings/{draft.pk}", f"/api/v1/letters/{sent_unpublished.pk}"]
    hidden += [f"/api/v1/letters/{letter.pk}" for letter in drafts]
    for url in hidden:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Hemmelig" not in response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def _fill(municipality, make_letter, count, *, start=0):
    idrett = Category.objects.get(slug="idrett")
    english = Language.objects.get(slug="en")
    for n in range(start, start + count):
        association = Association.objects.create(
            municipality=municipality,
            name=f"Lag {n:04d}",
            slug=f"lag-{n:04d}",
            status="verified",
            source="brreg" if n % 2 else "portal",
        )
        association.categories.add(idrett)
        association.activity_languages.add(english)
        meeting = MeetingFactory(municipality=municipality, capacity=50)
        meeting.interpretation_languages.add(english)
        RegistrationFactory(meeting=meeting)
        add_answer(make_letter(), document=False)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/associations?limit=100",
        "/api/v1/meetings?limit=100",
        "/api/v1/letters?limit=100",
        "/api/v1/municipalities?limit=100",
        "/api/v1/categories",
        "/api/v1/associations?kommune=4601&kategori=idrett&limit=100",
    ],
)
def test_list_queries_do_not_grow_with_the_rows(client, municipality, make_letter, url):
    _fill(municipality, make_letter, 10)
    few = _queries(client, url)
    _fill(municipality, make_letter, 490, start=10)
    many = _queries(client, url)
    assert few == many, (few, many)
