"""The open-data API under /api/v1/: every resource, its filters and pagination, and what every
response carries (licence, ETag and 304, CORS, problem details, the rate limit)."""

import base64
import datetime
import json

import pytest
from django.core.cache import cache

from meetings.models import Meeting
from organizations.models import Association, Category, Language
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.opendata.conftest import add_answer
from tests.organizations.factories import AssociationFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

NLOD = "https://data.norge.no/nlod/no/2.0"


def _get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["license"]["url"] == NLOD
    assert "Kilde: Dialogportal" in body["attribution"]
    return body


def test_municipalities_list_and_detail(client, municipality):
    municipality.political_leader_name = "Marte Mjøs Persen"
    municipality.postal_address = "Postboks 7700\n5020 Bergen"
    municipality.written_standard = "nb"
    municipality.save()
    MunicipalityFactory(number="9999", name="Nedlagt", active=False)
    body = _get(client, "/api/v1/municipalities")
    assert [row["number"] for row in body["data"]] == ["4601"]
    row = body["data"][0]
    assert row == {
        "number": "4601",
        "name": "Bergen",
        "county": {"number": "46", "name": "Vestland"},
        "written_standard": "nb",
        "after_work_start": "17:00",
        "official_email": municipality.official_email,
        "postal_address": "Postboks 7700\n5020 Bergen",
        "political_leader": {"title": "Ordfører", "name": "Marte Mjøs Persen"},
        "administrative_leader": {"title": "Kommunedirektør", "name": "Ola Nordmann"},
    }
    assert _get(client, "/api/v1/municipalities/4601")["data"] == row
    assert client.get("/api/v1/municipalities/9999").status_code == 404


@pytest.mark.parametrize(
    ("path", "model"),
    [("categories", Category), ("languages", Language), ("needs", None), ("target-groups", None)],
)
def test_vocabularies_in_three_languages(client, path, model):
    if model is Category:
        Category.objects.filter(slug="idrett").update(name_nn="Idrett", name_en="Sports")
    body = _get(client, f"/api/v1/{path}")
    assert body["data"], "the vocabularies come with the portal's default terms"
    assert set(body["data"][0]["name"]) == {"nb", "nn", "en"}
    if model is Category:
        assert {"slug": "idrett", "name": {"nb": "Idrett", "nn": "Idrett", "en": "Sports"}} in body["data"]


def test_associations_only_verified_with_public_fields(client, municipality):
    idrett = Category.objects.get(slug="idrett")
    AssociationFactory(
        municipality=municipality, name="Bergen Sjakklubb", categories=[idrett], website="https://sjakk.example.no"
    )
    for status in ("pending", "rejected", "hidden"):
        AssociationFactory(municipality=municipality, name=f"Laget som er {status}", status=status)
    body = _get(client, "/api/v1/associations")
    assert [row["name"] for row in body["data"]] == ["Bergen Sjakklubb"]
    row = body["data"][0]
    assert row["categories"] == ["idrett"]
    assert row["municipality"] == {"number": "4601", "name": "Bergen"}
    assert row["url"].endswith("/foreninger/" + row["slug"] + "/")
    assert row["source"] == "portal"
    assert body["attribution"] == ["Kilde: Dialogportal"]
    assert not {"contact_name", "contact_email", "contact_phone", "status_reason"} & set(row)
    assert _get(client, f"/api/v1/associations/{row['slug']}")["data"] == row
    pending = Association.objects.get(status="pending")
    assert client.get(f"/api/v1/associations/{pending.slug}").status_code == 404


def test_associations_from_enhetsregisteret_are_credited(client, municipality):
    AssociationFactory(municipality=municipality, name="Importert lag", source="brreg", org_number="988077917")
    body = _get(client, "/api/v1/associations")
    assert body["attribution"] == ["Kilde: Dialogportal", "Kilde: Brønnøysundregistrene"]
    assert body["data"][0]["attribution"] == ["Kilde: Dialogportal", "Kilde: Brønnøysundregistrene"]
    assert body["data"][0]["org_number"] == "988077917"


