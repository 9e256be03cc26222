"""Writes to agreed actions. Keyword-only, full_clean() before saving, in a transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialog_portal.updates import model_assign

from .models import AgreedAction, Meeting

ACTION_FIELDS = ("title", "description", "owner_unit", "owner_email", "owner_association", "due_on", "status")


def _check_meeting_holds_actions(meeting: Meeting) -> None:
    if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD) or not meeting.has_started:
        raise ValidationError(_("Tiltak legges inn etter at møtet har startet, sammen med oppsummeringen."))


@transaction.atomic
def action_create(*, meeting: Meeting, status_comment: str = "", **fields) -> AgreedAction:
    meeting = Meeting.objects.select_for_update().select_related("municipality").get(pk=meeting.pk)
    _check_meeting_holds_actions(meeting)
    action = AgreedAction(meeting=meeting, status_comment=(status_comment or "").strip())
    model_assign(instance=action, data=fields, fields=ACTION_FIELDS)
    action.status_changed_at = timezone.now()
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_update(*, action: AgreedAction, **fields) -> AgreedAction:
    """Staff correct what was agreed: title, owner, due date, status. A new due date gets new
    reminders, since they are recorded per due date (meetings.emails)."""
    stored = AgreedAction.objects.select_for_update().select_related("meeting__municipality").get(pk=action.pk)
    before = stored.status
    if "status_comment" in fields:
        fields["status_comment"] = (fields["status_comment"] or "").strip()
    model_assign(instance=stored, data=fields, fields=(*ACTION_FIELDS, "status_comment"))
    if stored.status != before:
        stored.status_changed_at = timezone.now()
    stored.full_clean()
    stored.save()
    return stored


@transaction.atomic
def action_status_set(*, action: AgreedAction, status: str, comment: str) -> AgreedAction:
    """The owner (or staff) reports progress: a status and a comment that says what happened."""
    if status not in AgreedAction.Status.values:
        raise ValidationError({"status": _("Velg en av statusene i listen.")})
    return action_update(action=action, status=status, status_comment=comment)
