"""Facts about Norwegian municipalities that the portal's rules rest on."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The 15 counties since 1 January 2024; a county is the first two digits of a kommunenummer.
COUNTIES = {
    "03": "Oslo",
    "11": "Rogaland",
    "15": "Møre og Romsdal",
    "18": "Nordland",
    "31": "Østfold",
    "32": "Akershus",
    "33": "Buskerud",
    "34": "Innlandet",
    "39": "Vestfold",
    "40": "Telemark",
    "42": "Agder",
    "46": "Vestland",
    "50": "Trøndelag",
    "55": "Troms",
    "56": "Finnmark",
}

MUNICIPALITY_NUMBER_RE = re.compile(r"^\d{4}$")
DISTRICT_CODE_RE = re.compile(r"^\d{6}$")


def validate_municipality_number(value: str) -> None:
    if not MUNICIPALITY_NUMBER_RE.match(value or ""):
        raise ValidationError(_("Kommunenummeret må ha nøyaktig fire sifre, for eksempel 4601."), code="invalid")


def validate_district_code(value: str) -> None:
    if not DISTRICT_CODE_RE.match(value or ""):
        raise ValidationError(_("Bydelsnummeret må ha nøyaktig seks sifre, for eksempel 030101."), code="invalid")


def county_of(municipality_number: str) -> str:
    return municipality_number[:2]


def county_name(county_number: str) -> str:
    return COUNTIES.get(county_number, "")


ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalize_org_number(value: str) -> str:
    """The organisasjonsnummer without the spaces people type ("988 077 917" -> "988077917")."""
    from stdnum.no import orgnr

    return orgnr.compact(value or "")


def expected_org_number_check_digit(first_eight: str) -> int | None:
    """MOD11 check digit for the first eight digits; None when no valid number exists (remainder 1)."""
    remainder = sum(w * int(d) for w, d in zip(ORG_NUMBER_WEIGHTS, first_eight, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None
    return 11 - remainder


def validate_org_number(value: str) -> None:
    """The one check of an organisasjonsnummer, used by forms, models, the admin and imports."""
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.no import orgnr

    number = normalize_org_number(value)
    if not number.isdigit():
        raise ValidationError(_("Organisasjonsnummeret kan bare inneholde sifre."), code="org_number_format")
    if len(number) != 9:
        raise ValidationError(
            _("Organisasjonsnummeret må ha ni sifre, men har %(count)s.") % {"count": len(number)},
            code="org_number_length",
        )
    try:
        orgnr.validate(number)
    except StdnumError:
        expected = expected_org_number_check_digit(number[:8])
        if expected is None:
            message = _(
                "Organisasjonsnummeret er ikke gyldig: det finnes ikke noe organisasjonsnummer som begynner "
                "med %(start)s. Sjekk at du har skrevet sifrene riktig."
            ) % {"start": number[:8]}
        else:
            message = _(
                "Kontrollsifferet stemmer ikke: med disse åtte første sifrene skal det siste sifferet være "
                "%(digit)s. Sjekk at du har skrevet nummeret riktig."
            ) % {"digit": expected}
        raise ValidationError(message, code="org_number_checksum") from None
