from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.http import require_GET, require_POST

from .forms import ApiTokenForm
from .middleware import PREFIX, READ_METHODS, open_to_readers
from .models import ApiToken
from .problems import default_detail, problem
from .tokens import api_token_create, api_token_revoke

# Pages for signed-in people, staff and forms: nothing a search engine can show anyone.
DISALLOWED = ("/konto/", "/min-side/", "/admin/", "/i18n/", "/kommune/ansatt/", "/moter/ansatt/")


@require_GET
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
    lines.append(f"Sitemap: {settings.SITE_URL.rstrip('/')}{reverse('sitemap')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def bad_request(request, exception):
    """The portal's 400 (handler400). A request refused before it reached OpenDataMiddleware (a NUL
    in the query string, for one: dialog_portal.middleware.RefuseNulMiddleware) is, under /api/,
    a problem like every other error there; elsewhere it is Django's page."""
    if not request.path.startswith(PREFIX):
        return defaults.bad_request(request, exception)
    response = problem(400, default_detail(400))
    if request.method in READ_METHODS or request.method == "OPTIONS":
        open_to_readers(response)
    return response


@login_required
@require_POST
def api_token_create_view(request):
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("accounts:profile")
    try:
        token, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("accounts:profile")
    # The key is shown on this answer only: it is not stored, and no cache may keep the page.
    response = render(request, "opendata/api_token_created.html", {"token": token, "key": key})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        api_token_revoke(user=request.user, token=token)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("API-nøkkelen er trukket tilbake."))
    return redirect("accounts:profile")
