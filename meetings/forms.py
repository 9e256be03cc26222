"""Forms for meetings. The after-work rule is not repeated here: ModelForm validation runs
Meeting.clean(), which calls meetings.domain.validate_meeting_time()."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from dialog_portal.dates import clock
from dialog_portal.formsets import LimitedInlineFormSet, row_limit
from organizations.domain import county_organiser_name
from organizations.models import Association, Category, Language, Municipality
from organizations.selectors import associations_acting_for, associations_awaiting_approval

from . import recurrence
from . import series as series_services
from .domain import validate_meeting_time, validate_start_not_past
from .models import (
    AgendaItem,
    Exhibitor,
    Meeting,
    MeetingProposal,
    MeetingTranslation,
    Registration,
    TranslationLanguage,
)

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# What the browser's datetime-local field sends, and what people type without one.
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]


def start_help_text(after_work_start) -> str:
    """The help under a meeting's start: the after-work rule (meetings.domain) in words."""
    return _(
        "Norsk tid. På hverdager tidligst kl. %(time)s; helger og helligdager er frie. "
        "Julaften og nyttårsaften holdes det ingen møter fra kl. 12.00."
    ) % {"time": clock(after_work_start)}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "kind",
            "formality",
            "mode",
            "description",
            "starts_at",
            "ends_at",
            "registration_deadline",
            "district",
            "venue_name",
            "venue_address",
            "directions",
            "online_url",
            "capacity",
            "invite_all",
            "invited_categories",
            *Meeting.INCLUSIVE_FEATURES,
            "plain_summary",
            "interpretation_languages",
            "reminder_hours",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "registration_deadline": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "venue_address": forms.Textarea(attrs={"rows": 2}),
            "directions": forms.Textarea(attrs={"rows": 2}),
            "plain_summary": forms.Textarea(attrs={"rows": 4}),
            "invited_categories": forms.CheckboxSelectMultiple,
            "interpretation_languages": forms.CheckboxSelectMultiple,
            "kind": forms.Select,
        }
        help_texts = {
            "starts_at": _("Norsk tid. På hverdager tidligst etter arbeidstid; helger og helligdager er frie."),
            "ends_at": _("På hverdager senest kl. 23.00."),
            "invited_categories": _("Brukes når ikke alle lag og foreninger inviteres."),
        }

    def __init__(self, *args, municipality: Municipality, organisers=("municipality",), **kwargs):
        super().__init__(*args, **kwargs)
        # The rule needs the host municipality's after-work time while the form validates.
        self.instance.municipality = municipality
        if self.instance.pk is None:
            # Who organises a new meeting: the municipality, or the county municipality of its
            # county (for those who work there); asked only of someone who may be either.
            if set(organisers) == {"municipality", "county"}:
                self.fields["organiser"] = forms.ChoiceField(
                    label=_("Arrangør"),
                    choices=[
                        ("municipality", municipality.official_name),
                        ("county", county_organiser_name(municipality.county_number)),
                    ],
                    initial="municipality",
                    required=False,
                    widget=forms.RadioSelect,
                )
            elif "county" in organisers:
                self.instance.organising_county = municipality.county_number
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = DATETIME_INPUT_FORMATS
        self.fields["district"].queryset = municipality.districts.all()
        if not municipality.districts.exists():
            del self.fields["district"]
        self.fields["invited_categories"].queryset = Category.objects.all()
        self.fields["interpretation_languages"].queryset = Language.objects.all()
        self.fields["starts_at"].help_text = start_help_text(municipality.after_work_start)

    def clean(self):
        cleaned_data = super().clean()
        if "organiser" in self.fields:
            county = cleaned_data.get("organiser") == "county"
            self.instance.organising_county = self.instance.municipality.county_number if county else ""
        return cleaned_data

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organiser", None)
        if self.instance.pk is None:
            data["organising_county"] = self.instance.organising_county
        return {
            "invited_categories": data.pop("invited_categories"),
            "interpretation_languages": data.pop("interpretation_languages"),
            **data,
        }


