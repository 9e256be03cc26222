"""Errors as RFC 9457 problem details (application/problem+json)."""

import json
from http import HTTPStatus

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .licence import LICENCE_LINK

CONTENT_TYPE = "application/problem+json"


def problem(status: int, detail: str, **extra) -> HttpResponse:
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail, **extra}
    response = HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
    response["Link"] = LICENCE_LINK
    return response


def default_detail(status: int) -> str:
    if status == 404:
        return _("Fant ikke det du spurte etter.")
    if status == 405:
        return _("Åpne data kan bare leses (GET).")
    if status == 429:
        return _("For mange forespørsler. Vent litt og prøv igjen.")
    if status >= 500:
        return _("Noe gikk galt hos oss. Prøv igjen senere.")
    return _("Forespørselen kunne ikke behandles.")
