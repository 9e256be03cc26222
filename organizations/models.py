import datetime
import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .domain import (
    COUNTY_CHOICES,
    DEFAULT_AFTER_WORK_START,
    LISTED_LEADER_ROLES,
    AssociationStatus,
    LeaderRole,
    MembershipRole,
    county_name,
    normalize_org_number,
    validate_district_code,
    validate_keeps_an_admin,
    validate_municipality_number,
    validate_org_number,
    validate_status_reason,
)


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

    @property
    def official_name(self) -> str:
        """How letters and emails name the municipality: "Bergen kommune"."""
        return self.name if self.name.lower().endswith("kommune") else f"{self.name} kommune"


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


class CountyStaff(models.Model):
    """A user who works for a county municipality (fylkeskommune). Granted by site admins.

    A county municipality hosts meetings too: its staff schedule meetings in the municipalities of
    their county, with the county as organiser. It gives no rights in the municipalities' own
    meetings, associations or letters.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="county_roles", verbose_name=_("bruker")
    )
    county_number = models.CharField(_("fylke"), max_length=2, choices=COUNTY_CHOICES)
    granted_at = models.DateTimeField(_("gitt"), auto_now_add=True)

    class Meta:
        verbose_name = _("ansatt i fylkeskommunen")
        verbose_name_plural = _("ansatte i fylkeskommunene")
        constraints = [
            models.UniqueConstraint(fields=["user", "county_number"], name="one_county_role_per_user_and_county"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_county_number_display()}"


class MunicipalLeader(models.Model):
    """A leader or councillor of the municipality besides the mayor and the chief executive (whose
    names the municipality's record holds), kept by its staff: who can say they will attend a meeting."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="leaders", verbose_name=_("kommune")
    )
    role = models.CharField(
        _("rolle"),
        max_length=20,
        choices=[(role.value, role.label) for role in LISTED_LEADER_ROLES],
        default=LeaderRole.COMMITTEE_LEADER,
    )
    name = models.CharField(_("navn"), max_length=200)
    committee = models.CharField(
        _("utvalg"),
        max_length=200,
        blank=True,
        help_text=_("For utvalgsledere, for eksempel «Utvalg for kultur og idrett»."),
    )

    class Meta:
        verbose_name = _("folkevalgt eller leder")
        verbose_name_plural = _("folkevalgte og ledere")
        ordering = ["role", "committee", "name"]

    def __str__(self):
        return f"{self.name} ({self.committee or self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.role == LeaderRole.COMMITTEE_LEADER and not self.committee.strip():
            raise ValidationError({"committee": _("Skriv hvilket utvalg utvalgslederen leder.")})


