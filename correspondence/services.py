"""Every write in the correspondence app that has a rule: keyword-only, validated, in a transaction."""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import email_ownership_problem
from dialog_portal.permissions import can
from dialog_portal.updates import model_assign
from organizations.models import INVITATION_VALIDITY

from . import emails, selectors, texts
from .domain import (
    REMINDER_DAYS,
    cosign_refusal,
    follow_up_refusal,
    format_reference,
    posted_on_refusal,
    validate_group_associations,
    withdraw_refusal,
)
from .models import (
    CopyRecipient,
    DiscussionPoint,
    GroupInvitation,
    GroupMembership,
    Letter,
    LetterEvent,
    ReferenceCounter,
    Response,
    Signature,
    WorkingGroup,
)
from .rendering import render_pdf

Status = Letter.Status


def _require_member(user, group):
    if not can(user, "correspondence.change_group", group):
        raise PermissionDenied(_("Bare medlemmer av arbeidsgruppen kan gjøre dette."))


def _require_editable(letter):
    if letter.is_frozen:
        raise ValidationError(_("Brevet er sendt og kan ikke endres."), code="frozen")


def letter_event_add(letter, kind, actor=None, **params):
    """A line in the letter's timeline; `params` are stored as data and written out when shown."""
    event = LetterEvent(letter=letter, kind=kind, actor=actor, params=params)
    event.full_clean()
    event.save()
    return event


def _locked(letter) -> Letter:
    return (
        Letter.objects.select_for_update(of=("self",))
        .select_related("group__municipality", "group__district")
        .get(pk=letter.pk)
    )


# Working groups


@transaction.atomic
def group_create(*, user, categories=(), associations=(), **fields) -> WorkingGroup:
    """Start a working group; the person who starts it is its first member and its leader."""
    group = WorkingGroup(**fields)
    group.full_clean()
    group.save()
    group.categories.set(categories)
    group_set_associations(group=group, associations=associations)
    GroupMembership.objects.create(group=group, user=user, is_leader=True)
    return group


@transaction.atomic
def group_update(*, group, user, categories=None, associations=None, **fields) -> WorkingGroup:
    _require_member(user, group)
    model_assign(instance=group, data=fields)
    group.full_clean()
    group.save()
    if categories is not None:
        group.categories.set(categories)
    if associations is not None:
        group_set_associations(group=group, associations=associations)
    return group


@transaction.atomic
def group_set_associations(*, group, associations) -> None:
    """The participating associations, all from the group's municipality. Used by the admin as well."""
    validate_group_associations(group.municipality_id, associations)
    group.associations.set(associations)


@transaction.atomic
def group_invite(*, group, invited_by, email) -> GroupInvitation:
    """Invite someone by email; they join when they open the link signed in with that address."""
    _require_member(invited_by, group)
    email = email.strip().lower()
    if group.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": _("Personen er allerede medlem av arbeidsgruppen.")})
    invitation = (
        GroupInvitation.objects.select_for_update().filter(group=group, email=email, accepted_at__isnull=True).first()
    )
    if invitation is None:
        invitation = GroupInvitation(group=group, email=email, invited_by=invited_by)
        invitation.full_clean()
        invitation.save()
    else:
        # Inviting again renews the open invitation, and the renewal is a new occasion for the email.
        invitation.created_at = timezone.now()
        invitation.expires_at = invitation.created_at + INVITATION_VALIDITY
        invitation.invited_by = invited_by
        invitation.save(update_fields=["created_at", "expires_at", "invited_by"])
    emails.invitation(invitation)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation, user) -> GroupMembership:
    invitation = GroupInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("Invitasjonen er allerede brukt."), code="used")
    if invitation.is_expired:
        raise ValidationError(_("Invitasjonen er utløpt. Be arbeidsgruppen om en ny."), code="expired")
    problem = email_ownership_problem(user=user, email=invitation.email)
    if problem:
        raise ValidationError(problem, code="wrong_user")
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    membership, _created = GroupMembership.objects.get_or_create(group=invitation.group, user=user)
    return membership


@transaction.atomic
def group_leader_set(*, group, user, leader) -> None:
    _require_member(user, group)
    if not group.memberships.filter(user=leader).exists():
        raise ValidationError(_("Lederen må være medlem av arbeidsgruppen."))
    group.memberships.filter(is_leader=True).update(is_leader=False)
    group.memberships.filter(user=leader).update(is_leader=True)


# Composing a letter


@transaction.atomic
def letter_create(*, group, user, language=None) -> Letter:
    """A new draft inquiry with every part filled in from the group's and the municipality's record."""
    _require_member(user, group)
    language = language or texts.language_for(group.municipality.written_standard)
    authority = group.authority
    letter = Letter(
        group=group,
        language=language,
        created_by=user,
        **{name: getattr(authority, name) for name in Letter.ADDRESSEE_FIELDS if name != "authority_name"},
        authority_name=texts.authority_name(group),
        contact_name=user.full_name,
        contact_email=user.email,
        contact_phone=user.phone,
        edited_parts=[],
        **texts.default_parts(group, language),
    )
    letter.full_clean()
    letter.save()
    points = texts.default_points(language)
    _points_replace(letter, points, defaults=points)
    for position, leader in enumerate(group.municipality.party_leaders.all()):
        CopyRecipient.objects.create(
            letter=letter, position=position, name=leader.name, role=leader.party, email=leader.email
        )
    letter_event_add(letter, LetterEvent.Kind.CREATED, user)
    return letter


