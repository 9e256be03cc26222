"""Who may do what with working groups and letters (django-rules).

Members of a working group edit its drafts; admins of an association in the municipality
co-sign (the per-association rule is correspondence.domain.cosign_refusal); staff of the
municipality see letters once they are sent; anyone sees letters the group chose to publish.
An admin of an association that co-signed sees the letter and may withdraw until it is sent.
"""

import rules

from organizations.models import Membership
from organizations.rules import (
    is_association_member,
    is_site_admin,
    is_staff_for,
    is_staff_of_association_municipality,
)

from .selectors import cosigning_associations


@rules.predicate
def is_group_member(user, group):
    if group is None or not user.is_authenticated:
        return False
    return group.memberships.filter(user=user).exists()


@rules.predicate
def is_staff_of_group_municipality(user, group):
    return group is not None and is_staff_for(user, group.municipality_id)


@rules.predicate
def is_letter_group_member(user, letter):
    if letter is None or not user.is_authenticated:
        return False
    return letter.group.memberships.filter(user=user).exists()


@rules.predicate
def is_staff_of_letter_municipality(user, letter):
    return letter is not None and is_staff_for(user, letter.group.municipality_id)


@rules.predicate
def is_association_admin_in_letter_municipality(user, letter):
    if letter is None or not user.is_authenticated:
        return False
    return cosigning_associations(user=user, municipality_id=letter.group.municipality_id).exists()


@rules.predicate
def is_admin_of_signing_association(user, letter):
    if letter is None or not user.is_authenticated:
        return False
    return user.memberships.filter(role=Membership.Role.ADMIN, association__letter_signatures__letter=letter).exists()


@rules.predicate
def letter_is_sent(user, letter):
    return letter is not None and letter.is_frozen


@rules.predicate
def letter_is_collecting(user, letter):
    return letter is not None and letter.status == letter.Status.COLLECTING


@rules.predicate
def letter_is_published(user, letter):
    return letter is not None and letter.is_frozen and letter.published


rules.add_perm("correspondence.view_group", is_group_member | is_staff_of_group_municipality | is_site_admin)
rules.add_perm("correspondence.change_group", is_group_member)
# The group's drafts in its letter list; staff of the municipality see only the sent ones.
rules.add_perm("correspondence.view_group_unsent_letters", is_group_member | is_site_admin)

rules.add_perm(
    "correspondence.view_letter",
    is_letter_group_member
    | (letter_is_sent & is_staff_of_letter_municipality)
    | (letter_is_collecting & is_association_admin_in_letter_municipality)
    | letter_is_published
    | (~letter_is_sent & is_admin_of_signing_association)
    | is_site_admin,
)
rules.add_perm("correspondence.change_letter", is_letter_group_member & ~letter_is_sent)
rules.add_perm("correspondence.send_letter", is_letter_group_member & ~letter_is_sent)
# A letter that has not been sent may be thrown away by the group, signatures and all; a sent one is a record.
rules.add_perm("correspondence.delete_letter", is_letter_group_member & ~letter_is_sent)
rules.add_perm("correspondence.track_letter", is_letter_group_member & letter_is_sent)
rules.add_perm("correspondence.cosign_letter", letter_is_collecting & is_association_admin_in_letter_municipality)
# Until the letter is sent, also while it is a draft again; which association's signature is
# correspondence.domain.withdraw_refusal.
rules.add_perm("correspondence.withdraw_signature", ~letter_is_sent & is_admin_of_signing_association)
# On an association's profile: every sent letter it co-signed, also those the group has not published.
rules.add_perm(
    "correspondence.view_association_letters",
    is_association_member | is_staff_of_association_municipality | is_site_admin,
)
