"""Who hears about what in meetings. Every email goes through notifications.email_enqueue.

Each email is recorded under a unique (kind, object, recipient, occasion), so calling any of
these twice sends once; the sweeps in tasks.py rely on that.
"""

from .ical import meeting_ics
from .models import Exhibitor, Meeting, Registration


def _enqueue(**kwargs):
    from notifications.services import email_enqueue

    return email_enqueue(**kwargs)


def _ics_attachment(meeting: Meeting):
    return [("moete.ics", meeting_ics(meeting), "text/calendar")]


def invitations(*, meeting: Meeting, associations) -> int:
    sent = 0
    for association in associations.prefetch_related("memberships__user"):
        for membership in association.memberships.all():
            if membership.role != "admin" or not membership.user.is_active:
                continue
            email = _enqueue(
                kind="meetings.invitation",
                recipient=membership.user,
                obj=meeting,
                occasion=f"association-{association.pk}",
                context={"association_name": association.name},
            )
            sent += email is not None
    return sent


def registration_received(*, registration: Registration) -> None:
    confirmed = registration.status == Registration.Status.CONFIRMED
    _enqueue(
        kind="meetings.registration_confirmed" if confirmed else "meetings.registration_waitlisted",
        recipient=registration.user,
        obj=registration,
        attachments=_ics_attachment(registration.meeting) if confirmed else None,
    )


def registration_promoted(*, registration: Registration) -> None:
    _enqueue(
        kind="meetings.registration_promoted",
        recipient=registration.user,
        obj=registration,
        occasion=f"promoted-{registration.promoted_at:%Y%m%d%H%M%S}",
        attachments=_ics_attachment(registration.meeting),
    )


def _registrants(meeting: Meeting):
    return meeting.registrations.active().select_related("user", "meeting").filter(user__is_active=True).order_by("pk")


def meeting_changed(*, meeting: Meeting, changed: list[str]) -> None:
    ics = _ics_attachment(meeting)
    for registration in _registrants(meeting):
        _enqueue(
            kind="meetings.meeting_changed",
            recipient=registration.user,
            obj=meeting,
            occasion=f"sequence-{meeting.sequence}",
            context={
                "time_changed": bool({"starts_at", "ends_at"} & set(changed)),
                "place_changed": bool({"venue_name", "venue_address", "online_url", "mode"} & set(changed)),
            },
            attachments=ics,
        )


def meeting_cancelled(*, meeting: Meeting) -> None:
    ics = _ics_attachment(meeting)
    for registration in _registrants(meeting):
        _enqueue(
            kind="meetings.meeting_cancelled",
            recipient=registration.user,
            obj=meeting,
            occasion="cancelled",
            attachments=ics,
        )


def exhibitor_decided(*, exhibitor: Exhibitor, occasion: str) -> None:
    """The applying association's admins hear the decision; a new decision is a new occasion."""
    admins = exhibitor.association.memberships.filter(role="admin", user__is_active=True).select_related("user")
    for membership in admins.order_by("pk"):
        _enqueue(
            kind="meetings.exhibitor_decided",
            recipient=membership.user,
            obj=exhibitor,
            occasion=occasion,
            context={
                "approved": exhibitor.status == Exhibitor.Status.APPROVED,
                "stand_number": exhibitor.stand_number,
            },
        )


def reminder(*, registration: Registration) -> bool:
    meeting = registration.meeting
    return (
        _enqueue(
            kind="meetings.reminder",
            recipient=registration.user,
            obj=meeting,
            # A moved meeting gets a new reminder for its new time.
            occasion=f"reminder-{meeting.starts_at:%Y%m%dT%H%M}",
            attachments=_ics_attachment(meeting),
        )
        is not None
    )


def volunteer_day_nudge(*, municipality, staff_user, year: int) -> bool:
    return (
        _enqueue(
            kind="meetings.volunteer_day_nudge",
            recipient=staff_user,
            obj=municipality,
            occasion=f"volunteer-day-{year}",
            context={"year": year},
        )
        is not None
    )
