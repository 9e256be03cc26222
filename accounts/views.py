import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from dialog_portal.service_errors import show_as_messages

from . import personal_data, services
from .forms import DeleteAccountForm, ProfileForm


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profilen er lagret."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def personal_data_download(request):
    data = services.user_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    filename = f"dialogportal-personopplysninger-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
def account_delete(request):
    blockers = personal_data.deletion_blockers(request.user)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user)
        except ValidationError as error:
            show_as_messages(request, error)
            return redirect("accounts:delete")
        logout(request)
        messages.success(request, _("Kontoen din er slettet."))
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form, "blockers": blockers})


@require_POST
def set_language(request):
    """Django's language switch, for the pages only. The emails keep the language the person chose
    for them (User.preferred_language, on the profile); when the two now differ, they are told
    where to change it, in the language they switched to."""
    response = django_set_language(request)
    language = request.POST.get("language")
    user = request.user
    if user.is_authenticated and language in user.Language.values and language != user.preferred_language:
        with translation.override(language):
            messages.info(
                request,
                _(
                    "Sidene vises nå på %(pages)s. E-post fra portalen kommer fortsatt på %(emails)s. "
                    "Språket i e-post kan du endre under Min konto."
                )
                % {
                    "pages": user.Language(language).label.lower(),
                    "emails": user.Language(user.preferred_language).label.lower(),
                },
            )
    return response
