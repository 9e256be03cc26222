"""Retention sweeps behind organizations.tasks: invitations and join requests that have had their day.

Each takes `now` so tests can move the clock, and deletes only what is past its period, so a second
run (or a run after days of downtime) deletes nothing it should not.
"""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .models import Invitation, MembershipRequest


def expired_invitations(model, *, now: datetime.datetime | None = None):
    """Invitations of the model never accepted and expired more than INVITATIONS_KEEP_DAYS ago.

    Accepted invitations stay: they are the history of who joined on whose invitation.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.INVITATIONS_KEEP_DAYS)
    return model.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff)


def invitations_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete the association invitations that expired unaccepted: returns how many."""
    _total, deleted = expired_invitations(Invitation, now=now).delete()
    return deleted.get(Invitation._meta.label, 0)


def membership_requests_sweep(*, now: datetime.datetime | None = None) -> int:
    """Delete the requests to join that were declined, or never answered, MEMBERSHIP_REQUESTS_KEEP_DAYS ago.

    A request nobody answered in that time has lapsed: it leaves the admins' list, and the person
    may ask again. Accepted requests stay beside the membership they led to.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.MEMBERSHIP_REQUESTS_KEEP_DAYS)
    declined = Q(decided_at__lt=cutoff) & ~Q(accepted=True)
    unanswered = Q(decided_at__isnull=True, created_at__lt=cutoff)
    _total, deleted = MembershipRequest.objects.filter(declined | unanswered).delete()
    return deleted.get(MembershipRequest._meta.label, 0)
