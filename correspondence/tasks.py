"""Scheduled work for correspondence: follow-up reminders every six hours, retention daily."""

from dialog_portal.sweeps import sweep_task

from . import sweeps

follow_up_reminders_sweep = sweep_task(
    f"{__name__}.follow_up_reminders_sweep", sweeps.reminders_sweep, "Follow-up reminders recorded: %s"
)
delete_expired_invitations = sweep_task(
    f"{__name__}.delete_expired_invitations",
    sweeps.group_invitations_sweep,
    "Expired working-group invitations deleted: %s",
)
