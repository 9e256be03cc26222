"""Recording and sending the portal's emails: each one once, none lost.

An email is recorded (kind, object, recipient, occasion — unique) in the caller's transaction and
handed to a worker after the commit. The worker claims the row with a conditional UPDATE
(pending → sending), so two workers holding the same task cannot both send it, then sends and
marks it sent. If the broker is down, the row stays pending and the outbox sweep hands it over
later; if a worker dies while sending, the row is reclaimed once it is older than the task's hard
time limit (NOTIFICATIONS_STALE_AFTER) and sent again.

The one window that cannot be closed is a worker killed after the SMTP server accepted a message
and before the row was marked sent. We choose to send again rather than to lose the email (at
least once in that window, exactly once everywhere else); the retry carries the same Message-ID,
which was stored before the first try, so the duplicate can be recognised by the receiving side.
"""

import contextlib
import itertools
import json
import logging
import smtplib
import threading
import time
from collections import defaultdict
from datetime import timedelta
from functools import partial

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connections, transaction
from django.db.models import F, Q, TextField, prefetch_related_objects
from django.db.models.functions import Cast
from django.utils import timezone, translation

from . import mailer
from .models import NotificationSettings, OutgoingEmail, OutgoingEmailAttachment
from .registry import get_kind
from .sweeps import content_expired

logger = logging.getLogger(__name__)

State = OutgoingEmail.State

# The worker's task (notifications.tasks), found by name in Celery's registry: the task module
# imports this one, not the other way round.
SEND_EMAIL_TASK = "notifications.tasks.send_email"

# After a failed hand-over, later hand-overs in this process wait this long before they try the
# broker again, so a page that records many emails does not wait for a dead broker each time.
BROKER_BACKOFF_SECONDS = 10
_broker_unavailable_until = 0.0


class EmailTemporaryError(Exception):
    """Sending failed for a reason that may pass (the server is busy or away); try again later."""

    def __init__(self, message: str, retry_in: int, email_ids: list[int] | None = None):
        super().__init__(message)
        self.retry_in = retry_in
        self.email_ids = list(email_ids or [])


def _is_temporary(error: BaseException) -> bool:
    if isinstance(error, SoftTimeLimitExceeded):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPConnectError):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    # Refused connections, unreachable hosts, socket timeouts.
    return isinstance(error, OSError)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def retry_delay(attempts: int) -> int:
    """Seconds to wait after the given number of failed attempts: base, 2 × base, 4 × base, …"""
    return settings.NOTIFICATIONS_RETRY_BACKOFF * 2 ** max(attempts - 1, 0)


def users_with_reminders_off(user_ids) -> set[int]:
    """Of these users, the ones who switched reminder emails off."""
    return set(
        NotificationSettings.objects.filter(user_id__in=user_ids, reminders=False).values_list("user_id", flat=True)
    )


def reminders_enabled(*, user) -> bool:
    return user.pk not in users_with_reminders_off([user.pk])


def notification_settings_update(*, user, reminders: bool) -> NotificationSettings:
    with transaction.atomic():
        preferences, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
        preferences.reminders = reminders
        preferences.full_clean()
        preferences.save()
    return preferences


def _recipient(recipient):
    User = get_user_model()
    if isinstance(recipient, User):
        return recipient, recipient.email.lower()
    address = str(recipient).strip().lower()
    return User.objects.filter(email__iexact=address).first(), address


