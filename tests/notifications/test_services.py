import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from notifications import mailer, services
from notifications.models import OutgoingEmail
from notifications.registry import UnknownEmailKind
from notifications.services import email_enqueue, email_send, outbox_sweep
from tests.accounts.factories import UserFactory
from tests.notifications.factories import NotificationSettingsFactory, OutgoingEmailFactory
from tests.notifications.kinds import GREETING, REMINDER
from tests.organizations.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

State = OutgoingEmail.State


@pytest.fixture(autouse=True)
def _fresh_connection():
    mailer.connection_close()
    services._broker_unavailable_until = 0.0
    yield
    mailer.connection_close()


def _greet(recipient, **kwargs):
    kwargs.setdefault("context", {"name": "Vera"})
    return email_enqueue(kind=GREETING.key, recipient=recipient, **kwargs)


def test_email_is_recorded_and_sent_after_commit(send_on_commit):
    user = UserFactory(email="vera@example.org")
    email = send_on_commit(_greet, user, occasion="velkommen")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    email.refresh_from_db()
    assert email.state == State.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    assert email.recipient_user == user
    assert message.to == ["vera@example.org"]
    assert message.extra_headers["Message-ID"] == email.message_id
    assert message.message()["Message-ID"] == email.message_id
    assert message.subject == "Hei Vera [nb]"


def test_nothing_is_sent_before_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _greet("vera@example.org")
    assert len(callbacks) == 1
    assert mail.outbox == []
    email.refresh_from_db()
    assert email.state == State.PENDING


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        _greet("vera@example.org")
        raise RuntimeError("the page failed")
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


def test_the_same_email_is_recorded_once(send_on_commit):
    municipality = MunicipalityFactory()
    first = send_on_commit(_greet, "Vera@Example.org", obj=municipality, occasion="x")
    second = send_on_commit(_greet, "vera@example.org", obj=municipality, occasion="x")
    assert first is not None
    assert second is None
    assert OutgoingEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_other_object_occasion_or_recipient_is_another_email(send_on_commit):
    one, two = MunicipalityFactory(number="0301"), MunicipalityFactory(number="4601")
    send_on_commit(_greet, "vera@example.org", obj=one, occasion="x")
    send_on_commit(_greet, "vera@example.org", obj=two, occasion="x")
    send_on_commit(_greet, "vera@example.org", obj=one, occasion="y")
    send_on_commit(_greet, "ola@example.org", obj=one, occasion="x")
    send_on_commit(_greet, "vera@example.org", occasion="x")
    send_on_commit(_greet, "vera@example.org", occasion="x")
    assert OutgoingEmail.objects.count() == 5
    assert len(mail.outbox) == 5


