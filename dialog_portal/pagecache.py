"""Whole public pages for visitors who are not signed in, cached under the versions of their
sources (dialog_portal.versions).

A page decorated with `public_page("meeting-pages", ...)` is served from the cache to a visitor
who is not signed in and has no message waiting, for a GET or HEAD without an Authorization
header. Its key names everything the page's content depends on besides its data:

- the versions of its sources, renewed by every save, delete or link change of their models, so a
  change shows on the next request;
- the release (`RELEASE`): a new deployment's templates and translations never meet an old
  page;
- the path with its query, the language the request arrived in (the switch, the browser, the
  målform a municipality's page chose earlier), and the målform cookie itself.

Nothing in a cached page belongs to one visitor but the CSRF token of the language switch: it is
stored as a placeholder and each response gets the visitor's own token (Django's `get_token`,
which also sets the CSRF cookie when the visitor has none). A page whose view sets a cookie, or
answers anything but 200, is not stored. The language the view chose (a municipality's målform)
is stored with the page and chosen again on a hit, so the page's headers and the målform cookie
(dialog_portal.languages.PageLanguageMiddleware) come out as they would have.

Signed-in users always get their page built for them: they may see more (pending associations,
drafts, their registrations) and their changes must show at once.

While Redis is down, versions.current() gives a new version to every request, so nothing is
served from the cache (dialog_portal.versions).
"""

import functools
import hashlib
import os
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from . import versions
from .languages import WRITTEN_STANDARD_COOKIE, chosen_on_the_switch, signed_in

# How long a page is kept: a bound on memory and on how long a change made without the ORM's
# signals (a queryset update) could stay unseen, not on how soon an ordinary change shows.
PAGE_TIMEOUT = 10 * 60

# Django's {% csrf_token %} renders this input; its value is the visitor's own.
_TOKEN = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
_PLACEHOLDER = b"\x00csrf\x00"


def _release() -> str:
    """The deployment: RELEASE from the environment, or a digest of the names, sizes and times of
    the portal's templates and compiled translations (the same in every process of a deployment)."""
    if os.environ.get("RELEASE"):
        return os.environ["RELEASE"]
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("templates", "locale", "locale_libraries", *(f"{app}/templates" for app in _apps())):
        root = base / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".txt", ".mo", ".ics"):
                stat = path.stat()
                digest.update(f"{path.relative_to(base)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _apps():
    base = Path(settings.BASE_DIR)
    return [config.name for config in apps.get_app_configs() if Path(config.path).parent == base]


RELEASE = None


def release() -> str:
    global RELEASE
    if RELEASE is None:
        RELEASE = _release()
    return RELEASE


def _cacheable_request(request) -> bool:
    if not settings.PUBLIC_PAGE_CACHE:
        return False
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    if signed_in(request):
        return False
    # A message waiting (after signing out, say) is shown on the next page: that page is the visitor's own.
    return not len(get_messages(request))


def _key(request, sources) -> str:
    vary = "|".join(
        [
            translation.get_language() or "",
            getattr(request, "browser_language", "") or "",
            "switch" if chosen_on_the_switch(request) else "",
            request.COOKIES.get(WRITTEN_STANDARD_COOKIE, ""),
            request.get_full_path(),
        ]
    )
    digest = hashlib.sha256(vary.encode()).hexdigest()
    return ":".join(["page", release(), versions.current(*sources) if sources else "-", digest])


def _store(response, request) -> dict | None:
    # A cookie or a Vary of the view's own would make the page depend on more than the key.
    if response.status_code != 200 or response.streaming or response.cookies or response.has_header("Vary"):
        return None
    content, tokens = _TOKEN.subn(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
    if content.count(b"csrfmiddlewaretoken") != tokens:
        # A token anywhere but in Django's own hidden input would be one visitor's secret.
        return None
    return {
        "content": content,
        "headers": list(response.headers.items()),
        "language": translation.get_language(),
        "written_standard_language": getattr(request, "written_standard_language", None),
    }


def _response(request, stored: dict) -> HttpResponse:
    content = stored["content"]
    if _PLACEHOLDER in content:
        content = content.replace(_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in stored["headers"]:  # the view's own: Content-Type, ETag, Link, …
        response[name] = value
    translation.activate(stored["language"])
    request.LANGUAGE_CODE = stored["language"]
    if stored["written_standard_language"]:
        request.written_standard_language = stored["written_standard_language"]
    if response.has_header("ETag") or response.has_header("Last-Modified"):
        # A reader who has this page already gets 304, as from the view's own condition().
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
    return response


def public_page(*sources: str):
    """Cache the view's page for visitors who are not signed in, under the versions of `sources`
    (names in dialog_portal.versions.SOURCES)."""
    unknown = set(sources) - set(versions.SOURCES)
    if unknown:
        raise ValueError(f"no such versions: {', '.join(sorted(unknown))}")

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _key(request, sources)
            stored = cache.get(key)
            if stored is not None:
                return _response(request, stored)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            entry = _store(response, request)
            if entry is not None:
                cache.set(key, entry, PAGE_TIMEOUT)
            return response

        return wrapped

    return decorator