def email_enqueue(
    *,
    kind: str,
    recipient,
    obj=None,
    occasion: str = "",
    context: dict | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    reply_to: list[str] | None = None,
    cc: list[str] | None = None,
) -> OutgoingEmail | None:
    """Record an email and hand it to the worker after the transaction commits.

    recipient is a User or an email address (an address that belongs to a user is treated as that
    user). The email is unique on (kind, object, recipient email, occasion): recording it again
    returns None, as does a reminder (a non-transactional kind) to a user who switched reminders
    off — that one is recorded as suppressed. context must be JSON-serialisable; at render time it
    is merged with object, recipient_user, recipient_email, site_url, settings_url and portal_name.
    """
    email_kind = get_kind(kind)
    attachments = list(attachments or [])
    user, address = _recipient(recipient)
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    already = OutgoingEmail.objects.filter(
        kind=kind, content_type=content_type, object_id=object_id, recipient_email=address, occasion=occasion
    )
    if already.exists():
        return None
    suppressed = not email_kind.transactional and user is not None and not reminders_enabled(user=user)
    now = timezone.now()
    email = OutgoingEmail(
        kind=kind,
        content_type=content_type,
        object_id=object_id,
        recipient_email=address,
        recipient_user=user,
        occasion=occasion,
        language=user.preferred_language if user else (translation.get_language() or settings.LANGUAGE_CODE),
        context=context or {},
        reply_to=list(reply_to or []),
        cc=list(cc or []),
        message_id=mailer.message_id_new(),
        state=State.SUPPRESSED if suppressed else State.PENDING,
        enqueued_at=None if suppressed else now,
        created_at=now,
        attachment_count=len(attachments),
    )
    # The database holds the unique record (a concurrent enqueue is caught below) and the fresh
    # Message-ID, so full_clean leaves uniqueness to it instead of asking twice.
    email.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            email.save()
            for filename, content, mimetype in attachments:
                attachment = OutgoingEmailAttachment(email=email, filename=filename, content=content, mimetype=mimetype)
                attachment.full_clean(exclude=["email"])
                attachment.save()
    except IntegrityError:
        return None
    if suppressed:
        return None
    _hand_over_after_commit(email.pk)
    return email


# Emails recorded in this thread and not handed over yet, in the order they were recorded. Each
# email registers a commit callback of its own; the first callback of a commit to run hands over
# its email and every email recorded after it, in tasks of NOTIFICATIONS_BATCH_SIZE, so a
# transaction that records many emails (a reminder sweep) costs the broker and the worker one task
# per batch instead of one per email. The later callbacks of that commit find their emails handed
# over already. An entry recorded before the first one to run belongs to a transaction (or a
# savepoint) that was rolled back, whose callbacks never run: it is dropped.
_waiting = threading.local()
_tokens = itertools.count()


def _hand_over_after_commit(email_id: int) -> None:
    if not hasattr(_waiting, "entries"):
        _waiting.entries = []
    token = next(_tokens)
    _waiting.entries.append((token, email_id))
    transaction.on_commit(partial(_hand_over_from, token), robust=True)


def _hand_over_from(token: int) -> None:
    entries = getattr(_waiting, "entries", [])
    start = next((index for index, (waiting, _id) in enumerate(entries) if waiting == token), None)
    if start is None:
        return  # handed over with an earlier email of the same commit
    email_ids = list(dict.fromkeys(email_id for _token, email_id in entries[start:]))
    _waiting.entries = []
    _hand_over(email_ids)


def _batches(email_ids: list[int]) -> list[list[int]]:
    size = max(1, settings.NOTIFICATIONS_BATCH_SIZE)
    return [email_ids[start : start + size] for start in range(0, len(email_ids), size)]


def _publish_batches(email_ids: list[int]) -> list[int]:
    """Publish send tasks for the emails, a batch per task: returns the IDs that were handed over.

    With a broker, publishing stops at the first failure (the broker is away); in-process, a
    batch that failed does not keep the next from being sent.
    """
    handed = []
    in_process = getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    for batch in _batches(email_ids):
        if _publish(batch):
            handed.extend(batch)
        elif not in_process:
            break
    return handed


def _publish(email_ids: list[int]) -> bool:
    """Put one send task on the broker. False (and logged) when the broker cannot be reached."""
    global _broker_unavailable_until
    in_process = getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    # The back-off is for a broker that is away; sending in-process has no broker to wait for.
    if not in_process and time.monotonic() < _broker_unavailable_until:
        return False
    try:
        current_app.tasks[SEND_EMAIL_TASK].apply_async(
            args=[email_ids],
            retry=True,
            retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
        )
    except Exception:
        # Whatever the broker (or, in-process, the send) raised, the record is safe in the database
        # and the outbox sweep hands it over later. Saving must never fail because of this.
        logger.exception("Could not hand emails %s to the worker; the outbox sweep will retry.", email_ids)
        if not in_process:
            _broker_unavailable_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        return False
    return True


def _hand_over(email_ids: list[int]) -> None:
    handed = set(_publish_batches(email_ids))
    not_handed = [email_id for email_id in email_ids if email_id not in handed]
    if not_handed:
        OutgoingEmail.objects.filter(pk__in=not_handed, state=State.PENDING).update(enqueued_at=None)


