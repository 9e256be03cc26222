"""Who may do what with meetings (django-rules). Every view checks one of these."""

import rules

from dialog_portal.permissions import can
from organizations.models import Membership
from organizations.rules import (
    is_association_admin,
    is_county_staff_for,
    is_county_staff_of_municipality,
    is_site_admin,
    is_staff_for,
    is_staff_of,
    may_act_in_name_of,
)
from organizations.selectors import associations_acting_for

from .selectors_rounds import associations_answering_for


@rules.predicate
def is_host_staff(user, meeting):
    return meeting is not None and is_staff_for(user, meeting.municipality_id)


@rules.predicate
def is_organising_county_staff(user, meeting):
    """Staff of the county municipality that organises the meeting."""
    return meeting is not None and is_county_staff_for(user, meeting.organising_county)


@rules.predicate
def is_co_host_admin(user, meeting):
    """An admin of an association that co-hosts the meeting, and who may act for it (verified, no
    take-over waiting: organizations.act_for_association)."""
    if meeting is None or meeting.pk is None or not user.is_authenticated:
        return False
    return (
        associations_acting_for(user=user)
        .filter(
            co_hosted_meetings=meeting,
            memberships__user=user,
            memberships__role=Membership.Role.ADMIN,
        )
        .exists()
    )


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


@rules.predicate
def is_series_host_staff(user, series):
    return series is not None and is_staff_for(user, series.municipality_id)


@rules.predicate
def is_public_series(user, series):
    """A series is there for everyone once one of its meetings is (published, cancelled or held)."""
    return series is not None and series.meetings.public().exists()


@rules.predicate
def is_county_staff_of(user, county_number):
    return is_county_staff_for(user, county_number)


@rules.predicate
def is_proposal_staff(user, proposal):
    return proposal is not None and is_staff_for(user, proposal.municipality_id)


@rules.predicate
def is_proposing_association_admin(user, proposal):
    return proposal is not None and is_association_admin(user, proposal.association)


manage_meeting = is_host_staff | is_organising_county_staff | is_site_admin
manage_series = is_series_host_staff | is_site_admin

rules.add_perm("meetings.add_meeting_in", is_staff_of | is_county_staff_of_municipality | is_site_admin)
rules.add_perm("meetings.view_municipality_meetings", is_staff_of | is_site_admin)
rules.add_perm("meetings.view_county_meetings", is_county_staff_of | is_site_admin)
rules.add_perm("meetings.view_meeting", is_public_meeting | manage_meeting | is_co_host_admin)
rules.add_perm("meetings.change_meeting", manage_meeting)
# A co-host edits where and how (place, directions, link, programme, description, inclusive
# features), never when or how many.
rules.add_perm("meetings.change_practical_information", manage_meeting | is_co_host_admin)
rules.add_perm("meetings.manage_co_hosts", manage_meeting)
# The leadership is the host municipality's own: its staff record who will come and who came.
rules.add_perm("meetings.manage_leaders", is_host_staff | is_site_admin)
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
# A series is created by whoever may create meetings in the municipality (meetings.add_meeting_in).
rules.add_perm("meetings.view_series", is_public_series | manage_series)
rules.add_perm("meetings.change_series", manage_series)

# Proposals from associations: their admins propose (the association acting, as for registering),
# the staff of its municipality answer.
rules.add_perm("meetings.propose_meeting", may_act_in_name_of & is_association_admin)
rules.add_perm("meetings.view_proposal", is_proposing_association_admin | is_proposal_staff | is_site_admin)
rules.add_perm("meetings.decide_proposal", is_proposal_staff | is_site_admin)

# Agreed actions: the host's staff write them down; the owning association's admins report progress.
rules.add_perm("meetings.manage_actions", manage_meeting)
rules.add_perm("meetings.report_action_progress", is_action_host_staff | is_action_owner_admin | is_site_admin)
# Input rounds: the municipality's staff ask; admins of the associations asked answer for them.
rules.add_perm("meetings.open_input_round", is_staff_of | is_site_admin)
rules.add_perm("meetings.manage_input_round", is_round_host_staff | is_site_admin)
rules.add_perm("meetings.answer_input_round", is_asked_association_admin)
