from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "organizations"
    verbose_name = _("Kommuner og organisasjoner")

    def ready(self):
        from accounts.invitations import register_invitation_kind
        from accounts.personal_data import register_deletion_blocker, register_eraser, register_exporter
        from dialog_portal import versions

        from . import personal_data, selectors

        versions.connect(self.label)

        register_exporter("organizations", personal_data.export)
        register_deletion_blocker(personal_data.last_admin_blockers)
        register_eraser(personal_data.erase)
        register_invitation_kind(selectors.INVITATIONS)
