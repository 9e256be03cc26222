"""The roles × rules harness every app's permission tests use.

`roles` (tests/conftest.py) gives one person in each of ROLES; `as_role(role)` a test client signed
in as that person. A rule's row in an app's RULE_MATRIX is (rule, object, roles the rule allows);
tests/portal/test_permission_mechanism.py fails when a rule registered in an app's rules.py has
no row. Pages are asked through `outcome`, which tells a 2xx (or the redirect the page documents
for a finished action) from the sign-in page and from the 403 or 404 of a refusal, and fails on
any other answer; `expected` says which of those a role gets.

The portal's refusals (dialog_portal.permissions.rule_required): 403 to who may see the object
but not do this, 404 to who may not know it exists (draft meetings, unsent letters), and the
sign-in page to anonymous visitors of pages that need signing in.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import resolve_url

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

ALLOWED = "allowed"
LOGIN = "login"


def allowed_roles(roles, perm, obj) -> set[str]:
    """The roles the rule lets act on obj, asked through the portal's one permission check."""
    return {role for role, user in roles.users.items() if can(user, perm, obj)}


def outcome(response, *, redirect: str | None = None):
    """ALLOWED for a 2xx, or for a redirect to the path `redirect` (the page an action documents
    sending to when it is done); LOGIN for the sign-in page; 403 or 404 for a refusal. Any other
    answer (another redirect, a 400, a 500) fails the test."""
    status = response.status_code
    if 200 <= status < 300:
        return ALLOWED
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response.url).path
        if target == resolve_url(settings.LOGIN_URL):
            return LOGIN
        if redirect is not None and target == redirect:
            return ALLOWED
        raise AssertionError(f"a redirect to {response.url} that the matrix does not know (expected {redirect})")
    if status in (403, 404):
        return status
    raise AssertionError(f"answered {status}, neither allowed nor a refusal")


def expected(role: str, allowed, *, refused: int = 403, anonymous=LOGIN, **others):
    """What `role` gets from a page that lets `allowed` in: ALLOWED, else `anonymous` for the
    signed-out visitor, `others[role]` where given, and `refused` (403 or 404) for the rest."""
    if role in allowed:
        return ALLOWED
    if role == "anonymous":
        return anonymous
    return others.get(role, refused)
