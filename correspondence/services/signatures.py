"""Co-signing: opening a letter for signatures, signing and withdrawing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import emails
from ..domain import cosign_refusal, withdraw_refusal
from ..models import Letter, LetterEvent, Signature
from .guards import letter_locked, require_editable, require_member
from .tracking import letter_event_add


@transaction.atomic
def letter_open_for_signatures(*, letter, user) -> Letter:
    letter = letter_locked(letter)
    require_member(user, letter.group)
    if letter.status != Letter.Status.DRAFT:
        raise ValidationError(_("Bare utkast kan åpnes for underskrifter."))
    letter.status = Letter.Status.COLLECTING
    letter.full_clean()
    letter.save()
    letter_event_add(letter, LetterEvent.Kind.OPENED, user)
    emails.signature_requests(letter)
    return letter


@transaction.atomic
def letter_close_for_signatures(*, letter, user) -> Letter:
    """Take the letter back to a draft; signatures already given are kept."""
    letter = letter_locked(letter)
    require_member(user, letter.group)
    if letter.status != Letter.Status.COLLECTING:
        raise ValidationError(_("Brevet samler ikke underskrifter nå."))
    letter.status = Letter.Status.DRAFT
    letter.save()
    return letter


@transaction.atomic
def letter_sign(*, letter, association, user, signer_name: str = "", signer_role: str = "") -> Signature:
    """Co-sign for `association`. The letter names the signer (the user's own name unless another is
    given) and the role they sign in."""
    letter = letter_locked(letter)
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
    letter = letter_locked(letter)
    require_editable(letter)
    refusal = withdraw_refusal(user, letter, association)
    if refusal:
        raise PermissionDenied(refusal)
    signature = letter.signatures.filter(association=association).first()
    if signature is None:
        raise ValidationError(_("%(name)s har ikke skrevet under.") % {"name": association.name})
    signature.delete()
    letter_event_add(letter, LetterEvent.Kind.WITHDRAWN, user, association=association.name)
