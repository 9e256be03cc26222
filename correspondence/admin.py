from django import forms
from django.contrib import admin

from . import services
from .domain import validate_group_associations
from .forms import WorkingGroupForm
from .models import GroupInvitation, GroupMembership, Letter, LetterEvent, Response, Signature, WorkingGroup


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["user"]


class WorkingGroupAdminForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        # The portal's form's fields, and the participating associations the portal sets elsewhere.
        fields = [*WorkingGroupForm.Meta.fields, "associations"]

    def clean(self):
        cleaned = super().clean()
        municipality = cleaned.get("municipality")
        if municipality is not None:
            try:
                validate_group_associations(municipality.pk, cleaned.get("associations") or [])
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    """The admin saves the participating associations through the same service as the portal."""

    form = WorkingGroupAdminForm
    list_display = ["name", "municipality", "district", "meeting_date", "created_at"]
    list_filter = ["municipality"]
    search_fields = ["name"]
    inlines = [GroupMembershipInline]
    filter_horizontal = ["categories", "associations"]
    raw_id_fields = ["founding_meeting"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.group_set_associations(group=form.instance, associations=list(form.cleaned_data["associations"]))


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
    """Associations co-sign in the portal, where the co-signing rule is checked; never here."""

    list_display = ["association", "letter", "signed_by", "signed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Signatures on a sent letter are part of the record.
        return obj is not None and not obj.letter.is_frozen


admin.site.register([GroupInvitation, Response, LetterEvent])
