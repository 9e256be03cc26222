"""Working groups and the formal letters they send to the municipal leadership."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from organizations.models import Association, Category, District, Municipality, _invitation_expiry, _invitation_token

from .domain import validate_meeting_in_municipality, validate_pdf_upload


class WorkingGroup(models.Model):
    """A working group set up at a discussion meeting, with a mandate to write to the municipality.

    The discussion meeting is described by the group's own fields, by a meeting in the portal's
    calendar, or both; the group's own fields win where they are filled in.
    """

    name = models.CharField(_("navn"), max_length=200)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="working_groups", verbose_name=_("kommune")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_groups",
        verbose_name=_("bydel"),
        help_text=_("Velg bydel hvis henvendelsen skal til bydelens ledelse."),
    )
    founding_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="founded_working_groups",
        verbose_name=_("diskusjonsmøtet i portalen"),
        help_text=_("Valgfritt. Dato, tid og sted hentes fra møtet når feltene under står tomme."),
    )
    meeting_date = models.DateField(_("dato for diskusjonsmøtet"), null=True, blank=True)
    meeting_time = models.TimeField(_("klokkeslett for diskusjonsmøtet"), null=True, blank=True)
    meeting_place = models.CharField(_("sted for diskusjonsmøtet"), max_length=200, blank=True)
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="working_groups",
        verbose_name=_("typer lag og foreninger som deltok"),
    )
    theme = models.TextField(_("tema for møtet"))
    mandate = models.TextField(_("mandat"), help_text=_("Hva møtet ba arbeidsgruppen om å gjøre."))
    associations = models.ManyToManyField(
        Association, blank=True, related_name="working_groups", verbose_name=_("deltakende lag og foreninger")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="GroupMembership", related_name="working_groups", verbose_name=_("medlemmer")
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("arbeidsgruppe")
        verbose_name_plural = _("arbeidsgrupper")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.district_id and self.municipality_id and self.district.municipality_id != self.municipality_id:
            raise ValidationError({"district": _("Bydelen hører ikke til den valgte kommunen.")})
        if self.municipality_id:
            validate_meeting_in_municipality(self.founding_meeting, self.municipality_id, field="founding_meeting")
        if not self.founding_meeting_id and (self.meeting_date is None or self.meeting_time is None):
            raise ValidationError(
                {"meeting_date": _("Oppgi dato og klokkeslett for diskusjonsmøtet, eller velg møtet i portalen.")}
            )

    def _founding_start(self):
        return timezone.localtime(self.founding_meeting.starts_at) if self.founding_meeting_id else None

    @property
    def discussion_date(self):
        if self.meeting_date is not None or not self.founding_meeting_id:
            return self.meeting_date
        return self._founding_start().date()

    @property
    def discussion_time(self):
        if self.meeting_time is not None or not self.founding_meeting_id:
            return self.meeting_time
        return self._founding_start().time()

    @property
    def discussion_place(self):
        if self.meeting_place or not self.founding_meeting_id:
            return self.meeting_place
        return self.founding_meeting.venue_name

    @property
    def authority(self):
        """Where the group's letters go: the district's leadership, or the municipality's."""
        return self.district if self.district_id else self.municipality

    @property
    def leader(self):
        membership = next((m for m in self.memberships.all() if m.is_leader), None)
        return membership.user if membership else None


class GroupMembership(models.Model):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("arbeidsgruppe")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="working_group_memberships",
        verbose_name=_("bruker"),
    )
    is_leader = models.BooleanField(_("leder"), default=False)
    joined_at = models.DateTimeField(_("med siden"), auto_now_add=True)

    class Meta:
        verbose_name = _("medlem av arbeidsgruppe")
        verbose_name_plural = _("medlemmer av arbeidsgrupper")
        ordering = ["-is_leader", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_user_and_group"),
            models.UniqueConstraint(fields=["group"], condition=Q(is_leader=True), name="one_leader_per_group"),
        ]

    def __str__(self):
        return f"{self.user} – {self.group}"


