"""Every write to the registry that has a rule. Keyword-only, full_clean() first, in a transaction."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import email_ownership_problem
from dialog_portal.updates import model_assign
from notifications.services import email_enqueue

from .domain import (
    association_slug_base,
    normalize_org_number,
    validate_keeps_an_admin,
    validate_org_number,
    validate_status_change,
    validate_status_reason,
)
from .emails import (
    ASSOCIATION_CLAIM_REJECTED,
    ASSOCIATION_REJECTED,
    ASSOCIATION_VERIFIED,
    MEMBERSHIP_INVITATION,
    MEMBERSHIP_REQUEST,
)
from .models import (
    ASSOCIATION_PROFILE_FIELDS,
    ASSOCIATION_PROFILE_M2M_FIELDS,
    INVITATION_VALIDITY,
    RESERVED_SLUGS,
    Association,
    AssociationClaim,
    Invitation,
    Membership,
    MembershipRequest,
    Municipality,
)


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, deactivated {len(self.deactivated)}"
        )


@transaction.atomic
def municipalities_import(*, codes: list[dict]) -> ImportReport:
    """Create or update municipalities from SSB KLASS 131 codes.

    Only the number and the name come from SSB. Leaders, addresses, målform and the after-work
    time belong to the municipality's own record and are never touched here, so an import never
    overwrites what staff or site admins entered. Municipalities missing from the list (merged or
    split) are marked as no longer current instead of deleted: meetings and letters refer to them.
    """
    report = ImportReport()
    existing = {m.number: m for m in Municipality.objects.select_for_update()}
    seen = set()
    for entry in codes:
        number = str(entry["code"]).strip()
        name = str(entry["name"]).strip()
        seen.add(number)
        municipality = existing.get(number)
        if municipality is None:
            municipality = Municipality(number=number, name=name)
            municipality.full_clean()
            municipality.save()
            report.created.append(number)
        elif municipality.name != name or not municipality.active:
            municipality.name = name
            municipality.active = True
            municipality.full_clean()
            municipality.save(update_fields=["name", "active"])
            report.updated.append(number)
        else:
            report.unchanged.append(number)
    for number, municipality in existing.items():
        if number not in seen and municipality.active:
            municipality.active = False
            municipality.save(update_fields=["active"])
            report.deactivated.append(number)
    return report


# The fields of an association that forms, the admin and the importer write.
M2M_FIELDS = ASSOCIATION_PROFILE_M2M_FIELDS
PLAIN_FIELDS = [name for name in ASSOCIATION_PROFILE_FIELDS if name not in M2M_FIELDS]


def _unique_slug(name: str, *, exclude_pk=None) -> str:
    base = association_slug_base(name)
    taken = set(Association.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    taken |= RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _assign(association, data: dict) -> None:
    model_assign(instance=association, data=data, fields=PLAIN_FIELDS)


def _set_m2m(association, data: dict) -> None:
    for name in M2M_FIELDS:
        if name in data:
            getattr(association, name).set(data[name])


def association_register(*, user, data: dict) -> Association:
    """A volunteer registers an association: it waits for the municipality, and they become its admin."""
    with transaction.atomic():
        association = Association(status=Association.Status.PENDING, source=Association.Source.PORTAL)
        _assign(association, data)
        association.slug = _unique_slug(association.name)
        association.full_clean()
        association.save()
        _set_m2m(association, data)
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
        _assign(stored, data)
        stored.full_clean()
        changed = [name for name in PLAIN_FIELDS if name in data and getattr(stored, name) != before[name]]
        changed += [
            name for name in M2M_FIELDS if name in data and {item.pk for item in data[name]} != before_m2m[name]
        ]
        if changed:
            stored.edited_fields = sorted(set(stored.edited_fields or []) | set(changed))
            stored.save()
            _set_m2m(stored, data)
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


def _association_admins(association):
    return [m.user for m in association.memberships.filter(role=Membership.Role.ADMIN).select_related("user")]


def _email_admins_about_status(association) -> None:
    kind = {
        Association.Status.VERIFIED: ASSOCIATION_VERIFIED.key,
        Association.Status.REJECTED: ASSOCIATION_REJECTED.key,
    }.get(association.status)
    if kind is None:
        return
    for admin in _association_admins(association):
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


def membership_invite(*, association, email: str, role: str, invited_by) -> Invitation:
    """Invite someone by email. Inviting the same address again renews the open invitation."""
    email = (email or "").strip().lower()
    with transaction.atomic():
        if association.memberships.filter(user__email__iexact=email).exists():
            raise ValidationError({"email": _("Denne personen er allerede med i laget.")})
        invitation = (
            Invitation.objects.select_for_update()
            .filter(association=association, email=email, accepted_at__isnull=True)
            .first()
        ) or Invitation(association=association, email=email)
        invitation.role = role
        invitation.invited_by = invited_by
        invitation.expires_at = timezone.now() + INVITATION_VALIDITY
        invitation.full_clean()
        invitation.save()
        email_enqueue(
            kind=MEMBERSHIP_INVITATION.key,
            recipient=invitation.email,
            obj=invitation,
            occasion=invitation.expires_at.isoformat(),
            context={
                "association": association.name,
                "invited_by": invited_by.full_name or invited_by.email,
                "role": invitation.role,
                "expires": timezone.localtime(invitation.expires_at).strftime("%d.%m.%Y"),
                "path": reverse("organizations:invitation_accept", args=[invitation.token]),
            },
        )
    return invitation


def invitation_accept(*, invitation, user) -> Membership:
    """The invitee, signed in with the invited address, joins with the invited role."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("Denne invitasjonen er allerede brukt."))
        if invitation.expires_at <= timezone.now():
            raise ValidationError(_("Invitasjonen er utløpt. Be laget om en ny."))
        problem = email_ownership_problem(user=user, email=invitation.email)
        if problem:
            raise ValidationError(problem, code="wrong_user")
        membership, created = Membership.objects.get_or_create(
            association=invitation.association, user=user, defaults={"role": invitation.role}
        )
        if not created and invitation.role == Membership.Role.ADMIN and membership.role != Membership.Role.ADMIN:
            membership.role = Membership.Role.ADMIN
            membership.full_clean()
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        MembershipRequest.objects.filter(association=invitation.association, user=user, decided_at__isnull=True).update(
            decided_at=invitation.accepted_at, accepted=True
        )
    return membership


