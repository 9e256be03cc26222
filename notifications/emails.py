from django.utils.translation import gettext_lazy as _

from .registry import EmailKind, register

TEST_MESSAGE = register(
    EmailKind(
        key="notifications.test_message",
        template="notifications/emails/test_message",
        description=_("Testmelding fra driftspersonell (manage.py send_test_notification)"),
    )
)
