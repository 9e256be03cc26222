from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal_data


def user_personal_data(*, user) -> dict:
    """Everything the portal holds about the user, as a JSON-serialisable dict."""

    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "phone": user.phone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }
    for section, exporter in sorted(personal_data.exporters().items()):
        data[section] = exporter(user)
    return data


def user_delete(*, user) -> None:
    """Delete the account and remove or anonymise the person everywhere the portal holds them.

    Refused while something the user holds must be handed over first (the last admin of an
    association, the leader of a working group with other members).

    The person is found by the user foreign key and, where only text was stored, by their login
    address, their verified addresses and their name (accounts.personal_data.Person). What happens:

    - Deleted with the account: the account, its email addresses, memberships and requests to join,
      staff roles, meeting registrations with their stated needs (and the attendance marked on
      them), working-group memberships, notification settings, and every email in the outbox
      addressed to the person, by account or by address.
    - Deleted because they only make sense for the person: invitations (to associations and to
      working groups) sent to their addresses, open or accepted, and the Django admin's log
      entries about their account (other log entries keep their line, with the person's name
      removed from the object's description).
    - Kept, with the person removed: records that belong to an association or a working group and
      must stay for them. A letter's signatures stay by association with no signer; letters,
      responses, timeline events, exhibitor applications, meetings, attendance and status
      decisions lose the link to the person. The contact person on a letter (by name, on letters
      the person created or of groups they were in) is blanked, on sent letters too: that one
      write goes around the letter's freeze on purpose. The PDF that was sent stays as sent; it is
      the copy of what the municipality received and keeps in its own archive. In what the person
      wrote that stays (letters they created, responses they logged, stand applications, meetings
      they created), mentions of their name, addresses and phone are replaced by "[slettet]".
    - An association whose contact person they were (by address, or by name or phone where they
      are a member) loses the contact name, address and phone, and its remaining admins are told
      by email to name a new one.
    - Emails in the outbox to other people that mention the person (an inviter's name, a letter's
      contact person, a reply-to address) keep their record; the mentions are removed from their
      content.
    """
    reasons = personal_data.deletion_blockers(user)
    if reasons:
        raise ValidationError([_("Kontoen kan ikke slettes ennå.")] + reasons)
    with transaction.atomic():
        person = personal_data.person_of(user)
        for eraser in personal_data.erasers():
            eraser(person=person)
        _admin_log_erase(person)
        user.delete()


def _admin_log_erase(person) -> None:
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(person.user), object_id=str(person.user.pk)
    ).delete()
    mentions = Q()
    for term in person.terms:
        mentions |= Q(object_repr__icontains=term)
    if not mentions:
        return
    for entry in LogEntry.objects.filter(mentions).only("pk", "object_repr"):
        object_repr = personal_data.without_person(entry.object_repr, person=person, placeholder=_("[slettet]"))
        LogEntry.objects.filter(pk=entry.pk).update(object_repr=object_repr)


def site_sync() -> None:
    """Name the Site row after the portal (PORTAL_NAME, SITE_URL's host), so that every email
    allauth renders with `current_site` names the portal, never Django's example.com. Runs after
    every migrate (AccountsConfig.ready), so a changed setting takes effect on the next deploy."""

    domain = urlsplit(settings.SITE_URL).netloc or settings.SITE_URL
    with transaction.atomic():
        site, created = Site.objects.get_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.PORTAL_NAME}
        )
        if not created and (site.domain, site.name) != (domain, settings.PORTAL_NAME):
            site.domain, site.name = domain, settings.PORTAL_NAME
            site.full_clean()
            site.save()
