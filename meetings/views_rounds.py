"""Pages for input rounds: staff open one and read the answers; association admins answer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dialog_portal.permissions import rule_required
from dialog_portal.service_errors import show_on_form
from organizations.models import Municipality

from . import selectors_rounds, services_rounds
from .forms import AgendaFormSet, MeetingForm
from .forms_rounds import AnswerForm, CandidateDateFormSet, RoundForm, candidate_dates
from .models import InputRound, InputRoundAnswer


def _municipality(request, number):
    return get_object_or_404(Municipality, number=number)


def _round(request, pk):
    return get_object_or_404(InputRound.objects.select_related("municipality", "meeting"), pk=pk)


@login_required
@rule_required("meetings.open_input_round", fn=_municipality)
def rounds(request, number):
    municipality = _municipality(request, number)
    return render(
        request,
        "meetings/rounds/rounds.html",
        {"municipality": municipality, "rounds": selectors_rounds.rounds_for_staff(municipality=municipality)},
    )


@login_required
@rule_required("meetings.open_input_round", fn=_municipality)
def round_create(request, number):
    municipality = _municipality(request, number)
    form = RoundForm(request.POST or None, municipality=municipality)
    dates = CandidateDateFormSet(
        request.POST or None, prefix="datoer", form_kwargs={"after_work_start": municipality.after_work_start}
    )
    if request.method == "POST" and form.is_valid() and dates.is_valid():
        rows = candidate_dates(dates)
        try:
            input_round = services_rounds.round_open(
                municipality=municipality,
                created_by=request.user,
                dates=[(start, end) for _form, start, end in rows],
                **form.service_fields(),
            )
        except services_rounds.DateProblems as error:
            for (row, _start, _end), problems in zip(rows, error.per_date, strict=True):
                for field, errors in problems.items():
                    row.add_error(field if field in row.fields else None, errors)
        except ValidationError as error:
            if "dates" in getattr(error, "error_dict", {}):
                messages.error(request, " ".join(error.message_dict["dates"]))
            else:
                show_on_form(form, error)
        else:
            messages.success(
                request, _("Innspillsrunden er åpnet, og lagene som spørres får en e-post med lenke til svarskjemaet.")
            )
            return redirect("meetings:round_detail", pk=input_round.pk)
    return render(
        request, "meetings/rounds/round_form.html", {"municipality": municipality, "form": form, "dates": dates}
    )


@login_required
@rule_required("meetings.manage_input_round", fn=_round)
def round_detail(request, pk):
    input_round = _round(request, pk)
    return render(
        request,
        "meetings/rounds/round_detail.html",
        {"input_round": input_round, "results": selectors_rounds.round_results(input_round=input_round)},
    )


@require_POST
@login_required
@rule_required("meetings.manage_input_round", fn=_round)
def round_close(request, pk):
    services_rounds.round_close(input_round=_round(request, pk))
    messages.success(request, _("Innspillsrunden er avsluttet og tar ikke imot flere svar."))
    return redirect("meetings:round_detail", pk=pk)


@login_required
@rule_required("meetings.manage_input_round", fn=_round)
def round_meeting(request, pk):
    """The new meeting's form, filled in from the round and its best date; staff add the venue."""
    input_round = _round(request, pk)
    if input_round.meeting_id is not None:
        messages.info(request, _("Møtet er allerede laget fra denne innspillsrunden."))
        return redirect("meetings:preview", pk=input_round.meeting_id)
    results = selectors_rounds.round_results(input_round=input_round)
    chosen = _chosen_date(request, results)
    municipality = input_round.municipality
    form = MeetingForm(
        request.POST or None,
        municipality=municipality,
        initial=services_rounds.meeting_initial(input_round=input_round, date=chosen),
    )
    agenda = AgendaFormSet(request.POST or None, prefix="program")
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        try:
            with transaction.atomic():
                meeting = services_rounds.round_meeting_create(
                    input_round=input_round, created_by=request.user, **form.service_fields()
                )
                agenda.instance = meeting
                agenda.save()
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Møtet er lagret som utkast. Når du publiserer det, får lagene som svarte på "
                    "innspillsrunden en invitasjon sammen med de andre inviterte."
                ),
            )
            return redirect("meetings:preview", pk=meeting.pk)
    return render(
        request,
        "meetings/rounds/round_meeting_form.html",
        {
            "input_round": input_round,
            "municipality": municipality,
            "results": results,
            "chosen": chosen,
            "form": form,
            "agenda": agenda,
        },
    )


def _chosen_date(request, results):
    """The date staff picked on the results page, else the best one."""
    wanted = request.GET.get("dato")
    for tally in results.tallies:
        if wanted and str(tally.date.pk) == wanted:
            return tally.date
    return results.best.date if results.best else None


@login_required
@rule_required("meetings.answer_input_round", fn=_round)
def round_answer(request, pk):
    input_round = _round(request, pk)
    associations = selectors_rounds.associations_answering_for(user=request.user, input_round=input_round)
    if not input_round.accepts_answers():
        return render(request, "meetings/rounds/round_closed.html", {"input_round": input_round})
    wanted = request.GET.get("lag", "")
    chosen = associations.filter(pk=wanted).first() if request.method == "GET" and wanted.isdigit() else None
    chosen = chosen or associations.first()
    existing = (
        InputRoundAnswer.objects.filter(input_round=input_round, association=chosen)
        .prefetch_related("choices", "interpretation_languages")
        .first()
    )
    form = AnswerForm(
        request.POST or None,
        instance=existing if request.method == "GET" else None,
        initial={"association": chosen.pk if chosen else None},
        input_round=input_round,
        associations=associations,
    )
    if request.method == "GET" and existing is not None:
        form.load_choices(existing)
    if request.method == "POST" and form.is_valid():
        try:
            services_rounds.round_answer(input_round=input_round, user=request.user, **form.service_fields())
        except (ValidationError, PermissionDenied) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Takk! Svaret er lagret. Du kan endre det så lenge runden er åpen."))
            url = reverse("meetings:round_answer", args=[input_round.pk])
            return redirect(f"{url}?lag={form.cleaned_data['association'].pk}")
    return render(
        request,
        "meetings/rounds/round_answer.html",
        {"input_round": input_round, "form": form, "existing": existing, "associations": associations},
    )