def test_associations_filters_and_search_as_the_directory(client, municipality, other_municipality):
    idrett = Category.objects.get(slug="idrett")
    AssociationFactory(municipality=municipality, name="Bergen Turlag", description="Vi går på tur i fjellet.")
    AssociationFactory(municipality=municipality, name="Fana Fotball", categories=[idrett])
    AssociationFactory(municipality=other_municipality, name="Oslo Fotball", categories=[idrett])

    def names(**params):
        return [row["name"] for row in _get(client, "/api/v1/associations", **params)["data"]]

    assert names(kommune="4601") == ["Bergen Turlag", "Fana Fotball"]
    assert names(kategori="idrett") == ["Fana Fotball", "Oslo Fotball"]
    assert names(kommune="0301", kategori="idrett") == ["Oslo Fotball"]
    assert names(q="fotball") == ["Fana Fotball", "Oslo Fotball"]
    assert names(q="fjellet") == ["Bergen Turlag"]


@pytest.mark.parametrize(
    "params",
    [
        {"kommune": "12"},
        {"kommune": "1234"},
        {"kategori": "finnes-ikke"},
        {"limit": "0"},
        {"limit": "1000"},
        {"cursor": "ikke-en-peker"},
        {"cursor": "eyJhZnRlciI6WzFdfQ"},
    ],
)
def test_bad_filters_are_400_problems(client, municipality, params):
    response = client.get("/api/v1/associations", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 400 and problem["title"] == "Bad Request" and problem["detail"]
    assert response["Link"] == f'<{NLOD}>; rel="license"'


def _cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "after",
    [
        ["Bergen Sjakklubb", float("inf")],
        ["Bergen\x00Sjakklubb", 1],
        [None, 1],
        ["Bergen Sjakklubb", 1.5],
        [True, 1],
        [["Bergen"], 1],
        [{"name": "Bergen"}, 1],
    ],
    ids=["infinity", "nul", "null", "float", "boolean", "list", "object"],
)
def test_a_cursor_the_api_did_not_write_is_a_400_problem(client, municipality, after):
    """Values no cursor of ours holds: an infinite or NUL one used to end as a server error."""
    AssociationFactory(municipality=municipality, name="Bergen Sjakklubb")
    response = client.get("/api/v1/associations", {"cursor": _cursor({"after": after})})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Ugyldig peker (cursor). Bruk lenken fra links.next."


