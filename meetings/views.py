import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST

from dialog_portal import versions
from dialog_portal.csv_export import csv_response, joined_names
from dialog_portal.dates import weekday_date_time
from dialog_portal.languages import use_written_standard
from dialog_portal.pagecache import public_page
from dialog_portal.permissions import can, rule_required
from dialog_portal.service_errors import show_as_messages, show_on_form
from organizations.domain import COUNTIES, county_organiser_name
from organizations.models import Association, Municipality
from organizations.selectors import municipalities_for_staff

from . import hosting, selectors, services
from . import series as series_services
from .forms import (
    AgendaFormSet,
    AttendanceForm,
    CalendarFilterForm,
    CancelForm,
    CoHostsForm,
    ExhibitorChoiceForm,
    ExhibitorDecisionForm,
    ExhibitorForm,
    LeadersForm,
    MeetingForm,
    PracticalInformationForm,
    ProposalDeclineForm,
    ProposalForm,
    RegistrationForm,
    SeriesScopeForm,
    SummaryForm,
)
from .ical import feed_ics, meeting_ics
from .languages import LANGUAGE_PARAMETER, translation_in
from .models import Meeting, MeetingProposal, MeetingSeries, Registration, TranslationLanguage

PAGE_SIZE = 20
FEED_CACHE_SECONDS = 24 * 60 * 60


def _meeting(request, pk):
    return get_object_or_404(Meeting.objects.select_related("municipality"), pk=pk)


def _municipality(request, number):
    return get_object_or_404(Municipality, number=number)


def _county(request, number):
    if number not in COUNTIES:
        raise Http404
    return number


def _proposal(request, pk):
    return get_object_or_404(MeetingProposal.objects.select_related("municipality", "association"), pk=pk)


def _association(request, slug):
    return get_object_or_404(Association.objects.select_related("municipality"), slug=slug)


def _registration(request, pk):
    return get_object_or_404(Registration.objects.select_related("meeting__municipality"), pk=pk)


# Public pages ---------------------------------------------------------------------------------


@public_page("meeting-pages")
def calendar(request):
    form = CalendarFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    if filters.get("municipality"):
        use_written_standard(request, filters["municipality"].written_standard)
    page = Paginator(selectors.calendar_meetings(filters=filters), PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "meetings/calendar.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # The meetings found by "information in language X" link to their page in that language.
            "information_language": filters.get("information_language"),
            "language_parameter": LANGUAGE_PARAMETER,
            # The filter panel's HTML depends on nothing else: cached under the version of its lists.
            "filters_version": versions.current("calendar-filters"),
            "filter_query": query.urlencode(),
            "part_timeout": versions.PART_TIMEOUT,
            "staff_municipalities": municipalities_for_staff(user=request.user),
        },
    )


@public_page("meeting-pages")
def volunteer_day(request):
    year = selectors.next_volunteer_day()
    meetings = selectors.volunteer_day_meetings(year=year)
    return render(request, "meetings/volunteer_day.html", {"year": year, "meetings": meetings})


@public_page("meeting-pages")
def detail(request, pk, preview=False):
    meeting = get_object_or_404(Meeting.objects.only("pk", "status", "published_at", "municipality_id"), pk=pk)
    if not can(request.user, "meetings.view_meeting", meeting):
        # A draft does not exist for those who may not see it.
        raise Http404
    meeting = selectors.meeting_for_page(pk=pk)
    use_written_standard(request, meeting.municipality.written_standard)
    translations = meeting.translations.all()
    can_manage = can(request.user, "meetings.change_meeting", meeting)
    seats_left = None if meeting.capacity is None else max(meeting.capacity - (meeting.seats_taken or 0), 0)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "translations": translations,
            "translation": translation_in(translations, request.GET.get(LANGUAGE_PARAMETER)),
            "language_parameter": LANGUAGE_PARAMETER,
            "preview": preview or not meeting.is_public,
            "can_manage": can_manage,
            "can_edit_practical": not can_manage
            and can(request.user, "meetings.change_practical_information", meeting),
            "may_apply_exhibitor": can(request.user, "meetings.apply_exhibitor", meeting),
            "attending": selectors.attending_associations(meeting=meeting),
            "registration": selectors.user_registration(meeting=meeting, user=request.user),
            "registration_open": services.registration_open(meeting),
            "seats_left": seats_left,
        },
    )


