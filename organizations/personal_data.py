"""What the registry holds about a person, what they must hand over before leaving, and erasing it."""

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.personal_data import Person, person_of
from notifications.services import email_enqueue

from .emails import CONTACT_PERSON_REMOVED
from .models import Association, AssociationClaim, Invitation, Membership, MembershipRequest
from .services import association_claim_withdraw


def _any_address(field: str, emails) -> Q:
    query = Q(pk__in=[])
    for email in emails:
        query |= Q(**{f"{field}__iexact": email})
    return query


def contact_person_roles(person: Person):
    """Associations whose contact person is the person: by address, or by name or phone where they are a member.

    A name alone is not enough outside their own associations: someone else may have the same name.
    """
    member_of = Membership.objects.filter(user=person.user).values("association")
    named = Q(pk__in=[])
    if person.name:
        named |= Q(contact_name__iexact=person.name)
    if person.phone:
        named |= Q(contact_phone=person.phone)
    return Association.objects.filter(
        _any_address("contact_email", person.emails) | (Q(pk__in=member_of) & named)
    ).order_by("name")


def _invitations_to(person: Person):
    return Invitation.objects.filter(_any_address("email", person.emails) | Q(accepted_by=person.user))


def export(user) -> dict:
    person = person_of(user)
    return {
        "contact_person_for": [
            {
                "association": a.name,
                "contact_name": a.contact_name,
                "contact_email": a.contact_email,
                "contact_phone": a.contact_phone,
            }
            for a in contact_person_roles(person)
        ],
        "memberships": [
            {"association": m.association.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("association").order_by("association__name")
        ],
        "membership_requests": [
            {
                "association": r.association.name,
                "asked": r.created_at.isoformat(),
                "answered": r.decided_at.isoformat() if r.decided_at else None,
                "accepted": r.accepted,
            }
            for r in MembershipRequest.objects.filter(user=user).select_related("association").order_by("created_at")
        ],
        "invitations_received": [
            {
                "association": i.association.name,
                "role": i.role,
                "sent": i.created_at.isoformat(),
                "accepted": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in _invitations_to(person).select_related("association").order_by("created_at")
        ],
        "invitations_sent": [
            {"association": i.association.name, "email": i.email, "sent": i.created_at.isoformat()}
            for i in Invitation.objects.filter(invited_by=user).select_related("association").order_by("created_at")
        ],
        "association_decisions": [
            {
                "association": a.name,
                "status": a.status,
                "at": a.status_changed_at.isoformat() if a.status_changed_at else None,
            }
            for a in Association.objects.filter(status_changed_by=user).order_by("name")
        ],
        "associations_taken_over": [
            {
                "association": c.association.name,
                "reason": c.reason,
                "claimed": c.created_at.isoformat(),
                "decided": c.decided_at.isoformat() if c.decided_at else None,
                "approved": c.approved,
            }
            for c in AssociationClaim.objects.filter(user=user).select_related("association").order_by("created_at")
        ],
        "municipal_staff_roles": [
            {"municipality": role.municipality.name, "number": role.municipality.number}
            for role in user.staff_roles.select_related("municipality").order_by("municipality__name")
        ],
    }


def last_admin_blockers(user) -> list[str]:
    """Associations that would be left without an admin if the user left.

    Not one the user has taken over and staff have yet to decide on: deleting the account
    withdraws that take-over (erase), and the association goes back to how it was.
    """
    admin_count = (
        Membership.objects.filter(association=OuterRef("association"), role=Membership.Role.ADMIN)
        .values("association")
        .annotate(count=Count("pk"))
        .values("count")
    )
    sole_admin = (
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN)
        .annotate(admins=Subquery(admin_count))
        .filter(admins=1)
        .exclude(
            Exists(
                AssociationClaim.objects.filter(association=OuterRef("association"), user=user, decided_at__isnull=True)
            )
        )
        .select_related("association")
        .order_by("association__name")
    )
    return [
        _("Du er eneste administrator for «%(name)s». Gi administratorrollen til en annen først.")
        % {"name": membership.association.name}
        for membership in sole_admin
    ]


def association_contact_person_remove(*, association, person: Person) -> Association:
    """Blank the contact person of an association and tell its other admins to name a new one."""

    with transaction.atomic():
        association = Association.objects.select_for_update().get(pk=association.pk)
        association.contact_name = ""
        association.contact_email = ""
        association.contact_phone = ""
        association.full_clean()
        association.save(update_fields=["contact_name", "contact_email", "contact_phone", "updated_at"])
        admins = (
            Membership.objects.filter(association=association, role=Membership.Role.ADMIN, user__is_active=True)
            .exclude(user=person.user)
            .select_related("user")
            .order_by("pk")
        )
        occasion = f"contact-removed-{timezone.now().isoformat()}"
        for membership in admins:
            email_enqueue(
                kind=CONTACT_PERSON_REMOVED.key,
                recipient=membership.user,
                obj=association,
                occasion=occasion,
                context={
                    "association": association.name,
                    "path": reverse("organizations:association_edit", args=[association.slug]),
                },
            )
    return association


def erase(*, person: Person) -> None:
    """Before the account goes: contact-person roles are emptied, invitations to the person deleted,
    and a take-over staff have not decided yet is withdrawn (association_claim_withdraw)."""
    for claim in AssociationClaim.objects.filter(user=person.user, decided_at__isnull=True).select_related(
        "association"
    ):
        association_claim_withdraw(association=claim.association, user=person.user)
    for association in contact_person_roles(person):
        association_contact_person_remove(association=association, person=person)
    _invitations_to(person).delete()
