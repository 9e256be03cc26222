"""Mail backends: the embedded default (console and .eml files) and SMTP for production."""

import datetime
import functools
import io
import re
import secrets
import smtplib
import uuid
from email import generator
from email.policy import Compat32
from email.utils import formatdate, make_msgid
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT as _LINE_LIMIT
from django.core.mail.message import (
    EmailMessage,
    EmailMultiAlternatives,
    forbid_multi_line_headers,
    sanitize_address,
)
from django.core.mail.utils import DNS_NAME


class ConsoleAndFileBackend(ConsoleBackend):
    """Writes every message to the console and to EMAIL_FILE_PATH/<timestamp>-<id>.eml."""

    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.file_path = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        self.file_path.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
            target = self.file_path / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            target.write_bytes(message.message().as_bytes())
        return super().send_messages(email_messages)


# --- SMTP -------------------------------------------------------------------------------------
#
# Django's SMTP backend spends most of its time in Python's email package rather than on the wire:
# folding every header through email.header.Header, compiling a regular expression per multipart
# boundary to prove the boundary is not in the body, and parsing each envelope address. The
# backend below writes the same bytes with three shortcuts, each exact for the case it takes and
# falling back to the standard code otherwise (tests compare the two).


class _Compat32Policy(Compat32):
    """compat32 (the policy of Django's messages), with a shortcut for the common header.

    A header value that is printable ASCII without line breaks or whitespace at either end, and
    that fits on one line, is written as it is: exactly what compat32's folding makes of it.
    """

    def _fold(self, name, value, sanitize):
        if (
            isinstance(value, str)
            and value
            and len(name) + 2 + len(value) <= (self.max_line_length or 0)
            and _ONE_LINE.fullmatch(value)
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


# Printable ASCII and single inner spaces only: no tabs, runs of spaces or line breaks.
_ONE_LINE = re.compile(r"[!-~]+(?: [!-~]+)*")
_POLICY = _Compat32Policy()

# A dot-atom address with an ASCII domain: sanitize_address() returns it unchanged.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
)


def envelope_address(address, encoding: str) -> str:
    """The address as Django's sanitize_address() writes it for the SMTP envelope."""
    if isinstance(address, str) and _PLAIN_ADDRESS.fullmatch(address):
        return address
    return _sanitized(address, encoding)


@functools.lru_cache(maxsize=256)
def _sanitized(address, encoding: str) -> str:
    # Mostly the one sender address, parsed once per process instead of once per message.
    return sanitize_address(address, encoding)


def message_bytes(email_message, linesep: str = "\r\n") -> bytes:
    """The message as Django's message().as_bytes() writes it, produced faster.

    Django's usual shape (a text body, text alternatives such as HTML, no attachments, UTF-8) is
    written directly; any other message goes through Django's MIME objects and the standard
    generator, with the policy above.

    Each multipart gets its boundary before it is written, in the standard generator's format
    but drawn from the secrets module. The standard generator draws it from the random module and
    then searches the whole body for it with a freshly compiled regular expression; a boundary
    that cannot be guessed does not need that search.
    """
    direct = _direct_bytes(email_message, linesep)
    if direct is not None:
        return direct
    mime = email_message.message()
    for part in mime.walk():
        if part.is_multipart() and part.get_boundary() is None:
            part.set_boundary(_boundary())
    buffer = io.BytesIO()
    generator.BytesGenerator(buffer, mangle_from_=False, policy=_POLICY).flatten(mime, linesep=linesep)
    return buffer.getvalue()


def _boundary() -> str:
    return f"==============={secrets.randbelow(10**19):019d}=="


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _direct_bytes(email_message, linesep: str) -> bytes | None:
    """What EmailMessage.message() and the generator make of a plain message, or None.

    Follows django.core.mail.message step by step: the same headers in the same order, each
    value through Django's own forbid_multi_line_headers() and folded by the policy above; each
    text part 7bit or 8bit as the email package decides, line breaks made linesep. Messages this
    does not cover (attachments, other charsets, lines too long for 8bit, subclasses that build
    their own MIME) return None.
    """
    if type(email_message) not in (EmailMessage, EmailMultiAlternatives) or email_message.attachments:
        return None
    encoding = email_message.encoding or settings.DEFAULT_CHARSET
    if encoding != "utf-8":
        return None
    alternatives = getattr(email_message, "alternatives", [])
    texts = [(email_message.content_subtype, email_message.body)] if email_message.body or not alternatives else []
    for alternative in alternatives:
        basetype, _slash, subtype = alternative.mimetype.partition("/")
        if basetype != "text" or not isinstance(alternative.content, str):
            return None
        texts.append((subtype, alternative.content))
    parts = []
    for subtype, text in texts:
        if any(len(line.encode(errors="surrogateescape")) > _LINE_LIMIT for line in text.splitlines()):
            return None  # Django switches to quoted-printable
        body = text.encode("utf-8", "surrogateescape")
        headers = [
            ("Content-Type", f'text/{subtype}; charset="utf-8"'),
            ("MIME-Version", "1.0"),
            ("Content-Transfer-Encoding", "7bit" if body.isascii() else "8bit"),
        ]
        parts.append((headers, _LINE_BREAK.sub(linesep, text).encode("utf-8", "surrogateescape")))

    if alternatives:
        boundary = _boundary()
        top = [
            ("Content-Type", f'multipart/{email_message.alternative_subtype}; boundary="{boundary}"'),
            ("MIME-Version", "1.0"),
        ]
        separator = linesep.encode()
        body = b"--" + boundary.encode() + separator
        body += (separator + b"--" + boundary.encode() + separator).join(
            _headers_bytes(headers, linesep, encoding) + content for headers, content in parts
        )
        body += separator + b"--" + boundary.encode() + b"--" + separator
    else:
        top, body = parts[0]

    headers = [*top, ("Subject", email_message.subject)]
    extra = email_message.extra_headers
    headers.append(("From", extra.get("From", email_message.from_email)))
    for name, values in (("To", email_message.to), ("Cc", email_message.cc), ("Reply-To", email_message.reply_to)):
        if name in extra:
            headers.append((name, extra[name]))
        elif values:
            headers.append((name, ", ".join(str(value) for value in values)))
    names = {name.lower() for name in extra}
    if "date" not in names:
        headers.append(("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in names:
        headers.append(("Message-ID", make_msgid(domain=DNS_NAME)))
    headers += [(name, value) for name, value in extra.items() if name.lower() not in {"from", "to", "cc", "reply-to"}]
    return _headers_bytes(headers, linesep, encoding) + body


def _headers_bytes(headers, linesep: str, encoding: str) -> bytes:
    policy = _POLICY.clone(linesep=linesep)
    written = b"".join(policy.fold_binary(*forbid_multi_line_headers(name, value, encoding)) for name, value in headers)
    return written + linesep.encode()


class SMTPBackend(DjangoSMTPBackend):
    """Django's SMTP backend, writing each message with message_bytes()."""

    def _send(self, email_message):
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = envelope_address(email_message.from_email, encoding)
        recipients = [envelope_address(address, encoding) for address in email_message.recipients()]
        try:
            self.connection.sendmail(from_email, recipients, message_bytes(email_message))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
