"""CSV for spreadsheets, safe to open: UTF-8 with a byte order mark, and no cell runs as a formula.

Every CSV export of the portal is written through `csv_response`.
"""

import csv

from django.http import HttpResponse
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
