"""A small client for Enhetsregisteret's open API (Brønnøysundregistrene, licence NLOD).

Used by "Hent fra Enhetsregisteret" on the registration form and by `manage.py import_brreg`.
The API answers HAL JSON: one unit at {base}/enheter/{orgnr}; searches at {base}/enheter with
`_embedded.enheter[]` and `page{size,totalElements,totalPages,number}`. The bulk download is a
gzipped JSON array of every unit in Norway, far too large to load at once, so files are streamed
(ijson).
"""

import gzip
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import ijson
from django.conf import settings

logger = logging.getLogger(__name__)

ATTRIBUTION = "Kilde: Brønnøysundregistrene"
# The API serves at most page * size <= 10 000 units for one search.
MAX_SEARCH_WINDOW = 10_000


class BrregError(Exception):
    """Enhetsregisteret could not answer (timeout, network error, unexpected answer)."""


class UnitNotFound(BrregError):
    """No unit has this organisasjonsnummer."""


class UnitDeleted(BrregError):
    """The unit has been deleted from Enhetsregisteret."""


def _base_url() -> str:
    return settings.BRREG_API_URL.rstrip("/")


def _get_json(url: str, timeout: float) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "Dialogportal"})  # noqa: S310 (https URL from settings)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise UnitNotFound(url) from error
        if error.code == 410:
            raise UnitDeleted(url) from error
        raise BrregError(f"{url}: HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise BrregError(f"{url}: {error}") from error


def fetch_unit(org_number: str, *, timeout: float | None = None) -> dict:
    """One unit by organisasjonsnummer. Raises UnitNotFound, UnitDeleted or BrregError."""
    timeout = settings.BRREG_TIMEOUT if timeout is None else timeout
    unit = _get_json(f"{_base_url()}/enheter/{urllib.parse.quote(org_number)}", timeout)
    if unit.get("slettedato"):
        raise UnitDeleted(org_number)
    return unit


@dataclass
class SearchPage:
    units: list[dict]
    number: int
    total_pages: int
    total_elements: int


def search_page(*, municipality_number: str, page: int, size: int = 100, timeout: float | None = None) -> SearchPage:
    """One page of the units registered in Frivillighetsregisteret in a municipality."""
    timeout = settings.BRREG_TIMEOUT if timeout is None else timeout
    query = urllib.parse.urlencode(
        {
            "kommunenummer": municipality_number,
            "registrertIFrivillighetsregisteret": "true",
            "size": size,
            "page": page,
            "sort": "organisasjonsnummer,ASC",
        }
    )
    data = _get_json(f"{_base_url()}/enheter?{query}", timeout)
    return _page(data)


def _page(data: dict) -> SearchPage:
    info = data.get("page") or {}
    return SearchPage(
        units=(data.get("_embedded") or {}).get("enheter", []),
        number=int(info.get("number", 0)),
        total_pages=int(info.get("totalPages", 0)),
        total_elements=int(info.get("totalElements", 0)),
    )


def search_all(*, municipality_number: str, size: int = 100, timeout: float | None = None) -> Iterator[dict]:
    """Every unit of a municipality registered in Frivillighetsregisteret, page after page.

    The API serves the first 10 000 units of a search only; a larger municipality needs the bulk
    file (import_brreg --file), which the warning says.
    """
    page = 0
    while True:
        result = search_page(municipality_number=municipality_number, page=page, size=size, timeout=timeout)
        if page == 0 and result.total_elements > MAX_SEARCH_WINDOW:
            logger.warning(
                "Enhetsregisteret has %s units for %s but serves %s per search; use the bulk file for the rest.",
                result.total_elements,
                municipality_number,
                MAX_SEARCH_WINDOW,
            )
        yield from result.units
        page += 1
        if page >= result.total_pages or (page + 1) * size > MAX_SEARCH_WINDOW:
            return


# Where the units are in each kind of file: the items of the bulk download's array, or those of
# `_embedded.enheter` in a saved search page.
_UNITS_AT = {b"[": "item", b"{": "_embedded.enheter.item"}
_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def iter_file(path) -> Iterator[dict]:
    """Units from a saved API page (HAL JSON) or the bulk download (a JSON array, gzipped or not).

    The file is parsed as a stream, one unit at a time, so memory stays flat whatever its size.
    """
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    opener = gzip.open if gzipped else open
    with opener(path, "rb") as stream:
        # Files saved by some editors start with a byte order mark, which JSON does not allow.
        start = len(_BYTE_ORDER_MARK) if stream.read(len(_BYTE_ORDER_MARK)) == _BYTE_ORDER_MARK else 0
        stream.seek(start)
        first = stream.read(1)
        while first and first.isspace():
            first = stream.read(1)
        if not first:
            return
        if first not in _UNITS_AT:
            raise BrregError(f"{path}: expected a JSON object or array, found {first.decode(errors='replace')!r}")
        stream.seek(start)
        try:
            yield from ijson.items(stream, _UNITS_AT[first], use_float=True)
        except ijson.JSONError as error:
            raise BrregError(f"{path}: not whole JSON ({str(error).splitlines()[0]})") from error


def unit_profile(unit: dict) -> dict:
    """What the portal takes from a unit: the fields of an association's profile it fills in."""
    address = unit.get("postadresse") or unit.get("forretningsadresse") or {}
    lines = [line for line in address.get("adresse") or [] if line]
    place = " ".join(part for part in [address.get("postnummer"), address.get("poststed")] if part)
    if place:
        lines.append(place)
    website = (unit.get("hjemmeside") or "").strip()
    if website and "://" not in website:
        website = f"https://{website}"
    founded = unit.get("stiftelsesdato") or ""
    business = unit.get("forretningsadresse") or {}
    return {
        "org_number": str(unit.get("organisasjonsnummer") or "").strip(),
        "name": (unit.get("navn") or "").strip(),
        "postal_address": "\n".join(lines),
        "website": website,
        "public_email": (unit.get("epostadresse") or "").strip(),
        "public_phone": (unit.get("telefon") or unit.get("mobil") or "").strip(),
        "founded_year": int(founded[:4]) if founded[:4].isdigit() else None,
        "municipality_number": (business.get("kommunenummer") or address.get("kommunenummer") or "").strip(),
        "deleted_on": unit.get("slettedato") or "",
        "in_volunteer_register": bool(unit.get("registrertIFrivillighetsregisteret")),
    }
