from django.apps import AppConfig
from django.db.models.signals import pre_delete
from django.utils.translation import gettext_lazy as _


class CorrespondenceConfig(AppConfig):
    name = "correspondence"
    verbose_name = _("Henvendelser")

    def ready(self):
        from accounts.invitations import register_invitation_kind
        from accounts.personal_data import register_deletion_blocker, register_eraser, register_exporter
        from dialog_portal import versions
        from organizations.profile_sections import register_profile_section

        from . import personal_data, selectors

        register_exporter("correspondence", personal_data.export)
        register_deletion_blocker(personal_data.leader_blockers)
        register_eraser(personal_data.erase)
        register_profile_section(template="correspondence/includes/association_letters.html", context=_letters_section)
        pre_delete.connect(_keep_founding_meeting, sender="meetings.Meeting", dispatch_uid="correspondence-founding")
        register_invitation_kind(selectors.INVITATIONS)
        versions.connect(self.label)


def _keep_founding_meeting(sender, instance, **kwargs):
    from .services import groups_keep_founding_meeting

    groups_keep_founding_meeting(meeting=instance)


def _letters_section(request, association):
    from dialog_portal.permissions import can

    from .selectors import letters_cosigned_by

    unpublished_too = can(request.user, "correspondence.view_association_letters", association)
    return letters_cosigned_by(association=association, unpublished_too=unpublished_too)
