from django.contrib import admin

from .models import District, Municipality, MunicipalStaff, PartyLeader


class DistrictInline(admin.StackedInline):
    model = District
    extra = 0


class PartyLeaderInline(admin.TabularInline):
    model = PartyLeader
    extra = 0


class MunicipalStaffInline(admin.TabularInline):
    model = MunicipalStaff
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["granted_at"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "county_number", "written_standard", "after_work_start", "active"]
    list_filter = ["active", "written_standard", "county_number"]
    search_fields = ["number", "name"]
    readonly_fields = ["county_number"]
    inlines = [DistrictInline, PartyLeaderInline, MunicipalStaffInline]


@admin.register(MunicipalStaff)
class MunicipalStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "municipality", "granted_at"]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__email", "user__full_name", "municipality__name", "municipality__number"]
    autocomplete_fields = ["user", "municipality"]
