"""What the correspondence app holds about a person: working groups, invitations and signatures."""

from .models import GroupInvitation, GroupMembership, Signature


def export(user) -> dict:
    return {
        "working_groups": [
            {
                "group": m.group.name,
                "municipality": m.group.municipality.name,
                "leader": m.is_leader,
                "since": m.joined_at.isoformat(),
            }
            for m in GroupMembership.objects.filter(user=user)
            .select_related("group__municipality")
            .order_by("joined_at")
        ],
        "invitations_sent": [
            {"group": i.group.name, "email": i.email, "sent": i.created_at.isoformat()}
            for i in GroupInvitation.objects.filter(invited_by=user).select_related("group").order_by("created_at")
        ],
        "signatures": [
            {
                "letter": s.letter.subject,
                "reference": s.letter.reference,
                "association": s.association.name,
                "signed": s.signed_at.isoformat(),
            }
            for s in Signature.objects.filter(signed_by=user)
            .select_related("letter", "association")
            .order_by("signed_at")
        ],
    }
