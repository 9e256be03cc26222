"""CSV for spreadsheets, safe to open: UTF-8 with a byte order mark, and no cell runs as a formula.

`safe_csv_cell` and `csv_response` are shared: every app that exports CSV uses them.
"""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

# A cell starting with one of these is read as a formula (or a DDE command) by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_csv_cell(value) -> str:
    """The text of a cell, with a leading apostrophe where a spreadsheet would run it as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nei")
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_response(*, filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    # The byte order mark makes Excel read the file as UTF-8, so æ, ø and å show correctly.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([safe_csv_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_csv_cell(cell) for cell in row])
    return response


def joined_names(items) -> str:
    """Names of terms for a cell, the way every export writes them."""
    return ", ".join(item.name for item in items)


def associations_csv_response(*, associations, filename: str) -> HttpResponse:
    header = [
        _("Navn"),
        _("Organisasjonsnummer"),
        _("Status"),
        _("Bydel"),
        _("Kategorier"),
        _("Målgrupper"),
        _("Aktivitetsspråk"),
        _("Behov"),
        _("Kontakt med kommunen gjennom råd"),
        _("Ingen kontakt med kommunen i dag"),
        _("Antall medlemmer"),
        _("Stiftelsesår"),
        _("Nettsted"),
        _("Offentlig e-post"),
        _("Offentlig telefon"),
        _("Postadresse"),
        _("Kontaktperson"),
        _("Kontaktpersonens e-post"),
        _("Kontaktpersonens telefon"),
        _("Registrert"),
    ]
    rows = (
        [
            a.name,
            a.org_number or "",
            a.get_status_display(),
            a.district.name if a.district else "",
            joined_names(a.categories.all()),
            joined_names(a.target_groups.all()),
            joined_names(a.activity_languages.all()),
            joined_names(a.needs.all()),
            joined_names(a.councils.all()),
            a.no_contact_with_municipality,
            a.member_count,
            a.founded_year,
            a.website,
            a.public_email,
            a.public_phone,
            a.postal_address,
            a.contact_name,
            a.contact_email,
            a.contact_phone,
            timezone.localtime(a.created_at).strftime("%Y-%m-%d"),
        ]
        for a in associations
    )
    return csv_response(filename=filename, header=header, rows=rows)
