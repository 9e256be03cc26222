from django.contrib import admin

from .models import GroupInvitation, GroupMembership, Letter, LetterEvent, Response, Signature, WorkingGroup


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "district", "meeting_date", "created_at"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    inlines = [GroupMembershipInline]
    filter_horizontal = ["categories", "associations"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Read-only: letters are changed through the portal's services, which keep sent letters frozen."""

    list_display = ["subject", "reference", "group", "kind", "status", "sent_on", "published"]
    list_filter = ["status", "kind", "published"]
    search_fields = ["subject", "reference", "group__name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["association", "letter", "signed_by", "signed_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Signatures on a sent letter are part of the record.
        return obj is not None and not obj.letter.is_frozen


admin.site.register([GroupInvitation, Response, LetterEvent])
