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
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.backends.smtp import EmailBackend as DjangoSMTPBackend
from django.core.mail.message import sanitize_address


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

    Each multipart gets its boundary before it is written, in the standard generator's format
    but drawn from the secrets module. The standard generator draws it from the random module and
    then searches the whole body for it with a freshly compiled regular expression; a boundary
    that cannot be guessed does not need that search.
    """
    mime = email_message.message()
    for part in mime.walk():
        if part.is_multipart() and part.get_boundary() is None:
            part.set_boundary(f"==============={secrets.randbelow(10**19):019d}==")
    buffer = io.BytesIO()
    generator.BytesGenerator(buffer, mangle_from_=False, policy=_POLICY).flatten(mime, linesep=linesep)
    return buffer.getvalue()


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
