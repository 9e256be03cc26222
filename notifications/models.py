from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One email the portal sends: recorded before it is handed to SMTP, so it goes out once.

    The unique constraints on (kind, object, recipient, occasion) make a second enqueue of the same
    email a no-op, and the state column lets exactly one worker claim it for sending.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("venter")
        SENDING = "sending", _("sendes")
        SENT = "sent", _("sendt")
        FAILED = "failed", _("feilet")
        SUPPRESSED = "suppressed", _("ikke sendt (slått av)")

    kind = models.CharField(_("type"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("objekttype"), null=True, blank=True, on_delete=models.CASCADE
    )
    object_id = models.CharField(_("objekt-ID"), max_length=64, blank=True)
    obj = GenericForeignKey("content_type", "object_id")
    recipient_email = models.EmailField(_("mottaker"))
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mottakerens konto"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="outgoing_emails",
    )
    occasion = models.CharField(_("anledning"), max_length=200, blank=True)
    language = models.CharField(_("språk"), max_length=5, blank=True)
    context = models.JSONField(_("innhold"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reply_to = models.JSONField(_("svar til"), default=list, blank=True)
    cc = models.JSONField(_("kopi til"), default=list, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    # Saves the worker a query for the (usual) email without attachments.
    attachment_count = models.PositiveSmallIntegerField(_("antall vedlegg"), default=0)

    state = models.CharField(_("status"), max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)
    last_error = models.TextField(_("siste feil"), blank=True)
    created_at = models.DateTimeField(_("registrert"), default=timezone.now)
    enqueued_at = models.DateTimeField(_("lagt i kø"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("neste forsøk"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending startet"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)

    class Meta:
        verbose_name = _("utgående e-post")
        verbose_name_plural = _("utgående e-poster")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient_email", "occasion"],
                condition=Q(content_type__isnull=False),
                name="notifications_email_once_per_object",
            ),
            models.UniqueConstraint(
                fields=["kind", "recipient_email", "occasion"],
                condition=Q(content_type__isnull=True),
                name="notifications_email_once_without_object",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False),
                name="notifications_email_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "enqueued_at"], name="notifications_state_enqueued"),
            models.Index(fields=["state", "claimed_at"], name="notifications_state_claimed"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_email}"


class OutgoingEmailAttachment(models.Model):
    email = models.ForeignKey(OutgoingEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("filnavn"), max_length=255)
    content = models.BinaryField(_("innhold"))
    mimetype = models.CharField(_("filtype"), max_length=100)

    class Meta:
        verbose_name = _("vedlegg")
        verbose_name_plural = _("vedlegg")
        ordering = ["pk"]

    def __str__(self):
        return self.filename


class NotificationSettings(models.Model):
    """What a user wants to hear about. Reminders can be switched off; transactional emails cannot."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("bruker"),
    )
    reminders = models.BooleanField(
        _("påminnelser på e-post"),
        default=True,
        help_text=_("Påminnelser om møter, frister og svar som ikke har kommet."),
    )
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("varslingsinnstillinger")
        verbose_name_plural = _("varslingsinnstillinger")

    def __str__(self):
        return str(self.user)