# A long evening's programme, item by item, with room to spare.
MAX_AGENDA_ITEMS = 40

AgendaFormSet = forms.inlineformset_factory(
    Meeting,
    AgendaItem,
    formset=LimitedInlineFormSet,
    fields=["starts_at", "title", "description"],
    widgets={
        "starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        "description": forms.Textarea(attrs={"rows": 2}),
    },
    extra=2,
    can_delete=True,
    **row_limit(MAX_AGENDA_ITEMS),
)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Grunn til avlysning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("De påmeldte får beskjed med denne begrunnelsen."),
    )


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["association", "attendees", "interpretation_language", "accessibility_needs", "diet", "topics"]
        widgets = {
            "accessibility_needs": forms.Textarea(attrs={"rows": 2}),
            "diet": forms.Textarea(attrs={"rows": 2}),
            "topics": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, meeting, seats_free=None, seats_available=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.user = user
            self.instance.meeting = meeting
        association = self.fields["association"]
        association.queryset = associations_acting_for(user=user).order_by("name")
        association.empty_label = _("Meg selv")
        association.label = _("Hvem melder du på?")
        association.help_text = _("Du kan melde på et godkjent lag eller en godkjent forening du er med i.")
        self.awaiting_approval = list(associations_awaiting_approval(user=user))
        self.fields["interpretation_language"].queryset = Language.objects.all()
        self.fields["interpretation_language"].empty_label = _("Ikke behov for tolk")
        self.seats_free, self.seats_available = seats_free, seats_available
        if self.instance.pk is None and seats_available is not None:
            self.fields["join_waitlist"] = forms.BooleanField(
                label=_("Sett oss på ventelisten hvis det ikke er plass til alle"),
                help_text=_("Dere får e-post når dere får plass."),
                required=False,
            )

    def clean(self):
        cleaned_data = super().clean()
        attendees = cleaned_data.get("attendees")
        too_many = "join_waitlist" in self.fields and attendees and attendees > self.seats_available
        if too_many and not cleaned_data.get("join_waitlist"):
            self.add_error("attendees", self._waitlist_warning(attendees))
        return cleaned_data

    def _waitlist_warning(self, attendees: int) -> str:
        if self.seats_available == 0:
            return gettext(
                "Det er ingen ledige plasser nå, så påmeldingen kommer på ventelisten. Kryss av for ventelisten "
                "nedenfor hvis dere vil stå der."
            )
        return ngettext(
            "Det er bare %(count)s ledig plass, så %(attendees)s deltakere får ikke plass nå. Meld på "
            "%(count)s deltaker, eller kryss av for ventelisten nedenfor.",
            "Det er bare %(count)s ledige plasser, så %(attendees)s deltakere får ikke plass nå. Meld på "
            "%(count)s eller færre, eller kryss av for ventelisten nedenfor.",
            self.seats_available,
        ) % {"count": self.seats_available, "attendees": attendees}

    def seats_notice(self) -> str:
        """What the page says about the seats above the form, before anyone is put on the waitlist."""
        if self.seats_available is None:
            return ""
        registration = self.instance
        if registration.pk is None:
            if self.seats_available:
                return ngettext(
                    "Det er %(count)s ledig plass. Melder du på flere deltakere, kommer påmeldingen på ventelisten.",
                    "Det er %(count)s ledige plasser. Melder du på flere deltakere, kommer påmeldingen på ventelisten.",
                    self.seats_available,
                ) % {"count": self.seats_available}
            if self.seats_free:
                return ngettext(
                    "Det er %(count)s ledig plass, men den går først til dem som står på ventelisten. Melder du "
                    "deg på nå, kommer du på ventelisten.",
                    "Det er %(count)s ledige plasser, men de går først til dem som står på ventelisten. Melder "
                    "du deg på nå, kommer du på ventelisten.",
                    self.seats_free,
                ) % {"count": self.seats_free}
            return gettext("Alle plassene er tatt. Melder du deg på nå, kommer du på ventelisten.")
        if registration.status == Registration.Status.WAITLISTED:
            if self.seats_available:
                return ngettext(
                    "Dere står først på ventelisten, og det er %(count)s ledig plass. Meld på %(count)s "
                    "deltaker, så får dere plassen med en gang.",
                    "Dere står først på ventelisten, og det er %(count)s ledige plasser. Meld på %(count)s "
                    "eller færre, så får dere plass med en gang.",
                    self.seats_available,
                ) % {"count": self.seats_available}
            return gettext("Dere står på ventelisten og får e-post hvis dere får plass.")
        return ngettext(
            "Påmeldingen kan ha høyst %(count)s deltaker.",
            "Påmeldingen kan ha høyst %(count)s deltakere.",
            self.seats_available,
        ) % {"count": self.seats_available}

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("join_waitlist", None)
        return data


class ExhibitorForm(forms.ModelForm):
    class Meta:
        model = Exhibitor
        fields = ["association", "description", "needs"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "needs": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        self.fields["association"].queryset = associations_acting_for(user=user).order_by("name")
        self.awaiting_approval = list(associations_awaiting_approval(user=user))


class ExhibitorDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Svar"),
        choices=[("approve", _("Godkjenn")), ("reject", _("Avslå"))],
        widget=forms.RadioSelect,
    )
    stand_number = forms.IntegerField(label=_("Standnummer"), min_value=1, required=False)


class ExhibitorChoiceForm(forms.Form):
    """Which of the meeting's stand applications a decision is about."""

    exhibitor = forms.ModelChoiceField(queryset=Exhibitor.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exhibitor"].queryset = meeting.exhibitors.select_related("association")


# A primary key as the page writes it: ASCII digits, few enough for a bigint.
PRIMARY_KEY = re.compile(r"[0-9]{1,18}")


class PrimaryKeysField(forms.Field):
    """Ticked checkboxes that each carry a primary key; anything else is refused, not skipped.

    Only ASCII digits pass: "²".isdigit() holds, yet int("²") fails.
    """

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {"invalid": _("Valget kom ikke fra siden. Last den inn på nytt og prøv igjen.")}

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple) or not all(
            isinstance(item, str) and PRIMARY_KEY.fullmatch(item) for item in value
        ):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return [int(item) for item in value]


class AttendanceForm(forms.Form):
    """Who came: the confirmed registrations and the walk-in associations ticked on the page."""

    present = PrimaryKeysField(required=False)
    walk_in = PrimaryKeysField(required=False)


class SummaryForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["summary", "follow_up_points"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6}), "follow_up_points": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].required = True