@pytest.mark.parametrize("with_object", [True, False])
def test_the_database_refuses_a_second_record(with_object):
    obj = MunicipalityFactory() if with_object else None
    first = _greet("vera@example.org", obj=obj, occasion="x")
    duplicate = OutgoingEmail(
        kind=first.kind,
        content_type=first.content_type,
        object_id=first.object_id,
        recipient_email=first.recipient_email,
        occasion="x",
        message_id=mailer.message_id_new(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_concurrent_record_of_the_same_email_returns_none():
    _greet("vera@example.org", occasion="x")
    # The other request committed between our check and our insert.
    with mock.patch.object(OutgoingEmail.objects, "filter") as checked:
        checked.return_value.exists.return_value = False
        assert _greet("vera@example.org", occasion="x") is None
    assert OutgoingEmail.objects.count() == 1


def test_an_unknown_kind_is_refused():
    with pytest.raises(UnknownEmailKind):
        email_enqueue(kind="tests.nonexistent", recipient="vera@example.org")
    assert not OutgoingEmail.objects.exists()


def test_an_address_of_a_user_is_that_user_and_in_their_language(send_on_commit):
    user = UserFactory(email="ada@example.org", preferred_language="en")
    email = send_on_commit(_greet, "ADA@example.org")
    assert email.recipient_user == user
    message = mail.outbox[0]
    assert message.subject == "Hei Vera [en]"
    assert "My account [en]" in message.body
    html = message.alternatives[0][0]
    assert "My account [en]" in html
    assert '<html lang="en">' in html


def test_language_is_the_users_when_the_email_is_sent(send_on_commit, django_capture_on_commit_callbacks):
    user = UserFactory(preferred_language="nb")
    with django_capture_on_commit_callbacks(execute=False):
        email = _greet(user)
    user.preferred_language = "en"
    user.save()
    email_send(email_id=email.pk)
    assert mail.outbox[0].subject == "Hei Vera [en]"


def test_an_address_without_an_account_gets_the_language_of_the_moment(send_on_commit):
    from django.utils import translation

    with translation.override("en"):
        send_on_commit(_greet, "postmottak@example.org")
    with translation.override("nb"):
        send_on_commit(_greet, "postmottak@example.org", occasion="2")
    assert [message.subject for message in mail.outbox] == ["Hei Vera [en]", "Hei Vera [nb]"]


def test_the_email_names_the_portal_links_to_the_settings_and_escapes_only_html(send_on_commit):
    municipality = MunicipalityFactory(name="Sør & <Nord>")
    send_on_commit(_greet, "vera@example.org", obj=municipality, context={"name": "Ærlig & <rett>"})
    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "Ærlig & <rett> om Sør & <Nord>" in message.body
    assert "Ærlig &amp; &lt;rett&gt; om Sør &amp; &lt;Nord&gt;" in html
    assert "<rett>" not in html
    for part in (message.body, html):
        assert "Dialogportal" in part
        assert "https://dialog.example.no/min-side/varsler/" in part
    assert "Til vera@example.org" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in message.extra_headers


def test_attachments_reply_to_and_copies_go_with_the_email(send_on_commit):
    send_on_commit(
        _greet,
        "postmottak@example.org",
        attachments=[
            ("brev.pdf", b"%PDF-1.7 innhold", "application/pdf"),
            ("mote.ics", b"BEGIN:VCALENDAR", "text/calendar"),
        ],
        reply_to=["gruppe@example.org"],
        cc=["leder@example.org"],
    )
    message = mail.outbox[0]
    assert message.reply_to == ["gruppe@example.org"]
    assert message.cc == ["leder@example.org"]
    assert [(name, content, kind) for name, content, kind in message.attachments] == [
        ("brev.pdf", b"%PDF-1.7 innhold", "application/pdf"),
        ("mote.ics", "BEGIN:VCALENDAR", "text/calendar"),
    ]


def test_a_user_who_turned_reminders_off_gets_no_reminders_but_still_transactional_mail(send_on_commit):
    preferences = NotificationSettingsFactory(reminders=False)
    user = preferences.user
    reminder = send_on_commit(email_enqueue, kind=REMINDER.key, recipient=user, context={"what": "møtet"})
    assert reminder is None
    assert OutgoingEmail.objects.get(kind=REMINDER.key).state == State.SUPPRESSED
    send_on_commit(_greet, user)
    assert [message.subject for message in mail.outbox] == ["Hei Vera [nb]"]


def test_a_reminder_carries_an_unsubscribe_link(send_on_commit):
    send_on_commit(email_enqueue, kind=REMINDER.key, recipient=UserFactory(), context={"what": "møtet"})
    message = mail.outbox[0]
    assert message.subject == "Påminnelse om møtet"
    assert message.extra_headers["List-Unsubscribe"] == "<https://dialog.example.no/min-side/varsler/>"
    assert "Du kan slå av påminnelser" in message.body


def test_reminders_switched_off_before_sending_are_not_sent(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False):
        email = email_enqueue(kind=REMINDER.key, recipient=user, context={"what": "møtet"})
    services.notification_settings_update(user=user, reminders=False)
    email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.state == State.SUPPRESSED
    assert mail.outbox == []


def test_sending_twice_sends_once(send_on_commit):
    email = send_on_commit(_greet, "vera@example.org")
    email_send(email_id=email.pk)
    email_send(email_id=email.pk)
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_an_email_another_worker_is_sending_is_left_alone():
    email = OutgoingEmailFactory(state=State.SENDING, claimed_at=timezone.now(), attempts=1)
    email_send(email_id=email.pk)
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.SENDING, 1)


def test_an_email_left_sending_by_a_dead_worker_is_sent_by_the_next(settings):
    long_ago = timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_STALE_AFTER + 1)
    email = OutgoingEmailFactory(state=State.SENDING, claimed_at=long_ago, attempts=1)
    email_send(email_id=email.pk)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.SENT, 2)
    assert len(mail.outbox) == 1


