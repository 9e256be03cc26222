"""The portal's one way to ask a permission: the rules in each app's rules.py, and nothing else.

Views, template context, services and selectors all ask `can`. It goes to django-rules directly,
not through `user.has_perm`: Django's ModelBackend answers yes to a superuser for every permission
before the rules are asked, which would give a site admin "leave", "claim" and "request to join"
on every association. A site admin gets what a rule names them for (is_site_admin), and works in
the Django admin, whose model permissions still go through ModelBackend.
"""

from functools import wraps

import rules
from django import template
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404


def can(user, perm: str, obj=None) -> bool:
    """Whether the rule `perm` lets `user` act on `obj`."""
    return rules.has_perm(perm, user, obj)


def rule_required(perm: str, *, fn=None, hide: bool | str = False):
    """Let the view run only when the rule allows it.

    `fn(request, *args, **kwargs)` gives the object the rule is asked about (None without it); it
    may raise Http404 itself. A refusal answers 403, or 404 when `hide` is True: for objects the
    user may not know exist (draft meetings, unsent letters). `hide` may also name the rule that
    says who may see the object: those it refuses get 404, those who may see it but not do this
    get 403.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn is not None else None
            if not can(request.user, perm, obj):
                if hide is True or (hide and not can(request.user, hide, obj)):
                    raise Http404
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


register = template.Library()


@register.simple_tag(takes_context=True, name="can")
def can_tag(context, perm, obj=None):
    """`{% can "app.rule" obj as may_do %}` in templates, for the user of the request. A page
    rendered without a request (the plain server-error page) is anonymous."""
    request = context.get("request")
    return can(request.user if request is not None else AnonymousUser(), perm, obj)
