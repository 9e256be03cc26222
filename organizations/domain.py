"""Facts about Norwegian municipalities that the portal's rules rest on."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr


class AssociationStatus(models.TextChoices):
    """Association.Status; here so that the rules below can name the statuses."""

    PENDING = "pending", gettext_lazy("Venter på godkjenning")
    VERIFIED = "verified", gettext_lazy("Godkjent")
    REJECTED = "rejected", gettext_lazy("Avvist")
    HIDDEN = "hidden", gettext_lazy("Skjult")


class MembershipRole(models.TextChoices):
    """Membership.Role; here so that the rules below can name the roles."""

    ADMIN = "admin", gettext_lazy("Administrator")
    MEMBER = "member", gettext_lazy("Medlem")


# When a municipality sets no after-work time of its own: the end of a working day.
DEFAULT_AFTER_WORK_START = datetime.time(17, 0)

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

COUNTY_CHOICES = sorted(COUNTIES.items(), key=lambda item: item[1])


class LeaderRole(models.TextChoices):
    """Who in a municipality's leadership can be at a meeting. The mayor and the chief executive
    are named in the municipality's record; the others are MunicipalLeader rows."""

    MAYOR = "mayor", gettext_lazy("Ordfører")
    CHIEF_EXECUTIVE = "chief_executive", gettext_lazy("Kommunedirektør")
    DEPUTY_MAYOR = "deputy_mayor", gettext_lazy("Varaordfører")
    COMMITTEE_LEADER = "committee_leader", gettext_lazy("Utvalgsleder")
    COUNCILLOR = "councillor", gettext_lazy("Kommunestyrerepresentant")


# The roles a MunicipalLeader row holds; the mayor and the chief executive are on the municipality.
LISTED_LEADER_ROLES = (LeaderRole.DEPUTY_MAYOR, LeaderRole.COMMITTEE_LEADER, LeaderRole.COUNCILLOR)


def county_organiser_name(county_number: str) -> str:
    """How the portal names a county municipality as a meeting's organiser: "Vestland fylkeskommune"."""
    return _("%(county)s fylkeskommune") % {"county": county_name(county_number)}


MUNICIPALITY_NUMBER_RE = re.compile(r"^\d{4}$")
DISTRICT_CODE_RE = re.compile(r"^\d{6}$")


def validate_municipality_number(value: str) -> None:
    if not MUNICIPALITY_NUMBER_RE.match(value or ""):
        raise ValidationError(_("Kommunenummeret må ha nøyaktig fire sifre, for eksempel 4601."), code="invalid")


def validate_district_code(value: str) -> None:
    if not DISTRICT_CODE_RE.match(value or ""):
        raise ValidationError(_("Bydelsnummeret må ha nøyaktig seks sifre, for eksempel 030101."), code="invalid")


def county_name(county_number: str) -> str:
    return COUNTIES.get(county_number, "")


def normalize_org_number(value: str) -> str:
    """The organisasjonsnummer without the spaces people type ("988 077 917" -> "988077917")."""

    return orgnr.compact(value or "")


def validate_org_number(value: str) -> None:
    """The one check of an organisasjonsnummer, used by forms, models, the admin and imports."""

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
        # Never say which digit would make the number valid: a number made valid that way is
        # still someone else's number, or none at all. Enhetsregisteret has the right one.
        raise ValidationError(
            _(
                "Organisasjonsnummeret %(number)s er ikke gyldig. Sjekk at sifrene er riktige, eller finn "
                "nummeret i Enhetsregisteret på https://www.brreg.no/."
            )
            % {"number": number},
            code="org_number_checksum",
        ) from None


def validate_admin_count(admins_left: int) -> None:
    """An association always keeps at least one admin: the one rule, for services, forms and the admin."""
    if admins_left < 1:
        raise ValidationError(
            _("Laget må ha minst én administrator. Gi administratorrollen til en annen først."),
            code="last_admin",
        )


def validate_keeps_an_admin(association, *, losing) -> None:
    """Raise when the membership `losing` is the association's last admin and is about to stop being one."""
    if losing.role != MembershipRole.ADMIN or losing.pk is None:
        return
    validate_admin_count(association.memberships.filter(role=MembershipRole.ADMIN).exclude(pk=losing.pk).count())


def validate_status_reason(status: str, reason: str) -> None:
    """A rejection always says why, so the association's admins know what to change."""
    if status == AssociationStatus.REJECTED and not (reason or "").strip():
        raise ValidationError(
            {"status_reason": _("Skriv en begrunnelse, slik at laget vet hva det kan rette opp.")},
            code="reason_required",
        )


_SLUG_TRANSLATION = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def association_slug_base(name: str) -> str:
    """A readable address for an association: "Bjørnafjorden Skiklubb" -> "bjornafjorden-skiklubb"."""

    return slugify((name or "").translate(_SLUG_TRANSLATION))[:200] or "lag"


def normalize_name(name: str) -> str:
    """A name compared without case, punctuation or the words every association uses."""
    text = (name or "").casefold().translate(_SLUG_TRANSLATION)
    # The definite form names the same thing: "sjakklubben" is "sjakklubb".
    words = [re.sub(r"(?<=\w{4})(en|et)$", "", word) for word in re.findall(r"\w+", text)]
    ignored = {"forening", "lag", "klubb", "og", "i", "for", "av"}
    return " ".join(word for word in words if word not in ignored) or " ".join(words)


# The statuses an association may come from, by the status it moves to (staff and site admins decide).
STATUS_REACHABLE_FROM = {
    AssociationStatus.VERIFIED: {AssociationStatus.PENDING, AssociationStatus.REJECTED, AssociationStatus.HIDDEN},
    AssociationStatus.REJECTED: {AssociationStatus.PENDING},
    AssociationStatus.HIDDEN: {AssociationStatus.PENDING, AssociationStatus.VERIFIED, AssociationStatus.REJECTED},
    # From verified only by moving to another municipality, whose staff must look at it again.
    AssociationStatus.PENDING: {AssociationStatus.REJECTED, AssociationStatus.HIDDEN, AssociationStatus.VERIFIED},
}


def validate_status_change(current: str, new: str) -> None:
    if current not in STATUS_REACHABLE_FROM.get(new, set()):
        raise ValidationError(_("Laget kan ikke få denne statusen fra statusen det har nå."), code="status_change")
