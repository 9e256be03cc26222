from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Brukerkontoer")

    def ready(self):
        from allauth.account.signals import email_confirmed

        email_confirmed.connect(_remember_invitations_to_address, dispatch_uid="accounts-invitations-on-confirm")
        # django.contrib.sites creates example.com in its own post_migrate, which runs before this one.
        post_migrate.connect(_site_sync, sender=self, dispatch_uid="accounts-site-sync")


def _site_sync(sender, **kwargs):
    from .services import site_sync

    site_sync()


def _remember_invitations_to_address(sender, request, email_address, **kwargs):
    from .invitations import pending_invitations_add_for_address

    if request is not None:
        pending_invitations_add_for_address(request, email=email_address.email)
