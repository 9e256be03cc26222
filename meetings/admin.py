from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from dialog_portal.admin import ReadOnlyAdmin, ReadOnlyInline

from . import services
from .models import (
    AgendaItem,
    AgreedAction,
    Attendance,
    Exhibitor,
    InputRound,
    InputRoundAnswer,
    InputRoundDate,
    Meeting,
    MeetingLeader,
    MeetingProposal,
    MeetingSeries,
    Registration,
    TranslationLanguage,
)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.action(description=_("Publiser valgte møter og send invitasjoner"))
def publish_meetings(modeladmin, request, queryset):
    done = 0
    for meeting in queryset:
        try:
            services.meeting_publish(meeting=meeting)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{meeting}: {' '.join(error.messages)}", messages.WARNING)
    modeladmin.message_user(request, _("%(count)s møter er publisert.") % {"count": done}, messages.SUCCESS)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """The admin's ModelForm runs Meeting.clean(), so the after-work rule holds here too.

    Status changes go through the services (the publish action here; cancelling, which needs a
    reason and notices, on the staff pages), and a change to a meeting is saved by
    services.meeting_update, so registrants get the same change notice as from the staff pages.
    """

    list_display = ["title", "kind", "municipality", "starts_at", "status"]
    list_filter = ["status", "kind", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["invited_categories", "interpretation_languages"]
    readonly_fields = [
        "uid",
        "series",
        "series_slot",
        "status",
        "cancel_reason",
        "sequence",
        "published_at",
        "cancelled_at",
        "created_at",
        "updated_at",
        "co_hosts",
    ]
    inlines = [AgendaItemInline]
    actions = [publish_meetings]

    def save_model(self, request, obj, form, change):
        if change:
            services.meeting_update(meeting=obj)
        else:
            super().save_model(request, obj, form, change)


@admin.register(TranslationLanguage)
class TranslationLanguageAdmin(admin.ModelAdmin):
    """The languages staff may write a meeting's information in. A language in use by a translation
    cannot be deleted (PROTECT); take it out of use instead."""

    list_display = ["name", "native_name", "code", "direction", "active", "position"]
    list_editable = ["active", "position"]
    list_filter = ["active", "direction"]
    search_fields = ["name", "native_name", "code"]


class ServiceOnlyAdmin(ReadOnlyAdmin):
    """Shown read-only: the rows change only through the actions, which call the services, so the
    capacity rule, the waitlist and the notices hold in the admin too."""

    def has_act_permission(self, request):
        # Whoever holds the model's change permission may run the actions (the model permission
        # itself, which ReadOnlyAdmin answers no to for the change form).
        return admin.ModelAdmin.has_change_permission(self, request)


def _run_service(modeladmin, request, queryset, service, done_message):
    done = 0
    for obj in queryset:
        try:
            service(obj)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.WARNING)
    modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


@admin.action(description=_("Meld av valgte påmeldinger"), permissions=["act"])
def cancel_registrations(modeladmin, request, queryset):
    _run_service(
        modeladmin,
        request,
        queryset.order_by("created_at", "pk"),
        lambda registration: services.registration_cancel(registration=registration),
        _("Påmeldinger avmeldt: %(count)s."),
    )


