"""Forms for input rounds. The after-work rule is not repeated here: the service checks every
candidate date with InputRoundDate.clean(), which calls meetings.domain.validate_meeting_time()."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialog_portal.dates import clock, weekday_date_time
from dialog_portal.formsets import LimitedFormSet, row_limit
from organizations.models import Category, Language

from .forms import DATETIME_INPUT_FORMATS, DATETIME_WIDGET, start_help_text
from .models import DateChoice, InputRound, InputRoundAnswer
from .services_rounds import MAX_CANDIDATE_DATES


class RoundForm(forms.ModelForm):
    class Meta:
        model = InputRound
        fields = ["title", "kind", "description", "invite_all", "categories", "answer_by"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "categories": forms.CheckboxSelectMultiple,
            "answer_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "kind": forms.Select,
        }
        help_texts = {"categories": _("Brukes når ikke alle lag og foreninger spørres.")}
        error_messages = {
            "title": {"required": _("Skriv hva møtet skal handle om.")},
            "answer_by": {"invalid": _("Skriv svarfristen som en dato, for eksempel 15.03.2027.")},
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["categories"].queryset = Category.objects.all()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {"categories": data.pop("categories"), **data}


class CandidateDateForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starter"),
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_INPUT_FORMATS,
        error_messages={"invalid": _("Skriv starten som dato og klokkeslett, for eksempel 15.03.2027 18.00.")},
    )
    ends_at = forms.DateTimeField(
        label=_("Slutter"),
        widget=DATETIME_WIDGET,
        input_formats=DATETIME_INPUT_FORMATS,
        error_messages={"invalid": _("Skriv slutten som dato og klokkeslett, for eksempel 15.03.2027 20.00.")},
    )

    def __init__(self, *args, after_work_start=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False
        if after_work_start is not None:
            self.fields["starts_at"].help_text = start_help_text(after_work_start)

    def clean(self):
        data = super().clean()
        if self.has_changed() and (data.get("starts_at") is None) != (data.get("ends_at") is None):
            raise forms.ValidationError(_("Fyll inn både start og slutt for tidspunktet."))
        return data


CandidateDateFormSet = forms.formset_factory(
    CandidateDateForm, formset=LimitedFormSet, extra=3, **row_limit(MAX_CANDIDATE_DATES)
)


def candidate_dates(formset) -> list[tuple]:
    """The filled-in rows, in order, with the forms they came from."""
    return [
        (form, form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
        for form in formset.forms
        if form.has_changed() and form.cleaned_data.get("starts_at") and form.cleaned_data.get("ends_at")
    ]


class AnswerForm(forms.ModelForm):
    """An association's answer: one choice per candidate date, topics and needs."""

    class Meta:
        model = InputRoundAnswer
        fields = ["topics", "access_needs", "language_needs", "interpretation_languages"]
        widgets = {
            "topics": forms.Textarea(attrs={"rows": 3}),
            "access_needs": forms.Textarea(attrs={"rows": 2}),
            "language_needs": forms.Textarea(attrs={"rows": 2}),
            "interpretation_languages": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, input_round, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.dates = list(input_round.dates.all())
        self.fields["association"] = forms.ModelChoiceField(
            label=_("Svar for"),
            queryset=associations,
            empty_label=None,
            error_messages={
                "required": _("Velg laget du svarer for."),
                "invalid_choice": _("Du kan bare svare for lag du er administrator i og som kommunen spør."),
            },
        )
        for date in self.dates:
            self.fields[self.date_field(date)] = forms.ChoiceField(
                label=_("%(when)s til kl. %(end)s")
                % {"when": weekday_date_time(date.starts_at), "end": clock(date.ends_at)},
                choices=DateChoice.Choice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Svar på om dette tidspunktet passer.")},
            )
        self.fields["interpretation_languages"].queryset = Language.objects.all()
        self.order_fields(["association", *[self.date_field(date) for date in self.dates]])

    @staticmethod
    def date_field(date) -> str:
        return f"dato_{date.pk}"

    def load_choices(self, answer):
        """Show an association's earlier answer on an unbound form."""
        for choice in answer.choices.all():
            self.initial[f"dato_{choice.date_id}"] = choice.choice

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "association": data["association"],
            "choices": {date.pk: data[self.date_field(date)] for date in self.dates},
            "topics": data["topics"],
            "access_needs": data["access_needs"],
            "language_needs": data["language_needs"],
            "interpretation_languages": data["interpretation_languages"],
        }
