from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import NotificationSettingsForm
from .models import NotificationSettings
from .registry import all_kinds


@login_required
def notification_settings(request):
    current = NotificationSettings(user=request.user, reminders=services.reminders_enabled(user=request.user))
    # An unticked box posts nothing, so an empty POST is still a submitted form.
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.notification_settings_update(user=request.user, reminders=form.cleaned_data["reminders"])
        messages.success(request, _("Varslingsinnstillingene er lagret."))
        return redirect("notifications:settings")
    kinds = all_kinds()
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "reminder_kinds": [kind for kind in kinds if not kind.transactional and kind.description],
            "transactional_kinds": [kind for kind in kinds if kind.transactional and kind.description],
        },
    )
