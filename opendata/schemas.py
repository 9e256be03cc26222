"""What the open-data API returns. Every field is public: a field is here only when the portal's
own public pages show it to anyone."""

import datetime

from ninja import Schema
from pydantic import Field, create_model


class Licence(Schema):
    name: str
    url: str


class Links(Schema):
    next: str | None = Field(None, description="Neste side, eller null på siste side.")


class Names(Schema):
    nb: str
    nn: str | None
    en: str | None


class Term(Schema):
    slug: str
    name: Names


class Leader(Schema):
    title: str
    name: str


class County(Schema):
    number: str
    name: str


class MunicipalityOut(Schema):
    number: str
    name: str
    county: County
    written_standard: str = Field(description="Offisiell målform: nb, nn eller neutral.")
    after_work_start: str = Field(description="Hverdagsmøter starter tidligst da (HH:MM, Europe/Oslo).")
    official_email: str
    postal_address: str
    political_leader: Leader
    administrative_leader: Leader


class Place(Schema):
    number: str
    name: str


class DistrictOut(Schema):
    code: str
    name: str


class PrivateAssociation(Schema):
    status: str = Field(description="verified eller pending.")
    contact_name: str
    contact_email: str
    contact_phone: str


class AssociationOut(Schema):
    slug: str
    name: str
    org_number: str | None
    municipality: Place
    district: DistrictOut | None
    description: str
    categories: list[str]
    activity_languages: list[str]
    target_groups: list[str]
    needs: list[str]
    councils: list[str]
    no_contact_with_municipality: bool
    founded_year: int | None
    member_count: int | None
    website: str
    public_email: str
    public_phone: str
    postal_address: str
    source: str = Field(description="portal, eller brreg når laget er hentet fra Enhetsregisteret.")
    attribution: list[str]
    url: str
    updated_at: datetime.datetime
    private: PrivateAssociation | None = Field(
        None,
        description="Bare med en ansatts API-nøkkel, for lag i kommunene nøkkelen gjelder: kontaktpersonen og "
        "statusen (også lag som venter på godkjenning). Ellers null.",
    )


class Venue(Schema):
    name: str
    address: str
    directions: str
    online_url: str


class Features(Schema):
    free_of_charge: bool
    plain_language: bool
    step_free: bool
    hearing_loop: bool
    child_friendly: bool
    food: bool
    interpretation_languages: list[str]


class MeetingLinks(Schema):
    page: str
    ics: str


class MeetingOut(Schema):
    id: int
    uid: str
    title: str
    kind: str
    formality: str
    mode: str
    status: str = Field(description="published, cancelled eller held.")
    cancel_reason: str
    description: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    registration_deadline: datetime.datetime | None
    municipality: Place
    district: DistrictOut | None
    venue: Venue
    features: Features
    capacity: int | None
    seats_free: int | None
    links: MeetingLinks
    updated_at: datetime.datetime


class Document(Schema):
    url: str
    sha256: str


class ResponseOut(Schema):
    received_on: datetime.date
    kind: str
    summary: str
    document_url: str | None


class LetterOut(Schema):
    id: int
    reference: str
    kind: str
    subject: str
    status: str
    language: str
    sent_on: datetime.date | None
    sent_at: datetime.datetime
    municipality: Place
    authority_name: str
    working_group: str
    pdf: Document | None
    responses: list[ResponseOut]
    url: str
    updated_at: datetime.datetime


def envelope(item, name: str, *, many: bool):
    """The schema of a response: the data, the licence and who to credit (and for lists, links)."""
    fields = {
        "data": (list[item] if many else item, ...),
        "license": (Licence, ...),
        "attribution": (list[str], ...),
    }
    if many:
        fields["links"] = (Links, ...)
    return create_model(name, __base__=Schema, **fields)
