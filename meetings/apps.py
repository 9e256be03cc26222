from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Møteplasser")

    def ready(self):
        from accounts.personal_data import register_eraser, register_exporter
        from dialog_portal import versions
        from dialog_portal.permissions import can
        from organizations.profile_sections import register_profile_section

        from . import personal_data, selectors

        versions.connect(self.label)

        register_exporter("meetings", personal_data.export)
        register_eraser(personal_data.erase)
        register_profile_section(
            template="meetings/includes/association_meetings.html",
            context=lambda request, association: {
                "association": association,
                "meetings": selectors.meetings_of_association(association=association),
                "may_propose": can(request.user, "meetings.propose_meeting", association),
            },
        )
