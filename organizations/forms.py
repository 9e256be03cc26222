from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Municipality, PartyLeader


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


PartyLeaderFormSet = forms.inlineformset_factory(
    Municipality,
    PartyLeader,
    fields=["party", "name", "email"],
    extra=1,
    can_delete=True,
    labels={"party": _("Parti"), "name": _("Navn"), "email": _("E-post")},
)
