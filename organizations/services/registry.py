"""Associations in the registry: registering, editing, moving, taking over, and the decisions of the municipality."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialog_portal.updates import model_assign
from notifications.services import email_enqueue

from ..domain import association_slug_base, validate_status_change, validate_status_reason
from ..emails import ASSOCIATION_CLAIM_REJECTED, ASSOCIATION_REJECTED, ASSOCIATION_VERIFIED
from ..models import (
    ASSOCIATION_PROFILE_FIELDS,
    ASSOCIATION_PROFILE_M2M_FIELDS,
    RESERVED_SLUGS,
    Association,
    AssociationClaim,
    Membership,
)

# The fields of an association that forms, the admin and the importer write.
M2M_FIELDS = ASSOCIATION_PROFILE_M2M_FIELDS
PLAIN_FIELDS = [name for name in ASSOCIATION_PROFILE_FIELDS if name not in M2M_FIELDS]


def association_slug_unique(name: str, *, exclude_pk=None) -> str:
    base = association_slug_base(name)
    taken = set(Association.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def association_fields_assign(association, data: dict) -> None:
    model_assign(instance=association, data=data, fields=PLAIN_FIELDS)


def association_terms_set(association, data: dict) -> None:
    for name in M2M_FIELDS:
        if name in data:
            getattr(association, name).set(data[name])


def association_register(*, user, data: dict) -> Association:
    """A volunteer registers an association: it waits for the municipality, and they become its admin."""
    with transaction.atomic():
        association = Association(status=Association.Status.PENDING, source=Association.Source.PORTAL)
        association_fields_assign(association, data)
        association.slug = association_slug_unique(association.name)
        association.full_clean()
        association.save()
        association_terms_set(association, data)
        Membership.objects.create(association=association, user=user, role=Membership.Role.ADMIN)
    return association


def association_update(*, association, data: dict, by=None) -> list[str]:
    """Save an admin's changes and remember which fields the association itself has edited.

    The import from Enhetsregisteret never overwrites those fields again. The comparison is with
    the stored row, since a bound form has already copied its data onto `association`. A move to
    another municipality sends a verified association back to pending (association_moved).
    """
    with transaction.atomic():
        stored = Association.objects.select_for_update().get(pk=association.pk)
        before = {name: getattr(stored, name) for name in PLAIN_FIELDS}
        before_m2m = {name: set(getattr(stored, name).values_list("pk", flat=True)) for name in M2M_FIELDS}
        from_municipality_id = stored.municipality_id
        association_fields_assign(stored, data)
        stored.full_clean()
        changed = [name for name in PLAIN_FIELDS if name in data and getattr(stored, name) != before[name]]
        changed += [
            name for name in M2M_FIELDS if name in data and {item.pk for item in data[name]} != before_m2m[name]
        ]
        if changed:
            stored.edited_fields = sorted(set(stored.edited_fields or []) | set(changed))
            stored.save()
            association_terms_set(stored, data)
            association_moved(association=stored, from_municipality_id=from_municipality_id, by=by)
    return changed


def association_moved(*, association, from_municipality_id, by=None) -> Association:
    """After a save: an association now in another municipality is no longer verified by its staff.

    Staff of one municipality verified it; the new municipality's staff must look at it again,
    so a verified association goes back to pending. Every way a municipality changes (the
    portal's services, the import, the Django admin) ends here.
    """
    if association.municipality_id == from_municipality_id or association.status != Association.Status.VERIFIED:
        return association
    return _association_set_status(
        association=association,
        status=Association.Status.PENDING,
        by=by,
        reason=_("Laget har flyttet til en annen kommune og må godkjennes på nytt."),
    )


def association_claim(*, association, user, reason: str) -> AssociationClaim:
    """Someone takes charge of an association that nobody runs in the portal (mostly an imported one).

    They become its admin, so they can fix up the profile, and the association goes (back) to the
    municipality's verification queue: a verified one is pending again. Staff see who claimed it
    and why; until they verify it (association_verify), nobody acts in the association's name.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        association = Association.objects.select_for_update().get(pk=association.pk)
        if association.memberships.exists():
            raise ValidationError(_("Laget har allerede administratorer. Be dem om å bli med i stedet."))
        if association.status in (Association.Status.HIDDEN, Association.Status.REJECTED):
            raise ValidationError(_("Dette laget kan ikke overtas. Ta kontakt med kommunen."))
        claim = AssociationClaim(association=association, user=user, reason=reason, previous_status=association.status)
        claim.full_clean()
        claim.save()
        Membership.objects.create(association=association, user=user, role=Membership.Role.ADMIN)
        if association.status == Association.Status.VERIFIED:
            _association_set_status(
                association=association,
                status=Association.Status.PENDING,
                by=user,
                reason=_("Laget er tatt over og må godkjennes av kommunen på nytt."),
            )
    return claim


def _claim_decide(*, association, by, approved: bool):
    """Mark the association's open take-over as decided; return it, or None if there was none."""
    claim = (
        AssociationClaim.objects.select_for_update().filter(association=association, decided_at__isnull=True).first()
    )
    if claim is not None:
        claim.decided_at = timezone.now()
        claim.decided_by = by
        claim.approved = approved
        claim.save(update_fields=["decided_at", "decided_by", "approved"])
    return claim


def association_claim_withdraw(*, association, user) -> Association:
    """The claimant leaves before staff have decided (their account is deleted).

    As when staff turn the take-over down, but without an email: the association loses the
    claimant and everyone who came in through them, and goes back to the status it had before.
    """
    with transaction.atomic():
        association = Association.objects.select_for_update().get(pk=association.pk)
        claim = (
            AssociationClaim.objects.select_for_update()
            .filter(association=association, user=user, decided_at__isnull=True)
            .first()
        )
        if claim is None:
            return association
        claim.decided_at = timezone.now()
        claim.approved = False
        claim.save(update_fields=["decided_at", "approved"])
        association.memberships.all().delete()
        association.invitations.filter(accepted_at__isnull=True).delete()
        if association.status == Association.Status.PENDING and claim.previous_status != association.status:
            association = _association_set_status(association=association, status=claim.previous_status, by=None)
    return association


def association_admins(association):
    return [m.user for m in association.memberships.filter(role=Membership.Role.ADMIN).select_related("user")]


def _email_admins_about_status(association) -> None:
    kind = {
        Association.Status.VERIFIED: ASSOCIATION_VERIFIED.key,
        Association.Status.REJECTED: ASSOCIATION_REJECTED.key,
    }.get(association.status)
    if kind is None:
        return
    for admin in association_admins(association):
        email_enqueue(
            kind=kind,
            recipient=admin,
            obj=association,
            # A later decision is a new occasion: an association rejected, fixed and verified hears both.
            occasion=association.status_changed_at.isoformat(),
            context={
                "municipality": association.municipality.official_name,
                "reason": association.status_reason,
                "path": reverse("organizations:association_detail", args=[association.slug]),
            },
        )


def _association_set_status(*, association, status: str, by, reason: str = "") -> Association:
    with transaction.atomic():
        association = Association.objects.select_for_update().get(pk=association.pk)
        validate_status_change(association.status, status)
        association.status = status
        association.status_reason = reason.strip()
        association.status_changed_at = timezone.now()
        association.status_changed_by = by
        association.full_clean()
        association.save(
            update_fields=["status", "status_reason", "status_changed_at", "status_changed_by", "updated_at"]
        )
        _email_admins_about_status(association)
    return association


def association_verify(*, association, by) -> Association:
    """Staff confirm the association is real: it appears in the public directory.

    An open take-over is approved with it: the one who claimed the association may act for it.
    """
    with transaction.atomic():
        association = _association_set_status(association=association, status=Association.Status.VERIFIED, by=by)
        _claim_decide(association=association, by=by, approved=True)
    return association


def association_reject(*, association, by, reason: str) -> Association:
    """Staff turn a registration down and say why; it stays visible to its own members only.

    When someone has taken the association over, it is the take-over that is turned down, not the
    association: the one who claimed it hears why by email and loses the admin role, and so does
    everyone who joined after them (the association had nobody before the claim, so each of them
    came in through the claimant); their open invitations go too. The association goes back to
    the status it had before the claim (verified, or pending for an import nobody runs) and can be
    claimed again by someone the municipality knows.
    """
    reason = (reason or "").strip()
    with transaction.atomic():
        association = Association.objects.select_for_update().get(pk=association.pk)
        claim = _claim_decide(association=association, by=by, approved=False)
        if claim is None:
            return _association_set_status(
                association=association, status=Association.Status.REJECTED, by=by, reason=reason
            )
        validate_status_reason(Association.Status.REJECTED, reason)
        association.memberships.all().delete()
        association.invitations.filter(accepted_at__isnull=True).delete()
        if association.status == Association.Status.PENDING and claim.previous_status != association.status:
            association = _association_set_status(association=association, status=claim.previous_status, by=by)
        email_enqueue(
            kind=ASSOCIATION_CLAIM_REJECTED.key,
            recipient=claim.user,
            obj=claim,
            context={
                "association": association.name,
                "municipality": association.municipality.official_name,
                "reason": reason,
            },
        )
    return association


def association_hide(*, association, by, reason: str = "") -> Association:
    """Take an association out of every list (deleted in Enhetsregisteret, closed, misuse)."""
    return _association_set_status(association=association, status=Association.Status.HIDDEN, by=by, reason=reason)
