from dataclasses import dataclass, field

from django.db import transaction

from .models import Municipality


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
