from django.contrib import admin

from .models import AgendaItem, Attendance, Exhibitor, Meeting, Registration


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    """The admin's ModelForm runs Meeting.clean(), so the after-work rule holds here too."""

    list_display = ["title", "kind", "municipality", "starts_at", "status"]
    list_filter = ["status", "kind", "municipality"]
    list_select_related = ["municipality"]
    search_fields = ["title", "municipality__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["invited_categories", "interpretation_languages"]
    readonly_fields = ["uid", "sequence", "published_at", "cancelled_at", "created_at", "updated_at"]
    inlines = [AgendaItemInline]

    def save_model(self, request, obj, form, change):
        if change and {"starts_at", "ends_at", "venue_name", "venue_address", "online_url"} & set(form.changed_data):
            obj.sequence += 1
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
