"""Who may do what with meetings (django-rules). Every view checks one of these."""

import rules

from dialog_portal.permissions import can
from organizations.models import Membership
from organizations.rules import is_site_admin, is_staff_for, is_staff_of

from .selectors_rounds import associations_answering_for


@rules.predicate
def is_host_staff(user, meeting):
    return meeting is not None and is_staff_for(user, meeting.municipality_id)


@rules.predicate
def is_public_meeting(user, meeting):
    return meeting is not None and meeting.is_public


@rules.predicate
def is_signed_in(user):
    return user.is_authenticated


@rules.predicate
def is_registrant(user, registration):
    return registration is not None and user.is_authenticated and registration.user_id == user.pk


@rules.predicate
def is_registration_host_staff(user, registration):
    return registration is not None and is_host_staff(user, registration.meeting)


@rules.predicate
def takes_exhibitors(user, meeting):
    return meeting is not None and meeting.has_exhibitors and meeting.status == meeting.Status.PUBLISHED


def speaks_for(user, association) -> bool:
    """An admin of the association who may act in its name (the rule organizations.act_for_association):
    who answers an input round or reports on an action for the association."""
    return (
        association is not None
        and can(user, "organizations.act_for_association", association)
        and association.memberships.filter(user=user, role=Membership.Role.ADMIN).exists()
    )


@rules.predicate
def is_action_host_staff(user, action):
    return action is not None and is_staff_for(user, action.meeting.municipality_id)


@rules.predicate
def is_action_owner_admin(user, action):
    return action is not None and action.owner_association_id is not None and speaks_for(user, action.owner_association)


@rules.predicate
def is_round_host_staff(user, input_round):
    return input_round is not None and is_staff_for(user, input_round.municipality_id)


@rules.predicate
def is_asked_association_admin(user, input_round):
    return input_round is not None and associations_answering_for(user=user, input_round=input_round).exists()


manage_meeting = is_host_staff | is_site_admin

rules.add_perm("meetings.add_meeting_in", is_staff_of | is_site_admin)
rules.add_perm("meetings.view_meeting", is_public_meeting | manage_meeting)
rules.add_perm("meetings.change_meeting", manage_meeting)
rules.add_perm("meetings.publish_meeting", manage_meeting)
rules.add_perm("meetings.cancel_meeting", manage_meeting)
rules.add_perm("meetings.view_registrations", manage_meeting)
rules.add_perm("meetings.mark_attendance", manage_meeting)
rules.add_perm("meetings.manage_exhibitors", manage_meeting)
rules.add_perm("meetings.register", is_signed_in & is_public_meeting)
# The host municipality's staff run the marketplace; they do not apply for a stand at it.
rules.add_perm("meetings.apply_exhibitor", is_signed_in & takes_exhibitors & ~is_host_staff)
rules.add_perm("meetings.change_registration", is_registrant)
rules.add_perm("meetings.cancel_registration", is_registrant | is_registration_host_staff | is_site_admin)
rules.add_perm("meetings.view_reach", is_staff_of | is_site_admin)
# Agreed actions: the host's staff write them down; the owning association's admins report progress.
rules.add_perm("meetings.manage_actions", manage_meeting)
rules.add_perm("meetings.report_action_progress", is_action_host_staff | is_action_owner_admin | is_site_admin)
# Input rounds: the municipality's staff ask; admins of the associations asked answer for them.
rules.add_perm("meetings.open_input_round", is_staff_of | is_site_admin)
rules.add_perm("meetings.manage_input_round", is_round_host_staff | is_site_admin)
rules.add_perm("meetings.answer_input_round", is_asked_association_admin)
