"""Pages of fixed meeting places (series): create with a look at every date first, the series page
with its dates, its calendar file, and publishing its drafts."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from dialog_portal.languages import use_written_standard
from dialog_portal.permissions import can, rule_required
from dialog_portal.service_errors import show_as_messages

from . import selectors
from . import series as series_services
from .forms import MeetingForm, OccurrenceDecisionForm, SeriesPatternForm
from .ical import series_ics
from .models import MeetingSeries
from .views import _municipality

SAVE = "lagre"


def _series(request, pk):
    return get_object_or_404(MeetingSeries.objects.select_related("municipality"), pk=pk)


def _fingerprint(plan) -> str:
    """Names the dates the page showed, so a save after a change of pattern shows them again first."""
    text = "|".join(f"{p.slot.isoformat()}:{int(p.needs_decision)}" for p in plan)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _show_errors(error: ValidationError, forms) -> None:
    """A planning refusal goes to the field it is about, on whichever form has it."""
    for name, errors in error.message_dict.items():
        form = next((form for form in forms if name in form.fields), forms[-1])
        form.add_error(name if name in form.fields else None, errors)


@login_required
@rule_required("meetings.add_meeting_in", fn=_municipality)
def series_create(request, number):
    municipality = _municipality(request, number)
    data = request.POST or None
    pattern = SeriesPatternForm(data)
    form = MeetingForm(data, municipality=municipality)
    plan, decisions, fingerprint = None, [], ""
    if request.method == "POST" and all([pattern.is_valid(), form.is_valid()]):
        fields = form.service_fields()
        try:
            plan = series_services.series_plan(
                municipality=municipality,
                first_starts_at=fields["starts_at"],
                first_ends_at=fields["ends_at"],
                kind=fields["kind"],
                **pattern.service_fields(),
            )
        except ValidationError as error:
            _show_errors(error, [pattern, form])
    if plan is not None:
        fingerprint = _fingerprint(plan)
        # Decisions count only for the dates they were made for; otherwise the list is shown anew.
        seen = request.POST.get("datoer") == fingerprint
        decisions = [
            OccurrenceDecisionForm(
                request.POST if seen else None, planned=p, municipality=municipality, kind=fields["kind"]
            )
            for p in plan
            if p.needs_decision
        ]
        # Every decision is checked, so each shows its own errors.
        decided_well = [decision.is_valid() for decision in decisions]
        if seen and request.POST.get("steg") == SAVE and all(decided_well):
            try:
                series = series_services.series_create(
                    municipality=municipality,
                    created_by=request.user,
                    decisions={d.planned.key: d.decision() for d in decisions},
                    **pattern.service_fields(),
                    **fields,
                )
            except ValidationError as error:
                _show_errors(error, [pattern, form])
            else:
                messages.success(
                    request,
                    _("Serien er lagret med møtene som utkast. Se over datoene og publiser når de er klare."),
                )
                return redirect("meetings:series", pk=series.pk)
        elif request.POST.get("steg") == SAVE and not seen:
            messages.warning(request, _("Datoene er endret siden du så dem. Se over listen før du lagrer."))
    decided = {d.planned.key: d for d in decisions}
    rows = [(p, decided.get(p.key)) for p in plan or ()]
    return render(
        request,
        "meetings/series_form.html",
        {
            "municipality": municipality,
            "pattern": pattern,
            "form": form,
            "rows": rows,
            "fingerprint": fingerprint,
            "to_decide": len(decisions),
        },
    )


@rule_required("meetings.view_series", fn=_series, hide=True)
def series_detail(request, pk):
    series = selectors.series_for_page(pk=pk)
    use_written_standard(request, series.municipality.written_standard)
    can_manage = can(request.user, "meetings.change_series", series)
    meetings = list(selectors.series_meetings(series=series, public_only=not can_manage))
    held = {meeting.series_slot for meeting in meetings}
    skipped = [slot for slot in series.slots() if slot not in held] if can_manage else []
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            "meetings": meetings,
            "skipped": skipped,
            "can_manage": can_manage,
            "has_drafts": any(meeting.status == meeting.Status.DRAFT for meeting in meetings),
        },
    )


def series_ical(request, pk):
    series = _series(request, pk)
    if not can(request.user, "meetings.view_series", series):
        raise Http404
    meetings = selectors.series_meetings(series=series, public_only=True)
    response = HttpResponse(series_ics(series, meetings), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"fast-moteplass-{series.pk}.ics")
    return response


@require_POST
@login_required
@rule_required("meetings.change_series", fn=_series, hide="meetings.view_series")
def series_publish(request, pk):
    series = _series(request, pk)
    try:
        published = series_services.series_publish(series=series)
    except ValidationError as error:
        show_as_messages(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s møte er publisert. De inviterte lagene får én invitasjon til serien.",
                "%(count)s møter er publisert. De inviterte lagene får én invitasjon til serien.",
                len(published),
            )
            % {"count": len(published)},
        )
    return redirect("meetings:series", pk=series.pk)