def normalised_text(text: str) -> str:
    """Text as the letter keeps it: newlines for line breaks (browsers post CRLF), no white space around it."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _points_replace(letter, points, *, defaults):
    """Replace the points; each one that reads as one of the default points `defaults` is marked as that one."""
    letter.points.all().delete()
    default_index = {normalised_text(text): index for index, text in enumerate(defaults)}
    kept = [text for text in map(normalised_text, points) if text]
    DiscussionPoint.objects.bulk_create(
        DiscussionPoint(letter=letter, position=position, text=text, default_index=default_index.get(text))
        for position, text in enumerate(kept)
    )


def _edited_parts(letter, defaults) -> set[str]:
    if letter.edited_parts is not None:
        return set(letter.edited_parts)
    return {name for name, text in defaults["parts"].items() if not _same_text(getattr(letter, name), text)}


def _same_text(a: str, b: str) -> bool:
    return normalised_text(a or "") == normalised_text(b or "")


@transaction.atomic
def letter_update(*, letter, user, parts: dict, points: list[str] | None = None, copies: list[dict] | None = None):
    """Save the edited parts of a draft. `points` and `copies` replace the lists, in the given order."""
    letter = _locked(letter)
    _require_member(user, letter.group)
    _require_editable(letter)
    unknown = set(parts) - set(Letter.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not a letter part: {', '.join(sorted(unknown))}")
    defaults = _defaults(letter, letter.language)
    edited = _edited_parts(letter, defaults)
    model_assign(
        instance=letter,
        data={name: normalised_text(value) if isinstance(value, str) else value for name, value in parts.items()},
    )
    if letter.language != defaults["language"]:
        defaults = _defaults(letter, letter.language)
    # A part is the writers' own when it reads differently from the default of the letter's målform.
    for name in set(parts) & set(defaults["parts"]):
        if _same_text(getattr(letter, name), defaults["parts"][name]):
            edited.discard(name)
        else:
            edited.add(name)
    letter.edited_parts = sorted(edited)
    letter.full_clean()
    letter.save()
    if points is not None:
        _points_replace(letter, points, defaults=defaults["points"])
    if copies is not None:
        letter.copies.all().delete()
        for position, copy in enumerate(copies):
            recipient = CopyRecipient(letter=letter, position=position, **copy)
            recipient.full_clean()
            recipient.save()
    return letter


@transaction.atomic
def letter_set_language(*, letter, user, language) -> Letter:
    """Switch between Bokmål and Nynorsk. Parts still holding the default text get the default text
    in the other målform; parts someone has edited are left as they are."""
    letter = _locked(letter)
    _require_member(user, letter.group)
    _require_editable(letter)
    if language == letter.language:
        return letter
    old, new = _defaults(letter, letter.language), _defaults(letter, language)
    recorded = letter.edited_parts is not None
    edited = _edited_parts(letter, old)
    for name, text in new["parts"].items():
        if name not in edited:
            setattr(letter, name, text)
    letter.language = language
    letter.edited_parts = sorted(edited)
    letter.full_clean()
    letter.save()
    old_points = [normalised_text(text) for text in old["points"]]
    points = []
    for point in letter.points.all():
        index = point.default_index
        if index is None and not recorded:
            index = old_points.index(point.text) if point.text in old_points else None
        points.append(new["points"][index] if index is not None and index < len(new["points"]) else point.text)
    _points_replace(letter, points, defaults=new["points"])
    return letter


def _defaults(letter, language):
    """The portal's own text of every part of `letter` in `language`, and its default points."""
    if letter.is_follow_up:
        parts, points = texts.follow_up_parts(letter.follows_up, language), []
    else:
        parts, points = texts.default_parts(letter.group, language), texts.default_points(language)
    return {"language": language, "parts": parts, "points": points}


@transaction.atomic
def letter_delete(*, letter, user) -> None:
    """Delete a letter that has not been sent, with its parts, timeline and signatures.

    The associations' signatures go with it; whoever signed for them is told by email, since
    their name was on a letter that no longer exists. A sent letter is never deleted.
    """
    letter = _locked(letter)
    if not can(user, "correspondence.delete_letter", letter):
        if letter.is_frozen:
            raise ValidationError(_("Brevet er sendt og kan ikke slettes."), code="frozen")
        raise PermissionDenied(_("Bare medlemmer av arbeidsgruppen kan gjøre dette."))
    signatures = list(letter.signatures.select_related("association", "signed_by"))
    emails.letter_deleted_notices(letter, signatures, user)
    letter.delete()


# Co-signing


