from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from dialog_portal.dates import date_time
from dialog_portal.formsets import LimitedFormSet, row_limit
from meetings.models import Meeting
from meetings.selectors_actions import linkable_actions
from organizations.models import Association, Category, District, Municipality

from .domain import posted_on_refusal
from .models import Challenge, Letter, LetterLanguage, Response, WorkingGroup


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = [
            "name",
            "municipality",
            "district",
            "founding_meeting",
            "meeting_date",
            "meeting_time",
            "meeting_place",
            "categories",
            "theme",
            "mandate",
        ]
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "meeting_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "categories": forms.CheckboxSelectMultiple,
            "theme": forms.Textarea(attrs={"rows": 2}),
            "mandate": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "theme": _(
                "For eksempel: Hvordan kan kommunen og lag og foreninger sammen lage en god frivillighetspolitikk?"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(active=True)
        self.fields["district"].queryset = District.objects.select_related("municipality")
        self.fields["categories"].queryset = Category.objects.all()
        if self.instance.pk:
            # The letters already written name this municipality; a group does not move.
            self.fields["municipality"].disabled = True
            self.fields["founding_meeting"] = MeetingChoiceField(
                municipality_id=self.instance.municipality_id,
                label=self.fields["founding_meeting"].label,
                help_text=self.fields["founding_meeting"].help_text,
            )
            self.fields["meeting_date"].help_text = _("Kan stå tomt når diskusjonsmøtet er valgt fra portalen.")
        else:
            # The meetings to choose from are the municipality's, known once the group exists.
            del self.fields["founding_meeting"]


class MeetingChoiceField(forms.ModelChoiceField):
    """The public meetings of one municipality, newest first."""

    def __init__(self, *, municipality_id, **kwargs):
        queryset = (
            Meeting.objects.filter(
                municipality_id=municipality_id, status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD]
            )
            .only("pk", "title", "starts_at")
            .order_by("-starts_at")
        )
        super().__init__(queryset=queryset, required=False, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.title} – {date_time(obj.starts_at)}"


class DialogueMeetingForm(forms.Form):
    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = MeetingChoiceField(
            municipality_id=letter.group.municipality_id,
            label=_("Dialogmøtet som fulgte av brevet"),
            initial=letter.dialogue_meeting_id,
        )


class ActionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.meeting.title})"


class LetterActionForm(forms.Form):
    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"] = ActionChoiceField(
            queryset=linkable_actions(municipality_id=letter.group.municipality_id),
            label=_("Tiltak fra et møte i kommunen"),
            empty_label=_("Velg et tiltak"),
            error_messages={
                "required": _("Velg tiltaket dere vil følge opp."),
                "invalid_choice": _("Velg et tiltak fra et møte i kommunen brevet er sendt til."),
            },
        )


class GroupAssociationsForm(forms.Form):
    associations = forms.ModelMultipleChoiceField(
        label=_("Deltakende lag og foreninger"),
        queryset=Association.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["associations"].queryset = Association.objects.filter(
            municipality=group.municipality, status=Association.Status.VERIFIED
        )
        self.fields["associations"].initial = list(group.associations.values_list("pk", flat=True))


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-postadressen til den du vil invitere"))


class LetterPartsForm(forms.ModelForm):
    challenges = forms.MultipleChoiceField(
        label=_("Utfordringer mange lag og foreninger har"),
        choices=Challenge.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Letter
        # Every part of Letter.CONTENT_FIELDS; the målform has its own form, which rewrites default texts.
        fields = [name for name in Letter.CONTENT_FIELDS if name != "language"]
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 2}),
            "background": forms.Textarea(attrs={"rows": 6}),
            "voluntary_effort": forms.Textarea(attrs={"rows": 6}),
            "situation": forms.Textarea(attrs={"rows": 5}),
            "wishes": forms.Textarea(attrs={"rows": 4}),
            "closing": forms.Textarea(attrs={"rows": 3}),
            "contact_address": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "contact_name": _("Står under arbeidsgruppens navn i brevet."),
            "contact_address": _(
                "Står øverst i brevet sammen med e-post og telefon, så kommunen vet hvor svaret skal."
            ),
            "background": _("Skrevet ut fra opplysningene om arbeidsgruppen. Tom linje gir nytt avsnitt."),
        }


# Rows the letter page offers: the default points and the party leaders' copies, and room to spare.
MAX_POINTS = 40
MAX_COPIES = 40


class PointForm(forms.Form):
    text = forms.CharField(label=_("Punkt"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200, required=False)
    role = forms.CharField(label=_("Rolle eller parti"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-post (får kopi når brevet sendes)"), required=False)


class OrderedFormSet(LimitedFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("Plassering")
        form.fields["DELETE"].label = _("Fjern")


PointFormSet = formset_factory(
    PointForm, formset=OrderedFormSet, extra=1, can_order=True, can_delete=True, **row_limit(MAX_POINTS)
)
CopyFormSet = formset_factory(
    CopyForm, formset=OrderedFormSet, extra=1, can_order=True, can_delete=True, **row_limit(MAX_COPIES)
)


def ordered_values(formset, *, required_key):
    """The formset's rows in the order the user gave, without deleted and empty rows."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE") or not (data.get(required_key) or "").strip():
            continue
        order = data.get("ORDER")
        rows.append((order if order is not None else 10_000 + index, index, data))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [{k: v for k, v in data.items() if k not in ("ORDER", "DELETE")} for _order, _index, data in rows]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Målform"), choices=LetterLanguage.choices)


class PostedForm(forms.Form):
    posted_on = forms.DateField(
        label=_("Dato brevet ble postlagt"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, letter=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter = letter

    def clean_posted_on(self):
        posted_on = self.cleaned_data["posted_on"]
        refusal = posted_on_refusal(self.letter, posted_on) if self.letter is not None else None
        if refusal:
            raise forms.ValidationError(refusal)
        return posted_on


class ResponseForm(forms.ModelForm):
    class Meta:
        model = Response
        fields = ["received_on", "kind", "summary", "document"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "document": forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        }
        help_texts = {"document": _("Valgfritt. Bare PDF, høyst 10 MB.")}


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Ny status"),
        choices=[(s.value, s.label) for s in Letter.Status if s in Letter.FROZEN_STATUSES],
    )


class SignForm(forms.Form):
    """Co-signing: for which association, and the name and role the letter gives the signer."""

    association = forms.ModelChoiceField(label=_("Skriv under på vegne av"), queryset=Association.objects.none())
    signer_name = forms.CharField(label=_("Navnet ditt slik det skal stå i brevet"), max_length=200)
    signer_role = forms.CharField(
        label=_("Rollen din i laget eller foreningen"),
        max_length=100,
        help_text=_("For eksempel styreleder, nestleder eller styremedlem."),
    )

    DEFAULT_ROLE = "styreleder"

    def __init__(self, *args, associations, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = associations
        last = user.letter_signatures.exclude(signer_role="").order_by("-signed_at").first()
        self.fields["signer_name"].initial = user.full_name
        self.fields["signer_role"].initial = last.signer_role if last else self.DEFAULT_ROLE