class GroupInvitation(models.Model):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("arbeidsgruppe")
    )
    email = models.EmailField(_("e-postadresse"))
    # Made and valid as an association's invitation is; the migrations name the defaults in this module.
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invitert av")
    )
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gyldig til"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("akseptert"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitasjon til arbeidsgruppe")
        verbose_name_plural = _("invitasjoner til arbeidsgrupper")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "email"], condition=Q(accepted_at__isnull=True), name="one_open_invitation_per_email"
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.group}"

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()


class LetterLanguage(models.TextChoices):
    BOKMAAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")


class Challenge(models.TextChoices):
    RECRUITMENT = "recruitment", _("Rekruttering av nye medlemmer")
    FINANCES = "finances", _("Økonomi")
    VISIBILITY = "visibility", _("Å gjøre aktiviteten synlig")
    PREMISES = "premises", _("Lokaler")
    NO_CONTACT = "no_contact", _("Ingen kontakt med kommunen")


class Letter(models.Model):
    """A formal letter from a working group, composed from parts; frozen once it is sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        COLLECTING = "collecting", _("Samler underskrifter")
        SENT = "sent", _("Sendt")
        PRELIMINARY = "preliminary", _("Foreløpig svar mottatt")
        ANSWERED = "answered", _("Besvart")
        MEETING_AGREED = "meeting_agreed", _("Dialogmøte avtalt")
        CLOSED = "closed", _("Avsluttet")

    class Kind(models.TextChoices):
        INQUIRY = "inquiry", _("Henvendelse")
        FOLLOW_UP = "follow_up", _("Purring")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-post")
        POST = "post", _("Post")

    # Who the letter is addressed to: taken from the authority for a new letter, kept by a follow-up.
    ADDRESSEE_FIELDS = (
        "political_leader_title",
        "political_leader_name",
        "administrative_leader_title",
        "administrative_leader_name",
        "authority_name",
        "postal_address",
    )
    # The parts a member may edit while the letter is a draft.
    CONTENT_FIELDS = (
        "language",
        *ADDRESSEE_FIELDS,
        "subject",
        "background",
        "voluntary_effort",
        "situation",
        "challenges",
        "wishes",
        "closing",
        "contact_name",
        "contact_address",
        "contact_email",
        "contact_phone",
    )
    FROZEN_STATUSES = (Status.SENT, Status.PRELIMINARY, Status.ANSWERED, Status.MEETING_AGREED, Status.CLOSED)

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="letters", verbose_name=_("arbeidsgruppe")
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.INQUIRY)
    follows_up = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("purring på"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    language = models.CharField(_("målform"), max_length=2, choices=LetterLanguage.choices, default="nb")
    reference = models.CharField(_("vår referanse"), max_length=20, blank=True, db_index=True)

    political_leader_title = models.CharField(_("tittel, politisk leder"), max_length=100, blank=True)
    political_leader_name = models.CharField(_("navn, politisk leder"), max_length=200, blank=True)
    administrative_leader_title = models.CharField(_("tittel, administrativ leder"), max_length=100, blank=True)
    administrative_leader_name = models.CharField(_("navn, administrativ leder"), max_length=200, blank=True)
    authority_name = models.CharField(_("kommune eller bydel"), max_length=200, blank=True)
    postal_address = models.TextField(_("postadresse"), blank=True)

    subject = models.CharField(_("emne"), max_length=300)
    background = models.TextField(_("bakgrunn for henvendelsen"), blank=True)
    voluntary_effort = models.TextField(_("om frivillig innsats lokalt"), blank=True)
    situation = models.TextField(_("situasjonen i dag"), blank=True)
    challenges = models.JSONField(_("utfordringer"), default=list, blank=True)
    wishes = models.TextField(_("hva vi ønsker"), blank=True)
    closing = models.TextField(_("avslutning"), blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    # Where the municipality answers: the sender block of the letter.
    contact_address = models.TextField(_("adresse for svar"), blank=True)
    contact_email = models.EmailField(_("e-post for svar"), blank=True)
    contact_phone = models.CharField(_("telefon for svar"), max_length=30, blank=True)
    # None on letters written before edits were recorded: their parts are compared with the defaults.
    edited_parts = models.JSONField(
        _("deler skrevet om"),
        null=True,
        blank=True,
        default=list,
        editable=False,
        help_text=_("Delene med egen tekst; de andre får standardteksten når målformen byttes."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("opprettet av")
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    channel = models.CharField(_("sendt med"), max_length=5, choices=Channel.choices, blank=True)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    sent_on = models.DateField(_("datert"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sendt av"),
    )
    sent_to = models.EmailField(_("sendt til"), blank=True)
    sent_pdf = models.FileField(_("PDF som ble sendt"), upload_to="henvendelser/sendt/%Y/", blank=True)
    sent_pdf_sha256 = models.CharField(_("SHA-256 for PDF-en"), max_length=64, blank=True)
    reminder_level = models.PositiveSmallIntegerField(_("påminnelser sendt"), default=0)
    published = models.BooleanField(
        _("publisert"), default=False, help_text=_("Vis brevet og svarene på kommunens offentlige side.")
    )
    dialogue_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dialogue_letters",
        verbose_name=_("dialogmøtet"),
        help_text=_("Dialogmøtet med kommunen som fulgte av brevet."),
    )

    class Meta:
        verbose_name = _("brev")
        verbose_name_plural = _("brev")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=Q(kind="inquiry") & ~Q(reference=""),
                name="unique_reference_per_inquiry",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "collecting"]) | (Q(sent_at__isnull=False) & ~Q(reference="")),
                name="sent_letter_has_time_and_reference",
            ),
            models.CheckConstraint(
                condition=Q(kind="inquiry", follows_up__isnull=True) | Q(kind="follow_up", follows_up__isnull=False),
                name="follow_up_refers_to_a_letter",
            ),
        ]

    def __str__(self):
        return self.reference or self.subject

    def save(self, *args, **kwargs):
        # A sent letter is a record: its parts never change again, whatever path the write takes.
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS, "status").first()
            if stored and stored["status"] in self.FROZEN_STATUSES:
                changed = [f for f in self.CONTENT_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise ValidationError(_("Brevet er sendt og kan ikke endres."), code="frozen")
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        unknown = set(self.challenges or []) - set(Challenge.values)
        if unknown:
            raise ValidationError({"challenges": _("Ukjent utfordring.")})
        if self.group_id:
            validate_meeting_in_municipality(
                self.dialogue_meeting, self.group.municipality_id, field="dialogue_meeting"
            )

    @property
    def is_frozen(self):
        return self.status in self.FROZEN_STATUSES

    @property
    def is_follow_up(self):
        return self.kind == self.Kind.FOLLOW_UP


class FrozenLetterPart(models.Model):
    """A part of a letter that may not change once the letter is sent."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_not_frozen()
        return super().delete(*args, **kwargs)

    def _check_not_frozen(self):
        status = Letter.objects.filter(pk=self.letter_id).values_list("status", flat=True).first()
        if status in Letter.FROZEN_STATUSES:
            raise ValidationError(_("Brevet er sendt og kan ikke endres."), code="frozen")


