"""The open-data API, version 1 (django-ninja): read-only, public data only.

Each resource builds its rows field by field from what the portal's public pages show, so a
field added to a model never appears here by accident. Lists use cursor pagination in a stable
order (pagination.py); ETag, 304, CORS, the rate limit and problem details for errors that do
not come from here are added to every response under /api/ by middleware.OpenDataMiddleware.
"""

import datetime
import re
from typing import Annotated, Literal

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Prefetch, Q, Subquery, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError, ValidationError
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from correspondence.models import Letter, Response
from correspondence.selectors import published_letters
from dialog_portal.pagecache import public_page
from meetings.models import Meeting, Registration
from meetings.selectors import calendar_meetings
from organizations.models import Association, Category, Council, Language, Municipality, Need, TargetGroup
from organizations.selectors import DirectoryFilters, directory_associations, uses_postgresql

from . import pagination, schemas
from .licence import LICENCE, attribution
from .models import ApiToken
from .openapi import OPTIONAL_STAFF_KEY, OpenDataAPI
from .problems import problem
from .tokens import InvalidToken, reachable_municipalities, token_from_request

api = OpenDataAPI(
    title="Dialogportal – åpne data",
    version="1",
    description=(
        "Offentlige data fra Dialogportal: kommuner, lister (kategorier, behov, målgrupper, språk), "
        "godkjente lag og foreninger, publiserte møter og publiserte brev med svar. "
        "Lisens: NLOD 2.0. Lag hentet fra Enhetsregisteret: «Kilde: Brønnøysundregistrene»."
    ),
    urls_namespace="opendata",
    # The documentation page is our own (docs.py), written from this schema on the server.
    docs_url=None,
)

