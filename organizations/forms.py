from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialog_portal.formsets import LimitedInlineFormSet, row_limit

from .domain import normalize_org_number, validate_org_number
from .models import (
    ASSOCIATION_PROFILE_FIELDS,
    Association,
    District,
    Membership,
    Municipality,
    MunicipalLeader,
    PartyLeader,
)
from .selectors import similar_associations


class MunicipalityContactForm(forms.ModelForm):
    class Meta:
        model = Municipality
        fields = [
            "political_leader_title",
            "political_leader_name",
            "administrative_leader_title",
            "administrative_leader_name",
            "official_email",
            "postal_address",
            "written_standard",
            "after_work_start",
        ]
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "after_work_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }


# More than any council has parties, so every party of the municipality fits.
MAX_PARTY_LEADERS = 40

PartyLeaderFormSet = forms.inlineformset_factory(
    Municipality,
    PartyLeader,
    formset=LimitedInlineFormSet,
    fields=["party", "name", "email"],
    extra=1,
    can_delete=True,
    **row_limit(MAX_PARTY_LEADERS),
    labels={"party": _("Parti"), "name": _("Navn"), "email": _("E-post")},
)

# Committee leaders and councillors who come to meetings: the size of a large council.
MAX_MUNICIPAL_LEADERS = 80

MunicipalLeaderFormSet = forms.inlineformset_factory(
    Municipality,
    MunicipalLeader,
    formset=LimitedInlineFormSet,
    fields=["role", "name", "committee"],
    extra=1,
    can_delete=True,
    **row_limit(MAX_MUNICIPAL_LEADERS),
    labels={"role": _("Rolle"), "name": _("Navn"), "committee": _("Utvalg")},
)


def org_number_field():
    # Wider than the stored nine digits: people type "988 077 917"; the model normalises and checks it.
    return forms.CharField(
        label=_("Organisasjonsnummer"),
        max_length=20,
        required=False,
        help_text=_("Ni sifre, for eksempel 988 077 917. Valgfritt."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def website_field():
    return forms.URLField(label=_("Nettsted"), required=False, max_length=200, assume_scheme="https")


class AssociationAdminForm(forms.ModelForm):
    """The admin's form: the same fields as the portal's, the model's full_clean() holds the rules."""

    org_number = org_number_field()
    website = website_field()

    class Meta:
        model = Association
        fields = ["name", "slug", *ASSOCIATION_PROFILE_FIELDS[1:]]


class AssociationForm(forms.ModelForm):
    """An association's profile, as its admins keep it. The model's full_clean() holds the rules.

    The municipality is not theirs to change: it decides which staff verified the association.
    A move is made by a site admin, and sends a verified association back to pending.
    """

    org_number = org_number_field()
    website = website_field()

    class Meta:
        model = Association
        fields = [name for name in ASSOCIATION_PROFILE_FIELDS if name != "municipality"]
        widgets = {
            "categories": forms.CheckboxSelectMultiple,
            "activity_languages": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
            "needs": forms.CheckboxSelectMultiple,
            "councils": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "postal_address": forms.Textarea(attrs={"rows": 3}),
            "public_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "contact_name": _("Vises bare for lagets medlemmer og kommunens ansatte."),
            "categories": _("Velg én eller flere."),
        }

    # Sections of the form, so the page can group the fields under headings.
    SECTIONS = [
        (_("Om laget"), ["name", "org_number", "municipality", "district", "categories", "description"]),
        (_("Fakta"), ["founded_year", "member_count"]),
        (_("Offentlig kontaktinformasjon"), ["website", "public_email", "public_phone", "postal_address"]),
        (_("Aktivitet og behov"), ["activity_languages", "target_groups", "needs"]),
        (_("Kontakt med kommunen i dag"), ["councils", "no_contact_with_municipality"]),
        (_("Kontaktperson (ikke offentlig)"), ["contact_name", "contact_email", "contact_phone"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_association = None
        self.existing_has_admins = False
        if "municipality" in self.fields:
            self.fields["municipality"].queryset = Municipality.objects.filter(active=True)
            self.fields["district"].queryset = District.objects.select_related("municipality")
        else:
            self.fields["district"].queryset = District.objects.filter(
                municipality_id=self.instance.municipality_id
            ).select_related("municipality")
        self.fields["categories"].required = True
        self.fields["founded_year"].widget.attrs.update({"min": 1800, "max": timezone.localdate().year})

    def sections(self):
        return [(title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS]

    def clean_org_number(self):
        number = normalize_org_number(self.cleaned_data.get("org_number"))
        if number:
            validate_org_number(number)
            existing = Association.objects.filter(org_number=number).exclude(pk=self.instance.pk).first()
            if existing is not None:
                self.existing_association = existing
                self.existing_has_admins = existing.memberships.filter(role=Membership.Role.ADMIN).exists()
                raise ValidationError(
                    _("Organisasjonsnummeret er allerede registrert på «%(name)s».") % {"name": existing.name},
                    code="org_number_taken",
                )
        return number or None

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and not 1800 <= year <= timezone.localdate().year:
            raise ValidationError(_("Skriv et årstall mellom 1800 og i år."))
        return year

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class AssociationRegisterForm(AssociationForm):
    """Registration: also warns about a similar name in the same municipality before saving."""

    confirm_different = forms.BooleanField(
        label=_("Ja, dette er et annet lag enn de som er nevnt over."),
        required=False,
    )

    class Meta(AssociationForm.Meta):
        fields = list(ASSOCIATION_PROFILE_FIELDS)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.similar = []

    def clean(self):
        cleaned = super().clean()
        name, municipality = cleaned.get("name"), cleaned.get("municipality")
        if name and municipality and not cleaned.get("confirm_different"):
            self.similar = similar_associations(name=name, municipality=municipality, user=self.user)
            if self.similar:
                self.add_error(
                    "confirm_different",
                    _(
                        "Det finnes allerede lag med lignende navn i %(municipality)s. Sjekk listen. "
                        "Hvis laget ditt er et annet, kryss av her og send inn på nytt."
                    )
                    % {"municipality": municipality.name},
                )
        return cleaned


class BrregLookupForm(forms.Form):
    """The organisasjonsnummer to look up in Enhetsregisteret; checked by the one org-number rule."""

    org_number = forms.CharField(max_length=20, validators=[validate_org_number])

    def clean_org_number(self):
        return normalize_org_number(self.cleaned_data["org_number"])


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-postadresse"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sendes til lagets administratorer, slik at de vet hva de kan rette opp."),
        max_length=2000,
    )


class ClaimForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor tar du over laget?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For eksempel hvilket verv du har i styret. Kommunen leser dette før den godkjenner deg."),
        max_length=1000,
        error_messages={
            "required": _("Skriv kort hvorfor du tar over laget, slik at kommunen kan godkjenne det."),
        },
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
