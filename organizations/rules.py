"""Who may do what with municipalities and associations (django-rules).

Predicates take (user, object). Every view checks a permission here, through
dialog_portal.permissions; tests walk the matrix of roles × rules. Later apps follow the same
pattern in their own rules.py. Site admins get what a rule names them for (is_site_admin), nothing
by being superusers.
"""

import rules

from .domain import AssociationStatus, MembershipRole


def is_staff_for(user, municipality_id) -> bool:
    """Whether the user works for the municipality: the one test behind every "staff of this
    municipality" predicate, whatever object the predicate is given."""
    if municipality_id is None or not user.is_authenticated:
        return False
    return user.staff_roles.filter(municipality_id=municipality_id).exists()


def is_county_staff_for(user, county_number) -> bool:
    """Whether the user works for the county municipality (fylkeskommune) of the county."""
    if not county_number or not user.is_authenticated:
        return False
    return user.county_roles.filter(county_number=county_number).exists()


@rules.predicate
def is_county_staff_of_municipality(user, municipality):
    """Staff of the county municipality of the municipality's county, who may host meetings there."""
    return municipality is not None and is_county_staff_for(user, municipality.county_number)


@rules.predicate
def is_county_staff(user):
    return user.is_authenticated and user.county_roles.exists()


@rules.predicate
def is_site_admin(user):
    return user.is_superuser


@rules.predicate
def is_staff_of(user, municipality):
    return municipality is not None and is_staff_for(user, municipality.pk)


@rules.predicate
def is_municipal_staff(user):
    return user.is_authenticated and user.staff_roles.exists()


@rules.predicate
def is_association_member(user, association):
    if association is None or not user.is_authenticated:
        return False
    return association.memberships.filter(user=user).exists()


@rules.predicate
def is_association_admin(user, association):
    if association is None or not user.is_authenticated:
        return False
    return association.memberships.filter(user=user, role=MembershipRole.ADMIN).exists()


@rules.predicate
def is_staff_of_association_municipality(user, association):
    return association is not None and is_staff_for(user, association.municipality_id)


@rules.predicate
def is_public_association(user, association):
    return association is not None and association.status == AssociationStatus.VERIFIED


rules.add_perm("organizations.change_municipality_contact", is_staff_of | is_site_admin)
rules.add_perm("organizations.view_staff_pages", is_municipal_staff | is_county_staff | is_site_admin)
# Site admins find every municipality's staff pages and every association waiting for approval.
rules.add_perm("organizations.oversee_all_municipalities", is_site_admin)

rules.add_perm(
    "organizations.view_association",
    is_public_association | is_association_member | is_staff_of_association_municipality | is_site_admin,
)
rules.add_perm(
    "organizations.view_association_contact",
    is_association_member | is_staff_of_association_municipality | is_site_admin,
)
rules.add_perm("organizations.change_association", is_association_admin | is_site_admin)
rules.add_perm("organizations.manage_association_members", is_association_admin | is_site_admin)
rules.add_perm("organizations.verify_association", is_staff_of_association_municipality | is_site_admin)


@rules.predicate
def may_act_in_name_of(user, association):
    # The one rule behind co-signing, meeting registrations and stand applications
    # (selectors.associations_acting_for): verified, a member, and no take-over still to approve.
    from .selectors import associations_acting_for  # noqa: PLC0415 (selectors imports is_staff_for from here)

    return association is not None and associations_acting_for(user=user).filter(pk=association.pk).exists()


rules.add_perm("organizations.act_for_association", may_act_in_name_of)


@rules.predicate
def is_signed_in(user):
    return user.is_authenticated


@rules.predicate
def may_take_over(user, association):
    # An association that nobody runs yet (mostly an import) can be claimed; staff then verify the claim.
    return (
        association is not None
        and user.is_authenticated
        and association.status in (AssociationStatus.PENDING, AssociationStatus.VERIFIED)
        and not association.memberships.exists()
    )


rules.add_perm("organizations.register_association", is_signed_in)
rules.add_perm("organizations.manage_municipality_associations", is_staff_of | is_site_admin)
rules.add_perm("organizations.export_associations", is_staff_of | is_site_admin)
rules.add_perm("organizations.hide_association", is_staff_of_association_municipality | is_site_admin)
rules.add_perm("organizations.leave_association", is_association_member)
# A site admin's account runs the portal, not associations: it neither joins nor takes one over.
# Staff of the association's municipality meet it on the municipality's behalf, not as members.
rules.add_perm(
    "organizations.request_membership",
    is_signed_in & ~is_association_member & ~is_site_admin & ~is_staff_of_association_municipality,
)
rules.add_perm("organizations.claim_association", may_take_over & ~is_site_admin)
