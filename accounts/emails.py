from django.utils.translation import gettext_lazy as _

from notifications.registry import EmailKind, register

# allauth's emails (sign-up confirmation, "you already have an account", password reset, …),
# rendered by allauth in the request and sent from the outbox after it: see accounts.adapters.
ACCOUNT_MESSAGE = register(
    EmailKind(
        key="accounts.account_message",
        template="accounts/emails/account_message",
        description=_("E-post om kontoen: bekreftelse av adressen, nytt passord og lignende"),
        secret=True,
    )
)
