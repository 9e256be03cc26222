"""Every email the correspondence app sends, registered with the notifications registry.

The letter itself goes to the municipality's official address in the letter's målform; the
other emails go to people in the portal, in their own language.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.registry import EmailKind, register
from notifications.services import email_enqueue
from organizations.models import Association, Membership

from .domain import REMINDER_DAYS

INVITATION = register(
    EmailKind(
        key="correspondence.invitation",
        template="correspondence/emails/invitation",
        description=_("Invitasjon til en arbeidsgruppe"),
    )
)
SIGNATURE_REQUEST = register(
    EmailKind(
        key="correspondence.signature_request",
        template="correspondence/emails/signature_request",
        description=_("Forespørsel om å skrive under på et brev til kommunen"),
    )
)
LETTER = register(
    EmailKind(
        key="correspondence.letter",
        template="correspondence/emails/letter",
        description=_("Brevet fra en arbeidsgruppe til kommunens offisielle adresse"),
        # A member of the working group sends it; the portal only carries it.
        automatic=False,
    )
)
LETTER_SENT = register(
    EmailKind(
        key="correspondence.letter_sent",
        template="correspondence/emails/letter_sent",
        description=_("Bekreftelse på at arbeidsgruppens brev er sendt"),
    )
)
LETTER_DELETED = register(
    EmailKind(
        key="correspondence.letter_deleted",
        template="correspondence/emails/letter_deleted",
        description=_("Beskjed til den som skrev under, om at arbeidsgruppen har slettet utkastet"),
    )
)
FOLLOW_UP_REMINDER = register(
    EmailKind(
        key="correspondence.follow_up_reminder",
        template="correspondence/emails/follow_up_reminder",
        transactional=False,
        description=_("Påminnelse når kommunen ikke har svart på et brev"),
    )
)


def _enqueue(**kwargs):
    return email_enqueue(**kwargs)


def invitation(invitation):
    return _enqueue(
        kind=INVITATION.key,
        recipient=invitation.email,
        obj=invitation,
        # One email per invitation and renewal: inviting the same address again sends again.
        occasion=f"invited-{invitation.created_at.isoformat()}",
        context={
            "group_name": invitation.group.name,
            "invited_by": invitation.invited_by.full_name if invitation.invited_by else "",
            "accept_url": reverse("correspondence:invitation_accept", args=[invitation.token]),
        },
    )


def signature_requests(letter):
    """Ask the admins of the participating associations to co-sign; each admin once per letter."""

    admins = (
        Membership.objects.filter(
            association__in=letter.group.associations.filter(status=Association.Status.VERIFIED),
            role=Membership.Role.ADMIN,
        )
        .select_related("user", "association")
        .order_by("user_id")
    )
    seen = set()
    for membership in admins:
        if membership.user_id in seen:
            continue
        seen.add(membership.user_id)
        _enqueue(
            kind=SIGNATURE_REQUEST.key,
            recipient=membership.user,
            obj=letter,
            occasion="signatures",
            context={
                "group_name": letter.group.name,
                "subject": letter.subject,
                "association_name": membership.association.name,
                "letter_url": reverse("correspondence:letter_detail", args=[letter.pk]),
            },
        )


def letter_to_authority(letter, pdf: bytes):
    """The letter itself, to the institution's official address, with the PDF that was stored."""
    attachments = [(f"{letter.reference}.pdf", pdf, "application/pdf")]
    if letter.is_follow_up and letter.follows_up.sent_pdf:
        with letter.follows_up.sent_pdf.open("rb") as first:
            attachments.append((f"{letter.reference}-1.pdf", first.read(), "application/pdf"))
    return _enqueue(
        kind=LETTER.key,
        recipient=letter.sent_to,
        obj=letter,
        occasion="sent",
        context={
            "reference": letter.reference,
            "subject": letter.subject,
            "group_name": letter.group.name,
            "contact_name": letter.contact_name,
            "language": letter.language,
            "is_follow_up": letter.is_follow_up,
        },
        attachments=attachments,
        reply_to=letter_reply_to(letter),
        cc=[copy.email for copy in letter.copies.all() if copy.email],
    )


def letter_reply_to(letter) -> list[str]:
    """Where the municipality's answer goes: the letter's own address for replies, else the group's leader."""
    if letter.contact_email:
        return [letter.contact_email]
    leader = letter.group.leader
    return [leader.email] if leader and leader.email else []


def letter_sent_confirmations(letter):
    for membership in letter.group.memberships.select_related("user"):
        _enqueue(
            kind=LETTER_SENT.key,
            recipient=membership.user,
            obj=letter,
            occasion="sent",
            context={
                "reference": letter.reference,
                "subject": letter.subject,
                "group_name": letter.group.name,
                "channel": letter.channel,
                "sent_to": letter.sent_to,
                "letter_url": reverse("correspondence:letter_detail", args=[letter.pk]),
            },
        )


def letter_deleted_notices(letter, signatures, deleted_by):
    """Tell each person who co-signed a draft that the group deleted it, and their signature with it.

    The email is about the working group: the letter is gone when the email is rendered.
    """
    for signature in signatures:
        if signature.signed_by is None:
            continue
        _enqueue(
            kind=LETTER_DELETED.key,
            recipient=signature.signed_by,
            obj=letter.group,
            occasion=f"letter-{letter.pk}-deleted",
            context={
                "group_name": letter.group.name,
                "subject": letter.subject,
                "association_name": signature.association.name,
                "deleted_by": deleted_by.full_name,
            },
        )


def follow_up_reminders(letter, level: int):
    """Remind every member; level 1 at three weeks, level 2 (suggesting copies) at six."""

    for membership in letter.group.memberships.select_related("user"):
        _enqueue(
            kind=FOLLOW_UP_REMINDER.key,
            recipient=membership.user,
            obj=letter,
            occasion=f"reminder-{level}",
            context={
                "reference": letter.reference,
                "subject": letter.subject,
                "group_name": letter.group.name,
                "sent_on": letter.sent_on.isoformat(),
                "level": level,
                "weeks": REMINDER_DAYS[level - 1] // 7,
                "follow_up_url": reverse("correspondence:follow_up", args=[letter.pk]),
                "letter_url": reverse("correspondence:letter_detail", args=[letter.pk]),
            },
        )
