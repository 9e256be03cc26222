"""Staff pages for a meeting's information in other languages. Whoever may edit the meeting may
write, change and delete its translations (the rule meetings.change_meeting)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dialog_portal.permissions import rule_required
from dialog_portal.service_errors import show_as_messages, show_on_form

from . import services
from .forms import MeetingTranslationForm
from .models import Meeting, MeetingTranslation, TranslationLanguage


def _meeting(request, pk, code=None):
    return get_object_or_404(Meeting.objects.select_related("municipality"), pk=pk)


def _translation(meeting, code):
    return get_object_or_404(
        MeetingTranslation.objects.select_related("language"), meeting=meeting, language__code=code
    )


@login_required
@rule_required("meetings.change_meeting", fn=_meeting, hide="meetings.view_meeting")
def translations(request, pk):
    meeting = _meeting(request, pk)
    rows = meeting.translations.select_related("language")
    missing = TranslationLanguage.objects.filter(active=True).exclude(translations__meeting=meeting)
    return render(
        request,
        "meetings/translations.html",
        {"meeting": meeting, "translations": rows, "may_add": missing.exists()},
    )


@login_required
@rule_required("meetings.change_meeting", fn=_meeting, hide="meetings.view_meeting")
def translation_create(request, pk):
    meeting = _meeting(request, pk)
    form = MeetingTranslationForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            translation = services.meeting_translation_create(meeting=meeting, **form.service_fields())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request, _("Informasjonen på %(language)s er lagret.") % {"language": translation.language.name}
            )
            return redirect("meetings:translations", pk=meeting.pk)
    return render(request, "meetings/translation_form.html", {"meeting": meeting, "form": form})


@login_required
@rule_required("meetings.change_meeting", fn=_meeting, hide="meetings.view_meeting")
def translation_edit(request, pk, code):
    meeting = _meeting(request, pk)
    translation = _translation(meeting, code)
    form = MeetingTranslationForm(request.POST or None, instance=translation, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_translation_update(translation=translation, **form.service_fields())
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(
                request, _("Informasjonen på %(language)s er lagret.") % {"language": translation.language.name}
            )
            return redirect("meetings:translations", pk=meeting.pk)
    return render(
        request, "meetings/translation_form.html", {"meeting": meeting, "form": form, "translation": translation}
    )


@login_required
@rule_required("meetings.change_meeting", fn=_meeting, hide="meetings.view_meeting")
def translation_delete(request, pk, code):
    meeting = _meeting(request, pk)
    translation = _translation(meeting, code)
    if request.method == "POST":
        try:
            services.meeting_translation_delete(translation=translation)
        except ValidationError as error:
            show_as_messages(request, error)
        else:
            messages.success(
                request, _("Informasjonen på %(language)s er slettet.") % {"language": translation.language.name}
            )
        return redirect("meetings:translations", pk=meeting.pk)
    return render(request, "meetings/translation_delete.html", {"meeting": meeting, "translation": translation})
