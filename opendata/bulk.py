"""Bulk downloads: the whole public directory and the meeting calendar as CSV and JSON Lines, for
the country or one municipality.

The rows come from the same builders as the API (api.association_out, api.meeting_out), so a download
holds exactly what the API shows and nothing more. They are streamed: the database is read in
chunks (.iterator(chunk_size=...)) and each row is written as it comes, so memory does not grow
with the number of rows.
"""

import csv
import datetime
import json
import types
import typing

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from pydantic import BaseModel

from dialog_portal.csv_export import safe_csv_cell
from meetings.selectors import calendar_meetings
from organizations.models import Municipality
from organizations.selectors import DirectoryFilters, directory_associations

from . import schemas
from .api import association_out, association_rows, meeting_out, meeting_rows
from .problems import problem

CHUNK_SIZE = 500
# Only an API request with a staff key fills these; a download is public and never has them.
PRIVATE_FIELDS = {"private"}
FORMATS = ("csv", "jsonl")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}


def _nested_model(annotation):
    """The schema class inside an annotation (Place, or DistrictOut | None), or None for a leaf."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for option in typing.get_args(annotation):
            if isinstance(option, type) and issubclass(option, BaseModel):
                return option
    return None


def columns(model, prefix: str = "") -> list[str]:
    """The CSV columns of a schema: its fields, nested objects as dotted names (municipality.number)."""
    names = []
    for name, info in model.model_fields.items():
        if name in PRIVATE_FIELDS:
            continue
        inner = _nested_model(info.annotation)
        names += columns(inner, f"{prefix}{name}.") if inner else [f"{prefix}{name}"]
    return names


def _lookup(row: dict, column: str):
    value = row
    for part in column.split("."):
        if value is None:
            return None
        value = value[part]
    return value


def _cell(value) -> str:
    if isinstance(value, list):
        return safe_csv_cell(", ".join(str(item) for item in value))
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return safe_csv_cell(value)


class _Echo:
    """A file-like object for csv.writer that hands back each line instead of keeping it."""

    def write(self, value):
        return value


def csv_lines(rows, header: list[str]):
    writer = csv.writer(_Echo(), delimiter=";")
    # The byte order mark makes spreadsheet programs read the file as UTF-8 (æ, ø, å).
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([_cell(_lookup(row, column)) for column in header])


def json_lines(rows):
    for row in rows:
        yield json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"


def _municipality(request):
    """The municipality asked for with ?kommune=, None for the whole country, or a problem response."""
    number = request.GET.get("kommune", "").strip()
    if not number:
        return None, None
    municipality = Municipality.objects.filter(number=number).first() if number.isdigit() else None
    if municipality is None:
        return None, problem(400, _("Ukjent kommunenummer: %(number)s.") % {"number": number[:10]})
    return municipality, None


def _download(*, rows, fmt: str, model, name: str, municipality) -> StreamingHttpResponse:
    lines = csv_lines(rows, columns(model)) if fmt == "csv" else json_lines(rows)
    response = StreamingHttpResponse(lines, content_type=CONTENT_TYPES[fmt])
    where = municipality.number if municipality else "alle"
    response["Content-Disposition"] = content_disposition_header(True, f"{name}-{where}.{fmt}")
    return response


@require_GET
def associations_download(request, fmt: str):
    """Every verified association (public fields only), in the directory's order by name."""
    municipality, error = _municipality(request)
    if error:
        return error
    filters = DirectoryFilters(kommune=municipality.number if municipality else "")
    queryset = association_rows(directory_associations(user=AnonymousUser(), filters=filters)).order_by("name", "pk")
    rows = (association_out(request, row) for row in queryset.iterator(chunk_size=CHUNK_SIZE))
    return _download(rows=rows, fmt=fmt, model=schemas.AssociationOut, name="foreninger", municipality=municipality)


@require_GET
def meetings_download(request, fmt: str):
    """The calendar: published meetings not yet over (cancelled ones marked), by start."""
    municipality, error = _municipality(request)
    if error:
        return error
    filters = {"municipality": municipality} if municipality else {}
    queryset = meeting_rows(calendar_meetings(filters=filters)).order_by("starts_at", "pk")
    rows = (meeting_out(request, row) for row in queryset.iterator(chunk_size=CHUNK_SIZE))
    return _download(rows=rows, fmt=fmt, model=schemas.MeetingOut, name="moter", municipality=municipality)
