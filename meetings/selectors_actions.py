"""Reads of agreed actions that pages share; each is a fixed number of queries."""

import datetime

from django.db.models import Prefetch

from .models import AgreedAction, Meeting


def _actions():
    return AgreedAction.objects.select_related("owner_association").order_by("due_on", "pk")


def overdue_actions(*, municipality, today: datetime.date | None = None):
    """Open actions of the municipality's meetings whose due date has passed, the oldest first."""
    return (
        AgreedAction.objects.public()
        .overdue(today=today)
        .filter(meeting__municipality=municipality)
        .select_related("meeting", "owner_association")
        .order_by("due_on", "pk")
    )


def meetings_with_actions(*, municipality):
    """The municipality's meetings whose summary agreed actions, newest first, each with its actions."""
    return (
        Meeting.objects.public()
        .filter(municipality=municipality, summary_published_at__isnull=False, actions__isnull=False)
        .distinct()
        .prefetch_related(Prefetch("actions", queryset=_actions()))
        .order_by("-starts_at", "-pk")
    )


def actions_for_staff(*, meeting):
    return _actions().filter(meeting=meeting)


def linkable_actions(*, municipality_id):
    """The public actions a working group may link to a letter to the municipality."""
    return (
        AgreedAction.objects.public()
        .filter(meeting__municipality_id=municipality_id)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "due_on", "pk")
    )
