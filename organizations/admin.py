from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from . import services
from .domain import validate_admin_count
from .forms import AssociationAdminForm
from .models import (
    ASSOCIATION_PROFILE_M2M_FIELDS,
    Association,
    AssociationClaim,
    Category,
    Council,
    CountyStaff,
    District,
    Invitation,
    Language,
    Membership,
    MembershipRequest,
    Municipality,
    MunicipalLeader,
    MunicipalStaff,
    Need,
    PartyLeader,
    StaffResource,
    TargetGroup,
)


class DistrictInline(admin.StackedInline):
    model = District
    extra = 0


class PartyLeaderInline(admin.TabularInline):
    model = PartyLeader
    extra = 0


class MunicipalLeaderInline(admin.TabularInline):
    model = MunicipalLeader
    extra = 0


class MunicipalStaffInline(admin.TabularInline):
    model = MunicipalStaff
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_at"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality"]
    search_fields = ["code", "name", "municipality__name"]
    list_select_related = ["municipality"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county_number", "written_standard", "after_work_start", "active"]
    list_filter = ["active", "written_standard", "county_number"]
    search_fields = ["number", "name"]
    readonly_fields = ["county_number"]
    inlines = [DistrictInline, PartyLeaderInline, MunicipalLeaderInline, MunicipalStaffInline]


@admin.register(MunicipalStaff)
class MunicipalStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "granted_at"]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__email", "user__full_name", "municipality__name", "municipality__number"]
    autocomplete_fields = ["user", "municipality"]


@admin.register(CountyStaff)
class CountyStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "county_number", "granted_at"]
    list_filter = ["county_number"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "name_nn", "name_en", "slug", "position"]
    list_editable = ["name_nn", "name_en", "position"]
    search_fields = ["name", "name_nn", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name"]}


for term_model in (Category, TargetGroup, Need, Council, Language):
    admin.site.register(term_model, TermAdmin)


class MembershipInlineFormSet(BaseInlineFormSet):
    """The membership inline: after its changes the association still has an admin."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        remaining = [
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        had_admin = self.instance.pk and self.instance.memberships.filter(role=Membership.Role.ADMIN).exists()
        if remaining or had_admin:
            validate_admin_count(sum(1 for role in remaining if role == Membership.Role.ADMIN))


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.action(description=_("Godkjenn valgte lag"))
def verify_associations(modeladmin, request, queryset):
    _status_action(modeladmin, request, queryset, lambda a: services.association_verify(association=a, by=request.user))


@admin.action(description=_("Skjul valgte lag"))
def hide_associations(modeladmin, request, queryset):
    _status_action(modeladmin, request, queryset, lambda a: services.association_hide(association=a, by=request.user))


def _status_action(modeladmin, request, queryset, action):
    done = 0
    for association in queryset:
        try:
            action(association)
            done += 1
        except ValidationError as error:
            modeladmin.message_user(request, f"{association}: {' '.join(error.messages)}", messages.WARNING)
    modeladmin.message_user(request, _("%(count)s lag er oppdatert.") % {"count": done}, messages.SUCCESS)


@admin.register(Association)
class AssociationAdmin(admin.ModelAdmin):
    form = AssociationAdminForm
    list_display = ["name", "org_number", "municipality", "status", "source", "created_at"]
    list_filter = ["status", "source", "municipality", "categories"]
    list_select_related = ["municipality"]
    search_fields = ["name", "org_number", "slug", "municipality__name", "municipality__number"]
    autocomplete_fields = ["municipality", "district"]
    filter_horizontal = ASSOCIATION_PROFILE_M2M_FIELDS
    prepopulated_fields = {"slug": ["name"]}
    # Status changes go through the actions (and the staff pages), so the rules and emails apply.
    readonly_fields = [
        "status",
        "status_reason",
        "status_changed_at",
        "status_changed_by",
        "source",
        "edited_fields",
        "brreg_synced_at",
        "created_at",
        "updated_at",
    ]
    inlines = [MembershipInline]
    actions = [verify_associations, hide_associations]
    show_full_result_count = False

    def save_model(self, request, obj, form, change):
        moved_from = form.initial.get("municipality") if change else None
        super().save_model(request, obj, form, change)
        if change:
            services.association_moved(association=obj, from_municipality_id=moved_from, by=request.user)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "association", "role", "created_at", "expires_at", "accepted_at"]
    list_select_related = ["association"]
    search_fields = ["email", "association__name"]
    readonly_fields = ["association", "email", "role", "invited_by", "created_at", "accepted_at", "accepted_by"]

    def has_add_permission(self, request):
        return False


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "association", "created_at", "decided_at", "accepted"]
    list_select_related = ["user", "association"]
    search_fields = ["user__email", "association__name"]
    readonly_fields = ["association", "user", "created_at", "decided_at", "decided_by", "accepted"]

    def has_add_permission(self, request):
        return False


@admin.register(AssociationClaim)
class AssociationClaimAdmin(admin.ModelAdmin):
    """A record of who took over which association; staff decide in the verification queue."""

    list_display = ["association", "user", "created_at", "decided_at", "approved"]
    list_select_related = ["user", "association"]
    search_fields = ["user__email", "association__name"]
    readonly_fields = [
        "association",
        "user",
        "reason",
        "previous_status",
        "created_at",
        "decided_at",
        "decided_by",
        "approved",
    ]

    def has_add_permission(self, request):
        return False


@admin.register(StaffResource)
class StaffResourceAdmin(admin.ModelAdmin):
    """The knowledge page for municipal staff: texts and plain links, in the order shown."""

    list_display = ["title", "publisher", "position", "published"]
    list_editable = ["position", "published"]
    search_fields = ["title", "text", "publisher"]
