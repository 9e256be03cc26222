"""One permission mechanism: every permission the portal asks goes through
dialog_portal.permissions, and every rule has a row in its app's role × rule matrix."""

import ast
import importlib
import re
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.template import engines
from django.urls import reverse

from tests.permission_matrix import ALLOWED, LOGIN, expected, outcome

PORTAL_PACKAGES = [
    "accounts",
    "organizations",
    "meetings",
    "correspondence",
    "notifications",
    "opendata",
    "dialog_portal",
]
RULE_APPS = ["organizations", "meetings", "correspondence", "opendata"]
THE_ONE_CHECK = Path("dialog_portal") / "permissions.py"
# The one predicate that may look at the superuser flag; every rule that names site admins uses it.
SITE_ADMIN_PREDICATE = Path("organizations") / "rules.py"


def _portal_sources():
    base = Path(settings.BASE_DIR)
    for package in PORTAL_PACKAGES:
        for path in sorted((base / package).rglob("*.py")):
            relative = path.relative_to(base)
            if "migrations" not in relative.parts:
                yield relative, ast.parse(path.read_text(), filename=str(relative))


def _permission_bypasses(relative, tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("has_perm", "has_perms") and relative != THE_ONE_CHECK:
            yield f"{relative}:{node.lineno} .{node.attr}"
        if isinstance(node, ast.Attribute) and node.attr == "is_superuser" and relative != SITE_ADMIN_PREDICATE:
            yield f"{relative}:{node.lineno} .is_superuser"
        if isinstance(node, ast.ImportFrom) and node.module in (
            "django.contrib.auth.decorators",
            "django.contrib.auth.mixins",
            "rules.contrib.views",
        ):
            for alias in node.names:
                if alias.name in ("permission_required", "PermissionRequiredMixin"):
                    yield f"{relative}:{node.lineno} {node.module}.{alias.name}"


def test_portal_code_asks_permissions_only_through_can():
    found = [line for relative, tree in _portal_sources() for line in _permission_bypasses(relative, tree)]
    assert found == []


def test_the_scan_finds_a_bypass():
    tree = ast.parse(
        "from django.contrib.auth.decorators import permission_required\n"
        "from rules.contrib.views import permission_required\n"
        "request.user.has_perm('organizations.leave_association', association)\n"
        "if request.user.is_superuser: pass\n"
    )
    assert len(list(_permission_bypasses(Path("organizations") / "views.py", tree))) == 4


def test_templates_ask_no_user_permissions():
    # {{ perms.app.rule }} and django-rules' {% has_perm %} both go through user.has_perm.
    base = Path(settings.BASE_DIR)
    templates = [
        path for package in [*PORTAL_PACKAGES, "templates"] for path in sorted((base / package).rglob("*.html"))
    ]
    assert len(templates) > 20
    pattern = re.compile(r"\bperms\.|has_perm|load rules")
    found = [str(path.relative_to(base)) for path in templates if pattern.search(path.read_text())]
    assert found == []


def test_every_rule_has_a_row_in_its_apps_matrix():
    registered = {name for name in rules.permissions.permissions if name.split(".")[0] in RULE_APPS}
    assert len(registered) > 30
    covered = set()
    for app in RULE_APPS:
        matrix = importlib.import_module(f"tests.{app}.test_permissions").RULE_MATRIX
        covered |= {perm for perm, _target, _allowed in matrix}
    assert sorted(registered - covered) == []
    assert sorted(covered - registered) == []


def test_the_template_tag_asks_the_rules_for_the_requests_user(rf, site_admin, volunteer):
    template = engines["django"].from_string(
        '{% load permissions %}{% can "organizations.view_staff_pages" as may %}{{ may|yesno:"ja,nei" }}'
    )
    for user, answer in [(site_admin, "ja"), (volunteer, "nei")]:
        request = rf.get("/")
        request.user = user
        assert template.render({}, request) == answer
    assert template.render({}) == "nei"


def test_the_matrix_counts_only_a_2xx_or_the_documented_redirect_as_allowed():
    done = reverse("organizations:staff_home")
    assert outcome(HttpResponse(status=200)) == ALLOWED
    assert outcome(HttpResponse(status=204)) == ALLOWED
    assert outcome(HttpResponseRedirect(f"{reverse('account_login')}?next=/kommune/")) == LOGIN
    assert outcome(HttpResponseRedirect(done), redirect=done) == ALLOWED
    assert outcome(HttpResponse(status=403)) == 403
    assert outcome(HttpResponse(status=404)) == 404
    for undocumented in (HttpResponseRedirect("/"), HttpResponse(status=400), HttpResponse(status=500)):
        with pytest.raises(AssertionError):
            outcome(undocumented, redirect=done)
    assert expected("site_admin", {"site_admin"}) == ALLOWED
    assert expected("anonymous", {"site_admin"}) == LOGIN
    assert expected("stranger", {"site_admin"}) == 403
    assert expected("stranger", {"site_admin"}, refused=404) == 404
