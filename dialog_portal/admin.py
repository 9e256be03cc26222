"""What the Django admin of every app shares: records that are shown, never edited there.

Rows whose changes have rules (capacity, the frozen letter, who may co-sign or join) change only
through the portal's services: in the portal's pages, or in admin actions that call them.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Listed and shown; never added, changed or deleted in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Shown with its parent; never added, changed or deleted in the admin."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
