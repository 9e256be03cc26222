from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import AgendaItem, Attendance, Exhibitor, Meeting, Registration


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.action(description=_("Publiser valgte møter og send invitasjoner"))
def publish_meetings(modeladmin, request, queryset):
    done = 0
    for meeting in queryset:
        try:
            services.meeting_publish(meeting=meeting, by=request.user)
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
        "status",
        "cancel_reason",
        "sequence",
        "published_at",
        "cancelled_at",
        "created_at",
        "updated_at",
    ]
    inlines = [AgendaItemInline]
    actions = [publish_meetings]

    def save_model(self, request, obj, form, change):
        if change:
            services.meeting_update(meeting=obj)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["meeting", "user", "association", "attendees", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["meeting", "user", "association"]
    search_fields = ["meeting__title", "user__email", "association__name"]
    raw_id_fields = ["meeting", "user", "association"]


@admin.register(Exhibitor)
class ExhibitorAdmin(admin.ModelAdmin):
    list_display = ["meeting", "association", "status", "stand_number"]
    list_filter = ["status"]
    list_select_related = ["meeting", "association"]
    raw_id_fields = ["meeting", "association", "applied_by"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "association", "registration", "created_at"]
    list_select_related = ["meeting", "association", "registration"]
    raw_id_fields = ["meeting", "association", "registration", "marked_by"]