def meeting_ical(request, pk):
    meeting = _meeting(request, pk)
    if not can(request.user, "meetings.view_meeting", meeting):
        raise Http404
    use_written_standard(request, meeting.municipality.written_standard)
    body = meeting_ics(meeting, language=request.GET.get(LANGUAGE_PARAMETER))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"moete-{meeting.pk}.ics")
    return response


def _feed(request, number):
    """The municipality, its feed's meetings, the language asked for and the cache key that names
    the feed's content: it changes whenever a meeting or series in it changes (or leaves the
    window), or the municipality's name."""
    if not hasattr(request, "municipality_feed"):
        municipality = _municipality(request, number)
        use_written_standard(request, municipality.written_standard)
        since = (timezone.now() - timezone.timedelta(days=180)).replace(minute=0, second=0, microsecond=0)
        meetings = selectors.with_translations(
            Meeting.objects.public()
            .filter(municipality=municipality, ends_at__gte=since)
            .prefetch_related("agenda")
            .order_by("starts_at")
        )
        # Only a language on the list makes a key of its own; anything else gets the feed as it is.
        requested = request.GET.get(LANGUAGE_PARAMETER, "").strip()
        language = (
            TranslationLanguage.objects.filter(code__iexact=requested).values_list("code", flat=True).first()
            if requested
            else None
        )
        state = meetings.aggregate(changed=Max("updated_at"), count=Count("pk"))
        series_state = MeetingSeries.objects.filter(municipality=municipality).aggregate(
            changed=Max("updated_at"), count=Count("pk")
        )
        stamps = [moment.timestamp() for moment in (state["changed"], series_state["changed"]) if moment]
        name = hashlib.sha256(municipality.name.encode()).hexdigest()[:16]
        key = (
            f"meetings:feed:{municipality.pk}:{name}:{get_language()}:{language or '-'}:{since:%Y%m%d%H}:"
            f"{state['count']}:{series_state['count']}:{max(stamps, default=0)}"
        )
        request.municipality_feed = (municipality, meetings, since, language, key)
    return request.municipality_feed


def _feed_etag(request, number):
    return hashlib.sha256(_feed(request, number)[-1].encode()).hexdigest()


