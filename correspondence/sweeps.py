"""Retention sweeps behind correspondence.tasks (the follow-up reminders live in services)."""

import datetime

from organizations.sweeps import expired_invitations

from .models import GroupInvitation


def group_invitations_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete the working-group invitations that expired unaccepted, as association invitations are."""
    _total, deleted = expired_invitations(GroupInvitation, now=now).delete()
    return deleted.get(GroupInvitation._meta.label, 0)