KIND = Literal[tuple(Meeting.Kind.values)]
FEATURE = Literal[Meeting.INCLUSIVE_FEATURES]
LIMIT = Query(pagination.DEFAULT_LIMIT, ge=1, le=pagination.MAX_LIMIT, description="Rader per side.")
CURSOR = Query(None, max_length=500, description="Fra `links.next` i forrige svar.")


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    names = dict.fromkeys(str(error["loc"][-1]) for error in exc.errors if error.get("loc"))
    detail = _("Ugyldig parameter i forespørselen: %(names)s.") % {"names": ", ".join(names)}
    return problem(400, detail, errors=exc.errors)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return problem(exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return problem(404, _("Fant ikke det du spurte etter."))


def _bad_request(detail: str):
    return HttpError(400, detail)


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def _next_link(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


def _last_modified(response: HttpResponse, moments) -> None:
    moments = [moment for moment in moments if moment is not None]
    if moments:
        response["Last-Modified"] = http_date(max(moments).timestamp())


def _page(request, page: pagination.Page, data: list, *, brreg: bool = False) -> dict:
    return {
        "data": data,
        "links": {"next": _next_link(request, page.next_cursor)},
        "license": LICENCE,
        "attribution": attribution(brreg=brreg),
    }


def _one(data: dict, *, brreg: bool = False) -> dict:
    return {"data": data, "license": LICENCE, "attribution": attribution(brreg=brreg)}


def _paginate(queryset, *, order, cursor, limit):
    try:
        return pagination.keyset_page(queryset, order=order, cursor=cursor, limit=limit)
    except pagination.BadCursor:
        raise _bad_request(_("Ugyldig peker (cursor). Bruk lenken fra links.next.")) from None


def _local(moment):
    return timezone.localtime(moment) if moment else None


# --- Municipalities --------------------------------------------------------------------------


def _municipality(municipality: Municipality) -> dict:
    return {
        "number": municipality.number,
        "name": municipality.name,
        "county": {"number": municipality.county_number, "name": municipality.county_name},
        "written_standard": municipality.written_standard,
        "after_work_start": municipality.after_work_start.strftime("%H:%M"),
        "official_email": municipality.official_email,
        "postal_address": municipality.postal_address,
        "political_leader": {"title": municipality.political_leader_title, "name": municipality.political_leader_name},
        "administrative_leader": {
            "title": municipality.administrative_leader_title,
            "name": municipality.administrative_leader_name,
        },
    }


@api.get(
    "/municipalities",
    summary="Kommunene",
    response=schemas.envelope(schemas.MunicipalityOut, "MunicipalityList", many=True),
)
def municipalities(request: HttpRequest, limit: int = LIMIT, cursor: str | None = CURSOR):
    """Gjeldende kommuner, etter kommunenummer."""
    page = _paginate(Municipality.objects.filter(active=True), order=("number",), cursor=cursor, limit=limit)
    return _page(request, page, [_municipality(row) for row in page.rows])


@api.get(
    "/municipalities/{number}",
    summary="Én kommune",
    response=schemas.envelope(schemas.MunicipalityOut, "MunicipalityDetail", many=False),
)
def municipality(request: HttpRequest, number: str):
    row = Municipality.objects.filter(active=True, number=number).first()
    if row is None:
        raise Http404
    return _one(_municipality(row))


# --- Vocabularies ----------------------------------------------------------------------------


def _term(term) -> dict:
    return {"slug": term.slug, "name": {"nb": term.name, "nn": term.name_nn or None, "en": term.name_en or None}}


def _vocabulary(model, name: str, path: str, title: str, summary: str):
    schema = schemas.envelope(schemas.Term, name, many=True)

    def view(request: HttpRequest):
        return {
            "data": [_term(term) for term in model.objects.order_by("position", "name", "pk")],
            "links": {"next": None},
            "license": LICENCE,
            "attribution": attribution(),
        }

    view.__name__ = name.lower()
    view.__doc__ = summary
    api.get(path, summary=title, response=schema)(view)


_vocabulary(Category, "Categories", "/categories", "Kategorier", "Kategoriene lagene er sortert i (nb, nn, en).")
_vocabulary(Need, "Needs", "/needs", "Behov", "Behovene lag kan melde (nb, nn, en).")
_vocabulary(TargetGroup, "TargetGroups", "/target-groups", "Målgrupper", "Målgruppene (nb, nn, en).")
_vocabulary(
    Language, "Languages", "/languages", "Språk", "Aktivitetsspråk og tolkespråk; koden er ISO 639 (nb, nn, en)."
)


# --- Associations ----------------------------------------------------------------------------


# The terms an association's record lists, each as its slugs.
ASSOCIATION_TERMS = (
    ("categories", Category),
    ("activity_languages", Language),
    ("target_groups", TargetGroup),
    ("needs", Need),
    ("councils", Council),
)


def association_rows(queryset):
    """Associations with what association_out reads. On PostgreSQL each term list comes as an
    array of slugs in the same query (ArraySubquery); elsewhere by one prefetch per list."""
    queryset = queryset.select_related("municipality", "district")
    if uses_postgresql():
        return queryset.annotate(
            **{
                f"{field}_slugs": ArraySubquery(
                    model.objects.filter(associations=OuterRef("pk")).order_by("position", "name").values("slug")
                )
                for field, model in ASSOCIATION_TERMS
            }
        )
    return queryset.prefetch_related(
        *(
            Prefetch(field, queryset=model.objects.only("id", "slug"), to_attr=f"public_{field}")
            for field, model in ASSOCIATION_TERMS
        )
    )


def _term_slugs(association: Association, field: str) -> list[str]:
    slugs = getattr(association, f"{field}_slugs", None)
    if slugs is not None:
        return slugs
    return [term.slug for term in getattr(association, f"public_{field}")]


def association_out(request, association: Association, *, private: bool = False) -> dict:
    brreg = association.source == Association.Source.BRREG
    return {
        "slug": association.slug,
        "name": association.name,
        "org_number": association.org_number,
        "municipality": {"number": association.municipality.number, "name": association.municipality.name},
        "district": {"code": association.district.code, "name": association.district.name}
        if association.district
        else None,
        "description": association.description,
        "categories": _term_slugs(association, "categories"),
        "activity_languages": _term_slugs(association, "activity_languages"),
        "target_groups": _term_slugs(association, "target_groups"),
        "needs": _term_slugs(association, "needs"),
        "councils": _term_slugs(association, "councils"),
        "no_contact_with_municipality": association.no_contact_with_municipality,
        "founded_year": association.founded_year,
        "member_count": association.member_count,
        "website": association.website,
        "public_email": association.public_email,
        "public_phone": association.public_phone,
        "postal_address": association.postal_address,
        "source": association.source,
        "attribution": attribution(brreg=brreg),
        "url": _absolute(request, association.get_absolute_url()),
        "updated_at": _local(association.updated_at),
        # What the municipality's staff see on their pages; only for a staff key that reaches it.
        "private": {
            "status": association.status,
            "contact_name": association.contact_name,
            "contact_email": association.contact_email,
            "contact_phone": association.contact_phone,
        }
        if private
        else None,
    }


def _staff_reach(request, response: HttpResponse) -> tuple[ApiToken | None, list[Municipality]]:
    """The staff key the request carries and the municipalities it reaches (none without a key).

    An answer to a key is for that client alone: no shared cache may keep it."""
    try:
        token = token_from_request(request)
    except InvalidToken:
        raise HttpError(401, _("Ukjent eller tilbaketrukket API-nøkkel.")) from None
    if token is None:
        return None, []
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Authorization"
    return token, reachable_municipalities(token)


def _with_private(queryset, reach: list[Municipality]):
    if not reach:
        return queryset.filter(status=Association.Status.VERIFIED)
    return queryset.filter(
        Q(status=Association.Status.VERIFIED) | Q(status=Association.Status.PENDING, municipality__in=reach)
    )


class AssociationFilters(Schema):
    q: str = Query("", max_length=100, description="Søk i navn og beskrivelse, som i katalogen.")
    kommune: str = Query("", pattern=r"^(\d{4})?$", description="Kommunenummer.")
    kategori: str = Query("", max_length=60, description="Kategori (slug fra /categories).")
    sprak: str = Query("", max_length=60, description="Aktivitetsspråk (slug fra /languages).")
    malgruppe: str = Query("", max_length=60, description="Målgruppe (slug fra /target-groups).")
    behov: str = Query("", max_length=60, description="Behov (slug fra /needs).")


def _check_terms(filters: DirectoryFilters) -> None:
    """An unknown code is a mistake by the client, not an empty result."""
    for name, model, label in (
        ("kategori", Category, _("kategori")),
        ("sprak", Language, _("språk")),
        ("malgruppe", TargetGroup, _("målgruppe")),
        ("behov", Need, _("behov")),
    ):
        slug = getattr(filters, name)
        if slug and not model.objects.filter(slug=slug).exists():
            raise _bad_request(_("Ukjent %(what)s: %(slug)s.") % {"what": label, "slug": slug})
    if filters.kommune and not Municipality.objects.filter(number=filters.kommune).exists():
        raise _bad_request(_("Ukjent kommunenummer: %(number)s.") % {"number": filters.kommune})


@api.get(
    "/associations",
    summary="Lag og foreninger",
    response=schemas.envelope(schemas.AssociationOut, "AssociationList", many=True),
    openapi_extra={"security": OPTIONAL_STAFF_KEY},
)
@decorate_view(public_page("directory"))
def associations(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[AssociationFilters],
    limit: int = LIMIT,
    cursor: str | None = CURSOR,
):
    """Godkjente lag og foreninger, med de samme filtrene og det samme søket som katalogen.

    Uten søk er rekkefølgen navn; med søk (`q`) er den relevans, som i katalogen."""
    directory = DirectoryFilters(
        **{name: getattr(filters, name).strip() for name in DirectoryFilters.__dataclass_fields__}
    )
    _check_terms(directory)
    token, reach = _staff_reach(request, response)
    rows = _with_private(
        directory_associations(user=token.user if reach else AnonymousUser(), filters=directory), reach
    )
    reach_ids = {municipality.pk for municipality in reach}
    if directory.q and uses_postgresql():
        try:
            page = pagination.offset_page(association_rows(rows), cursor=cursor, limit=limit)
        except pagination.BadCursor:
            raise _bad_request(_("Ugyldig peker (cursor). Bruk lenken fra links.next.")) from None
    else:
        page = _paginate(association_rows(rows), order=("name", "pk"), cursor=cursor, limit=limit)
    _last_modified(response, [row.updated_at for row in page.rows])
    brreg = any(row.source == Association.Source.BRREG for row in page.rows)
    data = [association_out(request, row, private=row.municipality_id in reach_ids) for row in page.rows]
    return _page(request, page, data, brreg=brreg)


@api.get(
    "/associations/{slug}",
    summary="Ett lag",
    response=schemas.envelope(schemas.AssociationOut, "AssociationDetail", many=False),
    openapi_extra={"security": OPTIONAL_STAFF_KEY},
)
def association(request: HttpRequest, response: HttpResponse, slug: str):
    _token, reach = _staff_reach(request, response)
    row = association_rows(_with_private(Association.objects.filter(slug=slug), reach)).first()
    if row is None:
        raise Http404
    _last_modified(response, [row.updated_at])
    private = row.municipality_id in {municipality.pk for municipality in reach}
    return _one(association_out(request, row, private=private), brreg=row.source == Association.Source.BRREG)


# --- Meetings --------------------------------------------------------------------------------


def meeting_rows(queryset):
    """Meetings with their confirmed seats (seats_taken, None when there are none).

    The sum is a subquery per meeting rather than a join grouped over every registration of the
    calendar: the database sums the registrations of the rows of one page only."""
    confirmed = (
        Registration.objects.filter(meeting=OuterRef("pk"), status=Registration.Status.CONFIRMED)
        .order_by()
        .values("meeting")
        .annotate(total=Sum("attendees"))
        .values("total")
    )
    return queryset.annotate(seats_taken=Subquery(confirmed))


def meeting_out(request, meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "uid": str(meeting.uid),
        "title": meeting.title,
        "kind": meeting.kind,
        "formality": meeting.formality,
        "mode": meeting.mode,
        "status": meeting.status,
        "cancel_reason": meeting.cancel_reason if meeting.status == Meeting.Status.CANCELLED else "",
        "description": meeting.description,
        "starts_at": _local(meeting.starts_at),
        "ends_at": _local(meeting.ends_at),
        "registration_deadline": _local(meeting.registration_deadline),
        "municipality": {"number": meeting.municipality.number, "name": meeting.municipality.name},
        "district": {"code": meeting.district.code, "name": meeting.district.name} if meeting.district else None,
        "venue": {
            "name": meeting.venue_name,
            "address": meeting.venue_address,
            "directions": meeting.directions,
            "online_url": meeting.online_url,
        },
        "features": {
            **{name: getattr(meeting, name) for name in Meeting.INCLUSIVE_FEATURES},
            "interpretation_languages": [language.slug for language in meeting.interpretation_languages.all()],
        },
        "capacity": meeting.capacity,
        # As the meeting page counts them: confirmed seats, the waitlist not subtracted.
        "seats_free": None if meeting.capacity is None else max(meeting.capacity - (meeting.seats_taken or 0), 0),
        "links": {
            "page": _absolute(request, meeting.get_absolute_url()),
            "ics": _absolute(request, reverse("meetings:ical", args=[meeting.pk])),
        },
        "updated_at": _local(meeting.updated_at),
    }


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_date(value):
    """A date in a query is written YYYY-MM-DD. Pydantic would also read a number of seconds since
    1970 (`til=0` as 1 January 1970), which no one means by a date."""
    if value is None or (isinstance(value, str) and ISO_DATE.fullmatch(value)):
        return value
    raise PydanticCustomError("date_format", _("Skriv datoen som ÅÅÅÅ-MM-DD, for eksempel 2026-05-17."))


OptionalDate = Annotated[datetime.date | None, BeforeValidator(_iso_date)]


class MeetingFilters(Schema):
    kommune: str = Query("", pattern=r"^(\d{4})?$", description="Kommunenummer for vertskommunen.")
    type: list[KIND] = Query([], description="Type møteplass; flere kan gis.")
    tilrettelegging: list[FEATURE] = Query([], description="Møtet må ha alle disse.")
    tolking: str = Query("", max_length=60, description="Tolking til språket (slug fra /languages).")
    fra: OptionalDate = Query(None, description="Møter som slutter denne datoen eller senere (ÅÅÅÅ-MM-DD).")
    til: OptionalDate = Query(None, description="Møter som starter denne datoen eller før (ÅÅÅÅ-MM-DD).")


@api.get("/meetings", summary="Møtekalenderen", response=schemas.envelope(schemas.MeetingOut, "MeetingList", many=True))
@decorate_view(public_page("meeting-pages"))
def meetings(
    request: HttpRequest,
    response: HttpResponse,
    filters: Query[MeetingFilters],
    limit: int = LIMIT,
    cursor: str | None = CURSOR,
):
    """Kalenderen: publiserte møter som ikke er over (avlyste er med, merket cancelled), etter start."""
    chosen = {
        "kind": filters.type,
        "features": filters.tilrettelegging,
        "date_from": filters.fra,
        "date_to": filters.til,
    }
    if filters.kommune:
        chosen["municipality"] = Municipality.objects.filter(number=filters.kommune).first()
        if chosen["municipality"] is None:
            raise _bad_request(_("Ukjent kommunenummer: %(number)s.") % {"number": filters.kommune})
    if filters.tolking:
        chosen["language"] = Language.objects.filter(slug=filters.tolking).first()
        if chosen["language"] is None:
            raise _bad_request(_("Ukjent språk: %(slug)s.") % {"slug": filters.tolking})
    page = _paginate(
        meeting_rows(calendar_meetings(filters=chosen)), order=("starts_at", "pk"), cursor=cursor, limit=limit
    )
    _last_modified(response, [row.updated_at for row in page.rows])
    return _page(request, page, [meeting_out(request, row) for row in page.rows])


@api.get(
    "/meetings/{meeting_id}",
    summary="Ett møte",
    response=schemas.envelope(schemas.MeetingOut, "MeetingDetail", many=False),
)
def meeting(request: HttpRequest, response: HttpResponse, meeting_id: int):
    """Ett offentlig møte, også et som er holdt."""
    row = (
        meeting_rows(Meeting.objects.public().filter(pk=meeting_id))
        .select_related("municipality", "district")
        .prefetch_related("interpretation_languages")
        .first()
    )
    if row is None:
        raise Http404
    _last_modified(response, [row.updated_at])
    return _one(meeting_out(request, row))


# --- Letters ---------------------------------------------------------------------------------


def _letter_rows(queryset):
    return queryset.select_related("group").prefetch_related(
        Prefetch("responses", queryset=Response.objects.order_by("received_on", "created_at", "pk"))
    )


def _letter(request, letter: Letter) -> dict:
    return {
        "id": letter.pk,
        "reference": letter.reference,
        "kind": letter.kind,
        "subject": letter.subject,
        "status": letter.status,
        "language": letter.language,
        "sent_on": letter.sent_on,
        "sent_at": _local(letter.sent_at),
        "municipality": {"number": letter.group.municipality.number, "name": letter.group.municipality.name},
        "authority_name": letter.authority_name,
        "working_group": letter.group.name,
        "pdf": {
            "url": _absolute(request, reverse("correspondence:letter_pdf", args=[letter.pk])),
            "sha256": letter.sent_pdf_sha256,
        }
        if letter.sent_pdf
        else None,
        "responses": [
            {
                "received_on": answer.received_on,
                "kind": answer.kind,
                "summary": answer.summary,
                "document_url": _absolute(
                    request, reverse("correspondence:response_document", args=[letter.pk, answer.pk])
                )
                if answer.document
                else None,
            }
            for answer in letter.responses.all()
        ],
        "url": _absolute(request, reverse("correspondence:letter_detail", args=[letter.pk])),
        "updated_at": _local(letter.updated_at),
    }


@api.get("/letters", summary="Brevarkivet", response=schemas.envelope(schemas.LetterOut, "LetterList", many=True))
@decorate_view(public_page("letter-pages"))
def letters(
    request: HttpRequest,
    response: HttpResponse,
    kommune: str = Query("", pattern=r"^(\d{4})?$", description="Kommunenummer."),
    limit: int = LIMIT,
    cursor: str | None = CURSOR,
):
    """Det offentlige arkivet: brev arbeidsgruppene har sendt og publisert, med svarene, nyeste først."""
    municipality = None
    if kommune:
        municipality = Municipality.objects.filter(number=kommune).first()
        if municipality is None:
            raise _bad_request(_("Ukjent kommunenummer: %(number)s.") % {"number": kommune})
    rows = _letter_rows(published_letters(municipality=municipality))
    page = _paginate(rows, order=("-sent_at", "-pk"), cursor=cursor, limit=limit)
    _last_modified(response, [row.updated_at for row in page.rows])
    return _page(request, page, [_letter(request, row) for row in page.rows])


@api.get(
    "/letters/{letter_id}", summary="Ett brev", response=schemas.envelope(schemas.LetterOut, "LetterDetail", many=False)
)
def letter(request: HttpRequest, response: HttpResponse, letter_id: int):
    row = _letter_rows(published_letters().filter(pk=letter_id)).first()
    if row is None:
        raise Http404
    _last_modified(response, [row.updated_at, *(answer.created_at for answer in row.responses.all())])
    return _one(_letter(request, row))