@pytest.mark.parametrize("value", ["0", "1700000000", "20260517", "2026-5-17", "١٢٣٤-٠٥-١٧", "17.05.2026", ""])
def test_meeting_dates_are_written_yyyy_mm_dd(client, municipality, value):
    """Pydantic alone reads a number as seconds since 1970 (`til=0` was 1 January 1970)."""
    response = client.get("/api/v1/meetings", {"til": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["detail"] == "Ugyldig parameter i forespørselen: til."
    assert problem["errors"] == [
        {"type": "date_format", "loc": ["query", "til"], "msg": "Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2026-05-17."}
    ]


def test_meeting_dates_in_yyyy_mm_dd_filter(client, municipality):
    meeting = MeetingFactory(municipality=municipality)
    day = meeting.starts_at.date().isoformat()
    assert [row["id"] for row in _get(client, "/api/v1/meetings", fra=day, til=day)["data"]] == [meeting.pk]
    assert _get(client, "/api/v1/meetings", til="2000-01-01")["data"] == []


def test_a_request_refused_before_the_api_is_a_problem_too(client, db):
    """A NUL in the query string is refused before any view (RefuseNulMiddleware): under /api/ as
    problem details like every other error there, elsewhere as the portal's page."""
    response = client.get("/api/v1/associations", {"q": "sjakk\x00"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "Forespørselen kunne ikke behandles.",
    }
    assert response["Link"] == f'<{NLOD}>; rel="license"'
    assert response["Access-Control-Allow-Origin"] == "*"
    page = client.get("/foreninger/", {"q": "sjakk\x00"})
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


def test_schema_declares_every_answer_the_api_gives(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["components"]["schemas"]["Problem"]["required"]) == {"type", "title", "status", "detail"}
    assert schema["components"]["securitySchemes"]["staffKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["staffKey"]["description"],
    }
    for path, methods in schema["paths"].items():
        operation = methods["get"]
        responses = operation["responses"]
        codes = {"200", "304", "400", "429"}
        if "{" in path:
            codes.add("404")
        if path.startswith("/api/v1/associations"):
            codes.add("401")
            assert operation["security"] == [{}, {"staffKey": []}]
        assert set(responses) == codes, path
        for code in codes - {"200", "304"}:
            assert responses[code]["content"] == {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            }
        assert responses["200"]["headers"]["ETag"]["required"] is True
        assert responses["429"]["headers"]["Retry-After"]["schema"] == {"type": "integer", "minimum": 1}
        assert "If-None-Match" in [parameter["name"] for parameter in operation["parameters"]]


def test_cursor_pagination_walks_every_row_once_in_a_stable_order(client, municipality):
    for n in range(7):
        AssociationFactory(municipality=municipality, name=f"Lag {n}")
    AssociationFactory(municipality=municipality, name="Lag 3")  # the same name: the key decides
    seen = []
    url, params = "/api/v1/associations", {"limit": 3}
    while url:
        body = _get(client, url, **params)
        seen += [row["slug"] for row in body["data"]]
        url, params = body["links"]["next"], {}
        if url:
            assert url.startswith("http://testserver/api/v1/associations?")
            # A row added before the cursor's position does not shift the next page.
            AssociationFactory(municipality=municipality, name="Aaa nytt lag")
    expected = list(
        Association.objects.filter(name__startswith="Lag").order_by("name", "pk").values_list("slug", flat=True)
    )
    assert seen == expected


def test_search_pages_by_position(client, municipality):
    for n in range(5):
        AssociationFactory(municipality=municipality, name=f"Korps {n}")
    first = _get(client, "/api/v1/associations", q="korps", limit=3)
    second = _get(client, first["links"]["next"])
    names = [row["name"] for row in first["data"] + second["data"]]
    assert sorted(names) == [f"Korps {n}" for n in range(5)]
    assert second["links"]["next"] is None


def test_meetings_calendar_with_features_seats_and_links(client, municipality):
    meeting = MeetingFactory(
        municipality=municipality, title="Dialogmøte om lokaler", capacity=30, free_of_charge=True, step_free=True
    )
    meeting.interpretation_languages.set(Language.objects.filter(slug="en"))
    RegistrationFactory(meeting=meeting, attendees=4)
    RegistrationFactory(meeting=meeting, attendees=2, status="waitlisted")
    MeetingFactory(municipality=municipality, title="Utkast", status=Meeting.Status.DRAFT)
    body = _get(client, "/api/v1/meetings")
    assert [row["title"] for row in body["data"]] == ["Dialogmøte om lokaler"]
    row = body["data"][0]
    assert row["capacity"] == 30 and row["seats_free"] == 26
    assert row["features"]["free_of_charge"] and row["features"]["step_free"] and not row["features"]["food"]
    assert row["features"]["interpretation_languages"] == ["en"]
    start = datetime.datetime.fromisoformat(row["starts_at"])
    assert start == meeting.starts_at and start.utcoffset() in (
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
    )
    assert row["links"]["page"] == f"http://testserver/moter/{meeting.pk}/"
    assert row["links"]["ics"] == f"http://testserver/moter/{meeting.pk}/kalender.ics"
    assert _get(client, f"/api/v1/meetings/{meeting.pk}")["data"] == row
    draft = Meeting.objects.get(title="Utkast")
    assert client.get(f"/api/v1/meetings/{draft.pk}").status_code == 404


def test_meetings_filters(client, municipality, other_municipality):
    MeetingFactory(municipality=municipality, title="Gratis", free_of_charge=True)
    MeetingFactory(municipality=municipality, title="Markedsplass", kind=Meeting.Kind.MARKETPLACE)
    MeetingFactory(municipality=other_municipality, title="Oslo")

    def titles(**params):
        return sorted(row["title"] for row in _get(client, "/api/v1/meetings", **params)["data"])

    assert titles(kommune="4601") == ["Gratis", "Markedsplass"]
    assert titles(tilrettelegging="free_of_charge") == ["Gratis"]
    assert titles(type="markedsplass") == ["Markedsplass"]
    assert client.get("/api/v1/meetings", {"type": "fest"}).status_code == 400
    assert client.get("/api/v1/meetings", {"fra": "i morgen"}).status_code == 400


def test_cancelled_meeting_says_so(client, municipality):
    MeetingFactory(municipality=municipality, status=Meeting.Status.CANCELLED, cancel_reason="Sykdom")
    row = _get(client, "/api/v1/meetings")["data"][0]
    assert row["status"] == "cancelled" and row["cancel_reason"] == "Sykdom"


def test_published_letters_with_answers_and_frozen_pdf(client, make_letter):
    letter = make_letter(subject="Om en frivillighetspolitikk")
    add_answer(letter)
    make_letter(subject="Ikke publisert", published=False)
    body = _get(client, "/api/v1/letters")
    assert [row["subject"] for row in body["data"]] == ["Om en frivillighetspolitikk"]
    row = body["data"][0]
    assert row["pdf"] == {"url": f"http://testserver/henvendelser/brev/{letter.pk}/pdf/", "sha256": "ab" * 32}
    assert [answer["summary"] for answer in row["responses"]] == ["Kommunen takker for brevet."]
    # The links work for anyone.
    assert client.get(row["pdf"]["url"]).status_code == 200
    assert client.get(row["responses"][0]["document_url"]).status_code == 200
    assert _get(client, f"/api/v1/letters/{letter.pk}")["data"] == row


def test_every_get_has_an_etag_and_answers_304(client, municipality, make_letter):
    meeting = MeetingFactory(municipality=municipality)
    association = AssociationFactory(municipality=municipality)
    letter = make_letter()
    for url in (
        "/api/v1/municipalities",
        "/api/v1/municipalities/4601",
        "/api/v1/categories",
        "/api/v1/needs",
        "/api/v1/target-groups",
        "/api/v1/languages",
        "/api/v1/associations",
        f"/api/v1/associations/{association.slug}",
        "/api/v1/meetings",
        f"/api/v1/meetings/{meeting.pk}",
        "/api/v1/letters",
        f"/api/v1/letters/{letter.pk}",
        "/api/v1/openapi.json",
        "/api/v1/docs",
    ):
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["ETag"], url
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == first["ETag"]
    assert client.get("/api/v1/meetings", headers={"If-None-Match": '"stale"'}).status_code == 200


def test_etag_changes_when_the_data_does(client, municipality):
    association = AssociationFactory(municipality=municipality, name="Før")
    first = client.get("/api/v1/associations")
    assert first["Last-Modified"]
    association.name = "Etter"
    association.save()
    again = client.get("/api/v1/associations", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 200
    assert again.json()["data"][0]["name"] == "Etter"
    # Hidden since: the list no longer matches the old tag either.
    association.status = "hidden"
    association.save()
    assert client.get("/api/v1/associations", headers={"If-None-Match": again["ETag"]}).json()["data"] == []


def test_cors_open_for_reading_only(client, municipality):
    response = client.get("/api/v1/municipalities", headers={"Origin": "https://avis.example.no"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/municipalities",
        headers={"Origin": "https://avis.example.no", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    post = client.post("/api/v1/municipalities", headers={"Origin": "https://avis.example.no"})
    assert post.status_code in (403, 405)
    assert "Access-Control-Allow-Origin" not in post
    assert post["Content-Type"] == "application/problem+json"
    # The portal's own pages are not opened to other origins.
    assert "Access-Control-Allow-Origin" not in client.get("/foreninger/", headers={"Origin": "https://x.example"})


def test_unknown_address_is_a_404_problem(client, db):
    response = client.get("/api/v1/finnes-ikke")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_rate_limit_per_client_with_retry_after(client, settings, municipality):
    settings.OPENDATA_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/api/v1/municipalities").status_code == 200
    limited = client.get("/api/v1/municipalities")
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= settings.OPENDATA_RATE_WINDOW
    assert limited["Access-Control-Allow-Origin"] == "*"
    # Another client has its own count.
    assert client.get("/api/v1/municipalities", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_rate_limit_counts_the_client_behind_the_trusted_proxy(client, settings, municipality):
    settings.OPENDATA_RATE_LIMIT = 1
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    assert client.get("/api/v1/municipalities", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 200
    assert client.get("/api/v1/municipalities", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy).status_code == 429
    assert client.get("/api/v1/municipalities", HTTP_X_FORWARDED_FOR="203.0.113.6", **proxy).status_code == 200
    cache.clear()


def test_openapi_schema_lists_every_resource(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/municipalities",
        "/api/v1/municipalities/{number}",
        "/api/v1/categories",
        "/api/v1/needs",
        "/api/v1/target-groups",
        "/api/v1/languages",
        "/api/v1/associations",
        "/api/v1/associations/{slug}",
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/letters",
        "/api/v1/letters/{letter_id}",
    } <= set(schema["paths"])
    assert set(schema["paths"]["/api/v1/associations"]["get"]["parameters"][0]) >= {"name", "in"}


def test_docs_page_is_written_on_the_server_from_the_schema(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    schema = client.get("/api/v1/openapi.json").json()
    assert '<html lang="nb">' in page
    # Every operation of the schema, with its method, path and Norwegian summary, as a heading.
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert f'<h2 id="{operation["operationId"]}">' in page
            assert f"<code>{method.upper()} {path}</code></h2>" in page
            assert operation["summary"] in page
    # Parameters: name, where, type, required and description.
    assert '<th scope="row"><code>kommune</code></th>' in page
    assert "Kommunenummer for vertskommunen." in page
    assert "<code>liste av en av: " in page
    # The response shape, nested fields as dotted paths.
    assert "<code>data[].municipality.number</code>" in page
    assert "<code>links.next</code>" in page
    assert "<code>data[].features.step_free</code>" in page
    # A curl example per operation, the licence, the raw schema, and no script of its own.
    assert "curl -s &#x27;http://testserver/api/v1/associations?kommune=4601&amp;limit=20&#x27;" in page
    assert "curl -s &#x27;http://testserver/api/v1/municipalities/4601&#x27;" in page
    assert 'href="https://data.norge.no/nlod/no/2.0"' in page
    assert "Kilde: Brønnøysundregistrene" in page
    assert 'href="/api/v1/openapi.json"' in page
    assert "swagger" not in page.lower()
    assert "<script" not in page
    assert 'href="/api/v1/downloads/associations.csv"' in page


def test_docs_page_is_in_the_sitemap_and_links_each_operation(client, db):
    page = client.get("/api/v1/docs").content.decode()
    assert '<a href="#opendata_api_meetings">' in page
    assert "/api/v1/docs" in client.get("/sitemap.xml").content.decode()


def test_head_answers_as_get_without_a_body(client, municipality):
    get = client.get("/api/v1/municipalities")
    head = client.head("/api/v1/municipalities")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
