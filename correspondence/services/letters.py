"""Composing a letter: creating, editing, its language and deleting a draft."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dialog_portal.permissions import can
from dialog_portal.updates import model_assign

from .. import emails, texts
from ..models import CopyRecipient, DiscussionPoint, Letter, LetterEvent
from .guards import letter_locked, require_editable, require_member
from .tracking import letter_event_add


@transaction.atomic
def letter_create(*, group, user, language=None) -> Letter:
    """A new draft inquiry with every part filled in from the group's and the municipality's record."""
    require_member(user, group)
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
    letter = letter_locked(letter)
    require_member(user, letter.group)
    require_editable(letter)
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
    letter = letter_locked(letter)
    require_member(user, letter.group)
    require_editable(letter)
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
    letter = letter_locked(letter)
    if not can(user, "correspondence.delete_letter", letter):
        if letter.is_frozen:
            raise ValidationError(_("Brevet er sendt og kan ikke slettes."), code="frozen")
        raise PermissionDenied(_("Bare medlemmer av arbeidsgruppen kan gjøre dette."))
    signatures = list(letter.signatures.select_related("association", "signed_by"))
    emails.letter_deleted_notices(letter, signatures, user)
    letter.delete()