# The claim and the "sent" mark are the worker's writes per email. On PostgreSQL they commit
# without waiting for the disk (synchronous_commit off, for these transactions only): a crash of
# the database server itself may forget the last fraction of a second of them, and then those
# emails are sent again (same Message-ID), never lost. The email's record, written by the page
# that caused it, is committed durably as usual. Measured on the development machine, a sent mark
# takes 0.23 ms this way against 0.33-0.46 ms waiting for the disk; on slower disks the flush
# would bound every worker's throughput.
#
# The claim is UPDATE … RETURNING, which the ORM does not write: the claim and its rows in one
# round trip.
_CLAIM_SQL = """
    UPDATE {table} SET state = %s, claimed_at = %s, attempts = attempts + 1, next_attempt_at = NULL
    WHERE id IN ({ids}) AND (state = %s OR (state = %s AND claimed_at < %s))
    RETURNING *
"""
_SENT_SQL = "UPDATE {table} SET state = %s, sent_at = %s WHERE id = %s"


@contextlib.contextmanager
def _worker_transaction(connection):
    """A transaction whose commit does not wait for the disk (PostgreSQL's SET LOCAL).

    Inside a caller's transaction (tasks run in-process) the caller's durability is left alone.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        yield


def _claim(email_ids: list[int]) -> list[OutgoingEmail]:
    """Take the emails for sending: those not sent and not being sent by another worker.

    One conditional UPDATE for the whole batch: of two concurrent claims the database lets exactly
    one change each row (the second re-reads it after the first commits and no longer matches).
    RETURNING hands back the claimed rows in the same round trip (PostgreSQL, and SQLite since
    3.35). The emails come back in the order of email_ids.
    """
    email_ids = [int(email_id) for email_id in dict.fromkeys(email_ids)]
    if not email_ids:
        return []
    now = timezone.now()
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_STALE_AFTER)
    connection = connections[OutgoingEmail.objects.db]
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(OutgoingEmail._meta.db_table)
    sql = _CLAIM_SQL.format(table=table, ids=", ".join(["%s"] * len(email_ids)))
    params = [State.SENDING, adapt(now), *email_ids, State.PENDING, State.SENDING, adapt(stale)]
    position = {email_id: index for index, email_id in enumerate(email_ids)}
    with _worker_transaction(connection):
        claimed = list(OutgoingEmail.objects.raw(sql, params))
    return sorted(claimed, key=lambda email: position[email.pk])


def _mark_sent(email: OutgoingEmail) -> None:
    connection = connections[OutgoingEmail.objects.db]
    params = [State.SENT, connection.ops.adapt_datetimefield_value(timezone.now()), email.pk]
    # A plain UPDATE rather than QuerySet.update(): it runs once per email, and building the query
    # through the ORM measured 0.35 ms per mark against 0.23 ms.
    with _worker_transaction(connection), connection.cursor() as cursor:
        cursor.execute(_SENT_SQL.format(table=connection.ops.quote_name(OutgoingEmail._meta.db_table)), params)


def _fail(email: OutgoingEmail, error: BaseException | str) -> None:
    message = error if isinstance(error, str) else _describe(error)
    OutgoingEmail.objects.filter(pk=email.pk).update(state=State.FAILED, last_error=message)
    logger.error("Email %s (%s to %s) failed: %s", email.pk, email.kind, email.recipient_email, message)


def _release(email: OutgoingEmail, untried: list[OutgoingEmail], error: BaseException, delay: int) -> None:
    """After a temporary error: the email, and the batch's emails not tried yet, wait for a retry.

    The untried emails give back the attempt their claim counted.
    """
    next_attempt = timezone.now() + timedelta(seconds=delay)
    waiting = {
        "state": State.PENDING,
        "next_attempt_at": next_attempt,
        # The retry is on its way to the broker; the sweep steps in only if it gets lost.
        "enqueued_at": next_attempt,
        "claimed_at": None,
    }
    OutgoingEmail.objects.filter(pk=email.pk, state=State.SENDING).update(last_error=_describe(error), **waiting)
    if untried:
        OutgoingEmail.objects.filter(pk__in=[other.pk for other in untried], state=State.SENDING).update(
            attempts=F("attempts") - 1, **waiting
        )


def _without_suppressed(emails: list[OutgoingEmail]) -> list[OutgoingEmail]:
    """Drop (and mark suppressed) the reminders to users who switched reminders off meanwhile."""
    reminder_users = {
        email.recipient_user_id
        for email in emails
        if email.recipient_user_id and not get_kind(email.kind).transactional
    }
    switched_off = users_with_reminders_off(reminder_users) if reminder_users else set()
    if not switched_off:
        return emails
    suppressed = [
        email for email in emails if email.recipient_user_id in switched_off and not get_kind(email.kind).transactional
    ]
    OutgoingEmail.objects.filter(pk__in=[email.pk for email in suppressed]).update(state=State.SUPPRESSED)
    return [email for email in emails if email not in suppressed]


def _load_related(emails: list[OutgoingEmail]) -> dict[int, object]:
    """Recipients, attachments and the objects the emails are about, in one query each.

    Returns the object of each email by the email's ID (None when it was deleted meanwhile).
    """
    User = get_user_model()
    users = User.objects.in_bulk({email.recipient_user_id for email in emails if email.recipient_user_id})
    for email in emails:
        if email.recipient_user_id:
            email.recipient_user = users.get(email.recipient_user_id)
    prefetch_related_objects([email for email in emails if email.attachment_count], "attachments")
    objects = {}
    by_type = defaultdict(list)
    for email in emails:
        if email.content_type_id:
            by_type[email.content_type_id].append(email)
    for content_type_id, about in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        found = {str(pk): obj for pk, obj in model._default_manager.in_bulk({e.object_id for e in about}).items()}
        for email in about:
            objects[email.pk] = found.get(email.object_id)
    return objects


def emails_send(*, email_ids: list[int]) -> None:
    """Claim the emails, render each in its recipient's language, send it and mark it sent.

    Emails sent already or being sent by another worker are left alone. An email that cannot be
    built, or that the mail server refuses for good, is marked failed and the rest go on. On an
    error that may pass (the server is busy or away) the email and the batch's remaining emails
    are pending again, with the time of the next attempt, and EmailTemporaryError names them for
    the retry; after NOTIFICATIONS_MAX_ATTEMPTS an email is marked failed with the error, for the
    site admins to see.
    """
    emails = []
    for email in _claim(email_ids):
        if email.attempts > settings.NOTIFICATIONS_MAX_ATTEMPTS:
            # Earlier attempts never finished (the worker died or hit its hard time limit each
            # time): stop here rather than take a worker down with this email for ever.
            _fail(email, f"Gave up after {email.attempts - 1} attempts that did not finish. {email.last_error}".strip())
        else:
            emails.append(email)
    emails = _without_suppressed(emails)
    objects = _load_related(emails) if emails else {}
    for index, email in enumerate(emails):
        try:
            message = mailer.message_build(email, obj=objects.get(email.pk))
        except SoftTimeLimitExceeded as error:
            _retry_later(email, emails[index + 1 :], error)
        except Exception as error:
            _fail(email, error)
            continue
        try:
            mailer.message_deliver(message)
        except Exception as error:
            if not _is_temporary(error) or email.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
                _fail(email, error)
                continue
            _retry_later(email, emails[index + 1 :], error)
        _mark_sent(email)


def _retry_later(email: OutgoingEmail, untried: list[OutgoingEmail], error: BaseException):
    delay = retry_delay(email.attempts)
    _release(email, untried, error, delay)
    raise EmailTemporaryError(
        _describe(error), retry_in=delay, email_ids=[email.pk, *(other.pk for other in untried)]
    ) from error


def email_send(*, email_id: int) -> None:
    """Send one email (see emails_send)."""
    emails_send(email_ids=[email_id])


def email_retry(*, email: OutgoingEmail) -> bool:
    """Send a failed email again (a site admin's action), with a fresh count of attempts.

    One whose content is past the keeping period (sweeps.content_expired) is not sent: False.
    """
    updated = (
        OutgoingEmail.objects.filter(pk=email.pk, state=State.FAILED)
        .exclude(content_expired())
        .update(state=State.PENDING, attempts=0, next_attempt_at=None, enqueued_at=timezone.now())
    )
    if updated:
        _hand_over_after_commit(email.pk)
    return bool(updated)


def outbox_sweep(*, limit: int = 1000) -> int:
    """Hand the worker every email that is due and not on its way: returns how many.

    That is pending emails whose hand-over failed or got lost (older than
    NOTIFICATIONS_REENQUEUE_AFTER) and emails left 'sending' by a worker that died.
    """
    now = timezone.now()
    due = (
        Q(state=State.PENDING)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (
            Q(enqueued_at__isnull=True)
            | Q(enqueued_at__lt=now - timedelta(seconds=settings.NOTIFICATIONS_REENQUEUE_AFTER))
        )
    )
    stale = Q(state=State.SENDING, claimed_at__lt=now - timedelta(seconds=settings.NOTIFICATIONS_STALE_AFTER))
    ids = list(OutgoingEmail.objects.filter(due | stale).order_by("created_at").values_list("pk", flat=True)[:limit])
    handed = _publish_batches(ids)
    if handed:
        OutgoingEmail.objects.filter(pk__in=handed, state=State.PENDING).update(enqueued_at=now)
    return len(handed)


def _outbox_to(person):
    addressed = Q(recipient_user=person.user)
    for email in person.emails:
        addressed |= Q(recipient_email__iexact=email)
    return OutgoingEmail.objects.filter(addressed)


def _outbox_mentioning(person):
    """Emails to other people whose content, reply-to, copy list or error names the person.

    The JSON columns are searched as text, for each term as written and as JSON escapes it (the
    SQLite column holds non-ASCII letters escaped), then checked again in Python.
    """
    from accounts.personal_data import mentions_person

    mentioned = Q(pk__in=[])
    for term in person.terms:
        for form in {term, json.dumps(term)[1:-1]}:
            mentioned |= (
                Q(context_text__icontains=form)
                | Q(reply_to_text__icontains=form)
                | Q(cc_text__icontains=form)
                | Q(last_error__icontains=form)
            )
    candidates = (
        OutgoingEmail.objects.exclude(pk__in=_outbox_to(person).values("pk"))
        .annotate(
            context_text=Cast("context", TextField()),
            reply_to_text=Cast("reply_to", TextField()),
            cc_text=Cast("cc", TextField()),
        )
        .filter(mentioned)
        .only("pk", "kind", "created_at", "context", "reply_to", "cc", "last_error")
        .order_by("created_at")
    )
    return [
        email
        for email in candidates
        if any(
            mentions_person(value, person=person)
            for value in (email.context, email.reply_to, email.cc, email.last_error)
        )
    ]


def outbox_anonymise(*, person) -> None:
    """When an account is deleted: emails to the person go, mentions of them in other emails go.

    The emails to others keep their record (kind, object, recipient, state), so none is sent twice;
    a reply-to or copy address of the person is dropped from the list, and a mention in the content
    is removed (accounts.personal_data.without_person).
    """
    from django.utils.translation import gettext as _

    from accounts.personal_data import without_person

    _outbox_to(person).delete()
    placeholder = _("[slettet]")
    for email in _outbox_mentioning(person):
        OutgoingEmail.objects.filter(pk=email.pk).update(
            context=without_person(email.context, person=person, placeholder=placeholder),
            reply_to=[address for address in email.reply_to if str(address).lower() not in person.emails],
            cc=[address for address in email.cc if str(address).lower() not in person.emails],
            last_error=without_person(email.last_error, person=person, placeholder=placeholder),
        )


def notifications_personal_data(user) -> dict:
    from accounts.personal_data import person_of

    person = person_of(user)
    return {
        "reminders": reminders_enabled(user=user),
        "emails": [
            {
                "kind": email["kind"],
                "to": email["recipient_email"],
                "occasion": email["occasion"],
                "state": email["state"],
                "created_at": email["created_at"].isoformat(),
                "sent_at": email["sent_at"].isoformat() if email["sent_at"] else None,
            }
            for email in _outbox_to(person)
            .order_by("created_at")
            .values("kind", "recipient_email", "occasion", "state", "created_at", "sent_at")
        ],
        # Emails to other people that name the person: which kind and when, not the others' mail.
        "emails_to_others_mentioning_you": [
            {"kind": email.kind, "created_at": email.created_at.isoformat()} for email in _outbox_mentioning(person)
        ],
    }
