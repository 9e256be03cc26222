from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Møteplasser")

    def ready(self):
        from accounts.personal_data import register_exporter

        from . import personal_data

        register_exporter("meetings", personal_data.export)
