"""manage.py import_brreg: paged from the API, or streamed from a saved page or the bulk file."""

import gzip
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from organizations.models import Association, Membership
from tests.organizations.conftest import FIXTURES
from tests.organizations.factories import AssociationFactory, MembershipFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


def _run(*args):
    out = StringIO()
    call_command("import_brreg", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_paged_api_import_is_idempotent(fake_brreg, municipality):
    first = _run("--kommunenummer", "4601", "--page-size", "3")
    assert "created 4, updated 0, unchanged 0, skipped 1" in first
    assert "deleted in Enhetsregisteret" in first
    assert len(fake_brreg.requests) == 2
    imported = Association.objects.get(org_number="100000016")
    assert imported.name == "FJELLSIDEN VELFORENING"
    assert imported.status == "pending" and imported.source == "brreg"
    assert imported.municipality == municipality
    assert imported.website == "https://www.fjellsiden-velforening.example.no"
    assert imported.founded_year == 2004
    assert imported.brreg_synced_at is not None
    assert not Association.objects.filter(org_number="100000032").exists()

    second = _run("--kommunenummer", "4601", "--page-size", "3")
    assert "created 0, updated 0, unchanged 4, skipped 1" in second
    assert Association.objects.count() == 4


def test_streamed_bulk_file_import(municipality):
    MunicipalityFactory(number="0301", name="Oslo")
    first = _run("--file", str(FIXTURES / "enheter_lastned.json.gz"))
    assert "created 4, updated 0, unchanged 0, skipped 4" in first
    assert "not registered in Frivillighetsregisteret" in first
    assert "invalid organisasjonsnummer" in first and "100000068" in first
    assert "unknown municipality 5501" in first
    assert "created 0, updated 0, unchanged 4, skipped 4" in _run("--file", str(FIXTURES / "enheter_lastned.json.gz"))


def test_saved_page_and_municipality_filter(municipality):
    assert "created 2, updated 0, unchanged 0, skipped 1" in _run("--file", str(FIXTURES / "enheter_4601_side0.json"))
    output = _run("--file", str(FIXTURES / "enheter_lastned.json.gz"), "--kommunenummer", "4601")
    assert "created 2, updated 0, unchanged 2, skipped 4" in output
    assert "not in municipality 4601" in output


def test_never_overwrites_what_the_association_edited_and_hides_deleted_units(municipality, tmp_path):
    edited = AssociationFactory(
        municipality=municipality,
        org_number="100000016",
        name="Fjellsiden vel",
        website="https://vel.example.no",
        public_email="gammel@example.org",
        edited_fields=["name", "website"],
    )
    MembershipFactory(association=edited, role=Membership.Role.ADMIN)
    verified = AssociationFactory(municipality=municipality, org_number="100000032", name="Sandviken kor")
    output = _run("--file", str(FIXTURES / "enheter_lastned.json.gz"))
    assert "created 3, updated 2" in output
    edited.refresh_from_db()
    assert edited.name == "Fjellsiden vel" and edited.website == "https://vel.example.no"
    assert edited.postal_address.endswith("5003 BERGEN")  # not edited: follows the register
    assert edited.status == "verified"
    verified.refresh_from_db()
    assert verified.status == "hidden"
    assert "Slettet i Enhetsregisteret 2025-06-30" in verified.status_reason


def test_a_bad_optional_field_keeps_the_rest(municipality, tmp_path):
    unit = json.loads((FIXTURES / "enhet_100000008.json").read_text())
    unit["epostadresse"] = "ikke en adresse"
    path = tmp_path / "one.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        json.dump([unit], stream)
    assert "created 1" in _run("--file", str(path))
    association = Association.objects.get(org_number="100000008")
    assert association.public_email == "" and association.name == "SKOGLY SJAKKLUBB"


def test_errors_are_reported(fake_brreg, municipality, settings):
    with pytest.raises(CommandError):
        _run()
    with pytest.raises(CommandError, match="not in the portal"):
        _run("--kommunenummer", "1234")
    settings.BRREG_API_URL = "http://127.0.0.1:9/api"
    with pytest.raises(CommandError, match="run the import again"):
        _run("--kommunenummer", "4601")


def test_a_search_larger_than_the_api_serves_is_flagged(fake_brreg, municipality, caplog):
    fake_brreg.pages[0]["page"]["totalElements"] = 12_000
    with caplog.at_level("WARNING", logger="organizations.brreg"):
        _run("--kommunenummer", "4601", "--page-size", "3")
    assert "use the bulk file" in caplog.text
