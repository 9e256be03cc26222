"""The roles × rules matrix every app's tests/<app>/test_permissions.py walks in its RULE_MATRIX.

A row is (rule, object, roles the rule allows); tests/portal/test_permission_mechanism.py fails
when a rule registered in an app's rules.py has no row.
"""

from dialog_portal.permissions import can

ROLES = (
    "anonymous",
    "stranger",
    "association_member",
    "association_admin",
    "group_member",
    "staff_here",
    "staff_elsewhere",
    "site_admin",
)
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
NOBODY = frozenset()


def allowed_roles(roles, perm, obj) -> set[str]:
    """The roles the rule lets act on obj, asked through the portal's one permission check."""
    return {role for role, user in roles.users.items() if can(user, perm, obj)}
