import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organizations import ssb
from organizations.services import municipalities_import


class Command(BaseCommand):
    help = "Import or update Norway's municipalities from SSB KLASS classification 131 (codesAt)."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="Read a saved codesAt JSON document instead of calling SSB.")
        parser.add_argument("--date", help="The date the codes apply on (YYYY-MM-DD); default today.")
        parser.add_argument("--base-url", default=ssb.KLASS_BASE_URL, help="KLASS API base URL.")

    def handle(self, *args, **options):
        try:
            date = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {error}") from error
        try:
            if options["file"]:
                with open(options["file"], encoding="utf-8") as handle:
                    codes = ssb.parse_codes(json.load(handle))
            else:
                codes = ssb.fetch_codes_at(ssb.MUNICIPALITY_CLASSIFICATION, date, base_url=options["base_url"])
        except (OSError, json.JSONDecodeError, ssb.KlassError) as error:
            raise CommandError(str(error)) from error
        report = municipalities_import(codes=codes)
        self.stdout.write(self.style.SUCCESS(f"Municipalities: {report.summary()}"))
