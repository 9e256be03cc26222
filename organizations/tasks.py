"""Scheduled work for organizations: retention sweeps (organizations.sweeps), run daily."""

from dialog_portal.sweeps import sweep_task

from . import sweeps

delete_expired_invitations = sweep_task(
    f"{__name__}.delete_expired_invitations", sweeps.invitations_sweep, "Expired association invitations deleted: %s"
)
delete_old_membership_requests = sweep_task(
    f"{__name__}.delete_old_membership_requests",
    sweeps.membership_requests_sweep,
    "Declined or lapsed membership requests deleted: %s",
)
