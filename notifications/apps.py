from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Varsler og e-post")

    def ready(self):
        from accounts import personal_data

        # The tasks module registers the Celery tasks the services hand emails to by name.
        from . import tasks  # noqa: F401
        from .services import notifications_personal_data, outbox_anonymise

        autodiscover_modules("emails")
        personal_data.register_exporter("notifications", notifications_personal_data)
        personal_data.register_eraser(outbox_anonymise, final=True)
