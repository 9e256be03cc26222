from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dialog_portal.read_only_admin import ReadOnlyAdminMixin

from . import services
from .domain import validate_group_associations
from .forms import WorkingGroupForm
from .models import GroupInvitation, GroupMembership, Letter, LetterEvent, Response, Signature, WorkingGroup


class GroupMembershipInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Members join by invitation and leave in the portal, where the group keeps its leader."""

    model = GroupMembership
    extra = 0
    fields = ["user", "is_leader", "joined_at"]
    readonly_fields = fields
    can_delete = False


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


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class LetterEventInline(ReadOnlyInline):
    """The timeline is written by the services as things happen; it has no admin page of its own."""

    model = LetterEvent
    fields = ["at", "kind", "actor", "line"]
    readonly_fields = fields

    @admin.display(description=_("som vist i tidslinjen"))
    def line(self, obj):
        return obj.text


class ResponseInline(ReadOnlyInline):
    model = Response
    fields = ["received_on", "kind", "summary", "document", "logged_by"]
    readonly_fields = fields


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Read-only: letters are changed through the portal's services, which keep sent letters frozen.

    A sent letter, with its timeline and answers, is the record of what the municipality received,
    so it cannot be deleted here either; an unsent draft can.
    """

    list_display = ["subject", "reference", "group", "kind", "status", "sent_on", "published"]
    list_filter = ["status", "kind", "published"]
    search_fields = ["subject", "reference", "group__name"]
    inlines = [ResponseInline, LetterEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Answers are logged by the working group in the portal, where the letter's status and
    timeline move with them; here they are only shown."""

    list_display = ["letter", "kind", "received_on", "logged_by", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["letter", "logged_by"]
    search_fields = ["letter__subject", "letter__reference", "summary"]


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    """Associations co-sign in the portal, where the co-signing rule is checked; never here."""

    list_display = ["association", "letter", "signed_by", "signed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # An association withdraws its signature in the portal, which writes it in the letter's
        # timeline; on a sent letter the signatures are part of the record.
        return False


@admin.register(GroupInvitation)
class GroupInvitationAdmin(admin.ModelAdmin):
    """Invitations are sent and accepted in the portal (only by the owner of the invited address).

    Here they are shown, and an open one can be withdrawn.
    """

    list_display = ["email", "group", "invited_by", "created_at", "expires_at", "accepted_at"]
    list_filter = ["accepted_at"]
    list_select_related = ["group", "invited_by"]
    search_fields = ["email", "group__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.accepted_at is None)
