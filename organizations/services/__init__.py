"""Every write to the registry that has a rule. Keyword-only, full_clean() first, in a transaction.

The package re-exports every service, so `from organizations import services` keeps working."""

from .imports import BRREG_FIELDS, BrregImportReport, ImportReport, association_import_from_brreg, municipalities_import
from .memberships import (
    invitation_accept,
    invitation_revoke,
    membership_invite,
    membership_leave,
    membership_remove,
    membership_request_create,
    membership_request_decide,
    membership_set_role,
)
from .registry import (
    association_claim,
    association_claim_withdraw,
    association_hide,
    association_moved,
    association_register,
    association_reject,
    association_update,
    association_verify,
)

__all__ = [
    "association_register",
    "association_update",
    "association_moved",
    "association_claim",
    "association_claim_withdraw",
    "association_verify",
    "association_reject",
    "association_hide",
    "membership_invite",
    "invitation_accept",
    "invitation_revoke",
    "membership_set_role",
    "membership_remove",
    "membership_leave",
    "membership_request_create",
    "membership_request_decide",
    "ImportReport",
    "municipalities_import",
    "BRREG_FIELDS",
    "BrregImportReport",
    "association_import_from_brreg",
]
