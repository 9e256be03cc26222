"""The portal's SMTP backend writes exactly what Django's would, only faster."""

import email
import random
import re
import smtplib
import string
from email.policy import compat32
from unittest import mock

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.message import sanitize_address

from dialog_portal import mail as portal_mail

BOUNDARY = re.compile(rb'boundary="([^"]+)"')


def _normalised(raw: bytes) -> bytes:
    """Boundaries are random on both sides; Date and a generated Message-ID are of the moment."""
    for number, boundary in enumerate(dict.fromkeys(BOUNDARY.findall(raw))):
        raw = raw.replace(boundary, f"BOUNDARY-{number}".encode())
    raw = re.sub(rb"\r\nMessage-ID: (\r\n )?<[0-9]+\.[0-9]+\.[0-9]+@[^>]*>", b"\r\nMessage-ID: -", raw)
    return re.sub(rb"\r\nDate: [^\r]+", b"\r\nDate: -", raw)


def _messages():
    plain = EmailMessage("Hei", "Kort tekst.\n", "noreply@dialogportal.no", ["vera@example.org"])
    norwegian = EmailMultiAlternatives(
        subject="Påminnelse: dialogmøte i Ærfjord kommune – husk å melde på frivillige før fristen går ut " * 2,
        body="Hei Åse,\n\nVelkommen til møtet.\n" + "lang linje " * 200 + "\n",
        from_email="Dialogportal <noreply@dialogportal.no>",
        to=["åse@eksempel.no", "Ola Nordmann <ola@example.org>"],
        cc=["kopi@example.org"],
        reply_to=["Lise Leder <leder@example.org>"],
        headers={"Message-ID": "<1.2@dialogportal.no>", "Auto-Submitted": "auto-generated", "X-Tom": ""},
    )
    norwegian.attach_alternative("<p>Hei &amp; velkommen, <b>Åse</b></p>", "text/html")
    norwegian.attach("brev.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 20, "application/pdf")
    norwegian.attach("notat.txt", "Ærlig talt\n", "text/plain")
    return [plain, norwegian]


def _plain_shapes():
    """Messages of Django's usual shape, which message_bytes() writes directly."""

    def alternatives(body, *html, **kwargs):
        message = EmailMultiAlternatives(body=body, from_email="noreply@dialogportal.no", **kwargs)
        for content in html:
            message.attach_alternative(content, "text/html")
        return message

    long_subject = "Påminnelse: dialogmøte i Ærfjord kommune – husk å melde på frivillige før fristen " * 2
    return {
        "ascii": alternatives("Hello.\n", "<p>Hello.</p>", subject="Hello", to=["a@example.org"]),
        "norwegian": alternatives(
            "Hei Åse,\r\nvelkommen.\rNeste linje\n\n-- \nDialogportal",
            "<p>Hei &amp; velkommen, <b>Åse</b></p>\n",
            subject=long_subject,
            to=["åse@eksempel.no", "Ola Nordmann <ola@example.org>", "Åse Berg <ase@example.org>"],
            cc=["kopi@example.org"],
            reply_to=["Lise Leder <leder@example.org>"],
            headers={"Message-ID": "<1.2@dialogportal.no>", "Auto-Submitted": "auto-generated", "X-Tom": ""},
        ),
        "html only": alternatives("", "<p>Bare HTML</p>", subject="HTML", to=["a@example.org"]),
        "two alternatives": alternatives("Tekst", "<p>én</p>", "<p>to</p>", subject="To", to=["a@example.org"]),
        "headers override": alternatives(
            "Tekst\n",
            "<p>Tekst</p>",
            subject="Hei",
            to=["a@example.org"],
            cc=["b@example.org"],
            headers={
                "From": "Avsender <avsender@example.org>",
                "To": "Synlig <synlig@example.org>",
                "Reply-To": "svar@example.org",
                "Date": "Mon, 23 Nov 2026 18:00:00 +0100",
                "List-Unsubscribe": "<https://dialog.example.no/min-side/varsler/>",
            },
        ),
        "plain text": EmailMessage("Kun tekst", "Æ ø å\n", "noreply@dialogportal.no", ["a@example.org"]),
        "empty body": EmailMessage("Tom", "", "noreply@dialogportal.no", ["a@example.org"]),
    }


@pytest.mark.parametrize("name", list(_plain_shapes()))
def test_plain_messages_are_written_directly_as_django_writes_them(name):
    message = _plain_shapes()[name]
    assert portal_mail._direct_bytes(message, "\r\n") is not None
    for linesep in ("\r\n", "\n"):
        ours = portal_mail.message_bytes(message, linesep=linesep)
        djangos = message.message().as_bytes(linesep=linesep)
        assert _normalised(ours.replace(b"\n", b"\r\n").replace(b"\r\r", b"\r")) == _normalised(
            djangos.replace(b"\n", b"\r\n").replace(b"\r\r", b"\r")
        )
        assert ours.count(linesep.encode()) == djangos.count(linesep.encode())


def test_other_shapes_go_through_the_email_package():
    long_line = EmailMessage("Lang", "x" * 1200, "noreply@dialogportal.no", ["a@example.org"])
    latin = EmailMessage("Latin", "Æ", "noreply@dialogportal.no", ["a@example.org"])
    latin.encoding = "iso-8859-1"
    for message in (long_line, latin, _messages()[1]):
        assert portal_mail._direct_bytes(message, "\r\n") is None
        assert _normalised(portal_mail.message_bytes(message)) == _normalised(
            message.message().as_bytes(linesep="\r\n")
        )


def test_user_text_cannot_add_headers():
    from django.core.mail import BadHeaderError

    for subject in ("Hei\nBcc: x@example.org", "Hei\rBcc: x@example.org"):
        message = EmailMultiAlternatives(subject, "Tekst", "noreply@dialogportal.no", ["a@example.org"])
        message.attach_alternative("<p>Tekst</p>", "text/html")
        with pytest.raises(BadHeaderError):
            portal_mail.message_bytes(message)


@pytest.mark.parametrize("message", _messages(), ids=["plain", "norwegian-with-attachments"])
def test_message_bytes_are_djangos_bytes(message):
    ours = portal_mail.message_bytes(message)
    djangos = message.message().as_bytes(linesep="\r\n")
    assert _normalised(ours) == _normalised(djangos)
    parsed = email.message_from_bytes(ours)
    assert parsed.get_content_type() == message.message().get_content_type()


def test_each_multipart_gets_its_own_unguessable_boundary():
    message = _messages()[1]
    boundaries = BOUNDARY.findall(portal_mail.message_bytes(message))
    assert len(boundaries) == 2 and boundaries[0] != boundaries[1]
    assert all(re.fullmatch(rb"={15}[0-9]{19}==", boundary) for boundary in boundaries)
    again = BOUNDARY.findall(portal_mail.message_bytes(message))
    assert set(again).isdisjoint(boundaries)


def _header_values():
    chosen = random.Random(20261123)
    alphabet = string.printable + "æøåÆØÅ–  "
    values = [
        "Hei",
        "Hei  Vera",
        " Hei",
        "Hei ",
        "a\tb",
        "=?utf-8?q?P=C3=A5minnelse?=",
        "<1.2@dialogportal.no>",
        "x" * 70,
        "x" * 76,
        "x" * 77,
        "ord " * 30,
        "Påminnelse",
    ]
    values += ["".join(chosen.choice(alphabet) for _ in range(chosen.randrange(1, 120))) for _ in range(400)]
    return [value for value in values if "\n" not in value and "\r" not in value]


def _outcome(fold, name, value):
    try:
        return fold(name, value)
    except Exception as error:  # compat32 refuses some folded values; ours must refuse them too
        return type(error)


def test_header_folding_is_compat32_folding():
    for linesep in ("\r\n", "\n"):
        ours = portal_mail._POLICY.clone(linesep=linesep)
        theirs = compat32.clone(linesep=linesep)
        for name in ("Subject", "Message-ID", "X-A-Much-Longer-Header-Name"):
            for value in _header_values():
                for method in ("fold_binary", "fold"):
                    expected = _outcome(getattr(theirs, method), name, value)
                    assert _outcome(getattr(ours, method), name, value) == expected, (name, value)


@pytest.mark.parametrize(
    "address",
    [
        "vera@example.org",
        "Vera.Nordmann+moter@Example.ORG",
        "a!#$%&'*+/=?^_`{|}~-b@sub-domain.example.no",
        "Dialogportal <noreply@dialogportal.no>",
        "Åse Berg <ase@example.org>",
        "åse@eksempel.no",
        "ase@eksempel.xn--no-jda",
        "ase@blåbær.no",
        '"quoted local"@example.org',
        ("Ola Nordmann", "ola@example.org"),
    ],
)
def test_envelope_addresses_are_djangos(address):
    assert portal_mail.envelope_address(address, "utf-8") == sanitize_address(address, "utf-8")


@pytest.mark.parametrize("address", ["a@b@c", "vera@example.org\nBcc: x@example.org", "@example.org", "vera@"])
def test_invalid_envelope_addresses_are_refused_as_by_django(address):
    with pytest.raises(ValueError):
        sanitize_address(address, "utf-8")
    with pytest.raises(ValueError):
        portal_mail.envelope_address(address, "utf-8")


def test_the_backend_hands_smtplib_the_message_bytes(settings):
    settings.EMAIL_BACKEND = "dialog_portal.mail.SMTPBackend"
    message = _messages()[1]
    backend = portal_mail.SMTPBackend(host="127.0.0.1", port=1)
    backend.connection = mock.Mock(spec=smtplib.SMTP)
    assert backend.send_messages([message]) == 1
    from_email, recipients, content = backend.connection.sendmail.call_args.args
    assert from_email == sanitize_address(message.from_email, "utf-8")
    assert recipients == [sanitize_address(address, "utf-8") for address in message.recipients()]
    assert _normalised(content) == _normalised(message.message().as_bytes(linesep="\r\n"))


def test_an_smtp_url_uses_the_portals_backend(monkeypatch):
    import importlib

    from dialog_portal import settings as portal_settings

    monkeypatch.setenv("EMAIL_URL", "smtp://mail.example.org:25")
    try:
        assert importlib.reload(portal_settings).EMAIL_BACKEND == "dialog_portal.mail.SMTPBackend"
    finally:
        monkeypatch.delenv("EMAIL_URL")
        importlib.reload(portal_settings)
