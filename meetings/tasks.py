"""Scheduled work for meetings: idempotent sweeps that send what is due and not yet sent, and one
that clears the needs stated for meetings long past.

Each email is recorded under a unique occasion (notifications.email_enqueue), so a sweep that runs
twice sends once, and a beat that was down for a day catches up on its next run.
"""

from dialog_portal.sweeps import sweep_task

from . import sweeps

send_due_reminders = sweep_task(
    f"{__name__}.send_due_reminders", sweeps.reminders_sweep, "Meeting reminders recorded: %s"
)
send_volunteer_day_nudges = sweep_task(
    f"{__name__}.send_volunteer_day_nudges", sweeps.volunteer_day_nudge_sweep, "Volunteer Day nudges recorded: %s"
)
clear_registration_needs = sweep_task(
    f"{__name__}.clear_registration_needs",
    sweeps.registration_needs_sweep,
    "Needs cleared on %s registrations of past meetings.",
)
send_action_reminders = sweep_task(
    f"{__name__}.send_action_reminders", sweeps.action_reminders_sweep, "Agreed action reminders recorded: %s"
)
