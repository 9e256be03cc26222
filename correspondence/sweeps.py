"""The periodic jobs behind correspondence.tasks: follow-up reminders and retention."""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from organizations.sweeps import expired_invitations

from . import emails
from .domain import REMINDER_DAYS
from .models import GroupInvitation, Letter, LetterEvent, Response
from .services.tracking import letter_event_add


def group_invitations_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete the working-group invitations that expired unaccepted, as association invitations are."""
    _total, deleted = expired_invitations(GroupInvitation, now=now).delete()
    return deleted.get(GroupInvitation._meta.label, 0)


def reminders_sweep(*, now=None) -> int:
    """Remind working groups of sent inquiries with no answer logged: at three and at six weeks.

    Idempotent: each level is claimed with a conditional UPDATE before the emails are recorded,
    and a letter found late (after downtime) gets only the reminder for the level it has reached.
    Returns the number of letters reminded.
    """
    now = now or timezone.now()
    answered = Response.objects.filter(letter=OuterRef("pk"))
    waiting = Letter.objects.filter(kind=Letter.Kind.INQUIRY, status=Letter.Status.SENT).exclude(Exists(answered))
    reminded = 0
    for level in sorted(range(1, len(REMINDER_DAYS) + 1), reverse=True):
        due = waiting.filter(
            sent_at__lte=now - datetime.timedelta(days=REMINDER_DAYS[level - 1]), reminder_level__lt=level
        )
        for letter_id in due.values_list("pk", flat=True):
            with transaction.atomic():
                claimed = Letter.objects.filter(pk=letter_id, reminder_level__lt=level).update(reminder_level=level)
                if not claimed:
                    continue
                letter = Letter.objects.select_related("group").get(pk=letter_id)
                emails.follow_up_reminders(letter, level)
                letter_event_add(letter, LetterEvent.Kind.REMINDER, None, weeks=REMINDER_DAYS[level - 1] // 7)
                reminded += 1
    return reminded
