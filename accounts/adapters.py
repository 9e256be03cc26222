import ipaddress
import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _

from notifications.services import email_enqueue

from .emails import ACCOUNT_MESSAGE
from .invitations import pending_invitations


def client_ip(request) -> str | None:
    """The client's address, as the trusted reverse proxies in front of the portal saw it.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with
    TRUSTED_PROXY_COUNT proxies the client is that many entries from the right; whatever stands
    further left was written by the client and proves nothing. With no trusted proxy the header
    is ignored and REMOTE_ADDR is the client. A header shorter than the proxy chain, or an entry
    that is not an address, means the request did not come through the proxies as configured:
    then REMOTE_ADDR is used too.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        if len(entries) >= count:
            try:
                return str(ipaddress.ip_address(entries[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or None


class AccountAdapter(DefaultAccountAdapter):
    """allauth's emails go through the outbox, in the recipient's preferred language, and the
    rate limits find the client's address behind the reverse proxy."""

    # allauth's own Norwegian for these reads stiffly ("Vennligst …", "og/eller"): the portal's words.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": _("E-postadressen eller passordet er feil."),
        "enter_current_password": _("Skriv inn passordet du har nå."),
        "too_many_login_attempts": _("For mange mislykkede forsøk på å logge inn. Prøv igjen om litt."),
    }

    def send_mail(self, template_prefix, email, context):
        """Render allauth's email here and record it in the outbox, which sends it after the
        request (notifications.services.email_enqueue): no page waits for the mail server, and
        signing up with a new address or with one that has an account does the same work.

        The rendered text, with its confirmation or reset link, stays in the outbox row; the
        links expire by themselves (ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS, PASSWORD_RESET_TIMEOUT).
        """
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        context = {"email": email, "current_site": get_current_site(context.get("request")), **context}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        email_enqueue(
            kind=ACCOUNT_MESSAGE.key,
            recipient=email,
            # Each of these emails is its own occasion: a second reset link is a second email.
            occasion=f"{template_prefix}:{uuid.uuid4().hex}",
            context={"message_subject": message.subject, "message_text": message.body},
        )

    def send_account_already_exists_mail(self, email):
        # Signing up with a new address hashes its password; hashing a throwaway one here keeps
        # the answer for an address that has an account from coming back sooner.
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)

    def get_login_redirect_url(self, request):
        # An invitation that waited while the person signed up and confirmed their address comes
        # first; a `next` in the request still wins, as allauth gives it precedence over this.
        waiting = pending_invitations(request)
        if waiting:
            return waiting[0].url
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request):
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip
