import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from organizations.models import Association, Category, District, Language, Municipality

from .domain import VOLUNTEER_DAY_KIND, validate_meeting_time, validate_start_not_past


class MeetingQuerySet(models.QuerySet):
    def public(self):
        """Meetings anyone may see: published at some point (and perhaps since cancelled or held).
        A draft never is, whatever else happens to it; see Meeting.is_public."""
        return self.filter(published_at__isnull=False).exclude(status=Meeting.Status.DRAFT)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        DIALOGUE_MEETING = "dialogmote", _("Dialogmøte")
        DIALOGUE_CONFERENCE = "dialogkonferanse", _("Dialogkonferanse")
        EVENING_CONFERENCE = "kveldskonferanse", _("Åpen kveldskonferanse")
        PROFESSIONAL_CONFERENCE = "fagkonferanse", _("Fagkonferanse")
        MARKETPLACE = "markedsplass", _("Markedsplass")
        VOLUNTEER_DAY = VOLUNTEER_DAY_KIND, _("Arrangement på frivillighetens dag")

    class Formality(models.TextChoices):
        FORMAL = "formal", _("Formelt")
        INFORMAL = "informal", _("Uformelt")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("Fysisk oppmøte")
        ONLINE = "online", _("Digitalt")
        HYBRID = "hybrid", _("Både fysisk og digitalt")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        PUBLISHED = "published", _("Publisert")
        CANCELLED = "cancelled", _("Avlyst")
        HELD = "held", _("Gjennomført")

    EXHIBITOR_KINDS = (Kind.MARKETPLACE, Kind.VOLUNTEER_DAY)
    INCLUSIVE_FEATURES = (
        "free_of_charge",
        "plain_language",
        "step_free",
        "hearing_loop",
        "child_friendly",
        "food",
    )

    uid = models.UUIDField(_("kalender-ID"), default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("vertskommune")
    )
    district = models.ForeignKey(
        District, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings", verbose_name=_("bydel")
    )
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(_("type møteplass"), max_length=20, choices=Kind.choices, default=Kind.DIALOGUE_MEETING)
    formality = models.CharField(_("form"), max_length=10, choices=Formality.choices, default=Formality.INFORMAL)
    mode = models.CharField(_("oppmøte"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    description = models.TextField(_("beskrivelse"), blank=True)
    venue_name = models.CharField(_("sted"), max_length=200, blank=True)
    venue_address = models.TextField(_("adresse"), blank=True)
    directions = models.TextField(
        _("veibeskrivelse"), blank=True, help_text=_("Kollektivtransport, parkering, inngang.")
    )
    online_url = models.URLField(_("lenke til digitalt møte"), blank=True)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    registration_deadline = models.DateTimeField(_("påmeldingsfrist"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("antall plasser"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("La feltet stå tomt når det ikke er noen grense."),
    )
    invite_all = models.BooleanField(_("inviter alle lag og foreninger i kommunen"), default=True)
    invited_categories = models.ManyToManyField(
        Category, blank=True, related_name="meetings", verbose_name=_("inviterte kategorier")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    cancel_reason = models.TextField(_("grunn til avlysning"), blank=True)
    free_of_charge = models.BooleanField(_("gratis"), default=False)
    interpretation_languages = models.ManyToManyField(
        Language, blank=True, related_name="meetings", verbose_name=_("tolking til språk")
    )
    plain_language = models.BooleanField(_("klart og enkelt norsk"), default=False)
    step_free = models.BooleanField(_("trinnfri adkomst"), default=False)
    hearing_loop = models.BooleanField(_("teleslynge"), default=False)
    child_friendly = models.BooleanField(_("barnepass eller barnevennlig"), default=False)
    food = models.BooleanField(_("servering"), default=False)
    reminder_hours = models.PositiveSmallIntegerField(
        _("påminnelse (timer før)"),
        null=True,
        blank=True,
        default=48,
        help_text=_("Timer før møtet de påmeldte får en påminnelse. La feltet stå tomt for ingen påminnelse."),
    )
    sequence = models.PositiveIntegerField(_("versjon i kalenderen"), default=0, editable=False)
    summary = models.TextField(_("oppsummering"), blank=True)
    follow_up_points = models.TextField(_("oppfølgingspunkter"), blank=True, help_text=_("Ett punkt per linje."))
    summary_published_at = models.DateTimeField(_("oppsummering publisert"), null=True, blank=True)
    published_at = models.DateTimeField(_("publisert"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avlyst"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("møte")
        verbose_name_plural = _("møter")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"]), models.Index(fields=["municipality", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="meeting_capacity_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        if self.municipality_id:
            try:
                validate_meeting_time(
                    starts_at=self.starts_at,
                    ends_at=self.ends_at,
                    after_work_start=self.municipality.after_work_start,
                    kind=self.kind,
                )
            except ValidationError as error:
                errors.update(error.message_dict)
        try:
            validate_start_not_past(starts_at=self.starts_at, stored_starts_at=self._stored_starts_at())
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if self.district_id and self.municipality_id and self.district.municipality_id != self.municipality_id:
            errors.setdefault("district", []).append(_("Bydelen hører ikke til vertskommunen."))
        if self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID) and not self.venue_name.strip():
            errors.setdefault("venue_name", []).append(_("Oppgi hvor møtet holdes."))
        if self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) and not self.online_url:
            errors.setdefault("online_url", []).append(_("Oppgi lenken til det digitale møtet."))
        if self.registration_deadline and self.starts_at and self.registration_deadline > self.starts_at:
            errors.setdefault("registration_deadline", []).append(_("Påmeldingsfristen må være før møtet starter."))
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            errors.setdefault("cancel_reason", []).append(_("Skriv hvorfor møtet er avlyst."))
        if errors:
            raise ValidationError(errors)

    def _stored_starts_at(self):
        """The start as saved, for a meeting that has started (a change of its date is checked)."""
        if self.pk is None or self.starts_at is None or not self.has_started:
            return None
        return Meeting.objects.filter(pk=self.pk).values_list("starts_at", flat=True).first()

    @property
    def has_started(self):
        return self.starts_at is not None and self.starts_at <= timezone.now()

    @property
    def has_exhibitors(self):
        return self.kind in self.EXHIBITOR_KINDS

    @property
    def is_public(self):
        """The same test as MeetingQuerySet.public(), for one meeting in hand."""
        return self.published_at is not None and self.status != self.Status.DRAFT

    @property
    def follow_up_list(self):
        return [line.strip() for line in self.follow_up_points.splitlines() if line.strip()]

    def inclusive_labels(self):
        """The meeting's inclusive features as text (never colour or icon alone)."""
        labels = [
            capfirst(self._meta.get_field(name).verbose_name) for name in self.INCLUSIVE_FEATURES if getattr(self, name)
        ]
        languages = [language.localized_name for language in self.interpretation_languages.all()]
        if languages:
            labels.append(_("Tolking til %(languages)s") % {"languages": ", ".join(languages)})
        return labels


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("møte"))
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)
    starts_at = models.TimeField(_("klokkeslett"), null=True, blank=True)
    title = models.CharField(_("punkt"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)

    class Meta:
        verbose_name = _("punkt på programmet")
        verbose_name_plural = _("program")
        ordering = ["position", "starts_at", "pk"]

    def __str__(self):
        return self.title


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Påmeldt")
        WAITLISTED = "waitlisted", _("På venteliste")
        CANCELLED = "cancelled", _("Avmeldt")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("møte"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_registrations",
        verbose_name=_("person"),
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
        verbose_name=_("på vegne av"),
    )
    attendees = models.PositiveSmallIntegerField(_("antall deltakere"), default=1, validators=[MinValueValidator(1)])
    interpretation_language = models.ForeignKey(
        Language,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("behov for tolk til"),
    )
    accessibility_needs = models.TextField(_("behov for tilrettelegging"), blank=True)
    diet = models.TextField(_("kosthold og allergier"), blank=True)
    topics = models.TextField(
        _("temaer dere vil ta opp"), blank=True, help_text=_("Behov for samarbeid eller spørsmål til kommunen.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(_("påmeldt"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("fått plass fra ventelisten"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("avmeldt"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=~Q(status="cancelled"),
                name="one_active_registration_per_person_and_meeting",
            ),
            models.CheckConstraint(condition=Q(attendees__gte=1), name="registration_at_least_one_attendee"),
        ]

    def __str__(self):
        return f"{self.user} – {self.meeting}"

    @property
    def is_active(self):
        return self.status != self.Status.CANCELLED


class Exhibitor(models.Model):
    """An association's stand at a marketplace or a Volunteer Day event."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter på svar")
        APPROVED = "approved", _("Godkjent")
        REJECTED = "rejected", _("Ikke godkjent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="exhibitors", verbose_name=_("møte"))
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="exhibitions", verbose_name=_("lag eller forening")
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("hva dere vil vise fram"), blank=True)
    needs = models.TextField(
        _("behov på standen"), blank=True, help_text=_("For eksempel bord, strøm eller plass ute.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    stand_number = models.PositiveSmallIntegerField(_("standnummer"), null=True, blank=True)
    created_at = models.DateTimeField(_("søkt"), auto_now_add=True)

    class Meta:
        verbose_name = _("utstiller")
        verbose_name_plural = _("utstillere")
        ordering = ["stand_number", "association__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "association"], name="one_stand_application_per_association"),
            models.UniqueConstraint(fields=["meeting", "stand_number"], name="unique_stand_number_per_meeting"),
        ]

    def __str__(self):
        return f"{self.association} – {self.meeting}"

    def clean(self):
        super().clean()
        if self.meeting_id and not self.meeting.has_exhibitors:
            raise ValidationError(_("Bare markedsplasser og arrangementer på frivillighetens dag har utstillere."))
        if self.status == self.Status.APPROVED and self.stand_number is None:
            raise ValidationError({"stand_number": _("Gi standen et nummer.")})


class Attendance(models.Model):
    """Who came: a registration marked present, or an association that came without registering."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("møte"))
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="attendance"
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("lag eller forening"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("oppmøte")
        verbose_name_plural = _("oppmøte")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "association"],
                condition=Q(registration__isnull=True),
                name="one_walk_in_attendance_per_association",
            ),
            models.CheckConstraint(
                condition=Q(registration__isnull=False) | Q(association__isnull=False),
                name="attendance_names_someone",
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.association or self.registration}"


# Kept in their own modules for readability; imported here so Django registers them with the app.
from .models_actions import AgreedAction  # noqa: E402, F401
from .models_rounds import DateChoice, InputRound, InputRoundAnswer, InputRoundDate  # noqa: E402, F401
