from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Åpne data")

    def ready(self):
        from accounts.personal_data import register_eraser, register_exporter

        from . import personal_data, rules  # noqa: F401 (the rules register themselves)

        register_exporter("opendata", personal_data.export)
        register_eraser(personal_data.erase)
