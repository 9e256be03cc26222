"""Rendering an OutgoingEmail and handing it to the mail backend over a reused connection."""

import contextlib
import functools
import smtplib
import threading
import time
from email.utils import make_msgid, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .registry import get_kind

# A connection idle for longer than this is opened afresh before it is used again: servers drop
# idle clients, and finding out in the middle of a message would cost a retry. A new connection
# costs one handshake per idle spell, nothing while the worker is busy.
IDLE_REOPEN_SECONDS = 30

_local = threading.local()


class EmailObjectGone(LookupError):
    """The object the email is about was deleted before the email went out."""


def message_id_new() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "dialogportal.no"
    return make_msgid(idstring="dialogportal", domain=domain)


def settings_url() -> str:
    return _settings_url(settings.SITE_URL, settings.ROOT_URLCONF, translation.get_language())


@functools.lru_cache(maxsize=64)
def _settings_url(site_url: str, _urlconf: str, _language: str | None) -> str:
    # Every email links to it: worked out once per site, URL configuration and language.
    return site_url.rstrip("/") + reverse("notifications:settings")


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template with the "text" engine (settings.TEMPLATES), which does not escape HTML."""
    return engines["text"].get_template(template_name).render(context)


def language_for(email) -> str:
    user = email.recipient_user
    return (user.preferred_language if user else email.language) or settings.LANGUAGE_CODE


_LOAD = object()


def message_build(email, *, obj=_LOAD) -> EmailMultiAlternatives:
    """The email as a message, rendered in the recipient's language.

    obj is the object the email is about, when the caller has loaded it already (None: it was
    deleted); by default it is loaded here.
    """
    kind = get_kind(email.kind)
    if obj is _LOAD:
        obj = None
        if email.content_type_id:
            obj = email.content_type.model_class()._default_manager.filter(pk=email.object_id).first()
    if email.content_type_id and obj is None:
        raise EmailObjectGone(f"{email.content_type} {email.object_id} no longer exists.")
    with translation.override(language_for(email)):
        context = {
            **email.context,
            "object": obj,
            "recipient_user": email.recipient_user,
            "recipient_email": email.recipient_email,
            "site_url": settings.SITE_URL,
            "settings_url": settings_url(),
            "portal_name": settings.PORTAL_NAME,
            "transactional": kind.transactional,
        }
        subject = " ".join(render_text(kind.subject_template, context).split())
        # The kinds' own context may use "subject" (a letter's subject, say): the email's is another name.
        context["email_subject"] = subject
        text = render_text(
            "notifications/email/layout.txt", {**context, "body": render_text(kind.text_template, context)}
        )
        # render_to_string returns a SafeString: the fragment's own escaping is kept, nothing is re-escaped.
        html = render_to_string(
            "notifications/email/layout.html", {**context, "body": render_to_string(kind.html_template, context)}
        )
    headers = {"Message-ID": email.message_id}
    if kind.automatic:
        headers["Auto-Submitted"] = "auto-generated"
    if not kind.transactional:
        headers["List-Unsubscribe"] = f"<{context['settings_url']}>"
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient_email],
        cc=email.cc,
        reply_to=email.reply_to,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    for attachment in email.attachments.all() if email.attachment_count else ():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def _backend_key():
    return (settings.EMAIL_BACKEND, getattr(settings, "EMAIL_HOST", None), getattr(settings, "EMAIL_PORT", None))


def connection_close() -> None:
    cached = getattr(_local, "connection", None)
    _local.connection = None
    if cached is not None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            cached[1].close()


def _connection():
    """The backend connection of this worker process (of this thread, in a threaded pool).

    Opened once with open() and reused for every message; send_messages() leaves a connection it
    did not open itself open.
    """
    cached = getattr(_local, "connection", None)
    if cached is not None and cached[0] != _backend_key():
        connection_close()
        cached = None
    if cached is None:
        connection = get_connection()
        connection.open()
        _local.connection = (_backend_key(), connection)
        _local.last_used = time.monotonic()
        return connection
    connection = cached[1]
    if time.monotonic() - _local.last_used > IDLE_REOPEN_SECONDS:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.close()
        connection.open()
    return connection


def message_deliver(message) -> None:
    """Send one message; on any error the connection is dropped so the next try starts afresh."""
    try:
        connection = _connection()
        connection.send_messages([message])
    except BaseException:
        connection_close()
        raise
    _local.last_used = time.monotonic()
