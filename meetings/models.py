import datetime
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from dialog_portal.dates import clock, clock_time
from organizations.domain import COUNTY_CHOICES, LeaderRole, county_organiser_name
from organizations.models import Association, Category, District, Language, Municipality, MunicipalLeader

from . import recurrence
from .domain import VOLUNTEER_DAY_KIND, local, validate_meeting_time, validate_start_not_past
from .languages import PLAIN_SUMMARY_MAX_LENGTH, validate_language_tag, validate_plain_summary


class MeetingSeries(models.Model):
    """A fixed meeting place ("fast møteplass"): meetings that repeat on a pattern.

    Each date is an ordinary Meeting (its own registration, capacity and reminders) that points
    back here with the slot of the pattern it stands for (Meeting.series_slot). A slot with no
    meeting was skipped; a meeting whose start differs from its slot was moved. The pattern
    starts at the first slot, which is also the start of the calendar's recurring event.
    """

    uid = models.UUIDField(_("kalender-ID"), default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="meeting_series", verbose_name=_("vertskommune")
    )
    title = models.CharField(_("tittel"), max_length=200)
    frequency = models.CharField(_("gjentas"), max_length=12, choices=recurrence.Frequency.choices)
    week_of_month = models.SmallIntegerField(
        _("uke i måneden"), choices=recurrence.WeekOfMonth.choices, null=True, blank=True
    )
    first_starts_at = models.DateTimeField(_("første møte starter"))
    first_ends_at = models.DateTimeField(_("første møte slutter"))
    until = models.DateField(_("til og med dato"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("antall ganger"), null=True, blank=True)
    sequence = models.PositiveIntegerField(_("versjon i kalenderen"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("fast møteplass")
        verbose_name_plural = _("faste møteplasser")
        ordering = ["first_starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=False, count__isnull=True) | Q(until__isnull=True, count__isnull=False),
                name="meeting_series_ends_by_date_or_count",
            ),
            models.CheckConstraint(
                condition=Q(first_ends_at__gt=models.F("first_starts_at")), name="meeting_series_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:series", args=[self.pk])

    @property
    def duration(self):
        return self.first_ends_at - self.first_starts_at

    def slots(self) -> list:
        return recurrence.slots(
            frequency=self.frequency,
            first_start=self.first_starts_at,
            week_of_month=self.week_of_month,
            until=self.until,
            count=self.count,
        )

    def pattern_with_time(self) -> str:
        """'annenhver tirsdag kl. 18.00–20.00'."""
        return _("%(pattern)s %(start)s–%(end)s") % {
            "pattern": self.pattern(),
            "start": clock_time(self.first_starts_at),
            "end": clock(self.first_ends_at),
        }

    def pattern(self) -> str:
        """'annenhver tirsdag', for the sentence "Fast møteplass: …"."""
        return recurrence.describe(
            frequency=self.frequency,
            weekday=local(self.first_starts_at).weekday(),
            week_of_month=self.week_of_month,
        )


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
    organising_county = models.CharField(
        _("arrangert av fylkeskommunen"),
        max_length=2,
        choices=COUNTY_CHOICES,
        blank=True,
        help_text=_("Fylkeskommunen som arrangerer møtet i kommunen. Tomt når kommunen selv arrangerer."),
    )
    co_hosts = models.ManyToManyField(
        Association, blank=True, related_name="co_hosted_meetings", verbose_name=_("medarrangører")
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
    plain_summary = models.TextField(
        _("kort fortalt"),
        blank=True,
        validators=[MaxLengthValidator(PLAIN_SUMMARY_MAX_LENGTH)],
        help_text=_(
            "Kreves når møtet er på klart og enkelt norsk. Korte setninger om hvem møtet er for, hva som skjer, "
            "når og hvor, hva det koster og hvordan man melder seg på."
        ),
    )
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
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("fast møteplass"),
    )
    series_slot = models.DateTimeField(
        _("opprinnelig tidspunkt i serien"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Tidspunktet mønsteret ga møtet; et flyttet møte starter på et annet tidspunkt."),
    )
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
            models.CheckConstraint(
                condition=Q(series__isnull=True, series_slot__isnull=True)
                | Q(series__isnull=False, series_slot__isnull=False),
                name="meeting_series_has_slot",
            ),
            models.UniqueConstraint(fields=["series", "series_slot"], name="one_meeting_per_series_slot"),
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
        if self.series_id and self.municipality_id and self.series.municipality_id != self.municipality_id:
            errors.setdefault("series", []).append(_("Den faste møteplassen hører til en annen kommune."))
        if (
            self.organising_county
            and self.municipality_id
            and self.organising_county != self.municipality.county_number
        ):
            errors.setdefault("organising_county", []).append(
                _("En fylkeskommune kan bare arrangere møter i kommunene i sitt eget fylke.")
            )
        if self.mode in (self.Mode.IN_PERSON, self.Mode.HYBRID) and not self.venue_name.strip():
            errors.setdefault("venue_name", []).append(_("Oppgi hvor møtet holdes."))
        if self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) and not self.online_url:
            errors.setdefault("online_url", []).append(_("Oppgi lenken til det digitale møtet."))
        if self.registration_deadline and self.starts_at and self.registration_deadline > self.starts_at:
            errors.setdefault("registration_deadline", []).append(_("Påmeldingsfristen må være før møtet starter."))
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            errors.setdefault("cancel_reason", []).append(_("Skriv hvorfor møtet er avlyst."))
        try:
            validate_plain_summary(plain_language=self.plain_language, plain_summary=self.plain_summary)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def _stored_starts_at(self):
        """The start as saved, for a meeting that has started (a change of its date is checked)."""
        if self.pk is None or self.starts_at is None or not self.has_started:
            return None
        return Meeting.objects.filter(pk=self.pk).values_list("starts_at", flat=True).first()

    @property
    def is_moved(self):
        """An occurrence of a series held at another time than its slot."""
        return self.series_slot is not None and self.series_slot != self.starts_at

    def organiser_name(self) -> str:
        """Who the meeting page names as organiser: the county municipality, or the host municipality."""
        if self.organising_county:
            return county_organiser_name(self.organising_county)
        return self.municipality.official_name

    @property
    def inviter_name(self) -> str:
        """Who invites in the invitation: the county municipality, or the municipality by its name."""
        return county_organiser_name(self.organising_county) if self.organising_county else self.municipality.name

    @property
    def announced_leaders(self) -> list:
        """Who of the municipality's leadership said they will attend, mayor first (from the
        prefetched `leaders` where the page fetched them)."""
        return sorted((leader for leader in self.leaders.all() if leader.announced), key=lambda row: row.sort_key)

    @property
    def attended_leaders(self) -> list:
        return sorted((leader for leader in self.leaders.all() if leader.attended), key=lambda row: row.sort_key)

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


class TranslationLanguage(models.Model):
    """A language staff may write a meeting's information in; the list is data site admins keep."""

    class Direction(models.TextChoices):
        LTR = "ltr", _("Venstre mot høyre")
        RTL = "rtl", _("Høyre mot venstre")

    code = models.CharField(
        _("språkkode"),
        max_length=35,
        unique=True,
        validators=[validate_language_tag],
        help_text=_("BCP 47, for eksempel «ar», «uk» eller «pt-BR»."),
        error_messages={"unique": _("Språket med denne koden finnes allerede i lista.")},
    )
    native_name = models.CharField(_("navn på språket selv"), max_length=100, help_text=_("For eksempel «العربية»."))
    name = models.CharField(_("navn på norsk"), max_length=100)
    direction = models.CharField(_("skriftretning"), max_length=3, choices=Direction.choices, default=Direction.LTR)
    active = models.BooleanField(
        _("i bruk"), default=True, help_text=_("Bare språk i bruk kan velges for nye oversettelser og i kalenderen.")
    )
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        verbose_name = _("språk for møteinformasjon")
        verbose_name_plural = _("språk for møteinformasjon")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.name} ({self.native_name})"

    @property
    def is_rtl(self):
        return self.direction == self.Direction.RTL

    @property
    def primary_subtag(self) -> str:
        """ "ar" for "ar-EG": what an association's activity language (an ISO 639 code) is matched on."""
        return self.code.split("-")[0].lower()


class MeetingTranslation(models.Model):
    """A meeting's information in another language, written by people (the portal never translates)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="translations", verbose_name=_("møte"))
    language = models.ForeignKey(
        TranslationLanguage, on_delete=models.PROTECT, related_name="translations", verbose_name=_("språk")
    )
    title = models.CharField(_("tittel"), max_length=200)
    description = models.TextField(_("beskrivelse"), blank=True)
    practical_information = models.TextField(
        _("praktisk informasjon"),
        blank=True,
        help_text=_("Sted, veibeskrivelse, tilrettelegging og hvordan man melder seg på."),
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("oversettelse")
        verbose_name_plural = _("oversettelser")
        ordering = ["language__position", "language__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "language"],
                name="one_translation_per_meeting_and_language",
                violation_error_message=_("Møtet har allerede informasjon på dette språket. Endre den i stedet."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} – {self.language.name}"

    def clean(self):
        super().clean()
        if self.language_id and not self.language.active and self._language_changed():
            raise ValidationError({"language": _("Språket er ikke i bruk lenger. Velg et annet språk.")})

    def _language_changed(self) -> bool:
        """A new translation, or one moved to another language (an old one keeps a language taken out of use)."""
        if self.pk is None:
            return True
        stored = MeetingTranslation.objects.filter(pk=self.pk).values_list("language_id", flat=True).first()
        return stored != self.language_id


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


class MeetingProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=MeetingProposal.Status.PENDING)


class MeetingProposal(models.Model):
    """An association proposes a meeting to its municipality; staff accept it (it is published with
    the association as co-host) or decline it with a reason.

    The proposed time, place and kind pass the same rules as a meeting (clean() validates the
    meeting the proposal would become), so a proposal staff accept can be published as it is.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Venter på svar")
        ACCEPTED = "accepted", _("Godtatt")
        DECLINED = "declined", _("Avslått")

    # The fields a proposal carries into the meeting it becomes.
    MEETING_FIELDS = (
        "title",
        "kind",
        "mode",
        "description",
        "starts_at",
        "ends_at",
        "venue_name",
        "venue_address",
        "online_url",
    )

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="meeting_proposals", verbose_name=_("kommune")
    )
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="meeting_proposals", verbose_name=_("foreslått av")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("tittel"), max_length=200)
    kind = models.CharField(
        _("type møteplass"), max_length=20, choices=Meeting.Kind.choices, default=Meeting.Kind.DIALOGUE_MEETING
    )
    mode = models.CharField(_("oppmøte"), max_length=10, choices=Meeting.Mode.choices, default=Meeting.Mode.IN_PERSON)
    description = models.TextField(_("hva møtet skal handle om"), blank=True)
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    venue_name = models.CharField(_("sted"), max_length=200, blank=True)
    venue_address = models.TextField(_("adresse"), blank=True)
    online_url = models.URLField(_("lenke til digitalt møte"), blank=True)
    agenda = models.TextField(
        _("program"),
        blank=True,
        help_text=_("Ett punkt per linje, gjerne med klokkeslett først, for eksempel «18.00 Velkommen»."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decline_reason = models.TextField(_("begrunnelse for avslaget"), blank=True)
    decided_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting = models.OneToOneField(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal", verbose_name=_("møtet")
    )
    created_at = models.DateTimeField(_("foreslått"), auto_now_add=True)

    objects = MeetingProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("forslag til møte")
        verbose_name_plural = _("forslag til møter")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_proposal_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="meeting_proposal_declined_with_reason"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.association})"

    def get_absolute_url(self):
        return reverse("meetings:proposal", args=[self.pk])

    def as_meeting(self) -> Meeting:
        """The draft meeting the proposal would become, unsaved."""
        return Meeting(
            municipality=self.municipality,
            status=Meeting.Status.DRAFT,
            **{name: getattr(self, name) for name in self.MEETING_FIELDS},
        )

    def agenda_items(self) -> list["AgendaItem"]:
        """The programme as items, unsaved: one per line, with a leading clock time ("18.00") as its time."""
        items = []
        lines = [text.strip() for text in self.agenda.splitlines() if text.strip()]
        for position, text in enumerate(lines):
            match = AGENDA_LINE_TIME.match(text)
            starts_at, title = None, text
            if match and int(match["hour"]) < 24 and int(match["minute"]) < 60:
                starts_at = datetime.time(int(match["hour"]), int(match["minute"]))
                title = match["title"]
            items.append(AgendaItem(position=position, starts_at=starts_at, title=title))
        return items

    def clean(self):
        super().clean()
        errors: dict[str, list] = {}
        if self.status == self.Status.PENDING and self.municipality_id:
            # The one set of rules for a meeting's time and place: the after-work rule, a start in
            # the future, a venue for a meeting in person and a link for one online.
            try:
                self.as_meeting().clean()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors.setdefault(field if field in self.MEETING_FIELDS else "__all__", []).extend(messages)
        items = self.agenda_items()
        if len(items) > MAX_PROPOSED_AGENDA_ITEMS:
            errors.setdefault("agenda", []).append(
                _("Programmet kan ha høyst %(count)s punkter.") % {"count": MAX_PROPOSED_AGENDA_ITEMS}
            )
        if any(len(item.title) > AgendaItem._meta.get_field("title").max_length for item in items):
            errors.setdefault("agenda", []).append(_("Hvert punkt på programmet kan ha høyst 200 tegn."))
        if self.association_id and self.municipality_id and self.association.municipality_id != self.municipality_id:
            errors.setdefault("association", []).append(_("Laget kan bare foreslå møter til sin egen kommune."))
        if self.status == self.Status.DECLINED and not self.decline_reason.strip():
            errors.setdefault("decline_reason", []).append(_("Skriv hvorfor forslaget ikke blir et møte."))
        if errors:
            raise ValidationError(errors)


