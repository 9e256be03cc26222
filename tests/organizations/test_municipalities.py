import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from organizations.models import Municipality
from tests.organizations.factories import DistrictFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

KLASS_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "klass_131_codesAt.json"


def _import(*args):
    out = StringIO()
    call_command("import_municipalities", *args, stdout=out)
    return out.getvalue()


def test_import_from_file_creates_municipalities_and_skips_unknown_code():
    output = _import("--file", str(KLASS_FILE))
    assert "created 6, updated 0, unchanged 0" in output
    assert not Municipality.objects.filter(number="9999").exists()
    trondheim = Municipality.objects.get(number="5001")
    assert trondheim.name == "Trondheim - Tråante"
    assert trondheim.county_number == "50"
    assert trondheim.county_name == "Trøndelag"
    assert trondheim.political_leader_title == "Ordfører"
    assert trondheim.administrative_leader_title == "Kommunedirektør"
    assert trondheim.after_work_start == datetime.time(17, 0)


def test_import_is_idempotent():
    _import("--file", str(KLASS_FILE))
    output = _import("--file", str(KLASS_FILE))
    assert "created 0, updated 0, unchanged 6" in output
    assert Municipality.objects.count() == 6


def test_import_never_overwrites_what_staff_entered_and_updates_names(tmp_path):
    _import("--file", str(KLASS_FILE))
    Municipality.objects.filter(number="4601").update(
        name="Gammelt navn",
        political_leader_title="Byrådsleder",
        political_leader_name="Kari Nordmann",
        official_email="postmottak@bergen.example",
        after_work_start=datetime.time(18, 0),
        written_standard="nn",
    )
    output = _import("--file", str(KLASS_FILE))
    assert "updated 1" in output
    bergen = Municipality.objects.get(number="4601")
    assert bergen.name == "Bergen"
    assert bergen.political_leader_title == "Byrådsleder"
    assert bergen.political_leader_name == "Kari Nordmann"
    assert bergen.official_email == "postmottak@bergen.example"
    assert bergen.after_work_start == datetime.time(18, 0)
    assert bergen.written_standard == "nn"


def test_municipality_missing_from_ssb_is_deactivated_not_deleted(tmp_path):
    _import("--file", str(KLASS_FILE))
    document = json.loads(KLASS_FILE.read_text(encoding="utf-8"))
    document["codes"] = [c for c in document["codes"] if c["code"] != "5501"]
    smaller = tmp_path / "codes.json"
    smaller.write_text(json.dumps(document), encoding="utf-8")
    output = _import("--file", str(smaller))
    assert "deactivated 1" in output
    assert Municipality.objects.get(number="5501").active is False


def test_import_rejects_a_document_that_is_not_klass(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"items": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="codes"):
        _import("--file", str(bad))
    assert Municipality.objects.count() == 0


class _FakeKlass(BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):
        type(self).requests.append(self.path)
        body = KLASS_FILE.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_klass():
    server = HTTPServer(("127.0.0.1", 0), _FakeKlass)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeKlass.requests = []
    yield f"http://127.0.0.1:{server.server_port}/api/klass/v1"
    server.shutdown()
    server.server_close()


def test_import_calls_the_klass_api_over_http(fake_klass):
    output = _import("--base-url", fake_klass, "--date", "2026-01-01")
    assert "created 6" in output
    assert _FakeKlass.requests == ["/api/klass/v1/classifications/131/codesAt.json?date=2026-01-01"]


def test_import_reports_an_unreachable_api():
    with pytest.raises(CommandError, match="Could not read"):
        _import("--base-url", "http://127.0.0.1:9/api", "--date", "2026-01-01")


@pytest.mark.parametrize("number", ["123", "12345", "12a4", " 4601"])
def test_municipality_number_must_have_four_digits(number):
    municipality = Municipality(number=number, name="Feil")
    with pytest.raises(ValidationError) as error:
        municipality.full_clean()
    assert "fire sifre" in str(error.value)


def test_district_code_must_start_with_the_municipality_number():
    oslo = MunicipalityFactory(number="0301", name="Oslo")
    district = DistrictFactory.build(municipality=oslo, code="460101", name="Feil bydel")
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert "0301" in str(error.value)
    good = DistrictFactory.build(municipality=oslo, code="030101", name="Gamle Oslo")
    good.full_clean()
    assert good.political_leader_title == "Bydelsutvalgets leder"
    assert good.administrative_leader_title == "Bydelsdirektør"
