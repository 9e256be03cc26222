import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

from organizations import demo

# Each app that has demo data keeps it in <app>/demo.py with load(context) -> dict.
FOLLOWING_APPS = ["meetings", "correspondence"]


class Command(BaseCommand):
    help = "Load demo data (idempotent): a municipality with staff, associations, meetings, a working group."

    @transaction.atomic
    def handle(self, *args, **options):
        context = demo.load()
        for app in FOLLOWING_APPS:
            if importlib.util.find_spec(f"{app}.demo") is not None:
                context.update(importlib.import_module(f"{app}.demo").load(context) or {})
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Log in at http://127.0.0.1:8000 with:"))
        for spec in demo.DEMO_USERS:
            self.stdout.write(f"  {spec['email']:<26} password: {demo.DEMO_PASSWORD}")
