"""Sending and freezing a letter: its reference, its stored PDF, by email or by post."""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails, selectors
from ..domain import format_reference, posted_on_refusal
from ..models import Letter, LetterEvent, ReferenceCounter
from ..rendering import render_pdf
from .guards import letter_locked, require_editable, require_member
from .tracking import letter_event_add


def reference_allocate(*, year: int) -> str:
    """The next reference of the year. The counter row is locked, so two letters never share one."""
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(year=year)
        counter = ReferenceCounter.objects.select_for_update().get(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return format_reference(year, counter.last)


def _freeze(letter, *, user, channel, sent_on, sent_to=""):
    """Give the letter its reference, store the exact PDF and mark it sent. Returns the PDF bytes."""

    if not letter.reference:
        letter.reference = letter.follows_up.reference if letter.is_follow_up else reference_allocate(year=sent_on.year)
    letter.sent_at = timezone.now()
    letter.sent_on = sent_on
    letter.sent_by = user
    letter.channel = channel
    letter.sent_to = sent_to
    prefetch_related_objects([letter], *selectors.letter_parts())
    pdf = render_pdf(letter, final=True)
    letter.sent_pdf_sha256 = hashlib.sha256(pdf).hexdigest()
    letter.sent_pdf.save(f"{letter.reference}-{letter.pk}.pdf", ContentFile(pdf), save=False)
    letter.status = Letter.Status.SENT
    letter.full_clean()
    letter.save()
    if letter.is_follow_up:
        letter_event_add(letter.follows_up, LetterEvent.Kind.FOLLOW_UP, user)
    if channel == Letter.Channel.EMAIL:
        letter_event_add(letter, LetterEvent.Kind.SENT, user, channel=channel, to=sent_to)
    else:
        letter_event_add(letter, LetterEvent.Kind.SENT, user, channel=channel)
    return pdf


def _prepare_sending(letter, user):
    letter = letter_locked(letter)
    require_member(user, letter.group)
    require_editable(letter)
    if not letter.points.exists() and not letter.is_follow_up:
        raise ValidationError(_("Brevet må ha minst ett punkt å diskutere."))
    if not (letter.contact_email or letter.contact_address):
        raise ValidationError(
            _("Brevet må si hvor kommunen kan sende svar: fyll inn e-post eller adresse for svar i brevet.")
        )
    return letter


@transaction.atomic
def letter_send(*, letter, user) -> Letter:
    """Email the letter to the municipality's official address with the PDF attached; freeze it."""
    letter = _prepare_sending(letter, user)
    official_email = letter.group.authority.official_email
    if not official_email:
        raise ValidationError(
            _("Kommunen har ingen offisiell e-postadresse i portalen. Send brevet i posten i stedet.")
        )
    pdf = _freeze(letter, user=user, channel=Letter.Channel.EMAIL, sent_on=timezone.localdate(), sent_to=official_email)
    emails.letter_to_authority(letter, pdf)
    emails.letter_sent_confirmations(letter)
    return letter


@transaction.atomic
def letter_mark_posted(*, letter, user, posted_on: datetime.date) -> Letter:
    """Record that the letter went by post on `posted_on`; freeze it with that date."""
    letter = _prepare_sending(letter, user)
    refusal = posted_on_refusal(letter, posted_on)
    if refusal:
        raise ValidationError({"posted_on": refusal})
    _freeze(letter, user=user, channel=Letter.Channel.POST, sent_on=posted_on)
    emails.letter_sent_confirmations(letter)
    return letter