class DiscussionPoint(FrozenLetterPart):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="points", verbose_name=_("brev"))
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    text = models.TextField(_("punkt"))
    # Which of the portal's default points this is, in any målform; empty for a point the writers wrote.
    default_index = models.PositiveSmallIntegerField(_("standardpunkt"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("punkt å diskutere")
        verbose_name_plural = _("punkter å diskutere")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text[:60]


class CopyRecipient(FrozenLetterPart):
    """Someone who gets a copy ("Kopi:"), usually a party leader from the municipality's record."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="copies", verbose_name=_("brev"))
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(_("rolle eller parti"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True, help_text=_("Får kopi på e-post når brevet sendes."))

    class Meta:
        verbose_name = _("kopimottaker")
        verbose_name_plural = _("kopimottakere")
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class Signature(FrozenLetterPart):
    """An association co-signing a letter, by one of its admins. Ordered as they signed."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("brev"))
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="letter_signatures", verbose_name=_("lag eller forening")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="letter_signatures",
        verbose_name=_("signert av"),
    )
    # As the letter names the person who signed for the association, in their own words.
    signer_name = models.CharField(_("navn på den som skrev under"), max_length=200, blank=True)
    signer_role = models.CharField(_("rolle i laget eller foreningen"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signert"), auto_now_add=True)

    class Meta:
        verbose_name = _("medunderskrift")
        verbose_name_plural = _("medunderskrifter")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "association"], name="one_signature_per_association_and_letter"),
        ]

    def __str__(self):
        return f"{self.association} – {self.letter}"