@admin.register(Registration)
class RegistrationAdmin(ServiceOnlyAdmin):
    list_display = ["meeting", "user", "association", "attendees", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["meeting", "user", "association"]
    search_fields = ["meeting__title", "user__email", "association__name"]
    actions = [cancel_registrations]


def _approve(exhibitor):
    stand_number = exhibitor.stand_number
    if exhibitor.status != Exhibitor.Status.APPROVED or stand_number is None:
        taken = Exhibitor.objects.filter(meeting_id=exhibitor.meeting_id).aggregate(last=Max("stand_number"))["last"]
        stand_number = (taken or 0) + 1
    services.exhibitor_decide(exhibitor=exhibitor, approve=True, stand_number=stand_number)


@admin.action(description=_("Godkjenn valgte utstillere (nye får neste ledige standnummer)"), permissions=["act"])
def approve_exhibitors(modeladmin, request, queryset):
    _run_service(
        modeladmin,
        request,
        queryset.order_by("created_at", "pk"),
        lambda exhibitor: _approve(exhibitor),
        _("Utstillere godkjent: %(count)s."),
    )


@admin.action(description=_("Avslå valgte utstillere"), permissions=["act"])
def reject_exhibitors(modeladmin, request, queryset):
    _run_service(
        modeladmin,
        request,
        queryset.order_by("created_at", "pk"),
        lambda exhibitor: services.exhibitor_decide(exhibitor=exhibitor, approve=False),
        _("Utstillere avslått: %(count)s."),
    )


@admin.register(Exhibitor)
class ExhibitorAdmin(ServiceOnlyAdmin):
    list_display = ["meeting", "association", "status", "stand_number"]
    list_filter = ["status"]
    list_select_related = ["meeting", "association"]
    actions = [approve_exhibitors, reject_exhibitors]


@admin.register(Attendance)
class AttendanceAdmin(ServiceOnlyAdmin):
    """Attendance is marked on the staff pages, where walk-ins are checked against the host
    municipality's associations."""

    list_display = ["meeting", "association", "registration", "created_at"]
    list_select_related = ["meeting", "association", "registration"]


class SeriesMeetingInline(ReadOnlyInline):
    model = Meeting
    fields = ["title", "starts_at", "series_slot", "status"]
    readonly_fields = fields
    show_change_link = True
    ordering = ["series_slot"]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ReadOnlyAdmin):
    """A series is planned on the staff pages, where every date is checked by the after-work rule
    and staff decide on the refused ones; its meetings are changed one by one here, or on the
    staff pages for the later ones too."""

    list_display = ["title", "municipality", "frequency", "first_starts_at", "until", "count"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]
    inlines = [SeriesMeetingInline]


@admin.register(MeetingProposal)
class MeetingProposalAdmin(ReadOnlyAdmin):
    """Answered on the staff pages, where accepting publishes the meeting and the association hears it."""

    list_display = ["title", "association", "municipality", "starts_at", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["association", "municipality"]
    search_fields = ["title", "association__name", "municipality__name"]


@admin.register(MeetingLeader)
class MeetingLeaderAdmin(ReadOnlyAdmin):
    """Recorded on the staff pages, where the names come from the municipality's record."""

    list_display = ["meeting", "role", "name", "committee", "announced", "attended"]
    list_filter = ["role", "announced", "attended"]
    list_select_related = ["meeting"]


@admin.register(AgreedAction)
class AgreedActionAdmin(admin.ModelAdmin):
    """The admin's ModelForm runs AgreedAction.clean(): one owner, an association of the host
    municipality, a reason when the action is dropped."""

    list_display = ["title", "meeting", "owner_unit", "owner_association", "due_on", "status"]
    list_filter = ["status", "meeting__municipality"]
    list_select_related = ["meeting", "owner_association"]
    search_fields = ["title", "owner_unit", "owner_association__name", "meeting__title"]
    autocomplete_fields = ["meeting", "owner_association"]
    readonly_fields = ["status_changed_at", "created_at", "updated_at"]


class InputRoundDateInline(ReadOnlyInline):
    model = InputRoundDate
    fields = ["starts_at", "ends_at"]


class InputRoundAnswerInline(ReadOnlyInline):
    model = InputRoundAnswer
    fields = ["association", "answered_by", "topics", "access_needs", "language_needs", "updated_at"]


@admin.register(InputRound)
class InputRoundAdmin(ReadOnlyAdmin):
    """Shown only: rounds are opened on the staff pages, whose service checks every candidate date
    against the after-work rule and asks the associations."""

    list_display = ["title", "municipality", "status", "created_at", "meeting"]
    list_filter = ["status", "municipality"]
    list_select_related = ["municipality", "meeting"]
    search_fields = ["title", "municipality__name"]
    inlines = [InputRoundDateInline, InputRoundAnswerInline]
