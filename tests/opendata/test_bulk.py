"""Bulk downloads of the directory and the calendar: CSV and JSON Lines, streamed, public data only."""

import csv
import gc
import io
import json
import tracemalloc

import pytest

from meetings.models import Meeting
from opendata import bulk
from organizations.models import Association, Category
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/downloads/associations.csv",
    "/api/v1/downloads/associations.jsonl",
    "/api/v1/downloads/meetings.csv",
    "/api/v1/downloads/meetings.jsonl",
]


def _body(response) -> str:
    assert response.status_code == 200
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def _csv(response) -> list[dict]:
    text = _body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def _jsonl(response) -> list[dict]:
    return [json.loads(line) for line in _body(response).splitlines()]


def test_associations_as_csv_and_json_lines_hold_what_the_api_shows(client, municipality):
    idrett = Category.objects.get(slug="idrett")
    AssociationFactory(municipality=municipality, name="Bergen Sjakklubb", categories=[idrett], source="brreg")
    response = client.get("/api/v1/downloads/associations.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="foreninger-alle.csv"' in response["Content-Disposition"]
    assert 'rel="license"' in response["Link"]
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = _csv(response)
    assert [row["name"] for row in rows] == ["Bergen Sjakklubb"]
    assert rows[0]["municipality.number"] == "4601"
    assert rows[0]["categories"] == "idrett"
    assert rows[0]["attribution"] == "Kilde: Dialogportal, Kilde: Brønnøysundregistrene"
    assert rows[0]["no_contact_with_municipality"] == "nei"

    response = client.get("/api/v1/downloads/associations.jsonl")
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    lines = _jsonl(response)
    assert lines == client.get("/api/v1/associations").json()["data"]


def test_meetings_as_csv_and_json_lines_hold_the_calendar(client, municipality):
    MeetingFactory(municipality=municipality, title="Dialogmøte om idrett", step_free=True)
    MeetingFactory(municipality=municipality, title="Utkast", status=Meeting.Status.DRAFT)
    rows = _csv(client.get("/api/v1/downloads/meetings.csv"))
    assert [row["title"] for row in rows] == ["Dialogmøte om idrett"]
    assert rows[0]["features.step_free"] == "ja"
    assert rows[0]["starts_at"].endswith(("+01:00", "+02:00"))
    assert rows[0]["links.ics"].startswith("http://testserver/")
    assert _jsonl(client.get("/api/v1/downloads/meetings.jsonl")) == client.get("/api/v1/meetings").json()["data"]


def test_csv_neutralises_formulas(client, municipality):
    AssociationFactory(municipality=municipality, name='=HYPERLINK("https://evil.example")', description="+1+1")
    MeetingFactory(municipality=municipality, title="@SUM(A1:A2)")
    association = _csv(client.get("/api/v1/downloads/associations.csv"))[0]
    assert association["name"] == '\'=HYPERLINK("https://evil.example")'
    assert association["description"] == "'+1+1"
    assert _csv(client.get("/api/v1/downloads/meetings.csv"))[0]["title"] == "'@SUM(A1:A2)"
    # JSON Lines is data, not a spreadsheet: the text is as written.
    assert _jsonl(client.get("/api/v1/downloads/associations.jsonl"))[0]["name"].startswith("=HYPERLINK")


def test_one_municipality_only(client, municipality, other_municipality):
    AssociationFactory(municipality=municipality, name="Bergen Turlag")
    AssociationFactory(municipality=other_municipality, name="Oslo Turlag")
    MeetingFactory(municipality=municipality, title="Møte i Bergen")
    MeetingFactory(municipality=other_municipality, title="Møte i Oslo")
    response = client.get("/api/v1/downloads/associations.csv", {"kommune": "0301"})
    assert 'filename="foreninger-0301.csv"' in response["Content-Disposition"]
    assert [row["name"] for row in _csv(response)] == ["Oslo Turlag"]
    assert [row["name"] for row in _jsonl(client.get("/api/v1/downloads/associations.jsonl", {"kommune": "4601"}))] == [
        "Bergen Turlag"
    ]
    assert [row["title"] for row in _csv(client.get("/api/v1/downloads/meetings.csv", {"kommune": "4601"}))] == [
        "Møte i Bergen"
    ]
    assert [row["title"] for row in _jsonl(client.get("/api/v1/downloads/meetings.jsonl", {"kommune": "0301"}))] == [
        "Møte i Oslo"
    ]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("kommune", ["9999", "abc", "=1+1"])
def test_unknown_municipality_is_a_clear_problem(client, url, kommune):
    response = client.get(url, {"kommune": kommune})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"].startswith("Ukjent kommunenummer")


def test_no_private_field_or_object_in_any_download(client, municipality):
    AssociationFactory(
        municipality=municipality,
        name="Offentlig lag",
        contact_name="Hemmelig Kontakt",
        contact_email="hemmelig.kontakt@example.org",
        contact_phone="+47 999 99 999",
    )
    for status in ("pending", "rejected", "hidden"):
        AssociationFactory(
            municipality=municipality, name=f"Hemmelig {status}-lag", slug=f"hemmelig-{status}", status=status
        )
    MeetingFactory(municipality=municipality, title="Offentlig møte")
    MeetingFactory(municipality=municipality, title="Hemmelig utkast", status=Meeting.Status.DRAFT)
    for url in URLS:
        for params in ({}, {"kommune": municipality.number}):
            text = _body(client.get(url, params))
            assert "Offentlig" in text, url
            assert "hemmelig" not in text.lower(), url
            assert "999 99 999" not in text, url
    header = _csv(client.get("/api/v1/downloads/associations.csv"))[0].keys()
    assert not {"contact_name", "contact_email", "contact_phone", "status", "status_reason"} & set(header)


def test_downloads_are_linked_from_the_directory_and_the_calendar(client, municipality):
    MeetingFactory(municipality=municipality)  # the calendar offers only municipalities with meetings
    directory = client.get("/foreninger/", {"kommune": "4601"}).content.decode()
    assert 'href="/api/v1/downloads/associations.csv?kommune=4601"' in directory
    assert 'href="/api/v1/downloads/associations.jsonl"' in directory
    calendar = client.get("/moter/", {"municipality": "4601"}).content.decode()
    assert 'href="/api/v1/downloads/meetings.csv?kommune=4601"' in calendar
    assert 'href="/api/v1/downloads/meetings.jsonl"' in calendar


def _held_while_streaming(client, count, municipality):
    """Lines streamed, and the most memory held at any point of the stream (garbage collected)."""
    AssociationFactory.create_batch(count - Association.objects.count(), municipality=municipality)
    gc.collect()
    tracemalloc.start()
    response = client.get("/api/v1/downloads/associations.jsonl")
    lines, held = 0, 0
    for _chunk in response.streaming_content:
        lines += 1
        if lines % 50 == 0:
            # Model instances refer to each other, so they wait for the cycle collector; what is
            # still held after a collection is what the stream keeps.
            gc.collect()
            held = max(held, tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    return lines, held


def test_streamed_in_chunks_so_memory_stays_flat(client, municipality, monkeypatch):
    monkeypatch.setattr(bulk, "CHUNK_SIZE", 50)
    small_lines, small_held = _held_while_streaming(client, 200, municipality)
    large_lines, large_held = _held_while_streaming(client, 2_000, municipality)
    assert (small_lines, large_lines) == (200, 2_000)
    # Ten times the rows, about the same memory: the rows are never all held at once.
    assert large_held < small_held * 1.5