def response_upload_to(instance, filename):
    return f"henvendelser/svar/{instance.letter_id}/{secrets.token_hex(8)}.pdf"


class Response(models.Model):
    """What came back from the municipality, logged by a member of the working group."""

    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("Foreløpig svar")
        ANSWER = "answer", _("Svar")
        MEETING = "meeting", _("Invitasjon til dialogmøte")
        OTHER = "other", _("Annet")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="responses", verbose_name=_("brev"))
    received_on = models.DateField(_("mottatt"))
    kind = models.CharField(_("type svar"), max_length=12, choices=Kind.choices)
    summary = models.TextField(_("sammendrag"))
    document = models.FileField(
        _("svaret som PDF"),
        upload_to=response_upload_to,
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf_upload],
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registrert av"),
    )
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["received_on", "created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.received_on}"


class LetterEvent(models.Model):
    """One line in a letter's timeline."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Utkast opprettet")
        OPENED = "opened", _("Åpnet for underskrifter")
        SIGNED = "signed", _("Medunderskrevet")
        WITHDRAWN = "withdrawn", _("Underskrift trukket")
        SENT = "sent", _("Sendt")
        RESPONSE = "response", _("Svar registrert")
        STATUS = "status", _("Status endret")
        REMINDER = "reminder", _("Påminnelse sendt til arbeidsgruppen")
        FOLLOW_UP = "follow_up", _("Purring sendt")
        PUBLISHED = "published", _("Publisert")
        UNPUBLISHED = "unpublished", _("Ikke lenger publisert")
        MEETING = "meeting", _("Dialogmøte knyttet til brevet")
        ACTION = "action", _("Tiltak knyttet til brevet")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events", verbose_name=_("brev"))
    kind = models.CharField(_("hendelse"), max_length=12, choices=Kind.choices)
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("av"),
    )
    # What the event is about, as data ({"status": "answered"}, {"association": "Nabolagskoret"}):
    # the line is written out in the reader's language when it is shown.
    params = models.JSONField(_("detaljer"), default=dict, blank=True)
    # Text from before events kept their details as data, shown as it was stored.
    note = models.CharField(_("merknad"), max_length=300, blank=True)
    # An agreed action from a meeting that the letter follows up; the timeline shows how it goes.
    action = models.ForeignKey(
        "meetings.AgreedAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letter_events",
        verbose_name=_("tiltak"),
    )

    class Meta:
        verbose_name = _("hendelse")
        verbose_name_plural = _("hendelser")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    @property
    def text(self) -> str:
        """The timeline line in the active language: "Status endret: Besvart" / "Status changed: Answered"."""
        label = self.get_kind_display()
        detail = self.detail
        return f"{label}: {detail}" if detail else str(label)

    @property
    def detail(self) -> str:
        params, Kind = self.params or {}, self.Kind
        if self.kind in (Kind.SIGNED, Kind.WITHDRAWN) and params.get("association"):
            return params["association"]
        if self.kind == Kind.MEETING and params.get("meeting"):
            return params["meeting"]
        if self.kind == Kind.ACTION and params.get("action"):
            return params["action"]
        if self.kind == Kind.SENT and params.get("channel") == Letter.Channel.EMAIL:
            return params.get("to", "")
        if self.kind == Kind.SENT and params.get("channel") == Letter.Channel.POST:
            return gettext("sendt i posten")
        if self.kind == Kind.RESPONSE and params.get("response") in Response.Kind.values:
            return str(Response.Kind(params["response"]).label)
        if self.kind == Kind.STATUS and params.get("status") in Letter.Status.values:
            return str(Letter.Status(params["status"]).label)
        if self.kind == Kind.REMINDER and isinstance(params.get("weeks"), int):
            weeks = params["weeks"]
            return ngettext("etter %(weeks)s uke", "etter %(weeks)s uker", weeks) % {"weeks": weeks}
        return self.note


class ReferenceCounter(models.Model):
    """The last reference number handed out in a year; rows are locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("referanseteller")
        verbose_name_plural = _("referansetellere")

    def __str__(self):
        return f"{self.year}: {self.last}"