def test_an_email_whose_attempts_never_finish_is_given_up(settings):
    long_ago = timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_STALE_AFTER + 1)
    email = OutgoingEmailFactory(state=State.SENDING, claimed_at=long_ago, attempts=settings.NOTIFICATIONS_MAX_ATTEMPTS)
    email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert "did not finish" in email.last_error
    assert mail.outbox == []


def _backend_failing_with(*errors):
    """A mail backend that raises the given errors, one per call, then sends."""
    calls = iter(errors)

    def send_messages(self, messages):
        error = next(calls, None)
        if error is not None:
            raise error
        mail.outbox.extend(messages)
        return len(messages)

    return mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", send_messages)


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
        smtplib.SMTPConnectError(421, b"Too busy"),
        smtplib.SMTPResponseException(451, b"Try again later"),
        smtplib.SMTPRecipientsRefused({"vera@example.org": (450, b"Mailbox busy")}),
        TimeoutError("timed out"),
        ConnectionRefusedError(111, "Connection refused"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_temporary_error_leaves_the_email_pending_with_a_later_attempt(send_on_commit, settings, error):
    with _backend_failing_with(error):
        email = send_on_commit(_greet, "vera@example.org")
    email.refresh_from_db()
    assert email.state == State.PENDING
    assert email.attempts == 1
    assert type(error).__name__ in email.last_error
    assert email.next_attempt_at >= timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_RETRY_BACKOFF - 5)
    assert mail.outbox == []
    # The sweep leaves it until it is due, then sends it.
    assert outbox_sweep() == 0
    OutgoingEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1),
        enqueued_at=timezone.now() - timedelta(seconds=settings.NOTIFICATIONS_REENQUEUE_AFTER + 1),
    )
    assert outbox_sweep() == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.SENT, 2)
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPResponseException(554, b"Transaction failed"),
        smtplib.SMTPRecipientsRefused({"vera@example.org": (550, b"No such user")}),
        smtplib.SMTPSenderRefused(553, b"Sender refused", "noreply@dialogportal.no"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_permanent_error_fails_the_email_at_once(send_on_commit, error):
    with _backend_failing_with(error):
        email = send_on_commit(_greet, "vera@example.org")
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert email.attempts == 1
    assert type(error).__name__ in email.last_error
    assert outbox_sweep() == 0


def test_after_the_last_attempt_the_email_is_failed_with_the_error(send_on_commit, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    errors = [smtplib.SMTPServerDisconnected(f"gone {n}") for n in range(3)]
    with _backend_failing_with(*errors):
        email = send_on_commit(_greet, "vera@example.org")
        for _attempt in range(2):
            OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=None, enqueued_at=None)
            outbox_sweep()
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert email.attempts == 3
    assert email.last_error == "SMTPServerDisconnected: gone 2"
    assert mail.outbox == []


def test_back_off_doubles():
    assert [services.retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_a_broken_template_fails_the_email_with_the_reason(send_on_commit):
    from notifications.registry import EmailKind, register, unregister

    register(EmailKind(key="tests.broken", template="tests/emails/missing"))
    try:
        email = send_on_commit(email_enqueue, kind="tests.broken", recipient="vera@example.org")
    finally:
        unregister("tests.broken")
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert "TemplateDoesNotExist" in email.last_error


def test_an_email_about_a_deleted_object_is_not_sent(django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory()
    with django_capture_on_commit_callbacks(execute=False):
        email = _greet("vera@example.org", obj=municipality)
    municipality.delete()
    email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert "no longer exists" in email.last_error
    assert mail.outbox == []


def test_saving_succeeds_when_the_broker_is_down_and_the_sweep_sends_later(
    django_capture_on_commit_callbacks, settings
):
    from notifications.tasks import send_email

    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker, which is down
    with mock.patch.object(send_email, "apply_async", side_effect=OperationalError("Connection refused")) as publish:
        with django_capture_on_commit_callbacks(execute=True):
            first = _greet("vera@example.org", occasion="1")
            second = _greet("ola@example.org", occasion="2")
        # After the first failure the process stops asking the dead broker for a while.
        assert publish.call_count == 1
    for email in (first, second):
        email.refresh_from_db()
        assert (email.state, email.enqueued_at) == (State.PENDING, None)
    assert mail.outbox == []
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back (in-process here)
    services._broker_unavailable_until = 0.0
    assert outbox_sweep() == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["ola@example.org", "vera@example.org"]


def test_the_sweep_stops_at_a_dead_broker_and_leaves_the_rest_pending(settings):
    from notifications.tasks import send_email

    settings.CELERY_TASK_ALWAYS_EAGER = False
    emails = OutgoingEmailFactory.create_batch(3, enqueued_at=None)
    with mock.patch.object(send_email, "apply_async", side_effect=OperationalError("down")) as publish:
        assert outbox_sweep() == 0
    assert publish.call_count == 1
    assert set(OutgoingEmail.objects.values_list("enqueued_at", flat=True)) == {None}
    assert len(emails) == 3


def test_the_sweep_hands_over_forgotten_and_stale_emails_only(settings):
    now = timezone.now()
    forgotten = now - timedelta(seconds=settings.NOTIFICATIONS_REENQUEUE_AFTER + 1)
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_STALE_AFTER + 1)
    due = [
        OutgoingEmailFactory(enqueued_at=None),
        OutgoingEmailFactory(enqueued_at=forgotten),
        OutgoingEmailFactory(state=State.SENDING, claimed_at=stale, attempts=1),
    ]
    OutgoingEmailFactory(enqueued_at=now)  # on its way
    OutgoingEmailFactory(enqueued_at=None, next_attempt_at=now + timedelta(minutes=5))  # backing off
    OutgoingEmailFactory(state=State.SENDING, claimed_at=now, attempts=1)  # being sent
    OutgoingEmailFactory(state=State.SENT, sent_at=now, enqueued_at=None)
    OutgoingEmailFactory(state=State.FAILED, enqueued_at=None)
    OutgoingEmailFactory(state=State.SUPPRESSED, enqueued_at=None)
    from notifications.tasks import send_email

    with mock.patch.object(send_email, "apply_async") as publish:
        assert outbox_sweep() == 3
    handed = [email_id for call in publish.call_args_list for email_id in call.kwargs["args"][0]]
    assert sorted(handed) == sorted(email.pk for email in due)
    assert OutgoingEmail.objects.get(pk=due[0].pk).enqueued_at is not None


def test_one_connection_serves_many_emails(send_on_commit):
    with mock.patch.object(mailer, "get_connection", wraps=mailer.get_connection) as connect:
        for n in range(3):
            send_on_commit(_greet, "vera@example.org", occasion=str(n))
    assert connect.call_count == 1
    assert len(mail.outbox) == 3


def test_a_failed_send_drops_the_connection(send_on_commit):
    with mock.patch.object(mailer, "get_connection", wraps=mailer.get_connection) as connect:
        with _backend_failing_with(smtplib.SMTPServerDisconnected("gone")):
            send_on_commit(_greet, "vera@example.org", occasion="1")
        send_on_commit(_greet, "vera@example.org", occasion="2")
    assert connect.call_count == 2


def test_a_failed_email_can_be_sent_again(send_on_commit):
    with _backend_failing_with(smtplib.SMTPResponseException(554, b"no")):
        email = send_on_commit(_greet, "vera@example.org")
    send_on_commit(services.email_retry, email=email)
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.SENT, 1)
    assert len(mail.outbox) == 1


def test_personal_data_lists_the_emails_and_the_setting(send_on_commit):
    from accounts.services import user_personal_data

    user = UserFactory()
    send_on_commit(_greet, user, occasion="velkommen")
    data = user_personal_data(user=user)["notifications"]
    assert data["reminders"] is True
    assert [(e["kind"], e["occasion"], e["state"]) for e in data["emails"]] == [(GREETING.key, "velkommen", "sent")]


def test_deleting_the_account_deletes_its_emails_and_settings(send_on_commit):
    from accounts.services import user_delete

    preferences = NotificationSettingsFactory()
    send_on_commit(_greet, preferences.user)
    user_delete(user=preferences.user)
    assert not OutgoingEmail.objects.exists()


def test_emails_recorded_in_one_transaction_go_to_the_worker_in_batches(settings, django_capture_on_commit_callbacks):
    from notifications.tasks import send_email

    settings.NOTIFICATIONS_BATCH_SIZE = 4
    with mock.patch.object(send_email, "apply_async") as publish, django_capture_on_commit_callbacks(execute=True):
        emails = [_greet(f"vera{n}@example.org") for n in range(10)]
    batches = [call.kwargs["args"][0] for call in publish.call_args_list]
    assert batches == [[email.pk for email in emails[start : start + 4]] for start in (0, 4, 8)]


def test_a_batch_is_sent_with_a_constant_number_of_queries(django_assert_max_num_queries):
    municipality = MunicipalityFactory()
    ids = [
        OutgoingEmailFactory(content_type=ContentType.objects.get_for_model(municipality), object_id=municipality.pk).pk
        for _n in range(12)
    ]
    # The claim, recipients, objects and one "sent" mark per email.
    with django_assert_max_num_queries(3 + 12):
        services.emails_send(email_ids=ids)
    assert len(mail.outbox) == 12
    assert set(OutgoingEmail.objects.values_list("state", flat=True)) == {State.SENT}


def test_a_temporary_error_puts_the_rest_of_the_batch_back_for_the_retry(settings):
    emails = [OutgoingEmailFactory(enqueued_at=None) for _n in range(4)]
    with (
        _backend_failing_with(None, smtplib.SMTPServerDisconnected("gone")),
        pytest.raises(services.EmailTemporaryError) as raised,
    ):
        services.emails_send(email_ids=[email.pk for email in emails])
    assert raised.value.email_ids == [email.pk for email in emails[1:]]
    assert raised.value.retry_in == settings.NOTIFICATIONS_RETRY_BACKOFF
    states = {email.pk: email for email in OutgoingEmail.objects.all()}
    assert (states[emails[0].pk].state, states[emails[0].pk].attempts) == (State.SENT, 1)
    assert (states[emails[1].pk].state, states[emails[1].pk].attempts) == (State.PENDING, 1)
    for untried in emails[2:]:
        # Not tried: no attempt counted, waiting for the same retry.
        row = states[untried.pk]
        assert (row.state, row.attempts, row.claimed_at) == (State.PENDING, 0, None)
        assert row.next_attempt_at == states[emails[1].pk].next_attempt_at
    assert len(mail.outbox) == 1
    # The retry sends the three, each once.
    OutgoingEmail.objects.update(next_attempt_at=None)
    services.emails_send(email_ids=raised.value.email_ids)
    assert len(mail.outbox) == 4
    assert sorted(message.to[0] for message in mail.outbox) == sorted(email.recipient_email for email in emails)


def test_a_failing_email_does_not_stop_the_rest_of_the_batch():
    emails = [OutgoingEmailFactory() for _n in range(3)]
    with _backend_failing_with(smtplib.SMTPRecipientsRefused({emails[0].recipient_email: (550, b"No such user")})):
        services.emails_send(email_ids=[email.pk for email in emails])
    states = dict(OutgoingEmail.objects.values_list("pk", "state"))
    assert [states[email.pk] for email in emails] == [State.FAILED, State.SENT, State.SENT]


def test_a_batch_skips_emails_sent_or_being_sent_and_suppressed_reminders():
    sent = OutgoingEmailFactory(state=State.SENT, sent_at=timezone.now())
    sending = OutgoingEmailFactory(state=State.SENDING, claimed_at=timezone.now(), attempts=1)
    switched_off = NotificationSettingsFactory(reminders=False).user
    reminder = OutgoingEmailFactory(kind=REMINDER.key, recipient_user=switched_off)
    transactional = OutgoingEmailFactory(recipient_user=switched_off)
    services.emails_send(email_ids=[sent.pk, sending.pk, reminder.pk, transactional.pk, 999_999])
    assert [message.to[0] for message in mail.outbox] == [switched_off.email]
    states = dict(OutgoingEmail.objects.values_list("pk", "state"))
    assert states[reminder.pk] == State.SUPPRESSED
    assert states[transactional.pk] == State.SENT
    assert (states[sent.pk], states[sending.pk]) == (State.SENT, State.SENDING)


def test_an_id_handed_over_from_a_rolled_back_transaction_is_harmless(django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        _greet("lost@example.org")
        raise RuntimeError("the page failed")
    with django_capture_on_commit_callbacks(execute=True):
        email = _greet("vera@example.org")
    assert [message.to for message in mail.outbox] == [["vera@example.org"]]
    email.refresh_from_db()
    assert email.state == State.SENT


def test_an_email_from_a_rolled_back_savepoint_is_not_sent_and_the_rest_go_together(
    django_capture_on_commit_callbacks,
):
    from notifications.tasks import send_email

    publishing = mock.patch.object(send_email, "apply_async", wraps=send_email.apply_async)
    with publishing as publish, django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = _greet("vera@example.org")
        with pytest.raises(RuntimeError), transaction.atomic():
            _greet("lost@example.org")
            raise RuntimeError("a part of the page failed")
        last = _greet("ola@example.org")
    assert publish.call_count == 1
    assert {first.pk, last.pk} <= set(publish.call_args.kwargs["args"][0])
    assert sorted(message.to[0] for message in mail.outbox) == ["ola@example.org", "vera@example.org"]


def _synchronous_commit_after_each_outbox_update(connection, seen):
    """An execute wrapper: after each UPDATE of the outbox, the session's synchronous_commit."""

    def observe(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("UPDATE") and OutgoingEmail._meta.db_table in sql:
            with connection.cursor() as cursor:
                cursor.execute("SHOW synchronous_commit")
                seen.append(cursor.fetchone()[0])
        return result

    return connection.execute_wrapper(observe)


@pytest.mark.django_db(transaction=True)
def test_the_workers_claim_and_sent_mark_commit_without_waiting_for_the_disk():
    from django.db import connection

    email = OutgoingEmailFactory()
    seen = []
    with _synchronous_commit_after_each_outbox_update(connection, seen):
        email_send(email_id=email.pk)
    assert seen == ["off", "off"]  # the claim and the sent mark, each in its own transaction
    email.refresh_from_db()
    assert email.state == State.SENT
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # the setting ended with those transactions


@pytest.mark.django_db(transaction=True)
def test_sending_inside_the_callers_transaction_keeps_its_durable_commit():
    from django.db import connection

    email = OutgoingEmailFactory()
    seen = []
    with _synchronous_commit_after_each_outbox_update(connection, seen), transaction.atomic():
        email_send(email_id=email.pk)
    assert seen == ["on", "on"]
    email.refresh_from_db()
    assert email.state == State.SENT