class Term(models.Model):
    """An entry in a list that site admins keep (categories, target groups, needs, councils, languages)."""

    slug = models.SlugField(_("kode"), max_length=60, unique=True)
    name = models.CharField(_("navn (bokmål)"), max_length=120)
    name_nn = models.CharField(_("navn (nynorsk)"), max_length=120, blank=True)
    name_en = models.CharField(_("navn (engelsk)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.localized_name

    def name_in(self, language: str | None) -> str:
        """The name in Nynorsk ("nn…") or English ("en…") where it has one; otherwise the Bokmål name."""
        language = language or "nb"
        if language.startswith("nn") and self.name_nn:
            return self.name_nn
        if language.startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def localized_name(self):
        return self.name_in(get_language())


class Category(Term):
    class Meta(Term.Meta):
        verbose_name = _("kategori")
        verbose_name_plural = _("kategorier")


class TargetGroup(Term):
    class Meta(Term.Meta):
        verbose_name = _("målgruppe")
        verbose_name_plural = _("målgrupper")


class Need(Term):
    class Meta(Term.Meta):
        verbose_name = _("behov")
        verbose_name_plural = _("behov")


class Council(Term):
    """A council through which some associations meet the municipality today (eldreråd, idrettsråd, …)."""

    class Meta(Term.Meta):
        verbose_name = _("råd")
        verbose_name_plural = _("råd")


class Language(Term):
    """A language an association runs its activities in; the slug is the ISO 639 code."""

    class Meta(Term.Meta):
        verbose_name = _("språk")
        verbose_name_plural = _("språk")


# Paths under foreninger/ that are pages, not associations.
RESERVED_SLUGS = {"registrer", "invitasjon", "eksport"}

# An association's profile as people write it, in the order the forms show it: the portal's
# forms, the admin and the services all read these.
ASSOCIATION_PROFILE_FIELDS = (
    "name",
    "org_number",
    "municipality",
    "district",
    "categories",
    "description",
    "founded_year",
    "member_count",
    "website",
    "public_email",
    "public_phone",
    "postal_address",
    "activity_languages",
    "target_groups",
    "needs",
    "councils",
    "no_contact_with_municipality",
    "contact_name",
    "contact_email",
    "contact_phone",
)
ASSOCIATION_PROFILE_M2M_FIELDS = ("categories", "activity_languages", "target_groups", "needs", "councils")


class Association(models.Model):
    """A local voluntary association (lag eller forening)."""

    Status = AssociationStatus

    class Source(models.TextChoices):
        PORTAL = "portal", _("Registrert i portalen")
        BRREG = "brreg", _("Importert fra Enhetsregisteret")

    name = models.CharField(_("navn"), max_length=200)
    slug = models.SlugField(_("adresse i portalen"), max_length=220, unique=True)
    org_number = models.CharField(
        _("organisasjonsnummer"),
        max_length=9,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_org_number],
        help_text=_("Ni sifre, for eksempel 988 077 917. Valgfritt."),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="associations", verbose_name=_("kommune")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="associations",
        verbose_name=_("bydel"),
    )
    categories = models.ManyToManyField(Category, related_name="associations", verbose_name=_("kategorier"))
    description = models.TextField(_("beskrivelse"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("stiftelsesår"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("omtrentlig antall medlemmer"), null=True, blank=True)
    website = models.URLField(_("nettsted"), blank=True)
    public_email = models.EmailField(_("offentlig e-post"), blank=True)
    public_phone = models.CharField(_("offentlig telefon"), max_length=30, blank=True)
    postal_address = models.TextField(_("postadresse"), blank=True)
    activity_languages = models.ManyToManyField(
        Language, blank=True, related_name="associations", verbose_name=_("aktivitetsspråk")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="associations", verbose_name=_("målgrupper")
    )
    needs = models.ManyToManyField(Need, blank=True, related_name="associations", verbose_name=_("behov"))
    councils = models.ManyToManyField(
        Council, blank=True, related_name="associations", verbose_name=_("kontakt med kommunen gjennom råd")
    )
    no_contact_with_municipality = models.BooleanField(_("ingen kontakt med kommunen i dag"), default=False)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-post"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=30, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    status_changed_at = models.DateTimeField(_("status endret"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status endret av"),
    )
    status_reason = models.TextField(_("begrunnelse"), blank=True)
    source = models.CharField(_("kilde"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    edited_fields = models.JSONField(
        _("felt laget selv har endret"),
        default=list,
        blank=True,
        help_text=_("Importen fra Enhetsregisteret overskriver aldri disse feltene."),
    )
    brreg_synced_at = models.DateTimeField(_("sist hentet fra Enhetsregisteret"), null=True, blank=True)
    # Kept by a database trigger on PostgreSQL (migration 0004); empty on SQLite.
    search_document = SearchVectorField(null=True, editable=False)
    # The name in lower case, kept by the database, for the directory's "name contains" search.
    name_folded = models.GeneratedField(
        expression=Lower("name"), output_field=models.CharField(max_length=200), db_persist=True
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("endret"), auto_now=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="associations", verbose_name=_("medlemmer")
    )

    class Meta:
        verbose_name = _("lag eller forening")
        verbose_name_plural = _("lag og foreninger")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["municipality", "status", "name"]),
            models.Index(fields=["status", "name"], name="association_status_name"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(org_number__isnull=True) | models.Q(org_number__regex=r"^[0-9]{9}$"),
                name="association_org_number_nine_digits",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:association_detail", args=[self.slug])

    def clean_fields(self, exclude=None):
        # People type the number with spaces; it is stored as nine digits, or not at all.
        self.org_number = normalize_org_number(self.org_number) or None
        super().clean_fields(exclude=exclude)

    def clean(self):
        super().clean()
        if self.district_id and self.municipality_id and self.district.municipality_id != self.municipality_id:
            raise ValidationError({"district": _("Bydelen hører ikke til den valgte kommunen.")})
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": _("Denne adressen er reservert. Velg en annen.")})
        validate_status_reason(self.status, self.status_reason)

    @property
    def is_public(self):
        return self.status == self.Status.VERIFIED


class DirectoryCount(models.Model):
    """How many verified associations a municipality has, in all and in each category.

    On PostgreSQL, triggers (organizations/directory_counts.py, written from Association.Status)
    keep these rows in step with every change to an association's status or municipality and to
    its categories, bulk changes included, so the directory reads its counts instead of counting
    the registry. The row without a category counts every verified association of the
    municipality, whatever its categories.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="directory_counts", verbose_name=_("kommune")
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="directory_counts",
        verbose_name=_("kategori"),
    )
    verified = models.PositiveIntegerField(_("godkjente lag"), default=0)

    class Meta:
        verbose_name = _("antall i katalogen")
        verbose_name_plural = _("antall i katalogen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "category"],
                condition=models.Q(category__isnull=False),
                name="directory_count_per_category",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(category__isnull=True),
                name="directory_count_per_municipality",
            ),
        ]

    def __str__(self):
        return f"{self.municipality} – {self.category or '*'}: {self.verified}"


class Membership(models.Model):
    """A user's role in an association. An association always keeps at least one admin."""

    Role = MembershipRole

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("lag eller forening")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruker")
    )
    role = models.CharField(_("rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        ordering = ["association", "-role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["association", "user"], name="one_membership_per_user_and_association"),
        ]

    def __str__(self):
        return f"{self.user} – {self.association} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.pk and self.association_id and self.role != self.Role.ADMIN:
            previous = Membership.objects.filter(pk=self.pk).values_list("role", flat=True).first()
            if previous == self.Role.ADMIN:
                validate_keeps_an_admin(self.association, losing=Membership(pk=self.pk, role=previous))


def _invitation_token():
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + INVITATION_VALIDITY


INVITATION_VALIDITY = datetime.timedelta(days=14)


class Invitation(models.Model):
    """An invitation by email to join an association; the invitee accepts it after signing in."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("lag eller forening")
    )
    email = models.EmailField(_("e-post"))
    role = models.CharField(_("rolle"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MEMBER)
    token = models.CharField(_("nøkkel"), max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invitert av"),
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gyldig til"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("godtatt"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godtatt av"),
    )

    class Meta:
        verbose_name = _("invitasjon")
        verbose_name_plural = _("invitasjoner")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "email"],
                condition=models.Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email_and_association",
            ),
        ]

    def __str__(self):
        return f"{self.email} – {self.association}"


class MembershipRequest(models.Model):
    """A signed-in user asks an association's admins to let them join."""

    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("lag eller forening"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("bruker")
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    decided_at = models.DateTimeField(_("besvart"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("besvart av"),
    )
    accepted = models.BooleanField(_("godtatt"), null=True, blank=True)

    class Meta:
        verbose_name = _("forespørsel om medlemskap")
        verbose_name_plural = _("forespørsler om medlemskap")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"],
                condition=models.Q(decided_at__isnull=True),
                name="one_open_request_per_user_and_association",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.association}"


class AssociationClaim(models.Model):
    """Someone takes charge of an association that nobody runs in the portal (mostly imported ones).

    The claimant becomes its admin at once, so they can fix up the profile, but the association
    waits for the municipality (pending) and nobody acts in its name until staff have decided.
    """

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="claims", verbose_name=_("lag eller forening")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="association_claims", verbose_name=_("bruker")
    )
    reason = models.TextField(_("hvorfor"), max_length=1000)
    previous_status = models.CharField(_("status før overtakelsen"), max_length=10, choices=Association.Status.choices)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)
    decided_at = models.DateTimeField(_("avgjort"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("avgjort av"),
    )
    approved = models.BooleanField(_("godkjent"), null=True, blank=True)

    class Meta:
        verbose_name = _("overtakelse av lag")
        verbose_name_plural = _("overtakelser av lag")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["association"],
                condition=models.Q(decided_at__isnull=True),
                name="one_open_claim_per_association",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.association}"


# Kept in its own module for readability; imported here so Django registers it with the app.
from .models_resources import StaffResource  # noqa: E402, F401