AGENDA_LINE_TIME = re.compile(r"^(?P<hour>[0-9]{1,2})[.:](?P<minute>[0-9]{2})\s+(?P<title>\S.*)$")
MAX_PROPOSED_AGENDA_ITEMS = 40


class MeetingLeader(models.Model):
    """Someone of the municipality's leadership at a meeting: whether they said they will attend
    (announced, shown on the meeting page and in the invitation) and, afterwards, whether they came.

    The name is kept as the municipal record had it, so a meeting still says who came after the
    municipality has a new mayor.
    """

    Role = LeaderRole

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="leaders", verbose_name=_("møte"))
    role = models.CharField(_("rolle"), max_length=20, choices=LeaderRole.choices)
    leader = models.ForeignKey(
        MunicipalLeader,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("folkevalgt eller leder"),
    )
    name = models.CharField(_("navn"), max_length=200, blank=True)
    committee = models.CharField(_("utvalg"), max_length=200, blank=True)
    announced = models.BooleanField(_("har sagt ja til å delta"), default=False)
    attended = models.BooleanField(_("deltok"), default=False)
    created_at = models.DateTimeField(_("registrert"), auto_now_add=True)

    class Meta:
        verbose_name = _("fra kommuneledelsen")
        verbose_name_plural = _("fra kommuneledelsen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "role"],
                condition=Q(leader__isnull=True),
                name="one_record_leader_per_role_and_meeting",
            ),
            models.UniqueConstraint(
                fields=["meeting", "leader"],
                condition=Q(leader__isnull=False),
                name="one_listed_leader_per_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.name or self.get_role_display()}"

    ROLE_ORDER = (
        LeaderRole.MAYOR,
        LeaderRole.CHIEF_EXECUTIVE,
        LeaderRole.DEPUTY_MAYOR,
        LeaderRole.COMMITTEE_LEADER,
        LeaderRole.COUNCILLOR,
    )

    @property
    def sort_key(self):
        return (self.ROLE_ORDER.index(self.role), self.committee, self.name)

    def coming_text(self) -> str:
        """What the meeting page and the invitation say, per role: "Ordføreren deltar"."""
        texts = {
            LeaderRole.MAYOR: _("Ordføreren deltar"),
            LeaderRole.CHIEF_EXECUTIVE: _("Kommunedirektøren deltar"),
            LeaderRole.DEPUTY_MAYOR: _("Varaordføreren deltar"),
            LeaderRole.COUNCILLOR: _("En kommunestyrerepresentant deltar"),
        }
        if self.role == LeaderRole.COMMITTEE_LEADER:
            return _("Lederen av %(committee)s deltar") % {"committee": self.committee}
        return texts[self.role]

    def came_text(self) -> str:
        """The same, once the meeting is over and staff marked who came: "Ordføreren deltok"."""
        texts = {
            LeaderRole.MAYOR: _("Ordføreren deltok"),
            LeaderRole.CHIEF_EXECUTIVE: _("Kommunedirektøren deltok"),
            LeaderRole.DEPUTY_MAYOR: _("Varaordføreren deltok"),
            LeaderRole.COUNCILLOR: _("En kommunestyrerepresentant deltok"),
        }
        if self.role == LeaderRole.COMMITTEE_LEADER:
            return _("Lederen av %(committee)s deltok") % {"committee": self.committee}
        return texts[self.role]


# Kept in their own modules for readability; imported here so Django registers them with the app.
from .models_actions import AgreedAction  # noqa: E402, F401
from .models_rounds import DateChoice, InputRound, InputRoundAnswer, InputRoundDate  # noqa: E402, F401
