"""What meetings hold about a person: registrations with their stated needs and topics, stand
applications they made, meetings they proposed for their association and meetings they created.

Deleting the account deletes the registrations with it (they belong to the person), and with
them the attendance marked on those registrations; the seats they held in meetings still to come go
to the waitlist at once. Stand applications belong to the association
and meetings to the municipality: they stay, without the link to the person and with mentions of
them removed from what they wrote there.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.personal_data import Person, mentions_remove

from .models import Exhibitor, Meeting, MeetingProposal, Registration
from .services import waitlist_promote


def export(user) -> dict:
    return {
        "registrations": [
            {
                "meeting": r.meeting.title,
                "starts_at": r.meeting.starts_at.isoformat(),
                "association": r.association.name if r.association else None,
                "attendees": r.attendees,
                "status": r.status,
                "interpretation_language": r.interpretation_language.slug if r.interpretation_language else None,
                "accessibility_needs": r.accessibility_needs,
                "diet": r.diet,
                "topics": r.topics,
                "registered_at": r.created_at.isoformat(),
            }
            for r in Registration.objects.filter(user=user)
            .select_related("meeting", "association", "interpretation_language")
            .order_by("created_at")
        ],
        "exhibitor_applications": [
            {
                "meeting": e.meeting.title,
                "association": e.association.name,
                "description": e.description,
                "needs": e.needs,
                "status": e.status,
                "applied": e.created_at.isoformat(),
            }
            for e in Exhibitor.objects.filter(applied_by=user)
            .select_related("meeting", "association")
            .order_by("created_at")
        ],
        "meeting_proposals": [
            {
                "title": p.title,
                "association": p.association.name,
                "starts_at": p.starts_at.isoformat(),
                "description": p.description,
                "agenda": p.agenda,
                "status": p.status,
                "proposed": p.created_at.isoformat(),
            }
            for p in MeetingProposal.objects.filter(proposed_by=user)
            .select_related("association")
            .order_by("created_at")
        ],
        "meetings_created": [
            {"meeting": m.title, "starts_at": m.starts_at.isoformat(), "status": m.status}
            for m in Meeting.objects.filter(created_by=user).order_by("starts_at")
        ],
    }


def erase(*, person: Person) -> None:
    placeholder = _("[slettet]")
    held = Registration.objects.filter(user=person.user, meeting__starts_at__gt=timezone.now())
    coming = list(Meeting.objects.filter(pk__in=held.values("meeting_id")))
    held.delete()
    for meeting in coming:
        waitlist_promote(meeting=meeting)
    mentions_remove(
        Exhibitor.objects.filter(applied_by=person.user),
        ["description", "needs"],
        person=person,
        placeholder=placeholder,
    )
    mentions_remove(
        MeetingProposal.objects.filter(proposed_by=person.user),
        ["description", "agenda", "venue_name", "venue_address"],
        person=person,
        placeholder=placeholder,
    )
    mentions_remove(
        Meeting.objects.filter(created_by=person.user),
        ["description", "directions", "cancel_reason", "summary", "follow_up_points"],
        person=person,
        placeholder=placeholder,
    )
