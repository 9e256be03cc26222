from django.core.management.base import BaseCommand
from django.db import transaction

from organizations import demo


class Command(BaseCommand):
    help = "Load demo data (idempotent): a municipality with staff, associations, meetings, a working group."

    @transaction.atomic
    def handle(self, *args, **options):
        demo.load()
        self.stdout.write(self.style.SUCCESS("Demo data is in place. Log in at http://127.0.0.1:8000 with:"))
        for spec in demo.DEMO_USERS:
            self.stdout.write(f"  {spec['email']:<26} password: {demo.DEMO_PASSWORD}")
