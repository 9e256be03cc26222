"""Forms for agreed actions. The rules (one owner, an association of the municipality, a reason to
drop) are AgreedAction.clean()'s, which ModelForm validation and the services both run."""

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Association

from .models import AgreedAction

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.ModelForm):
    class Meta:
        model = AgreedAction
        fields = [
            "title",
            "description",
            "owner_unit",
            "owner_email",
            "owner_association",
            "due_on",
            "status",
            "status_comment",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "status_comment": forms.Textarea(attrs={"rows": 2}),
            "due_on": DATE_WIDGET,
        }
        help_texts = {"owner_association": _("Velg et lag når et lag eller en forening er ansvarlig.")}
        error_messages = {
            "title": {"required": _("Skriv hva som skal gjøres.")},
            "due_on": {
                "required": _("Sett en frist."),
                "invalid": _("Skriv fristen som en dato, for eksempel 15.03.2027."),
            },
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["owner_association"].queryset = Association.objects.filter(
            municipality_id=meeting.municipality_id, status=Association.Status.VERIFIED
        ).order_by("name")
        self.fields["owner_association"].empty_label = _("Ingen – en kommunal enhet er ansvarlig")

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=AgreedAction.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg en status."), "invalid_choice": _("Velg en av statusene i listen.")},
    )
    status_comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Hva er gjort, hva gjenstår, eller hvorfor tiltaket er lagt bort."),
        error_messages={"max_length": _("Kommentaren kan være høyst %(limit_value)d tegn.")},
    )
