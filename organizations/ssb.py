"""Client for SSB's classification API (KLASS): municipalities are classification 131."""

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request

KLASS_BASE_URL = "https://data.ssb.no/api/klass/v1"
MUNICIPALITY_CLASSIFICATION = 131
UNKNOWN_CODE = "9999"


class KlassError(Exception):
    pass


def codes_at_url(classification: int, date: datetime.date, base_url: str = KLASS_BASE_URL) -> str:
    query = urllib.parse.urlencode({"date": date.isoformat()})
    return f"{base_url}/classifications/{classification}/codesAt.json?{query}"


def parse_codes(document: dict) -> list[dict]:
    """The `codes` of a codesAt answer, without SSB's 'unknown' code 9999."""
    try:
        codes = document["codes"]
    except (KeyError, TypeError) as error:
        raise KlassError("The answer has no 'codes' list; is it a KLASS codesAt document?") from error
    return [entry for entry in codes if str(entry.get("code")) != UNKNOWN_CODE]


def fetch_codes_at(
    classification: int, date: datetime.date, base_url: str = KLASS_BASE_URL, timeout: float = 30
) -> list[dict]:
    url = codes_at_url(classification, date, base_url)
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise KlassError(f"Only http and https URLs are fetched, not {url!r}.")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (scheme checked)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            document = json.load(response)
    except (urllib.error.URLError, TimeoutError, json.JSONDecodeError) as error:
        raise KlassError(f"Could not read classification {classification} from SSB: {error}") from error
    return parse_codes(document)
