from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = _("Henvendelser")

    def ready(self):
        from accounts.personal_data import register_deletion_blocker, register_exporter

        from . import personal_data

        register_exporter("correspondence", personal_data.export)
        register_deletion_blocker(personal_data.leader_blockers)
