"""Reads about accounts that other apps share."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _


def user_owns_email(*, user, email: str) -> bool:
    """Whether the address is a verified address of the account (allauth's EmailAddress rows).

    The one answer to "may this person act on something sent to this address", used by every
    invitation. An address that is only typed in, not confirmed from its inbox, proves nothing.
    """

    if not user.is_authenticated or not email:
        return False
    return EmailAddress.objects.filter(user=user, email__iexact=email.strip(), verified=True).exists()


def email_ownership_problem(*, user, email: str) -> str | None:
    """Why the user may not act on something sent to the address, in words for them; None if they may."""

    if user_owns_email(user=user, email=email):
        return None
    if user.is_authenticated and EmailAddress.objects.filter(user=user, email__iexact=email.strip()).exists():
        return _(
            "Adressen %(email)s er ikke bekreftet på kontoen din ennå. Bekreft den med lenken vi sendte dit, "
            "og godta invitasjonen etterpå."
        ) % {"email": email}
    return _("Invitasjonen ble sendt til %(email)s. Logg inn med den adressen for å godta den.") % {"email": email}


def user_addresses(*, user) -> set[str]:
    """The addresses that are the person's, in lower case: the login and every verified address.

    Used to find what the portal holds about them where only an address was stored.
    """

    addresses = {user.email.lower()} if user.email else set()
    addresses |= {
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    }
    return addresses
