"""Who may do what with meetings (django-rules). Every view checks one of these."""

import rules

from organizations.rules import is_site_admin, is_staff_for, is_staff_of


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


@rules.predicate
def is_series_host_staff(user, series):
    return series is not None and is_staff_for(user, series.municipality_id)


@rules.predicate
def is_public_series(user, series):
    """A series is there for everyone once one of its meetings is (published, cancelled or held)."""
    return series is not None and series.meetings.public().exists()


manage_meeting = is_host_staff | is_site_admin
manage_series = is_series_host_staff | is_site_admin

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
# A series is created by whoever may create meetings in the municipality (meetings.add_meeting_in).
rules.add_perm("meetings.view_series", is_public_series | manage_series)
rules.add_perm("meetings.change_series", manage_series)
