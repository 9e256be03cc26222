import json

from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import NotificationSettings, OutgoingEmail, OutgoingEmailAttachment
from .registry import UnknownEmailKind, get_kind


class OutgoingEmailAttachmentInline(admin.TabularInline):
    model = OutgoingEmailAttachment
    fields = ["filename", "mimetype"]
    readonly_fields = ["filename", "mimetype"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient_email", "occasion", "state", "attempts", "sent_at", "short_error"]
    list_filter = ["state", "kind"]
    search_fields = ["recipient_email", "kind", "occasion", "message_id"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    readonly_fields = fields = [
        "context_shown" if field.name == "context" else field.name for field in OutgoingEmail._meta.fields
    ] + ["obj"]
    inlines = [OutgoingEmailAttachmentInline]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("innhold"))
    def context_shown(self, email):
        try:
            secret = get_kind(email.kind).secret
        except UnknownEmailKind:
            secret = True
        if secret:
            return _("Skjult: e-posten har lenker som bare mottakeren skal se.")
        return json.dumps(email.context, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)

    @admin.display(description=_("siste feil"))
    def short_error(self, email):
        return email.last_error[:80]

    @admin.action(description=_("Send valgte e-poster som feilet på nytt"), permissions=["view"])
    def send_again(self, request, queryset):
        failed = list(queryset.filter(state=OutgoingEmail.State.FAILED))
        with transaction.atomic():
            retried = sum(services.email_retry(email=email) for email in failed)
        self.message_user(
            request,
            ngettext("%(count)d e-post sendes på nytt.", "%(count)d e-poster sendes på nytt.", retried)
            % {"count": retried},
            messages.SUCCESS,
        )
        if too_old := len(failed) - retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d e-post er for gammel til å sendes på nytt: innholdet er slettet.",
                    "%(count)d e-poster er for gamle til å sendes på nytt: innholdet er slettet.",
                    too_old,
                )
                % {"count": too_old},
                messages.WARNING,
            )


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "reminders", "updated_at"]
    list_filter = ["reminders"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]
