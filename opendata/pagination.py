"""Cursor pagination with a stable order.

A cursor is opaque to clients: base64url of JSON. For lists ordered by columns it holds the
ordering values of the last row shown ("after"), so the next page starts right after it even when
rows are added or removed in between (keyset pagination). A directory search is ordered by
relevance, which is computed, not stored: its cursor holds the position instead ("offset").
"""

import base64
import binascii
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


class BadCursor(ValueError):
    pass


@dataclass
class Page:
    rows: list
    next_cursor: str | None


def encode(payload: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def decode(cursor: str) -> dict:
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor from error
    if not isinstance(payload, dict):
        raise BadCursor
    return payload


def _value(row, field: str):
    value = getattr(row, "pk" if field == "pk" else field)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _is_cursor_value(value) -> bool:
    """What `_value` writes into a cursor: a string (a name, or a moment in ISO 8601) or a whole
    number (a primary key). Anything else was not made here: a float, true, null, a list or an
    object, or a string with a NUL, which PostgreSQL refuses in a parameter."""
    if isinstance(value, str):
        return "\x00" not in value
    return isinstance(value, int) and not isinstance(value, bool)


def _after(order: tuple[str, ...], values: list) -> Q:
    """Rows that come after `values` in `order` (fields, each maybe prefixed with "-")."""
    condition = Q()
    for index, field in enumerate(order):
        name = field.lstrip("-")
        step = Q(**{f"{name}__lt" if field.startswith("-") else f"{name}__gt": values[index]})
        for previous, value in zip(order[:index], values[:index], strict=True):
            step &= Q(**{previous.lstrip("-"): value})
        condition |= step
    return condition


def keyset_page(queryset, *, order: tuple[str, ...], cursor: str | None, limit: int) -> Page:
    """One page of `queryset` in `order` (which must end in a unique field)."""
    queryset = queryset.order_by(*order)
    if cursor:
        values = decode(cursor).get("after")
        if not isinstance(values, list) or len(values) != len(order) or not all(map(_is_cursor_value, values)):
            raise BadCursor
        try:
            queryset = queryset.filter(_after(order, values))
        except (TypeError, ValueError, ValidationError) as error:
            raise BadCursor from error
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode({"after": [_value(rows[-1], field.lstrip("-")) for field in order]}) if more else None
    return Page(rows, next_cursor)


def offset_page(queryset, *, cursor: str | None, limit: int) -> Page:
    """One page of a list in an order no column holds (a search by relevance)."""
    offset = decode(cursor).get("offset") if cursor else 0
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= 10**9:
        raise BadCursor
    rows = list(queryset[offset : offset + limit + 1])
    more = len(rows) > limit
    return Page(rows[:limit], encode({"offset": offset + limit}) if more else None)
