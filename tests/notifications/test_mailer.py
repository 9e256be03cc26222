"""The portal's emails over a real SMTP connection (an aiosmtpd server in this process)."""

import email
import threading
from email import policy
from unittest import mock

import pytest
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.template import engines

from notifications import mailer
from tests.integration.mailstack import SMTPServer
from tests.notifications.factories import OutgoingEmailFactory

pytestmark = pytest.mark.django_db


class _KeepingHandler:
    """Keeps the envelope and content of every message, and the client connection it came over."""

    def __init__(self):
        self.received = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.received.append((session.peer, envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def peers(self):
        with self.lock:
            return [peer for peer, *_rest in self.received]


def _send_to(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


@pytest.fixture
def smtp(settings):
    mailer.connection_close()
    with SMTPServer(_KeepingHandler()) as server:
        _send_to(settings, server.port)
        yield server
        mailer.connection_close()


def test_a_portal_email_arrives_whole_over_smtp(smtp, settings):
    email_record = OutgoingEmailFactory(
        recipient_email="åse@eksempel.no",
        context={"name": "Åse & <Berg>"},
        cc=["kopi@example.org"],
        reply_to=["Lise Leder <leder@example.org>"],
    )
    mailer.message_deliver(mailer.message_build(email_record))

    [(_peer, sender, recipients, content)] = smtp.handler.received
    assert sender == "noreply@dialogportal.no"
    assert recipients == ["åse@eksempel.no", "kopi@example.org"]
    parsed = email.message_from_bytes(content, policy=policy.default)
    assert parsed["Message-ID"].strip() == email_record.message_id  # folded onto a line of its own
    assert parsed["Subject"] == "Hei Åse & <Berg> [nb]"
    assert parsed["Reply-To"] == "Lise Leder <leder@example.org>"
    assert parsed["Cc"] == "kopi@example.org"
    assert [part.get_content_type() for part in parsed.walk()] == ["multipart/alternative", "text/plain", "text/html"]
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert "Til åse@eksempel.no: Åse & <Berg>" in text
    assert "Åse &amp; &lt;Berg&gt;" in html
    assert settings.SITE_URL + "/min-side/varsler/" in text


def test_one_connection_carries_every_email_of_the_process(smtp):
    for _ in range(3):
        mailer.message_deliver(mailer.message_build(OutgoingEmailFactory()))
    peers = smtp.handler.peers()
    assert len(peers) == 3
    assert len(set(peers)) == 1


def test_after_an_idle_spell_the_next_email_goes_over_a_fresh_connection(settings):
    handler = _KeepingHandler()
    mailer.connection_close()
    with SMTPServer(handler) as server:
        _send_to(settings, server.port)
        mailer.message_deliver(mailer.message_build(OutgoingEmailFactory()))
    # The server restarted meanwhile (or dropped the idle client): the old connection is dead.
    idle = mailer.time.monotonic() + mailer.IDLE_REOPEN_SECONDS + 1
    try:
        with SMTPServer(handler, port=server.port), mock.patch.object(mailer.time, "monotonic", return_value=idle):
            mailer.message_deliver(mailer.message_build(OutgoingEmailFactory()))
    finally:
        mailer.connection_close()
    peers = handler.peers()
    assert len(peers) == 2
    assert peers[0] != peers[1]


def test_text_in_a_subject_cannot_add_headers(smtp):
    for subject in ("Hei\nBcc: x@example.org", "Hei\rBcc: x@example.org"):
        message = EmailMultiAlternatives(subject, "Tekst", "noreply@dialogportal.no", ["a@example.org"])
        message.attach_alternative("<p>Tekst</p>", "text/html")
        with pytest.raises(BadHeaderError):
            mailer.message_deliver(message)
    assert smtp.handler.received == []


def test_text_emails_are_rendered_by_the_text_engine_without_html_escaping():
    template = engines["text"].from_string("{% load i18n %}{{ name }} – {% translate 'Min konto' %}")
    assert template.render({"name": "Sør & <Nord>"}) == "Sør & <Nord> – Min konto"
    assert engines["django"].from_string("{{ name }}").render({"name": "Sør & <Nord>"}) == "Sør &amp; &lt;Nord&gt;"
