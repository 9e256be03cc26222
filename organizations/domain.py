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
