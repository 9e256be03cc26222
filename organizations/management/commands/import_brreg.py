from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organizations import brreg, services
from organizations.domain import validate_municipality_number
from organizations.models import Municipality


class Command(BaseCommand):
    help = (
        "Import associations from Enhetsregisteret (Brønnøysundregistrene): units registered in "
        "Frivillighetsregisteret, from the live API for one municipality (--kommunenummer) or from a "
        "saved file (--file: a saved API page or the bulk download /enheter/lastned, gzipped JSON "
        "array, streamed). Creates or updates by organisasjonsnummer; safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kommunenummer", help="four-digit municipality number, e.g. 4601")
        parser.add_argument("--file", help="a saved API page (HAL JSON) or the bulk download (.json or .json.gz)")
        parser.add_argument("--page-size", type=int, default=100, help="units per API page (at most 100 here)")

    def handle(self, *args, kommunenummer=None, file=None, page_size=100, **options):
        if not kommunenummer and not file:
            raise CommandError("Give --kommunenummer NNNN, --file PATH, or both.")
        if kommunenummer:
            try:
                validate_municipality_number(kommunenummer)
            except Exception as error:
                raise CommandError(f"--kommunenummer: {kommunenummer!r} is not a four-digit number") from error
        municipalities = {m.number: m for m in Municipality.objects.filter(active=True)}
        if kommunenummer and kommunenummer not in municipalities:
            raise CommandError(f"Municipality {kommunenummer} is not in the portal (run import_municipalities).")

        if file:
            units = brreg.iter_file(file)
        else:
            units = brreg.search_all(municipality_number=kommunenummer, size=max(1, min(page_size, 100)))

        report = services.BrregImportReport()
        now = timezone.now()
        try:
            for unit in units:
                profile = brreg.unit_profile(unit)
                if not profile["in_volunteer_register"]:
                    report.count("skipped", profile["org_number"], "not registered in Frivillighetsregisteret")
                    continue
                if kommunenummer and profile["municipality_number"] != kommunenummer:
                    report.count("skipped", profile["org_number"], f"not in municipality {kommunenummer}")
                    continue
                outcome, reason = services.association_import_from_brreg(
                    profile=profile, municipalities=municipalities, now=now
                )
                report.count(outcome, profile["org_number"], str(reason))
        except (brreg.BrregError, OSError) as error:
            self.stderr.write(f"Stopped: {error}")
            self.stdout.write(report.summary())
            raise CommandError("Enhetsregisteret could not be read to the end; run the import again.") from error

        self.stdout.write(self.style.SUCCESS(report.summary()))
        for reason, count in sorted(report.skipped.items(), key=lambda item: -item[1]):
            examples = ", ".join(report.examples.get(reason, []))
            self.stdout.write(f"  skipped {count}: {reason} (e.g. {examples})")
        self.stdout.write("Kilde: Brønnøysundregistrene (NLOD)")
