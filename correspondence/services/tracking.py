"""After sending: the timeline, logged answers, status and publishing, linked meetings and follow-up letters."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import texts
from ..domain import REMINDER_DAYS, follow_up_refusal
from ..models import CopyRecipient, Letter, LetterEvent, Response
from .guards import letter_locked, require_member


def letter_event_add(letter, kind, actor=None, **params):
    """A line in the letter's timeline; `params` are stored as data and written out when shown."""
    event = LetterEvent(letter=letter, kind=kind, actor=actor, params=params)
    event.full_clean()
    event.save()
    return event


RESPONSE_STATUS = {
    Response.Kind.PRELIMINARY: Letter.Status.PRELIMINARY,
    Response.Kind.ANSWER: Letter.Status.ANSWERED,
    Response.Kind.MEETING: Letter.Status.MEETING_AGREED,
}


STATUS_ORDER = [s.value for s in Letter.Status]


@transaction.atomic
def response_log(*, letter, user, received_on, kind, summary, document=None) -> Response:
    letter = letter_locked(letter)
    require_member(user, letter.group)
    if not letter.is_frozen:
        raise ValidationError(_("Svar kan bare registreres på brev som er sendt."))
    if received_on < letter.sent_on:
        raise ValidationError({"received_on": _("Svaret kan ikke være mottatt før brevet ble sendt.")})
    response = Response(
        letter=letter, received_on=received_on, kind=kind, summary=summary, document=document, logged_by=user
    )
    response.full_clean()
    response.save()
    letter_event_add(letter, LetterEvent.Kind.RESPONSE, user, response=response.kind)
    new_status = RESPONSE_STATUS.get(kind)
    if new_status and STATUS_ORDER.index(new_status) > STATUS_ORDER.index(letter.status):
        letter.status = new_status
        letter.save(update_fields=["status", "updated_at"])
    return response


@transaction.atomic
def letter_set_status(*, letter, user, status) -> Letter:
    """Move a sent letter on: answered, dialogue meeting agreed, closed. Never back to a draft."""
    letter = letter_locked(letter)
    require_member(user, letter.group)
    if status not in Letter.FROZEN_STATUSES or not letter.is_frozen:
        raise ValidationError(_("Statusen kan ikke endres slik."))
    letter.status = status
    letter.save(update_fields=["status", "updated_at"])
    letter_event_add(letter, LetterEvent.Kind.STATUS, user, status=letter.status)
    return letter


@transaction.atomic
def letter_set_published(*, letter, user, published: bool) -> Letter:
    letter = letter_locked(letter)
    require_member(user, letter.group)
    if not letter.is_frozen:
        raise ValidationError(_("Bare sendte brev kan publiseres."))
    if letter.published != published:
        letter.published = published
        letter.save(update_fields=["published", "updated_at"])
        letter_event_add(letter, LetterEvent.Kind.PUBLISHED if published else LetterEvent.Kind.UNPUBLISHED, user)
    return letter


@transaction.atomic
def letter_link_dialogue_meeting(*, letter, user, meeting) -> Letter:
    """Link the dialogue meeting that follows a sent letter (or unlink it with None). Linking moves
    the letter on to "dialogue meeting agreed" unless it is further along already."""
    letter = letter_locked(letter)
    require_member(user, letter.group)
    if not letter.is_frozen:
        raise ValidationError(_("Et dialogmøte kan bare knyttes til brev som er sendt."))
    if meeting is not None and meeting.pk == letter.dialogue_meeting_id:
        return letter
    letter.dialogue_meeting = meeting
    if meeting is not None and STATUS_ORDER.index(Letter.Status.MEETING_AGREED) > STATUS_ORDER.index(letter.status):
        letter.status = Letter.Status.MEETING_AGREED
    letter.full_clean()
    letter.save(update_fields=["dialogue_meeting", "status", "updated_at"])
    if meeting is not None:
        letter_event_add(letter, LetterEvent.Kind.MEETING, user, meeting=meeting.title)
    return letter


@transaction.atomic
def letter_link_action(*, letter, user, action) -> LetterEvent:
    """Put an agreed action from one of the municipality's meetings on the letter's timeline, so
    the group follows it up with the letter. Each action appears once."""
    letter = letter_locked(letter)
    require_member(user, letter.group)
    if not letter.is_frozen:
        raise ValidationError(_("Et tiltak kan bare knyttes til brev som er sendt."))
    if action.meeting.municipality_id != letter.group.municipality_id or action.meeting.summary_published_at is None:
        raise ValidationError({"action": _("Velg et tiltak fra et møte i kommunen brevet er sendt til.")})
    if letter.events.filter(kind=LetterEvent.Kind.ACTION, action=action).exists():
        raise ValidationError({"action": _("Tiltaket er allerede knyttet til brevet.")})
    event = LetterEvent(
        letter=letter, kind=LetterEvent.Kind.ACTION, actor=user, action=action, params={"action": action.title}
    )
    event.full_clean()
    event.save()
    return event


def _check_may_follow_up(letter):
    refusal = follow_up_refusal(letter)
    if refusal:
        raise ValidationError(refusal)


def _copies_party_leaders(letter) -> bool:
    """From six weeks on, the follow-up goes with copies to the first letter's copy list."""
    return timezone.now() - letter.sent_at >= datetime.timedelta(days=REMINDER_DAYS[1])


def follow_up_preview(*, letter) -> dict:
    """What follow_up_prepare would create for `letter`, without writing anything: the open draft
    if there is one, otherwise the pre-filled parts and the copy list it would get."""
    _check_may_follow_up(letter)
    draft = letter.follow_ups.filter(status=Letter.Status.DRAFT).first()
    copies = list(letter.copies.all()) if _copies_party_leaders(letter) else []
    return {
        "draft": draft,
        "parts": texts.follow_up_parts(letter, letter.language),
        "copies": copies if draft is None or not draft.copies.exists() else [],
    }


@transaction.atomic
def follow_up_prepare(*, letter, user) -> Letter:
    """The follow-up draft to `letter`, pre-filled; the same draft again if one is open already.

    It goes nowhere by itself: a member reads it and sends it. From six weeks on, the party
    leaders on the first letter's copy list are on the follow-up's copy list as well.
    """
    letter = letter_locked(letter)
    require_member(user, letter.group)
    _check_may_follow_up(letter)
    follow_up = letter.follow_ups.filter(status=Letter.Status.DRAFT).first()
    if follow_up is None:
        follow_up = Letter(
            group=letter.group,
            kind=Letter.Kind.FOLLOW_UP,
            follows_up=letter,
            language=letter.language,
            reference=letter.reference,
            created_by=user,
            **{name: getattr(letter, name) for name in Letter.ADDRESSEE_FIELDS},
            contact_name=letter.contact_name,
            contact_address=letter.contact_address,
            contact_email=letter.contact_email,
            contact_phone=letter.contact_phone,
            edited_parts=[],
            **texts.follow_up_parts(letter, letter.language),
        )
        follow_up.full_clean()
        follow_up.save()
        letter_event_add(follow_up, LetterEvent.Kind.CREATED, user)
    if _copies_party_leaders(letter) and not follow_up.copies.exists():
        for copy in letter.copies.all():
            CopyRecipient.objects.create(
                letter=follow_up, position=copy.position, name=copy.name, role=copy.role, email=copy.email
            )
    return follow_up
