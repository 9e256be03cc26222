"""Input rounds: before choosing the date and the venue, staff ask the associations which of some
candidate dates suit them, what they want raised, and what they need (access, language,
interpretation). The meeting is then made from the round.

Kept apart from models.py for readability; meetings.models imports it so Django registers it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Association, Category, Language, Municipality

from .domain import validate_meeting_time, validate_start_not_past

# meetings.models imports this module at its end, when Meeting is defined; Django loads
# meetings.models before anything else can import this module.
from .models import Meeting


class InputRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Åpen for svar")
        CLOSED = "closed", _("Avsluttet")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="input_rounds", verbose_name=_("kommune")
    )
    title = models.CharField(_("hva møtet gjelder"), max_length=200)
    kind = models.CharField(
        _("type møteplass"), max_length=20, choices=Meeting.Kind.choices, default=Meeting.Kind.DIALOGUE_MEETING
    )
    description = models.TextField(
        _("beskrivelse"), blank=True, help_text=_("Hva kommunen vil snakke med lagene om, og hvorfor.")
    )
    invite_all = models.BooleanField(_("spør alle lag og foreninger i kommunen"), default=True)
    categories = models.ManyToManyField(
        Category, blank=True, related_name="input_rounds", verbose_name=_("kategorier som spørres")
    )
    answer_by = models.DateField(
        _("svarfrist"),
        null=True,
        blank=True,
        help_text=_("La feltet stå tomt for å ta imot svar til runden avsluttes."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="input_round",
        verbose_name=_("møtet som ble laget fra runden"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("innspillsrunde")
        verbose_name_plural = _("innspillsrunder")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def accepts_answers(self, today=None) -> bool:
        if self.status != self.Status.OPEN:
            return False
        return self.answer_by is None or (today or timezone.localdate()) <= self.answer_by

    def clean(self):
        super().clean()
        if self.pk is None and self.answer_by is not None and self.answer_by < timezone.localdate():
            raise ValidationError({"answer_by": _("Svarfristen kan ikke være en dag som har vært.")})


class InputRoundDate(models.Model):
    """A candidate date; each passes the after-work rule for the round's municipality and kind."""

    input_round = models.ForeignKey(
        InputRound, on_delete=models.CASCADE, related_name="dates", verbose_name=_("innspillsrunde")
    )
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))

    class Meta:
        verbose_name = _("foreslått tidspunkt")
        verbose_name_plural = _("foreslåtte tidspunkter")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="round_date_ends_after_start"),
            models.UniqueConstraint(fields=["input_round", "starts_at"], name="one_candidate_per_start_and_round"),
        ]

    def __str__(self):
        return f"{self.input_round}: {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def clean(self):
        super().clean()
        try:
            # The round may be unsaved still: its dates are checked before anything is saved.
            input_round = self.input_round
        except InputRound.DoesNotExist:
            return
        errors: dict[str, list] = {}
        for check in (
            lambda: validate_meeting_time(
                starts_at=self.starts_at,
                ends_at=self.ends_at,
                after_work_start=input_round.municipality.after_work_start,
                kind=input_round.kind,
            ),
            lambda: validate_start_not_past(starts_at=self.starts_at) if self.pk is None else None,
        ):
            try:
                check()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class InputRoundAnswer(models.Model):
    """One association's answer: which dates suit it, what it wants raised and what it needs."""

    input_round = models.ForeignKey(
        InputRound, on_delete=models.CASCADE, related_name="answers", verbose_name=_("innspillsrunde")
    )
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="input_round_answers", verbose_name=_("lag eller forening")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topics = models.TextField(
        _("temaer dere vil ta opp"), blank=True, help_text=_("Behov for samarbeid eller spørsmål til kommunen.")
    )
    access_needs = models.TextField(
        _("behov for tilgjengelighet"),
        blank=True,
        help_text=_("For eksempel trinnfri adkomst, teleslynge, barnepass eller et sted nær kollektivtransport."),
    )
    language_needs = models.TextField(
        _("behov knyttet til språk"),
        blank=True,
        help_text=_("For eksempel klart og enkelt norsk eller skriftlig materiell."),
    )
    interpretation_languages = models.ManyToManyField(
        Language, blank=True, related_name="+", verbose_name=_("behov for tolk til")
    )
    created_at = models.DateTimeField(_("svart"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("svar på innspillsrunde")
        verbose_name_plural = _("svar på innspillsrunder")
        ordering = ["association__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["input_round", "association"], name="one_answer_per_association_and_round"),
        ]

    def __str__(self):
        return f"{self.association} – {self.input_round}"


class DateChoice(models.Model):
    class Choice(models.TextChoices):
        YES = "yes", _("Passer")
        IF_NEED_BE = "if_need_be", _("Passer om nødvendig")
        NO = "no", _("Passer ikke")

    answer = models.ForeignKey(InputRoundAnswer, on_delete=models.CASCADE, related_name="choices")
    date = models.ForeignKey(InputRoundDate, on_delete=models.CASCADE, related_name="choices")
    choice = models.CharField(_("svar"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("svar på tidspunkt")
        verbose_name_plural = _("svar på tidspunkter")
        constraints = [models.UniqueConstraint(fields=["answer", "date"], name="one_choice_per_answer_and_date")]

    def __str__(self):
        return f"{self.answer}: {self.get_choice_display()}"
