"""Working groups: creating, editing, inviting and leading them."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import email_ownership_problem
from dialog_portal.updates import model_assign
from organizations.models import INVITATION_VALIDITY

from .. import emails
from ..domain import validate_group_associations
from ..models import GroupInvitation, GroupMembership, WorkingGroup
from .guards import require_member


@transaction.atomic
def group_create(*, user, categories=(), associations=(), **fields) -> WorkingGroup:
    """Start a working group; the person who starts it is its first member and its leader."""
    group = WorkingGroup(**fields)
    group.full_clean()
    group.save()
    group.categories.set(categories)
    group_set_associations(group=group, associations=associations)
    GroupMembership.objects.create(group=group, user=user, is_leader=True)
    return group


@transaction.atomic
def group_update(*, group, user, categories=None, associations=None, **fields) -> WorkingGroup:
    require_member(user, group)
    model_assign(instance=group, data=fields)
    group.full_clean()
    group.save()
    if categories is not None:
        group.categories.set(categories)
    if associations is not None:
        group_set_associations(group=group, associations=associations)
    return group


@transaction.atomic
def group_set_associations(*, group, associations) -> None:
    """The participating associations, all from the group's municipality. Used by the admin as well."""
    validate_group_associations(group.municipality_id, associations)
    group.associations.set(associations)


@transaction.atomic
def group_invite(*, group, invited_by, email) -> GroupInvitation:
    """Invite someone by email; they join when they open the link signed in with that address."""
    require_member(invited_by, group)
    email = email.strip().lower()
    if group.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("Personen er allerede medlem av arbeidsgruppen.")})
    invitation = (
        GroupInvitation.objects.select_for_update().filter(group=group, email=email, accepted_at__isnull=True).first()
    )
    if invitation is None:
        invitation = GroupInvitation(group=group, email=email, invited_by=invited_by)
        invitation.full_clean()
        invitation.save()
    else:
        # Inviting again renews the open invitation, and the renewal is a new occasion for the email.
        invitation.created_at = timezone.now()
        invitation.expires_at = invitation.created_at + INVITATION_VALIDITY
        invitation.invited_by = invited_by
        invitation.save(update_fields=["created_at", "expires_at", "invited_by"])
    emails.invitation(invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user) -> GroupMembership:
    invitation = GroupInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("Invitasjonen er allerede brukt."), code="used")
    if invitation.is_expired:
        raise ValidationError(_("Invitasjonen er utløpt. Be arbeidsgruppen om en ny."), code="expired")
    problem = email_ownership_problem(user=user, email=invitation.email)
    if problem:
        raise ValidationError(problem, code="wrong_user")
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership, _created = GroupMembership.objects.get_or_create(group=invitation.group, user=user)
    return membership


@transaction.atomic
def group_leader_set(*, group, user, leader) -> None:
    require_member(user, group)
    if not group.memberships.filter(user=leader).exists():
        raise ValidationError(_("Lederen må være medlem av arbeidsgruppen."))
    group.memberships.filter(is_leader=True).update(is_leader=False)
    group.memberships.filter(user=leader).update(is_leader=True)


def groups_keep_founding_meeting(*, meeting) -> None:
    """Before a founding meeting is deleted, copy its date, time and place into the groups that
    relied on it, so their letters can still say when the discussion meeting was held."""
    for group in WorkingGroup.objects.filter(founding_meeting=meeting).select_related("founding_meeting"):
        fields = {
            "meeting_date": group.discussion_date,
            "meeting_time": group.discussion_time,
            "meeting_place": group.discussion_place,
        }
        WorkingGroup.objects.filter(pk=group.pk).update(**fields)
