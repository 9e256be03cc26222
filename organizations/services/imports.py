"""Filling the registry from outside: the municipality list and Enhetsregisteret."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialog_portal.updates import model_assign

from ..domain import normalize_org_number, validate_org_number
from ..models import Association, Municipality
from .registry import association_moved, association_slug_unique


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, deactivated {len(self.deactivated)}"
        )


@transaction.atomic
def municipalities_import(*, codes: list[dict]) -> ImportReport:
    """Create or update municipalities from SSB KLASS 131 codes.

    Only the number and the name come from SSB. Leaders, addresses, målform and the after-work
    time belong to the municipality's own record and are never touched here, so an import never
    overwrites what staff or site admins entered. Municipalities missing from the list (merged or
    split) are marked as no longer current instead of deleted: meetings and letters refer to them.
    """
    report = ImportReport()
    existing = {m.number: m for m in Municipality.objects.select_for_update()}
    seen = set()
    for entry in codes:
        number = str(entry["code"]).strip()
        name = str(entry["name"]).strip()
        seen.add(number)
        municipality = existing.get(number)
        if municipality is None:
            municipality = Municipality(number=number, name=name)
            municipality.full_clean()
            municipality.save()
            report.created.append(number)
        elif municipality.name != name or not municipality.active:
            municipality.name = name
            municipality.active = True
            municipality.full_clean()
            municipality.save(update_fields=["name", "active"])
            report.updated.append(number)
        else:
            report.unchanged.append(number)
    for number, municipality in existing.items():
        if number not in seen and municipality.active:
            municipality.active = False
            municipality.save(update_fields=["active"])
            report.deactivated.append(number)
    return report


# The fields the import from Enhetsregisteret fills in, unless the association has edited them.
BRREG_FIELDS = ["name", "postal_address", "website", "public_email", "public_phone", "founded_year", "municipality"]


@dataclass
class BrregImportReport:
    """Counts per outcome, and a few examples of each reason a unit was skipped.

    Only counts and a bounded number of examples are kept, so a report on the bulk file of every
    unit in Norway stays small.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    max_examples: int = 5

    def count(self, outcome: str, org_number: str, reason: str = "") -> None:
        if outcome == "skipped":
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
            examples = self.examples.setdefault(reason, [])
            if len(examples) < self.max_examples:
                examples.append(org_number or "?")
        else:
            setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {sum(self.skipped.values())}"
        )


def association_import_from_brreg(*, profile: dict, municipalities: dict, now=None) -> tuple[str, str]:
    """Create or update one association from a unit of Enhetsregisteret (see brreg.unit_profile).

    Returns (outcome, reason) with outcome created, updated, unchanged or skipped; the reason, for
    the operator, says why a unit was skipped. The same rules
    hold as in the registration form (full_clean); fields the association has edited itself are
    never overwritten; a unit with a deletion date hides the association. New associations wait
    for the municipality (pending) until someone claims them or staff verify them.
    """

    now = now or timezone.now()
    number = normalize_org_number(profile.get("org_number", ""))
    try:
        validate_org_number(number)
    except ValidationError as error:
        return "skipped", f"invalid organisasjonsnummer: {error.messages[0]}"
    municipality = municipalities.get(profile.get("municipality_number", ""))
    if municipality is None:
        return "skipped", f"unknown municipality {profile.get('municipality_number') or '(none)'}"
    wanted = {
        "name": profile.get("name", "")[:200],
        "postal_address": profile.get("postal_address", ""),
        "website": profile.get("website", "")[:200],
        "public_email": profile.get("public_email", ""),
        "public_phone": profile.get("public_phone", "")[:30],
        "founded_year": profile.get("founded_year"),
        "municipality": municipality,
    }
    with transaction.atomic():
        association = Association.objects.select_for_update().filter(org_number=number).first()
        if association is None:
            if profile.get("deleted_on"):
                return "skipped", "deleted in Enhetsregisteret"
            association = Association(
                org_number=number,
                status=Association.Status.PENDING,
                source=Association.Source.BRREG,
                slug=association_slug_unique(wanted["name"]),
            )
            outcome = "created"
        else:
            outcome = "updated"
        edited = set(association.edited_fields or [])
        changes = {
            name: value
            for name, value in wanted.items()
            if name not in edited and getattr(association, name, None) != value
        }
        hide = bool(profile.get("deleted_on")) and association.status != Association.Status.HIDDEN
        if outcome == "updated" and not changes and not hide:
            Association.objects.filter(pk=association.pk).update(brreg_synced_at=now)
            return "unchanged", ""
        previous = {name: getattr(association, name, None) for name in changes}
        from_municipality_id = association.municipality_id
        model_assign(instance=association, data=changes)
        if hide:
            association.status = Association.Status.HIDDEN
            association.status_reason = _("Slettet i Enhetsregisteret %(date)s.") % {"date": profile["deleted_on"]}
            association.status_changed_at = now
            association.status_changed_by = None
        association.brreg_synced_at = now
        try:
            association.full_clean()
        except ValidationError as error:
            # Keep what the register got right: an optional field the portal cannot accept (a
            # malformed email address, say) keeps its previous value instead of stopping the unit.
            optional = {"postal_address", "website", "public_email", "public_phone", "founded_year"}
            bad = set(error.message_dict)
            if not bad <= optional:
                return "skipped", "; ".join(f"{name}: {', '.join(msgs)}" for name, msgs in error.message_dict.items())
            for name in bad:
                setattr(association, name, previous.get(name, "" if name != "founded_year" else None))
            association.full_clean()
        association.save()
        if outcome == "updated":
            association_moved(association=association, from_municipality_id=from_municipality_id)
    return outcome, ""
