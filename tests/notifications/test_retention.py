"""The outbox keeps the record of every email and clears what it said after NOTIFICATIONS_KEEP_CONTENT_DAYS."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import services, sweeps
from notifications.models import OutgoingEmail, OutgoingEmailAttachment
from notifications.tasks import clear_old_email_content
from tests.notifications.factories import OutgoingEmailFactory
from tests.notifications.kinds import GREETING

pytestmark = pytest.mark.django_db

State = OutgoingEmail.State
NOW = timezone.now()
OLD = NOW - datetime.timedelta(days=91)
RECENT = NOW - datetime.timedelta(days=89)

PERSONAL = {"name": "Åse O'Brien", "phone": "+47 912 34 567", "accept_url": "/invitasjon/hemmelig/"}


def _email(**fields):
    email = OutgoingEmailFactory(
        context=PERSONAL,
        reply_to=["lise@example.org"],
        cc=["per@example.org"],
        attachment_count=1,
        **fields,
    )
    OutgoingEmailAttachment.objects.create(email=email, filename="brev.pdf", content=b"%PDF-1.7", mimetype="x/pdf")
    return email


def _sent(at, **fields):
    email = _email(state=State.SENT, sent_at=at, **fields)
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=at, claimed_at=at, sent_at=at)
    return email


def _failed(at, error="SMTPRecipientsRefused: {'aase@example.org': (550, b'Ukjent mottaker Åse')}"):
    email = _email(state=State.FAILED, attempts=6, last_error=error)
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=at, claimed_at=at)
    return email


def _is_cleared(email):
    email.refresh_from_db()
    return (
        email.context == {}
        and email.reply_to == []
        and email.cc == []
        and email.attachment_count == 0
        and not email.attachments.exists()
    )


def test_content_of_emails_sent_long_ago_is_cleared_and_the_record_stays():
    email = _sent(OLD, occasion="reminder-24h")
    record = (email.kind, email.recipient_email, email.occasion, email.message_id, email.content_type_id)

    assert sweeps.email_content_sweep(now=NOW) == 1

    assert _is_cleared(email)
    assert (email.kind, email.recipient_email, email.occasion, email.message_id, email.content_type_id) == record
    assert (email.state, email.sent_at, email.created_at) == (State.SENT, OLD, OLD)
    assert not OutgoingEmailAttachment.objects.exists()


def test_recent_emails_keep_their_content():
    email = _sent(RECENT)
    assert sweeps.email_content_sweep(now=NOW) == 0
    email.refresh_from_db()
    assert email.context == PERSONAL
    assert email.reply_to == ["lise@example.org"]
    assert email.attachments.count() == 1


@pytest.mark.parametrize("state", [State.PENDING, State.SENDING])
def test_emails_not_sent_yet_are_never_touched(state):
    email = _email(state=state)
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=OLD, enqueued_at=OLD, claimed_at=OLD)
    assert sweeps.email_content_sweep(now=NOW) == 0
    email.refresh_from_db()
    assert (email.state, email.context, email.attachment_count) == (state, PERSONAL, 1)
    assert email.attachments.count() == 1


def test_a_failed_email_keeps_only_the_kind_of_error():
    email = _failed(OLD)
    assert sweeps.email_content_sweep(now=NOW) == 1
    assert _is_cleared(email)
    assert email.state == State.FAILED
    assert email.last_error == "SMTPRecipientsRefused"


def test_a_failed_email_counts_from_its_last_attempt():
    email = _failed(OLD)
    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_at=RECENT)
    assert sweeps.email_content_sweep(now=NOW) == 0
    email.refresh_from_db()
    assert email.context == PERSONAL


def test_suppressed_reminders_are_cleared_too():
    email = _email(state=State.SUPPRESSED, enqueued_at=None)
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=OLD)
    assert sweeps.email_content_sweep(now=NOW) == 1
    assert _is_cleared(email)
    assert email.state == State.SUPPRESSED


def test_running_the_sweep_twice_is_harmless():
    cleared = [_sent(OLD), _failed(OLD, error="boom: Åse O'Brien"), _sent(OLD)]
    kept = _sent(RECENT)
    assert sweeps.email_content_sweep(now=NOW) == 3
    assert sweeps.email_content_sweep(now=NOW) == 0
    assert all(_is_cleared(email) for email in cleared)
    assert cleared[1].last_error == "boom"
    kept.refresh_from_db()
    assert kept.context == PERSONAL


def test_the_sweep_works_through_more_emails_than_one_batch(monkeypatch):
    monkeypatch.setattr(sweeps, "BATCH", 2)
    emails = [_sent(OLD) for _ in range(5)]
    assert sweeps.email_content_sweep(now=NOW) == 5
    assert all(_is_cleared(email) for email in emails)


def test_a_cleared_email_still_keeps_the_same_email_from_being_sent_twice(send_on_commit):
    email = send_on_commit(
        services.email_enqueue, kind=GREETING.key, recipient="vera@example.org", occasion="once", context=PERSONAL
    )
    assert len(mail.outbox) == 1
    OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=OLD)
    assert sweeps.email_content_sweep(now=NOW) == 1

    again = send_on_commit(
        services.email_enqueue, kind=GREETING.key, recipient="vera@example.org", occasion="once", context=PERSONAL
    )

    assert again is None
    assert OutgoingEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_the_keeping_period_comes_from_the_settings(settings):
    settings.NOTIFICATIONS_KEEP_CONTENT_DAYS = 7
    email = _sent(NOW - datetime.timedelta(days=8))
    assert clear_old_email_content.apply().get() == 1
    assert _is_cleared(email)


def test_a_failed_email_past_the_period_is_not_sent_again(send_on_commit):
    email = _failed(OLD)
    assert send_on_commit(services.email_retry, email=email) is False
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert len(mail.outbox) == 0


def test_site_admin_is_told_an_old_failed_email_cannot_be_sent_again(client, site_admin, send_on_commit):
    email = _failed(OLD)
    client.force_login(site_admin)
    response = send_on_commit(
        client.post,
        reverse("admin:notifications_outgoingemail_changelist"),
        {"action": "send_again", "_selected_action": [email.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "0 e-poster sendes på nytt." in page
    assert "1 e-post er for gammel til å sendes på nytt: innholdet er slettet." in page
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert len(mail.outbox) == 0
