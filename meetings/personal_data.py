"""What meetings hold about a person: registrations with their stated needs and topics.

Deleting the account deletes the registrations with it (they belong to the person), and with
them the attendance marked on those registrations.
"""

from .models import Registration


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
        ]
    }
