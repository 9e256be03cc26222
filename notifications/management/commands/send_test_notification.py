from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from notifications.emails import TEST_MESSAGE
from notifications.services import email_enqueue


class Command(BaseCommand):
    help = "Send a test email through the outbox, the task queue and the mail server."

    def add_arguments(self, parser):
        parser.add_argument("recipient", help="email address to send to")
        parser.add_argument("--note", default="", help="a line to add to the message")

    def handle(self, *args, recipient, note, **options):
        with transaction.atomic():
            email = email_enqueue(
                kind=TEST_MESSAGE.key,
                recipient=recipient,
                occasion=timezone.now().isoformat(),
                context={"note": note},
            )
        email.refresh_from_db()
        self.stdout.write(
            f"Email {email.pk} to {email.recipient_email}: {email.get_state_display()} ({email.message_id})"
        )
