"""Admin pages that show rows without changing them: the rows change in the portal, through the
services, where the rules hold."""


class ReadOnlyAdminMixin:
    """For a ModelAdmin or an inline: nothing is added, changed or deleted on the admin page."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