FEATURE_CHOICES = [(name, capfirst(Meeting._meta.get_field(name).verbose_name)) for name in Meeting.INCLUSIVE_FEATURES]


class CalendarFilterForm(forms.Form):
    kind = forms.MultipleChoiceField(
        label=_("Type møteplass"), choices=Meeting.Kind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    municipality = forms.ModelChoiceField(
        label=_("Kommune"),
        queryset=Municipality.objects.filter(active=True),
        to_field_name="number",
        required=False,
        empty_label=_("Alle kommuner"),
    )
    features = forms.MultipleChoiceField(
        label=_("Inkluderende møteplass"), choices=FEATURE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    language = forms.ModelChoiceField(
        label=_("Tolking til"),
        queryset=Language.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle språk"),
    )
    information_language = forms.ModelChoiceField(
        label=_("Informasjon på språk"),
        queryset=TranslationLanguage.objects.filter(active=True),
        to_field_name="code",
        required=False,
        empty_label=_("Alle språk"),
    )
    date_from = forms.DateField(label=_("Fra dato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Til dato"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only municipalities that have meetings in the calendar: a list of 357 helps nobody.
        self.fields["municipality"].queryset = Municipality.objects.filter(
            meetings__status__in=[Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED]
        ).distinct()


class MeetingTranslationForm(forms.ModelForm):
    """The meeting's information in one language, as staff write it. On a new translation the
    language is chosen among those in use that the meeting has no translation in yet."""

    class Meta:
        model = MeetingTranslation
        fields = ["language", "title", "description", "practical_information"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "practical_information": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["language"]
        else:
            self.fields["language"].queryset = TranslationLanguage.objects.filter(active=True).exclude(
                translations__meeting=meeting
            )
            self.fields["language"].empty_label = None
            self.fields["language"].error_messages["invalid_choice"] = gettext(
                "Velg et språk som er i bruk og som møtet ikke har informasjon på ennå."
            )
            self.fields["language"].error_messages["required"] = gettext("Velg hvilket språk informasjonen er på.")
        self.fields["title"].error_messages["required"] = gettext("Skriv tittelen på dette språket.")
        for name in ("title", "description", "practical_information"):
            # The browser sets the text the way the language runs; once the language is known, it is said.
            attrs = self.fields[name].widget.attrs
            attrs["dir"] = self.instance.language.direction if self.instance.pk else "auto"
            if self.instance.pk:
                attrs["lang"] = self.instance.language.code

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class ProposalForm(forms.ModelForm):
    """An association's proposal to its municipality. Validating it runs MeetingProposal.clean(),
    which checks the meeting it would become: the after-work rule, a start ahead, a venue or a link."""

    class Meta:
        model = MeetingProposal
        fields = [
            "title",
            "kind",
            "mode",
            "starts_at",
            "ends_at",
            "venue_name",
            "venue_address",
            "online_url",
            "description",
            "agenda",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "venue_address": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "kind": forms.Select,
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.association = association
        self.instance.municipality = association.municipality
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_INPUT_FORMATS
        self.fields["starts_at"].help_text = start_help_text(association.municipality.after_work_start)
        self.fields["ends_at"].help_text = _("På hverdager senest kl. 23.00.")

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class SeriesPatternForm(forms.Form):
    """How a fixed meeting place repeats; the first meeting's own fields come from MeetingForm."""

    frequency = forms.ChoiceField(label=_("Hvor ofte?"), choices=recurrence.Frequency.choices, widget=forms.RadioSelect)
    week_of_month = forms.TypedChoiceField(
        label=_("Hvilken uke i måneden?"),
        choices=[("", _("Velg uke")), *recurrence.WeekOfMonth.choices],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Bare for hver måned og hvert kvartal, for eksempel den siste tirsdagen i måneden."),
    )
    until = forms.DateField(
        label=_("Siste dato"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Serien slutter denne dagen. Fyll ut siste dato eller antall ganger."),
    )
    count = forms.IntegerField(
        label=_("Antall ganger"),
        required=False,
        min_value=2,
        max_value=recurrence.MAX_OCCURRENCES,
        help_text=_("Datoer som hoppes over, telles med."),
    )

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if data["frequency"] not in recurrence.MONTHLY_KINDS:
            data["week_of_month"] = None
        return data


class OccurrenceDecisionForm(forms.Form):
    """What staff do with a date the after-work rule refuses, or a public holiday: skip or move it
    (a move is checked by the rule), or keep a holiday the rule allows."""

    action = forms.ChoiceField(label=_("Hva vil du gjøre?"), widget=forms.RadioSelect, initial=series_services.SKIP)
    starts_at = forms.DateTimeField(label=_("Ny start"), required=False, widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ny slutt"), required=False, widget=DATETIME_WIDGET)

    def __init__(self, *args, planned, municipality, kind, **kwargs):
        super().__init__(*args, prefix=f"dato-{planned.key}", **kwargs)
        self.planned, self.municipality, self.kind = planned, municipality, kind
        choices = [(series_services.SKIP, _("Hopp over denne datoen")), (series_services.MOVE, _("Flytt møtet"))]
        if not planned.refused:
            choices.append((series_services.KEEP, _("Hold møtet likevel")))
        self.fields["action"].choices = choices
        for name in ("starts_at", "ends_at"):
            self.fields[name].input_formats = DATETIME_INPUT_FORMATS
        self.fields["starts_at"].initial = planned.slot
        self.fields["ends_at"].initial = planned.ends_at

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("action") != series_services.MOVE:
            return cleaned_data
        starts_at, ends_at = cleaned_data.get("starts_at"), cleaned_data.get("ends_at")
        for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
            if value is None and name not in self.errors:
                self.add_error(name, gettext("Oppgi når det flyttede møtet starter og slutter."))
        if starts_at and ends_at:
            try:
                validate_meeting_time(
                    starts_at=starts_at,
                    ends_at=ends_at,
                    after_work_start=self.municipality.after_work_start,
                    kind=self.kind,
                )
                validate_start_not_past(starts_at=starts_at)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    self.add_error(name, messages)
        return cleaned_data

    def decision(self):
        data = self.cleaned_data
        return series_services.Decision(action=data["action"], starts_at=data["starts_at"], ends_at=data["ends_at"])


class SeriesScopeForm(forms.Form):
    """Editing a meeting of a series: this one alone, or it and the later ones."""

    THIS, FOLLOWING = "this", "following"
    scope = forms.ChoiceField(
        label=_("Hvilke møter gjelder endringen?"),
        choices=[(THIS, _("Bare dette møtet")), (FOLLOWING, _("Dette og alle senere møter i serien"))],
        widget=forms.RadioSelect,
        initial=THIS,
    )
    move_registered = forms.BooleanField(
        label=_("Flytt også møter som noen har meldt seg på"),
        required=False,
        help_text=_(
            "Gjelder nytt klokkeslett for senere møter. Uten avkryssing beholder møter med påmeldte "
            "sitt klokkeslett. De påmeldte får beskjed om endringer."
        ),
    )


class ProposalDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrunnelse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Administratorene i laget får begrunnelsen på e-post."),
        error_messages={"required": _("Skriv hvorfor forslaget ikke blir et møte.")},
    )


class CoHostsForm(forms.Form):
    co_hosts = forms.ModelMultipleChoiceField(
        label=_("Medarrangører"),
        queryset=Association.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Administratorene i et medarrangerende lag kan endre sted, veibeskrivelse og program."),
        error_messages={
            "invalid_choice": _("Velg bare blant lagene på siden."),
            "invalid_pk_value": _("Velg bare blant lagene på siden."),
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_hosts"].queryset = candidates.order_by("name")


class PracticalInformationForm(forms.ModelForm):
    """What a co-host may change; the time, the seats and the invitations stay with the host."""

    class Meta:
        model = Meeting
        fields = [
            "description",
            "venue_name",
            "venue_address",
            "directions",
            "online_url",
            *Meeting.INCLUSIVE_FEATURES,
            # Required with "klart og enkelt norsk" (Meeting.clean), so it is edited beside it.
            "plain_summary",
            "interpretation_languages",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "venue_address": forms.Textarea(attrs={"rows": 2}),
            "directions": forms.Textarea(attrs={"rows": 2}),
            "interpretation_languages": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpretation_languages"].queryset = Language.objects.all()

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        return {"interpretation_languages": data.pop("interpretation_languages"), **data}


class LeadersForm(forms.Form):
    """Who of the host municipality's leadership has said they will attend (or, afterwards, came)."""

    leaders = forms.MultipleChoiceField(
        label=_("Fra kommuneledelsen"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Velg bare blant kommunens ledere og folkevalgte på siden.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leaders"].choices = [(key, f"{role}: {name}" if name else role) for key, role, name in choices]
