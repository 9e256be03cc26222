"""Who is in an association: invitations, roles, leaving and requests to join."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import email_ownership_problem
from notifications.services import email_enqueue

from ..domain import validate_keeps_an_admin
from ..emails import MEMBERSHIP_INVITATION, MEMBERSHIP_REQUEST
from ..models import INVITATION_VALIDITY, Association, Invitation, Membership, MembershipRequest
from .registry import association_admins


def membership_invite(*, association, email: str, role: str, invited_by) -> Invitation:
    """Invite someone by email. Inviting the same address again renews the open invitation."""
    email = (email or "").strip().lower()
    with transaction.atomic():
        if association.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError({"email": _("Denne personen er allerede med i laget.")})
        invitation = (
            Invitation.objects.select_for_update()
            .filter(association=association, email=email, accepted_at__isnull=True)
            .first()
        ) or Invitation(association=association, email=email)
        invitation.role = role
        invitation.invited_by = invited_by
        invitation.expires_at = timezone.now() + INVITATION_VALIDITY
        invitation.full_clean()
        invitation.save()
        email_enqueue(
            kind=MEMBERSHIP_INVITATION.key,
            recipient=invitation.email,
            obj=invitation,
            occasion=invitation.expires_at.isoformat(),
            context={
                "association": association.name,
                "invited_by": invited_by.full_name or invited_by.email,
                "role": invitation.role,
                "expires": invitation.expires_at.isoformat(),
                "path": reverse("organizations:invitation_accept", args=[invitation.token]),
            },
        )
    return invitation


def invitation_accept(*, invitation, user) -> Membership:
    """The invitee, signed in with the invited address, joins with the invited role."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("Denne invitasjonen er allerede brukt."))
        if invitation.expires_at <= timezone.now():
            raise ValidationError(_("Invitasjonen er utløpt. Be laget om en ny."))
        problem = email_ownership_problem(user=user, email=invitation.email)
        if problem:
            raise ValidationError(problem, code="wrong_user")
        membership, created = Membership.objects.get_or_create(
            association=invitation.association, user=user, defaults={"role": invitation.role}
        )
        if not created and invitation.role == Membership.Role.ADMIN and membership.role != Membership.Role.ADMIN:
            membership.role = Membership.Role.ADMIN
            membership.full_clean()
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        MembershipRequest.objects.filter(association=invitation.association, user=user, decided_at__isnull=True).update(
            decided_at=invitation.accepted_at, accepted=True
        )
    return membership


def invitation_revoke(*, invitation) -> None:
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


def _locked_membership(membership):
    # Lock every admin row of the association so two admins cannot demote each other at once.
    list(
        Membership.objects.select_for_update().filter(
            association_id=membership.association_id, role=Membership.Role.ADMIN
        )
    )
    return Membership.objects.select_related("association").get(pk=membership.pk)


def membership_set_role(*, membership, role: str) -> Membership:
    with transaction.atomic():
        membership = _locked_membership(membership)
        if role != Membership.Role.ADMIN:
            validate_keeps_an_admin(membership.association, losing=membership)
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership) -> None:
    """An admin removes someone from the association (never the last admin)."""
    with transaction.atomic():
        membership = _locked_membership(membership)
        validate_keeps_an_admin(membership.association, losing=membership)
        membership.delete()


def membership_leave(*, association, user) -> None:
    """A member leaves; the last admin must hand the role over first."""
    membership = Membership.objects.filter(association=association, user=user).first()
    if membership is None:
        raise ValidationError(_("Du er ikke med i dette laget."))
    membership_remove(membership=membership)


def membership_request_create(*, association, user) -> MembershipRequest:
    """A signed-in user asks to join an association (for example one that already has their org number)."""
    with transaction.atomic():
        if association.memberships.filter(user=user).exists():
            raise ValidationError(_("Du er allerede med i dette laget."))
        if association.status in (Association.Status.HIDDEN, Association.Status.REJECTED):
            raise ValidationError(_("Dette laget tar ikke imot forespørsler. Ta kontakt med kommunen."))
        request, created = MembershipRequest.objects.get_or_create(
            association=association, user=user, decided_at__isnull=True
        )
        if created:
            for admin in association_admins(association):
                email_enqueue(
                    kind=MEMBERSHIP_REQUEST.key,
                    recipient=admin,
                    obj=request,
                    context={
                        "association": association.name,
                        "person": f"{user.full_name} ({user.email})" if user.full_name else user.email,
                        "path": reverse("organizations:association_members", args=[association.slug]),
                    },
                )
    return request


def membership_request_decide(*, membership_request, by, accept: bool, role: str = Membership.Role.MEMBER):
    with transaction.atomic():
        membership_request = MembershipRequest.objects.select_for_update().get(pk=membership_request.pk)
        if membership_request.decided_at is not None:
            raise ValidationError(_("Forespørselen er allerede besvart."))
        membership_request.decided_at = timezone.now()
        membership_request.decided_by = by
        membership_request.accepted = accept
        membership_request.save(update_fields=["decided_at", "decided_by", "accepted"])
        if accept:
            Membership.objects.get_or_create(
                association=membership_request.association, user=membership_request.user, defaults={"role": role}
            )
    return membership_request
