"""What the correspondence app holds about a person: working groups, invitations, letters and signatures."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.personal_data import Person, mentions_remove, person_of
from dialog_portal import versions

from .models import GroupInvitation, GroupMembership, Letter, Response, Signature


def _invitations_to(person: Person):
    addressed = Q(pk__in=[])
    for email in person.emails:
        addressed |= Q(email__iexact=email)
    return GroupInvitation.objects.filter(addressed)


def letters_with_contact(person: Person):
    """Letters naming the person as contact: those they created, and those of groups they are in.

    Other letters with the same name are somebody else's.
    """
    if not person.name:
        return Letter.objects.none()
    theirs = Q(created_by=person.user) | Q(group__memberships__user=person.user)
    return Letter.objects.filter(theirs, contact_name__iexact=person.name).distinct()


def letters_with_reply_details(person: Person):
    """Letters giving the person's email or phone for replies: those of their own groups and letters.

    An email address is the person's wherever it stands; a phone number only in their own letters.
    """
    by_email = Q(pk__in=[])
    for email in person.emails:
        by_email |= Q(contact_email__iexact=email)
    theirs = Q(created_by=person.user) | Q(group__memberships__user=person.user)
    by_phone = theirs & Q(contact_phone=person.phone) if person.phone else Q(pk__in=[])
    return Letter.objects.filter(by_email | by_phone).distinct()


def _letter(letter) -> dict:
    return {
        "subject": letter.subject,
        "reference": letter.reference,
        "group": letter.group.name,
        "status": letter.status,
        "created": letter.created_at.isoformat(),
    }


def export(user) -> dict:
    person = person_of(user)
    return {
        "letters_created": [
            _letter(letter)
            for letter in Letter.objects.filter(created_by=user).select_related("group").order_by("created_at")
        ],
        "letters_with_you_as_contact": [
            {**_letter(letter), "contact_name": letter.contact_name}
            for letter in letters_with_contact(person).select_related("group").order_by("created_at")
        ],
        "letters_with_your_reply_details": [
            {**_letter(letter), "contact_email": letter.contact_email, "contact_phone": letter.contact_phone}
            for letter in letters_with_reply_details(person).select_related("group").order_by("created_at")
        ],
        "letters_sent": [
            _letter(letter)
            for letter in Letter.objects.filter(sent_by=user).select_related("group").order_by("created_at")
        ],
        "responses_logged": [
            {"letter": r.letter.subject, "kind": r.kind, "received_on": r.received_on.isoformat(), "summary": r.summary}
            for r in Response.objects.filter(logged_by=user).select_related("letter").order_by("created_at")
        ],
        "invitations_received": [
            {
                "group": i.group.name,
                "email": i.email,
                "sent": i.created_at.isoformat(),
                "accepted": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in _invitations_to(person).select_related("group").order_by("created_at")
        ],
        "working_groups": [
            {
                "group": m.group.name,
                "municipality": m.group.municipality.name,
                "leader": m.is_leader,
                "since": m.joined_at.isoformat(),
            }
            for m in GroupMembership.objects.filter(user=user)
            .select_related("group__municipality")
            .order_by("joined_at")
        ],
        "invitations_sent": [
            {"group": i.group.name, "email": i.email, "sent": i.created_at.isoformat()}
            for i in GroupInvitation.objects.filter(invited_by=user).select_related("group").order_by("created_at")
        ],
        "signatures": [
            {
                "letter": s.letter.subject,
                "reference": s.letter.reference,
                "association": s.association.name,
                "signed_as": s.signer_name,
                "role": s.signer_role,
                "signed": s.signed_at.isoformat(),
            }
            for s in Signature.objects.filter(signed_by=user)
            .select_related("letter", "association")
            .order_by("signed_at")
        ],
    }


def leader_blockers(user) -> list[str]:
    """Working groups that would be left without a leader while others are still in them."""

    led = (
        GroupMembership.objects.filter(user=user, is_leader=True)
        .annotate(members=Count("group__memberships"))
        .filter(members__gt=1)
        .select_related("group")
    )
    return [
        _("Du leder arbeidsgruppen «%(name)s». Gi lederrollen til et annet medlem først.") % {"name": m.group.name}
        for m in led
    ]


def erase(*, person: Person) -> None:
    """Before the account goes: the contact details on their letters and their name on signatures are
    blanked, invitations to them deleted.

    Mentions of the person in the text of letters they created and responses they logged are
    removed too. The letter's contact name is blanked with an UPDATE, which on a sent letter goes around the
    freeze in Letter.save on purpose: the record stays, the person leaves it.
    """
    placeholder = _("[slettet]")
    Letter.objects.filter(pk__in=letters_with_contact(person).values("pk")).update(contact_name="")
    reply_details = Letter.objects.filter(pk__in=letters_with_reply_details(person).values("pk"))
    reply_details.update(contact_email="", contact_phone="", contact_address="")
    # The signature stays, by association; the person who signed for it leaves it.
    Signature.objects.filter(signed_by=person.user).update(signer_name="", signer_role="")
    written = ["subject", "background", "voluntary_effort", "situation", "wishes", "closing"]
    mentions_remove(Letter.objects.filter(created_by=person.user), written, person=person, placeholder=placeholder)
    mentions_remove(Response.objects.filter(logged_by=person.user), ["summary"], person=person, placeholder=placeholder)
    _invitations_to(person).delete()
    # The UPDATEs above send no signals: the cached public letter pages are renewed here.
    versions.bump("letter-pages")