@public_page("meeting-pages")
@condition(etag_func=_feed_etag)
def municipality_feed(request, number):
    """The subscribable feed. Calendar programs poll it often, so the serialised file is cached
    under a key that names its content, which is also its ETag: a program that sends it back
    (If-None-Match) gets 304 Not Modified while nothing in the feed changed."""
    municipality, meetings, since, language, key = _feed(request, number)
    name = _("Møteplasser i %(name)s") % {"name": municipality.name}
    body = cache.get_or_set(
        key,
        lambda: feed_ics(
            name=name,
            meetings=meetings.filter(series__isnull=True),
            series=selectors.series_in_feed(municipality=municipality, since=since),
            language=language,
        ),
        FEED_CACHE_SECONDS,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(False, f"moteplasser-{municipality.number}.ics")
    return response


# Registration ---------------------------------------------------------------------------------


@login_required
def my_registrations(request):
    return render(
        request,
        "meetings/my_registrations.html",
        {"registrations": selectors.registrations_for_user(user=request.user)},
    )


@login_required
@rule_required("meetings.register", fn=_meeting, hide="meetings.view_meeting")
def register(request, pk):
    meeting = _meeting(request, pk)
    use_written_standard(request, meeting.municipality.written_standard)
    existing = selectors.user_registration(meeting=meeting, user=request.user)
    if existing is not None:
        messages.info(request, _("Du er allerede påmeldt. Her kan du endre påmeldingen."))
        return redirect("meetings:registration_edit", pk=existing.pk)
    if not services.registration_open(meeting):
        messages.error(request, _("Påmeldingen til dette møtet er stengt."))
        return redirect(meeting)
    form = RegistrationForm(
        request.POST or None,
        user=request.user,
        meeting=meeting,
        seats_free=services.seats_free(meeting),
        seats_available=services.seats_available(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(meeting=meeting, user=request.user, **form.service_fields())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("Du er påmeldt. Du får en bekreftelse på e-post med en kalenderfil."))
            else:
                messages.warning(
                    request,
                    _("Det var ikke plass til alle, så du står på ventelisten. Du får e-post hvis du får plass."),
                )
            return redirect(meeting)
    return render(request, "meetings/register.html", {"meeting": meeting, "form": form})


@login_required
@rule_required("meetings.change_registration", fn=_registration)
def registration_edit(request, pk):
    registration = _registration(request, pk)
    meeting = registration.meeting
    use_written_standard(request, meeting.municipality.written_standard)
    locked = services.registration_locked_reason(meeting)
    if locked:
        messages.error(request, locked)
        return redirect(meeting)
    form = RegistrationForm(
        request.POST or None,
        instance=registration,
        user=request.user,
        meeting=meeting,
        seats_free=services.seats_free(meeting),
        seats_available=services.seats_available(meeting, registration=registration),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_update(registration=registration, user=request.user, **form.service_fields())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Påmeldingen er oppdatert."))
            return redirect(meeting)
    return render(request, "meetings/register.html", {"meeting": meeting, "form": form, "registration": registration})


@login_required
@rule_required("meetings.cancel_registration", fn=_registration)
def registration_cancel(request, pk):
    registration = _registration(request, pk)
    use_written_standard(request, registration.meeting.municipality.written_standard)
    locked = services.registration_locked_reason(registration.meeting)
    if locked:
        messages.error(request, locked)
        if registration.user_id == request.user.pk:
            return redirect(registration.meeting)
        return redirect("meetings:registrations", pk=registration.meeting_id)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as error:
            show_as_messages(request, error)
            return redirect(registration.meeting)
        messages.success(request, _("Påmeldingen er avmeldt."))
        if registration.user_id == request.user.pk:
            return redirect(registration.meeting)
        return redirect("meetings:registrations", pk=registration.meeting_id)
    return render(request, "meetings/registration_cancel.html", {"registration": registration})


@login_required
@rule_required("meetings.apply_exhibitor", fn=_meeting, hide="meetings.view_meeting")
def exhibitor_apply(request, pk):
    meeting = _meeting(request, pk)
    use_written_standard(request, meeting.municipality.written_standard)
    if not meeting.has_exhibitors or meeting.status != Meeting.Status.PUBLISHED:
        raise Http404
    form = ExhibitorForm(request.POST or None, user=request.user, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.exhibitor_apply(
                meeting=meeting,
                user=request.user,
                association=form.cleaned_data["association"],
                description=form.cleaned_data["description"],
                needs=form.cleaned_data["needs"],
            )
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Søknaden om stand er sendt. Kommunen svarer og gir dere et standnummer."))
            return redirect(meeting)
    return render(request, "meetings/exhibitor_apply.html", {"meeting": meeting, "form": form})


# Staff pages ----------------------------------------------------------------------------------


@login_required
@rule_required("meetings.view_municipality_meetings", fn=_municipality)
def staff_meetings(request, number):
    municipality = _municipality(request, number)
    page = Paginator(selectors.meetings_for_staff(municipality=municipality), PAGE_SIZE).get_page(
        request.GET.get("side")
    )
    return render(
        request,
        "meetings/staff_meetings.html",
        {
            "municipality": municipality,
            "page": page,
            "proposals": selectors.pending_proposals(municipality=municipality),
        },
    )


@login_required
@rule_required("meetings.view_county_meetings", fn=_county)
def county_meetings(request, number):
    """A county municipality's page: the meetings it organises, and where it may schedule new ones."""
    page = Paginator(selectors.meetings_for_county(county_number=number), PAGE_SIZE).get_page(request.GET.get("side"))
    return render(
        request,
        "meetings/county_meetings.html",
        {
            "county_number": number,
            "organiser": county_organiser_name(number),
            "municipalities": Municipality.objects.filter(county_number=number, active=True).order_by("name"),
            "page": page,
        },
    )


def _organisers(user, municipality) -> list[str]:
    """Who a new meeting in the municipality may be organised by, for this user."""
    organisers = []
    if can(user, "meetings.view_municipality_meetings", municipality):
        organisers.append("municipality")
    if can(user, "meetings.view_county_meetings", municipality.county_number):
        organisers.append("county")
    return organisers


def _save_meeting(request, form, agenda, meeting=None, scope=None):
    """Both create and edit: the service validates (the after-work rule included) and saves.

    A meeting of a series changes alone, or with the later ones of the series when `scope` (a
    valid SeriesScopeForm) says so; the programme is always this meeting's own.
    """
    try:
        with transaction.atomic():
            fields = form.service_fields()
            if meeting is None:
                meeting = services.meeting_create(
                    municipality=form.instance.municipality, created_by=request.user, **fields
                )
            elif scope is not None and scope.cleaned_data["scope"] == SeriesScopeForm.FOLLOWING:
                result = series_services.series_update_following(
                    meeting=meeting, move_registered=scope.cleaned_data["move_registered"], **fields
                )
                meeting.refresh_from_db()
                _tell_kept_time(request, result)
            else:
                meeting = services.meeting_update(meeting=meeting, **fields)
            agenda.instance = meeting
            agenda.save()
    except ValidationError as error:
        show_on_form(form, error)
        return None
    return meeting


def _tell_kept_time(request, result) -> None:
    if result.kept_time:
        messages.warning(
            request,
            _(
                "Disse møtene har påmeldte og beholder klokkeslettet sitt: %(days)s. Endre dem ett og ett, "
                "eller kryss av for å flytte også møter med påmeldte."
            )
            % {"days": ", ".join(capfirst(weekday_date_time(m.starts_at)) for m in result.kept_time)},
        )


@login_required
@rule_required("meetings.add_meeting_in", fn=_municipality)
def meeting_create(request, number):
    municipality = _municipality(request, number)
    form = MeetingForm(
        request.POST or None, municipality=municipality, organisers=_organisers(request.user, municipality)
    )
    agenda = AgendaFormSet(request.POST or None, prefix="program")
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        meeting = _save_meeting(request, form, agenda)
        if meeting is not None:
            messages.success(request, _("Møtet er lagret som utkast. Se over og publiser når det er klart."))
            return redirect("meetings:preview", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"municipality": municipality, "form": form, "agenda": agenda})


@login_required
@rule_required("meetings.change_meeting", fn=_meeting, hide="meetings.view_meeting")
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        messages.error(request, _("Avlyste og gjennomførte møter kan ikke endres."))
        return redirect("meetings:preview", pk=meeting.pk)
    form = MeetingForm(request.POST or None, instance=meeting, municipality=meeting.municipality)
    agenda = AgendaFormSet(request.POST or None, instance=meeting, prefix="program")
    scope = SeriesScopeForm(request.POST or None, prefix="serie") if meeting.series_id else None
    if (
        request.method == "POST"
        and all([form.is_valid(), agenda.is_valid(), scope is None or scope.is_valid()])
        and _save_meeting(request, form, agenda, meeting=meeting, scope=scope) is not None
    ):
        messages.success(request, _("Endringene er lagret."))
        return redirect("meetings:preview", pk=meeting.pk)
    topics = meeting.registrations.active().exclude(topics="").select_related("association", "user")
    return render(
        request,
        "meetings/meeting_form.html",
        {
            "municipality": meeting.municipality,
            "form": form,
            "agenda": agenda,
            "meeting": meeting,
            "topics": topics,
            "scope": scope,
        },
    )


@login_required
@rule_required("meetings.change_meeting", fn=_meeting, hide="meetings.view_meeting")
def preview(request, pk):
    return detail(request, pk, preview=True)


@require_POST
@login_required
@rule_required("meetings.publish_meeting", fn=_meeting, hide="meetings.view_meeting")
def publish(request, pk):
    meeting = _meeting(request, pk)
    try:
        services.meeting_publish(meeting=meeting)
    except ValidationError as error:
        show_as_messages(request, error)
        return redirect("meetings:preview", pk=meeting.pk)
    messages.success(request, _("Møtet er publisert, og de inviterte lagene får en invitasjon på e-post."))
    return redirect(meeting)


@require_POST
@login_required
@rule_required("meetings.publish_meeting", fn=_meeting, hide="meetings.view_meeting")
def invite(request, pk):
    meeting = _meeting(request, pk)
    try:
        count = services.meeting_invite(meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s nye invitasjoner er sendt.") % {"count": count})
    return redirect("meetings:preview", pk=meeting.pk)


@login_required
@rule_required("meetings.cancel_meeting", fn=_meeting, hide="meetings.view_meeting")
def cancel(request, pk):
    meeting = _meeting(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Møtet er avlyst, og de påmeldte får beskjed."))
            return redirect(meeting)
    return render(request, "meetings/cancel.html", {"meeting": meeting, "form": form})


@require_POST
@login_required
@rule_required("meetings.change_meeting", fn=_meeting, hide="meetings.view_meeting")
def duplicate(request, pk):
    try:
        copy = services.meeting_duplicate(meeting=_meeting(request, pk), by=request.user)
    except ValidationError as error:
        show_as_messages(request, error)
        return redirect("meetings:preview", pk=pk)
    messages.success(request, _("Kopien er lagret som utkast. Sett ny dato og publiser."))
    return redirect("meetings:edit", pk=copy.pk)


@login_required
@rule_required("meetings.view_registrations", fn=_meeting, hide="meetings.view_meeting")
def registrations(request, pk):
    meeting = _meeting(request, pk)
    rows = list(selectors.registrations_for_staff(meeting=meeting))
    walk_ins = meeting.attendances.filter(registration__isnull=True).select_related("association")
    if request.method == "POST" and can(request.user, "meetings.mark_attendance", meeting):
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            for message in dict.fromkeys(message for errors in form.errors.values() for message in errors):
                messages.error(request, message)
            return redirect("meetings:registrations", pk=meeting.pk)
        leaders = LeadersForm(request.POST, choices=hosting.leadership_choices(meeting=meeting))
        if not leaders.is_valid():
            for message in leaders.errors["leaders"]:
                messages.error(request, message)
            return redirect("meetings:registrations", pk=meeting.pk)
        try:
            with transaction.atomic():
                services.attendance_set(
                    meeting=meeting,
                    registration_ids=form.cleaned_data["present"],
                    walk_in_association_ids=form.cleaned_data["walk_in"],
                    by=request.user,
                )
                if can(request.user, "meetings.manage_leaders", meeting):
                    hosting.meeting_leaders_attended_set(meeting=meeting, keys=leaders.cleaned_data["leaders"])
        except ValidationError as error:
            show_as_messages(request, error)
        else:
            messages.success(request, _("Oppmøtet er lagret."))
        return redirect("meetings:registrations", pk=meeting.pk)
    walk_in_ids = {attendance.association_id for attendance in walk_ins}
    leaders = None
    if can(request.user, "meetings.manage_leaders", meeting):
        leaders = LeadersForm(
            choices=hosting.leadership_choices(meeting=meeting),
            initial={"leaders": [hosting.leader_key(row) for row in meeting.leaders.filter(attended=True)]},
        )
        leaders.fields["leaders"].label = _("Fra kommuneledelsen: hvem kom?")
    return render(
        request,
        "meetings/registrations.html",
        {
            "meeting": meeting,
            "leaders": leaders,
            "rows": rows,
            "walk_in_ids": walk_in_ids,
            "associations": Association.objects.filter(
                municipality_id=meeting.municipality_id, status=Association.Status.VERIFIED
            ).order_by("name"),
            "can_mark": meeting.starts_at <= timezone.now()
            and meeting.status in (Meeting.Status.PUBLISHED, Meeting.Status.HELD),
        },
    )


@login_required
@rule_required("meetings.view_registrations", fn=_meeting, hide="meetings.view_meeting")
def registrations_csv(request, pk):
    meeting = _meeting(request, pk)
    header = [
        _("Navn"),
        _("E-post"),
        _("Lag eller forening"),
        _("Antall deltakere"),
        _("Status"),
        _("Tolk til"),
        _("Tilrettelegging"),
        _("Kosthold"),
        _("Temaer"),
        _("Påmeldt"),
        _("Møtte"),
    ]
    rows = (
        [
            r.user.full_name,
            r.user.email,
            r.association.name if r.association else "",
            r.attendees,
            r.get_status_display(),
            r.interpretation_language.localized_name if r.interpretation_language else "",
            r.accessibility_needs,
            r.diet,
            r.topics,
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            r.attended,
        ]
        for r in selectors.registrations_for_staff(meeting=meeting)
    )
    return csv_response(filename=f"pameldinger-{meeting.pk}.csv", header=header, rows=rows)


@login_required
@rule_required("meetings.change_meeting", fn=_meeting, hide="meetings.view_meeting")
def summary(request, pk):
    meeting = _meeting(request, pk)
    form = SummaryForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_summary_publish(
                meeting=meeting,
                summary=form.cleaned_data["summary"],
                follow_up_points=form.cleaned_data["follow_up_points"],
            )
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Oppsummeringen er publisert på møtesiden."))
            return redirect(meeting)
    return render(request, "meetings/summary.html", {"meeting": meeting, "form": form})


@login_required
@rule_required("meetings.manage_exhibitors", fn=_meeting, hide="meetings.view_meeting")
def exhibitors(request, pk):
    meeting = _meeting(request, pk)
    applications = meeting.exhibitors.select_related("association", "applied_by").order_by("status", "created_at")
    form = None
    if request.method == "POST":
        choice = ExhibitorChoiceForm(request.POST, meeting=meeting)
        if not choice.is_valid():
            raise Http404
        exhibitor = choice.cleaned_data["exhibitor"]
        form = ExhibitorDecisionForm(request.POST, prefix=f"stand{exhibitor.pk}")
        if form.is_valid():
            try:
                services.exhibitor_decide(
                    exhibitor=exhibitor,
                    approve=form.cleaned_data["decision"] == "approve",
                    stand_number=form.cleaned_data["stand_number"],
                )
            except ValidationError as error:
                show_as_messages(request, error)
            else:
                messages.success(request, _("Svaret til %(name)s er lagret.") % {"name": exhibitor.association.name})
                return redirect("meetings:exhibitors", pk=meeting.pk)
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
    rows = [
        (a, ExhibitorDecisionForm(prefix=f"stand{a.pk}", initial={"stand_number": a.stand_number}))
        for a in applications
    ]
    return render(request, "meetings/exhibitors.html", {"meeting": meeting, "rows": rows})


@login_required
@rule_required("meetings.view_reach", fn=_municipality)
def reach(request, number):
    municipality = _municipality(request, number)
    return render(
        request,
        "meetings/reach.html",
        {"municipality": municipality, "reach": selectors.reach_report(municipality=municipality)},
    )


@login_required
@rule_required("meetings.view_reach", fn=_municipality)
def reach_csv(request, number):
    municipality = _municipality(request, number)
    report = selectors.reach_report(municipality=municipality)
    header = [_("Lag eller forening"), _("Kategorier"), _("Deltatt siste tolv måneder"), _("Aldri møtt")]
    rows = (
        [
            association.name,
            joined_names(association.categories.all()),
            association.pk in report.took_part_ids,
            association.pk not in report.ever_ids,
        ]
        for association in report.associations
    )
    return csv_response(filename=f"rekkevidde-{municipality.number}.csv", header=header, rows=rows)


# Proposals from associations, co-hosts and the leadership present ----------------------------


@login_required
@rule_required("meetings.propose_meeting", fn=_association)
def proposal_create(request, slug):
    association = _association(request, slug)
    form = ProposalForm(request.POST or None, association=association)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = hosting.proposal_create(association=association, user=request.user, **form.service_fields())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                _("Forslaget er sendt til %(name)s. Dere får svar på e-post.")
                % {"name": association.municipality.official_name},
            )
            return redirect(proposal)
    return render(
        request,
        "meetings/proposal_form.html",
        {
            "association": association,
            "form": form,
            "proposals": selectors.proposals_of_association(association=association),
        },
    )


@login_required
@rule_required("meetings.view_proposal", fn=_proposal, hide=True)
def proposal_detail(request, pk):
    proposal = _proposal(request, pk)
    return render(
        request,
        "meetings/proposal_detail.html",
        {
            "proposal": proposal,
            "agenda": proposal.agenda_items(),
            "may_decide": proposal.status == MeetingProposal.Status.PENDING
            and can(request.user, "meetings.decide_proposal", proposal),
        },
    )


@require_POST
@login_required
@rule_required("meetings.decide_proposal", fn=_proposal, hide="meetings.view_proposal")
def proposal_accept(request, pk):
    proposal = _proposal(request, pk)
    try:
        meeting = hosting.proposal_accept(proposal=proposal, by=request.user)
    except ValidationError as error:
        show_as_messages(request, error)
        return redirect(proposal)
    messages.success(
        request,
        _("Forslaget er godtatt. Møtet er publisert med %(name)s som medarrangør, og laget har fått beskjed.")
        % {"name": proposal.association.name},
    )
    return redirect(meeting)


@login_required
@rule_required("meetings.decide_proposal", fn=_proposal, hide="meetings.view_proposal")
def proposal_decline(request, pk):
    proposal = _proposal(request, pk)
    form = ProposalDeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            hosting.proposal_decline(proposal=proposal, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Forslaget er avslått, og laget har fått begrunnelsen på e-post."))
            return redirect("meetings:staff_meetings", number=proposal.municipality.number)
    return render(request, "meetings/proposal_decline.html", {"proposal": proposal, "form": form})


@login_required
@rule_required("meetings.manage_co_hosts", fn=_meeting, hide="meetings.view_meeting")
def co_hosts(request, pk):
    meeting = _meeting(request, pk)
    form = CoHostsForm(
        request.POST or None,
        candidates=hosting.co_host_candidates(meeting=meeting),
        initial={"co_hosts": list(meeting.co_hosts.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            hosting.meeting_co_hosts_set(meeting=meeting, associations=form.cleaned_data["co_hosts"])
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Medarrangørene er lagret."))
            return redirect("meetings:preview", pk=meeting.pk)
    return render(request, "meetings/co_hosts.html", {"meeting": meeting, "form": form})


@login_required
@rule_required("meetings.change_practical_information", fn=_meeting, hide="meetings.view_meeting")
def practical_information(request, pk):
    meeting = _meeting(request, pk)
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        messages.error(request, _("Avlyste og gjennomførte møter kan ikke endres."))
        return redirect(meeting)
    form = PracticalInformationForm(request.POST or None, instance=meeting)
    agenda = AgendaFormSet(request.POST or None, instance=meeting, prefix="program")
    if request.method == "POST" and form.is_valid() and agenda.is_valid():
        try:
            with transaction.atomic():
                hosting.meeting_practical_update(meeting=meeting, **form.service_fields())
                agenda.save()
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect(meeting)
    return render(request, "meetings/practical_information.html", {"meeting": meeting, "form": form, "agenda": agenda})


@login_required
@rule_required("meetings.manage_leaders", fn=_meeting, hide="meetings.view_meeting")
def leaders(request, pk):
    meeting = _meeting(request, pk)
    form = LeadersForm(
        request.POST or None,
        choices=hosting.leadership_choices(meeting=meeting),
        initial={"leaders": [hosting.leader_key(row) for row in meeting.leaders.filter(announced=True)]},
    )
    form.fields["leaders"].label = _("Hvem fra kommuneledelsen har sagt ja til å delta?")
    if request.method == "POST" and form.is_valid():
        try:
            hosting.meeting_leaders_announce(meeting=meeting, keys=form.cleaned_data["leaders"])
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Det er lagret hvem fra kommuneledelsen som deltar."))
            return redirect("meetings:preview", pk=meeting.pk)
    return render(request, "meetings/leaders.html", {"meeting": meeting, "form": form})
