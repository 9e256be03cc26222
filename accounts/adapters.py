import ipaddress

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation


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
    """Sends allauth's emails in the recipient's preferred language, and finds the client's
    address behind the reverse proxy for the rate limits."""

    def send_mail(self, template_prefix, email, context):
        user = context.get("user")
        language = getattr(user, "preferred_language", None) or translation.get_language()
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def get_client_ip(self, request):
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine the client's address.")
        return ip