def invitation_revoke(*, invitation) -> None:
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


def _locked_membership(membership):
    # Lock every admin row of the association so two admins cannot demote each other at once.
    list(
        Membership.objects.select_for_update().filter(
            association_id=membership.association_id, role=Membership.Role.ADMIN
        )
    )
    return Membership.objects.select_related("association").get(pk=membership.pk)


def membership_set_role(*, membership, role: str) -> Membership:
    with transaction.atomic():
        membership = _locked_membership(membership)
        if role != Membership.Role.ADMIN:
            validate_keeps_an_admin(membership.association, losing=membership)
        membership.role = role
        membership.full_clean()
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership) -> None:
    """An admin removes someone from the association (never the last admin)."""
    with transaction.atomic():
        membership = _locked_membership(membership)
        validate_keeps_an_admin(membership.association, losing=membership)
        membership.delete()


def membership_leave(*, association, user) -> None:
    """A member leaves; the last admin must hand the role over first."""
    membership = Membership.objects.filter(association=association, user=user).first()
    if membership is None:
        raise ValidationError(_("Du er ikke med i dette laget."))
    membership_remove(membership=membership)


def membership_request_create(*, association, user) -> MembershipRequest:
    """A signed-in user asks to join an association (for example one that already has their org number)."""
    with transaction.atomic():
        if association.memberships.filter(user=user).exists():
            raise ValidationError(_("Du er allerede med i dette laget."))
        if association.status in (Association.Status.HIDDEN, Association.Status.REJECTED):
            raise ValidationError(_("Dette laget tar ikke imot forespørsler. Ta kontakt med kommunen."))
        request, created = MembershipRequest.objects.get_or_create(
            association=association, user=user, decided_at__isnull=True
        )
        if created:
            for admin in _association_admins(association):
                email_enqueue(
                    kind=MEMBERSHIP_REQUEST.key,
                    recipient=admin,
                    obj=request,
                    context={
                        "association": association.name,
                        "person": f"{user.full_name} ({user.email})" if user.full_name else user.email,
                        "path": reverse("organizations:association_members", args=[association.slug]),
                    },
                )
    return request


def membership_request_decide(*, membership_request, by, accept: bool, role: str = Membership.Role.MEMBER):
    with transaction.atomic():
        membership_request = MembershipRequest.objects.select_for_update().get(pk=membership_request.pk)
        if membership_request.decided_at is not None:
            raise ValidationError(_("Forespørselen er allerede besvart."))
        membership_request.decided_at = timezone.now()
        membership_request.decided_by = by
        membership_request.accepted = accept
        membership_request.save(update_fields=["decided_at", "decided_by", "accepted"])
        if accept:
            Membership.objects.get_or_create(
                association=membership_request.association, user=membership_request.user, defaults={"role": role}
            )
    return membership_request


