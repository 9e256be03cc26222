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


def leader_blockers(user) -> list[str]:
    """Working groups that would be left without a leader while others are still in them."""
    from django.db.models import Count
    from django.utils.translation import gettext as _

    led = (
        GroupMembership.objects.filter(user=user, is_leader=True)
        .annotate(members=Count("group__memberships"))
        .filter(members__gt=1)
        .select_related("group")
    )
    return [
        _("Du leder arbeidsgruppen «%(name)s». Gi lederrollen til et annet medlem først.") % {"name": m.group.name}
        for m in led
    ]
