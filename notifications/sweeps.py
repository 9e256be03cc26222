"""Retention of the outbox: what an email said goes after NOTIFICATIONS_KEEP_CONTENT_DAYS; that it went stays.

The row (kind, object, recipient, occasion, times, Message-ID, state) is what keeps a sweep from
sending the same email twice, so it is never deleted; its rendered content (the context, reply-to
and copy addresses, attachments and the error text) is personal data that has served its purpose.
"""

import datetime
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone

from .models import OutgoingEmail, OutgoingEmailAttachment

State = OutgoingEmail.State

FINISHED = [State.SENT, State.FAILED, State.SUPPRESSED]
BATCH = 1000
ERROR_KEPT = 100


def content_expired(*, now: datetime.datetime | None = None) -> Q:
    """Emails whose content is older than the keeping period: sent, failed or suppressed that long ago.

    A failed email counts from its last attempt; such an email can no longer be sent again.
    """
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.NOTIFICATIONS_KEEP_CONTENT_DAYS)
    return Q(state=State.SENT, sent_at__lt=cutoff) | Q(
        Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True, created_at__lt=cutoff),
        state__in=[State.FAILED, State.SUPPRESSED],
    )


def short_error(error: str) -> str:
    """What is kept of an error: the kind of error, without the message (which may quote addresses or text)."""
    return error.split(":", 1)[0].strip()[:ERROR_KEPT]


def _still_has_content() -> Q:
    return (
        ~Q(context={})
        | ~Q(reply_to=[])
        | ~Q(cc=[])
        | Q(attachment_count__gt=0)
        | Q(attachments__isnull=False)
        | Q(last_error__contains=":")
        | Q(error_length__gt=ERROR_KEPT)
    )


def email_content_sweep(*, now: datetime.datetime | None = None) -> int:
    """Clear the content of the emails past the keeping period: returns how many were cleared.

    Pending and sending emails are never touched. A second run finds nothing left to clear.
    """
    expired = (
        OutgoingEmail.objects.filter(content_expired(now=now))
        .annotate(error_length=Length("last_error"))
        .filter(_still_has_content())
    )
    cleared = 0
    while True:
        with transaction.atomic():
            ids = list(expired.order_by("pk").values_list("pk", flat=True).distinct()[:BATCH])
            if not ids:
                return cleared
            emails = OutgoingEmail.objects.select_for_update().filter(pk__in=ids, state__in=FINISHED)
            ids = list(emails.values_list("pk", flat=True))
            OutgoingEmailAttachment.objects.filter(email_id__in=ids).delete()
            errors = sorted(
                (short_error(error), pk)
                for pk, error in OutgoingEmail.objects.filter(pk__in=ids)
                .exclude(last_error="")
                .values_list("pk", "last_error")
            )
            for error, group in groupby(errors, key=lambda pair: pair[0]):
                OutgoingEmail.objects.filter(pk__in=[pk for _error, pk in group]).update(last_error=error)
            cleared += OutgoingEmail.objects.filter(pk__in=ids).update(
                context={}, reply_to=[], cc=[], attachment_count=0
            )
