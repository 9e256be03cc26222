"""A local stand-in for Enhetsregisteret's API, answering in its real JSON shape with fictitious units."""

import contextlib
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "brreg"
DELETED = "100000105"
SLOW = "100000113"


class FakeBrreg:
    def __init__(self):
        self.units = {"100000008": json.loads((FIXTURES / "enhet_100000008.json").read_text())}
        self.pages = {
            0: json.loads((FIXTURES / "enheter_4601_side0.json").read_text()),
            1: json.loads((FIXTURES / "enheter_4601_side1.json").read_text()),
        }
        self.requests = []
        self.delay = 2.0


def _handler(fake):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _json(self, status, body):
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # The client may have given up waiting, as the timeout test wants.
            with contextlib.suppress(BrokenPipeError):
                self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            fake.requests.append(self.path)
            parts = url.path.rstrip("/").split("/")
            if parts[-1] == "enheter":
                query = urllib.parse.parse_qs(url.query)
                if query.get("kommunenummer") != ["4601"]:
                    return self._json(
                        200, {"_links": {}, "page": {"size": 20, "totalElements": 0, "totalPages": 0, "number": 0}}
                    )
                return self._json(200, fake.pages[int(query.get("page", ["0"])[0])])
            number = parts[-1]
            if number == SLOW:
                time.sleep(fake.delay)
                return self._json(200, fake.units["100000008"])
            if number == DELETED:
                return self._json(410, {"organisasjonsnummer": number, "slettedato": "2024-01-31"})
            if number in fake.units:
                return self._json(200, fake.units[number])
            return self._json(
                404,
                {
                    "timestamp": "2026-11-23T12:00:00.000+00:00",
                    "status": 404,
                    "error": "Not Found",
                    "message": f"Ingen enhet med organisasjonsnummer {number} ble funnet",
                    "path": url.path,
                },
            )

    return Handler


@pytest.fixture
def fake_brreg(settings):
    fake = FakeBrreg()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BRREG_API_URL = f"http://127.0.0.1:{server.server_address[1]}/enhetsregisteret/api"
    settings.BRREG_TIMEOUT = 0.5
    yield fake
    server.shutdown()
    server.server_close()
