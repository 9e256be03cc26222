"""What the registry holds about a person, and what they must hand over before leaving."""

from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext as _

from .models import Invitation, Membership, MembershipRequest


def export(user) -> dict:
    return {
        "memberships": [
            {"association": m.association.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in Membership.objects.filter(user=user).select_related("association").order_by("association__name")
        ],
        "membership_requests": [
            {
                "association": r.association.name,
                "asked": r.created_at.isoformat(),
                "answered": r.decided_at.isoformat() if r.decided_at else None,
                "accepted": r.accepted,
            }
            for r in MembershipRequest.objects.filter(user=user).select_related("association").order_by("created_at")
        ],
        "invitations_received": [
            {
                "association": i.association.name,
                "role": i.role,
                "sent": i.created_at.isoformat(),
                "accepted": i.accepted_at.isoformat() if i.accepted_at else None,
            }
            for i in Invitation.objects.filter(email__iexact=user.email)
            .select_related("association")
            .order_by("created_at")
        ],
        "municipal_staff_roles": [
            {"municipality": role.municipality.name, "number": role.municipality.number}
            for role in user.staff_roles.select_related("municipality").order_by("municipality__name")
        ],
    }


def last_admin_blockers(user) -> list[str]:
    """Associations that would be left without an admin if the user left."""
    admin_count = (
        Membership.objects.filter(association=OuterRef("association"), role=Membership.Role.ADMIN)
        .values("association")
        .annotate(count=Count("pk"))
        .values("count")
    )
    sole_admin = (
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN)
        .annotate(admins=Subquery(admin_count))
        .filter(admins=1)
        .select_related("association")
        .order_by("association__name")
    )
    return [
        _("Du er eneste administrator for «%(name)s». Gi administratorrollen til en annen først.")
        % {"name": membership.association.name}
        for membership in sole_admin
    ]
