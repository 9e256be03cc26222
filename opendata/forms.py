from django import forms
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    # A form field refuses NUL characters and strips the name; too long or empty is a clear message.
    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": _("Gi nøkkelen et navn, så du ser hva den brukes til."),
            "max_length": _("Navnet på nøkkelen kan ha høyst 100 tegn."),
        },
    )