# The fields the import from Enhetsregisteret fills in, unless the association has edited them.
BRREG_FIELDS = ["name", "postal_address", "website", "public_email", "public_phone", "founded_year", "municipality"]


@dataclass
class BrregImportReport:
    """Counts per outcome, and a few examples of each reason a unit was skipped.

    Only counts and a bounded number of examples are kept, so a report on the bulk file of every
    unit in Norway stays small.
    """

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    max_examples: int = 5

    def count(self, outcome: str, org_number: str, reason: str = "") -> None:
        if outcome == "skipped":
            self.skipped[reason] = self.skipped.get(reason, 0) + 1
            examples = self.examples.setdefault(reason, [])
            if len(examples) < self.max_examples:
                examples.append(org_number or "?")
        else:
            setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
            f"skipped {sum(self.skipped.values())}"
        )


def association_import_from_brreg(*, profile: dict, municipalities: dict, now=None) -> tuple[str, str]:
    """Create or update one association from a unit of Enhetsregisteret (see brreg.unit_profile).

    Returns (outcome, reason) with outcome created, updated, unchanged or skipped; the reason, for
    the operator, says why a unit was skipped. The same rules
    hold as in the registration form (full_clean); fields the association has edited itself are
    never overwritten; a unit with a deletion date hides the association. New associations wait
    for the municipality (pending) until someone claims them or staff verify them.
    """

    now = now or timezone.now()
    number = normalize_org_number(profile.get("org_number", ""))
    try:
        validate_org_number(number)
    except ValidationError as error:
        return "skipped", f"invalid organisasjonsnummer: {error.messages[0]}"
    municipality = municipalities.get(profile.get("municipality_number", ""))
    if municipality is None:
        return "skipped", f"unknown municipality {profile.get('municipality_number') or '(none)'}"
    wanted = {
        "name": profile.get("name", "")[:200],
        "postal_address": profile.get("postal_address", ""),
        "website": profile.get("website", "")[:200],
        "public_email": profile.get("public_email", ""),
        "public_phone": profile.get("public_phone", "")[:30],
        "founded_year": profile.get("founded_year"),
        "municipality": municipality,
    }
    with transaction.atomic():
        association = Association.objects.select_for_update().filter(org_number=number).first()
        if association is None:
            if profile.get("deleted_on"):
                return "skipped", "deleted in Enhetsregisteret"
            association = Association(
                org_number=number,
                status=Association.Status.PENDING,
                source=Association.Source.BRREG,
                slug=_unique_slug(wanted["name"]),
            )
            outcome = "created"
        else:
            outcome = "updated"
        edited = set(association.edited_fields or [])
        changes = {
            name: value
            for name, value in wanted.items()
            if name not in edited and getattr(association, name, None) != value
        }
        hide = bool(profile.get("deleted_on")) and association.status != Association.Status.HIDDEN
        if outcome == "updated" and not changes and not hide:
            Association.objects.filter(pk=association.pk).update(brreg_synced_at=now)
            return "unchanged", ""
        previous = {name: getattr(association, name, None) for name in changes}
        from_municipality_id = association.municipality_id
        model_assign(instance=association, data=changes)
        if hide:
            association.status = Association.Status.HIDDEN
            association.status_reason = _("Slettet i Enhetsregisteret %(date)s.") % {"date": profile["deleted_on"]}
            association.status_changed_at = now
            association.status_changed_by = None
        association.brreg_synced_at = now
        try:
            association.full_clean()
        except ValidationError as error:
            # Keep what the register got right: an optional field the portal cannot accept (a
            # malformed email address, say) keeps its previous value instead of stopping the unit.
            optional = {"postal_address", "website", "public_email", "public_phone", "founded_year"}
            bad = set(error.message_dict)
            if not bad <= optional:
                return "skipped", "; ".join(f"{name}: {', '.join(msgs)}" for name, msgs in error.message_dict.items())
            for name in bad:
                setattr(association, name, previous.get(name, "" if name != "founded_year" else None))
            association.full_clean()
        association.save()
        if outcome == "updated":
            association_moved(association=association, from_municipality_id=from_municipality_id)
    return outcome, ""
