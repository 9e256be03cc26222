"""The reminder and retention sweeps behind meetings.tasks. Each takes `now` so tests can move the clock."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organizations.models import Municipality

from . import emails
from .domain import OSLO, volunteer_day, volunteer_day_span
from .models import AgreedAction, Meeting, Registration
from .models_actions import DUE_SOON_DAYS

NUDGE_FROM = (11, 1)  # 1 November: a month to plan something for 5 December


def reminders_sweep(*, now: datetime.datetime | None = None) -> int:
    """Remind everyone registered (confirmed) for a published meeting whose reminder time has come
    and that has not started yet. A meeting whose reminder is switched off (null) gets none."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=Meeting.Status.PUBLISHED, reminder_hours__isnull=False, starts_at__gt=now
    ).values_list("pk", "starts_at", "reminder_hours")
    meeting_ids = [pk for pk, starts_at, hours in due if starts_at - datetime.timedelta(hours=hours) <= now]
    sent = 0
    registrations = (
        Registration.objects.filter(meeting_id__in=meeting_ids, status=Registration.Status.CONFIRMED)
        .select_related("meeting", "user")
        .filter(user__is_active=True)
        .order_by("pk")
    )
    for registration in registrations:
        with transaction.atomic():
            sent += emails.reminder(registration=registration)
    return sent


def volunteer_day_nudge_sweep(*, now: datetime.datetime | None = None) -> int:
    """From 1 November until 5 December: nudge the staff of each municipality that has no event
    on 5 December yet (a draft counts as something planned)."""
    today = (now or timezone.now()).astimezone(OSLO).date()
    year = today.year
    if not (datetime.date(year, *NUDGE_FROM) <= today < volunteer_day(year)):
        return 0
    start, end = volunteer_day_span(year)
    planned = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(status=Meeting.Status.CANCELLED)
    municipalities = (
        Municipality.objects.filter(active=True, staff__isnull=False)
        .exclude(pk__in=planned.values("municipality_id"))
        .distinct()
        .prefetch_related("staff__user")
        .order_by("number")
    )
    sent = 0
    for municipality in municipalities:
        for role in municipality.staff.all():
            if not role.user.is_active:
                continue
            with transaction.atomic():
                sent += emails.volunteer_day_nudge(municipality=municipality, staff_user=role.user, year=year)
    return sent


def registration_needs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Clear the needs registrants stated (interpretation, accessibility, diet) MEETINGS_KEEP_NEEDS_DAYS
    after the meeting ended: returns how many registrations were cleared.

    The needs served the meeting; what stays is who registered, how many and who came, which the
    reach report and the attendance lists read. The topics sent in advance stay with the agenda.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.MEETINGS_KEEP_NEEDS_DAYS)
    stated = Q(interpretation_language__isnull=False) | ~Q(accessibility_needs="") | ~Q(diet="")
    return (
        Registration.objects.filter(meeting__ends_at__lt=cutoff)
        .filter(stated)
        .update(interpretation_language=None, accessibility_needs="", diet="")
    )


def action_reminders_sweep(*, now: datetime.datetime | None = None) -> int:
    """Remind the owners of open agreed actions: once from a week before the due date, and once
    from the day after it passed (then overdue). An action found only after its due date (a beat
    that was down) gets the overdue reminder alone, not a stale "one week left"."""
    today = (now or timezone.now()).astimezone(OSLO).date()
    due = (
        AgreedAction.objects.public()
        .open()
        .filter(due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        .select_related("meeting__municipality", "owner_association")
        .order_by("pk")
    )
    sent = 0
    for action in due:
        with transaction.atomic():
            sent += emails.action_reminder(action=action, overdue=action.due_on < today)
    return sent
