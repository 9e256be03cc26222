import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .domain import county_name, validate_district_code, validate_municipality_number

DEFAULT_AFTER_WORK_START = datetime.time(17, 0)


class WrittenStandard(models.TextChoices):
    BOKMAAL = "nb", _("Bokmål")
    NYNORSK = "nn", _("Nynorsk")
    NEUTRAL = "neutral", _("Nøytral")


class Authority(models.Model):
    """What a municipality and a city district have in common: leaders and where letters go."""

    name = models.CharField(_("navn"), max_length=200)
    political_leader_title = models.CharField(_("tittel, politisk leder"), max_length=100)
    political_leader_name = models.CharField(_("navn, politisk leder"), max_length=200, blank=True)
    administrative_leader_title = models.CharField(_("tittel, administrativ leder"), max_length=100)
    administrative_leader_name = models.CharField(_("navn, administrativ leder"), max_length=200, blank=True)
    official_email = models.EmailField(
        _("offisiell e-postadresse (postmottak)"),
        blank=True,
        help_text=_("Henvendelser sendes til institusjonen, ikke til en person."),
    )
    postal_address = models.TextField(_("postadresse"), blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name


class Municipality(Authority):
    number = models.CharField(_("kommunenummer"), max_length=4, unique=True, validators=[validate_municipality_number])
    county_number = models.CharField(_("fylkesnummer"), max_length=2, editable=False)
    written_standard = models.CharField(
        _("offisiell målform"), max_length=7, choices=WrittenStandard.choices, default=WrittenStandard.NEUTRAL
    )
    political_leader_title = models.CharField(_("tittel, politisk leder"), max_length=100, default="Ordfører")
    administrative_leader_title = models.CharField(
        _("tittel, administrativ leder"), max_length=100, default="Kommunedirektør"
    )
    after_work_start = models.TimeField(
        _("arbeidstid slutter"),
        default=DEFAULT_AFTER_WORK_START,
        help_text=_("Møter på hverdager kan tidligst starte på dette klokkeslettet."),
    )
    active = models.BooleanField(
        _("gjeldende"), default=True, help_text=_("Kommuner som ikke lenger finnes i SSBs kodeliste er ikke gjeldende.")
    )

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[0-9]{4}$"), name="municipality_number_four_digits"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.number})"

    def save(self, *args, **kwargs):
        self.county_number = self.number[:2]
        super().save(*args, **kwargs)

    @property
    def county_name(self):
        return county_name(self.county_number)


class District(Authority):
    """A city district (bydel) with its own leaders, e.g. 030101 Gamle Oslo."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="districts", verbose_name=_("kommune")
    )
    code = models.CharField(_("bydelsnummer"), max_length=6, unique=True, validators=[validate_district_code])
    political_leader_title = models.CharField(
        _("tittel, politisk leder"), max_length=100, default="Bydelsutvalgets leder"
    )
    administrative_leader_title = models.CharField(
        _("tittel, administrativ leder"), max_length=100, default="Bydelsdirektør"
    )

    class Meta:
        verbose_name = _("bydel")
        verbose_name_plural = _("bydeler")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        super().clean()
        if self.code and self.municipality_id and not self.code.startswith(self.municipality.number):
            raise ValidationError(
                {
                    "code": _("Bydelsnummeret må begynne med kommunenummeret %(number)s.")
                    % {"number": self.municipality.number}
                }
            )


class PartyLeader(models.Model):
    """A local party leader who gets a copy ("Kopi:") of the working groups' letters."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="party_leaders", verbose_name=_("kommune")
    )
    party = models.CharField(_("parti"), max_length=100)
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)

    class Meta:
        verbose_name = _("partileder")
        verbose_name_plural = _("partiledere")
        ordering = ["party", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "party"], name="one_leader_per_party_and_municipality"),
        ]

    def __str__(self):
        return f"{self.name} ({self.party})"


class MunicipalStaff(models.Model):
    """A user who works for a municipality in the portal. Granted by site admins."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("bruker")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="staff", verbose_name=_("kommune")
    )
    granted_at = models.DateTimeField(_("gitt"), auto_now_add=True)

    class Meta:
        verbose_name = _("kommuneansatt")
        verbose_name_plural = _("kommuneansatte")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="one_staff_role_per_user_and_municipality"),
        ]

    def __str__(self):
        return f"{self.user} – {self.municipality}"