@transaction.atomic
def letter_open_for_signatures(*, letter, user) -> Letter:
    letter = _locked(letter)
    _require_member(user, letter.group)
    if letter.status != Status.DRAFT:
        raise ValidationError(_("Bare utkast kan åpnes for underskrifter."))
    letter.status = Status.COLLECTING
    letter.full_clean()
    letter.save()
    letter_event_add(letter, LetterEvent.Kind.OPENED, user)
    emails.signature_requests(letter)
    return letter


@transaction.atomic
def letter_close_for_signatures(*, letter, user) -> Letter:
    """Take the letter back to a draft; signatures already given are kept."""
    letter = _locked(letter)
    _require_member(user, letter.group)
    if letter.status != Status.COLLECTING:
        raise ValidationError(_("Brevet samler ikke underskrifter nå."))
    letter.status = Status.DRAFT
    letter.save()
    return letter


@transaction.atomic
def letter_sign(*, letter, association, user, signer_name: str = "", signer_role: str = "") -> Signature:
    """Co-sign for `association`. The letter names the signer (the user's own name unless another is
    given) and the role they sign in."""
    letter = _locked(letter)
    refusal = cosign_refusal(user, letter, association)
    if refusal:
        raise PermissionDenied(refusal)
    if letter.signatures.filter(association=association).exists():
        raise ValidationError(_("%(name)s har allerede skrevet under.") % {"name": association.name})
    signature = Signature(
        letter=letter,
        association=association,
        signed_by=user,
        signer_name=" ".join(signer_name.split()) or user.full_name,
        signer_role=" ".join(signer_role.split()),
    )
    signature.full_clean()
    signature.save()
    letter_event_add(letter, LetterEvent.Kind.SIGNED, user, association=association.name)
    return signature


@transaction.atomic
def letter_withdraw_signature(*, letter, association, user) -> None:
    letter = _locked(letter)
    _require_editable(letter)
    refusal = withdraw_refusal(user, letter, association)
    if refusal:
        raise PermissionDenied(refusal)
    signature = letter.signatures.filter(association=association).first()
    if signature is None:
        raise ValidationError(_("%(name)s har ikke skrevet under.") % {"name": association.name})
    signature.delete()
    letter_event_add(letter, LetterEvent.Kind.WITHDRAWN, user, association=association.name)


# Sending and freezing


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
    letter.status = Status.SENT
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
    letter = _locked(letter)
    _require_member(user, letter.group)
    _require_editable(letter)
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


# Tracking


RESPONSE_STATUS = {
    Response.Kind.PRELIMINARY: Status.PRELIMINARY,
    Response.Kind.ANSWER: Status.ANSWERED,
    Response.Kind.MEETING: Status.MEETING_AGREED,
}
STATUS_ORDER = [s.value for s in Status]


@transaction.atomic
def response_log(*, letter, user, received_on, kind, summary, document=None) -> Response:
    letter = _locked(letter)
    _require_member(user, letter.group)
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
    letter = _locked(letter)
    _require_member(user, letter.group)
    if status not in Letter.FROZEN_STATUSES or not letter.is_frozen:
        raise ValidationError(_("Statusen kan ikke endres slik."))
    letter.status = status
    letter.save(update_fields=["status", "updated_at"])
    letter_event_add(letter, LetterEvent.Kind.STATUS, user, status=letter.status)
    return letter


@transaction.atomic
def letter_set_published(*, letter, user, published: bool) -> Letter:
    letter = _locked(letter)
    _require_member(user, letter.group)
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
    letter = _locked(letter)
    _require_member(user, letter.group)
    if not letter.is_frozen:
        raise ValidationError(_("Et dialogmøte kan bare knyttes til brev som er sendt."))
    if meeting is not None and meeting.pk == letter.dialogue_meeting_id:
        return letter
    letter.dialogue_meeting = meeting
    if meeting is not None and STATUS_ORDER.index(Status.MEETING_AGREED) > STATUS_ORDER.index(letter.status):
        letter.status = Status.MEETING_AGREED
    letter.full_clean()
    letter.save(update_fields=["dialogue_meeting", "status", "updated_at"])
    if meeting is not None:
        letter_event_add(letter, LetterEvent.Kind.MEETING, user, meeting=meeting.title)
    return letter


def groups_keep_founding_meeting(*, meeting) -> None:
    """Before a founding meeting is deleted, copy its date, time and place into the groups that
    relied on it, so their letters can still say when the discussion meeting was held."""
    for group in WorkingGroup.objects.filter(founding_meeting=meeting).select_related("founding_meeting"):
        fields = {
            "meeting_date": group.discussion_date,
            "meeting_time": group.discussion_time,
            "meeting_place": group.discussion_place,
        }
        WorkingGroup.objects.filter(pk=group.pk).update(**fields)


# Follow-ups


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
    draft = letter.follow_ups.filter(status=Status.DRAFT).first()
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
    letter = _locked(letter)
    _require_member(user, letter.group)
    _check_may_follow_up(letter)
    follow_up = letter.follow_ups.filter(status=Status.DRAFT).first()
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
