"""Pages for agreed actions: the municipality's public list, and the staff and owner pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dialog_portal.languages import use_written_standard
from dialog_portal.permissions import can, rule_required
from dialog_portal.service_errors import show_on_form
from organizations.models import Municipality

from . import selectors_actions, services_actions
from .forms_actions import ActionForm, ActionStatusForm
from .models import AgreedAction, Meeting

PAGE_SIZE = 20


def _meeting(request, pk):
    return get_object_or_404(Meeting.objects.select_related("municipality"), pk=pk)


def _action(request, pk):
    return get_object_or_404(AgreedAction.objects.select_related("meeting__municipality", "owner_association"), pk=pk)


def municipality_actions(request, number):
    """Public: what came out of the municipality's meetings, newest meeting first, and what is overdue."""
    municipality = get_object_or_404(Municipality, number=number)
    use_written_standard(request, municipality.written_standard)
    today = timezone.localdate()
    page = Paginator(selectors_actions.meetings_with_actions(municipality=municipality), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    return render(
        request,
        "meetings/actions/municipality_actions.html",
        {
            "municipality": municipality,
            "overdue": list(selectors_actions.overdue_actions(municipality=municipality, today=today)),
            "page": page,
            "today": today,
        },
    )


@login_required
@rule_required("meetings.manage_actions", fn=_meeting, hide="meetings.view_meeting")
def meeting_actions(request, pk):
    meeting = _meeting(request, pk)
    return render(
        request,
        "meetings/actions/meeting_actions.html",
        {
            "meeting": meeting,
            "actions": selectors_actions.actions_for_staff(meeting=meeting),
            "may_add": meeting.has_started and meeting.status in (Meeting.Status.PUBLISHED, Meeting.Status.HELD),
            "today": timezone.localdate(),
        },
    )


@login_required
@rule_required("meetings.manage_actions", fn=_meeting, hide="meetings.view_meeting")
def action_add(request, pk):
    meeting = _meeting(request, pk)
    form = ActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services_actions.action_create(meeting=meeting, **form.service_fields())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Tiltaket er lagt til."))
            return redirect("meetings:actions", pk=meeting.pk)
    return render(request, "meetings/actions/action_form.html", {"meeting": meeting, "form": form})


@login_required
@rule_required(
    "meetings.manage_actions", fn=lambda request, pk: _action(request, pk).meeting, hide="meetings.view_meeting"
)
def action_edit(request, pk):
    action = _action(request, pk)
    form = ActionForm(request.POST or None, instance=action, meeting=action.meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services_actions.action_update(action=action, **form.service_fields())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Tiltaket er lagret."))
            return redirect("meetings:actions", pk=action.meeting_id)
    return render(
        request, "meetings/actions/action_form.html", {"meeting": action.meeting, "form": form, "action": action}
    )


@login_required
@rule_required("meetings.report_action_progress", fn=_action)
def action_status(request, pk):
    """The owner reports how it goes (reminder emails link here); staff may too."""
    action = _action(request, pk)
    form = ActionStatusForm(
        request.POST or None, initial={"status": action.status, "status_comment": action.status_comment}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_actions.action_status_set(
                action=action, status=form.cleaned_data["status"], comment=form.cleaned_data["status_comment"]
            )
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Statusen for tiltaket er lagret."))
            if can(request.user, "meetings.manage_actions", action.meeting):
                return redirect("meetings:actions", pk=action.meeting_id)
            return redirect(action)
    return render(
        request,
        "meetings/actions/action_status.html",
        {"action": action, "form": form, "today": timezone.localdate()},
    )
