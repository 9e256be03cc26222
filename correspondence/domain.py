"""The rules of the correspondence app, each in one place: who may co-sign, what a response file
may be, how a reference looks."""

import io

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from dialog_portal.permissions import can
from organizations.rules import is_association_admin

MAX_RESPONSE_PDF_BYTES = 10 * 1024 * 1024
REMINDER_DAYS = (21, 42)


def format_reference(year: int, number: int) -> str:
    return f"DP-{year}-{number:04d}"


# What makes a PDF do more than show pages and follow web links. Viewers act on these when the
# file is opened or clicked, so an uploaded answer carrying any of them is refused.
SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/XFA"})
LAUNCHING_ACTIONS = frozenset({"/Launch", "/GoToR", "/GoToE", "/ImportData", "/SubmitForm", "/RichMediaExecute"})
EMBEDDED_FILE_KEYS = frozenset({"/EmbeddedFiles", "/EF"})

PDF_REFUSALS = {
    "pdf_script": gettext_lazy(
        "PDF-en inneholder skript (JavaScript), og slike filer tar vi ikke imot. "
        "Lagre dokumentet som en ny PDF (for eksempel med «Skriv ut» og «Lagre som PDF») og last opp den."
    ),
    "pdf_action": gettext_lazy(
        "PDF-en inneholder handlinger som kjører av seg selv, starter programmer eller åpner andre filer, "
        "og slike filer tar vi ikke imot. "
        "Lagre dokumentet som en ny PDF (for eksempel med «Skriv ut» og «Lagre som PDF») og last opp den."
    ),
    "pdf_embedded_file": gettext_lazy(
        "PDF-en har andre filer innebygd, og slike filer tar vi ikke imot. "
        "Lagre dokumentet som en ny PDF (for eksempel med «Skriv ut» og «Lagre som PDF») og last opp den."
    ),
}


def validate_pdf_upload(file):
    """An uploaded answer must be a PDF (by its content, not only its name), readable, not too
    large, not encrypted, and without active content.

    The model field runs this, so the portal's form, the service and anything else that saves a
    response through full_clean() all check the same way.
    """
    if file.size > MAX_RESPONSE_PDF_BYTES:
        raise ValidationError(
            gettext_lazy("Filen er for stor. Største tillatte størrelse er %(size)s MB."),
            params={"size": MAX_RESPONSE_PDF_BYTES // (1024 * 1024)},
            code="too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    data = file.read()
    file.seek(position)
    if not data.startswith(b"%PDF-"):
        raise ValidationError(gettext_lazy("Filen er ikke en PDF."), code="not_pdf")
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        found = set() if encrypted else _active_content(reader.root_object)
        has_pages = encrypted or len(reader.pages) > 0
    except Exception:
        # pypdf raises errors of many kinds on a damaged or hostile file; any of them means the
        # file cannot be read as the answer it claims to be.
        found, encrypted, has_pages = set(), False, False
    if encrypted:
        raise ValidationError(
            gettext_lazy("PDF-en er kryptert eller passordbeskyttet. Last opp en utgave uten passord."),
            code="pdf_encrypted",
        )
    if not has_pages:
        raise ValidationError(
            gettext_lazy("Filen kan ikke leses som en PDF. Den kan være skadet; prøv å lagre den på nytt."),
            code="pdf_unreadable",
        )
    if found:
        raise ValidationError(
            [ValidationError(PDF_REFUSALS[code], code=code) for code in PDF_REFUSALS if code in found]
        )


def _active_content(root) -> set[str]:
    """The kinds of active content anywhere in the document reachable from its catalog."""
    found = set()
    seen = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            keys = set(obj.keys())
            action = _name(obj, "/S")
            if keys & SCRIPT_KEYS or action == "/JavaScript":
                found.add("pdf_script")
            if "/AA" in keys or action in LAUNCHING_ACTIONS:
                found.add("pdf_action")
            if keys & EMBEDDED_FILE_KEYS or _name(obj, "/Subtype") == "/FileAttachment":
                found.add("pdf_embedded_file")
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return found


def _name(dictionary, key):
    # A hostile file may hide a name behind an indirect reference; resolve it before comparing.
    value = dictionary.get(key)
    return None if value is None else value.get_object()


NO_ANSWER, PRELIMINARY_ANSWER, ANSWERED = "none", "preliminary", "answered"


def answer_state(letter) -> str:
    """What the working group has logged of the municipality's answer to a sent letter: nothing yet,
    a preliminary answer, or an answer (an answer, an invitation to a dialogue meeting, or a status
    that says so)."""
    Status = letter.Status
    kinds = {response.kind for response in letter.responses.all()}
    if letter.status in (Status.ANSWERED, Status.MEETING_AGREED) or kinds & {"answer", "meeting"}:
        return ANSWERED
    if letter.status == Status.PRELIMINARY or "preliminary" in kinds:
        return PRELIMINARY_ANSWER
    return NO_ANSWER


def follow_up_refusal(letter) -> str | None:
    """Why no follow-up to `letter` may be made, or None if one may: only sent inquiries that the
    municipality has not answered and the group has not closed are followed up."""
    if letter.is_follow_up or not letter.is_frozen:
        return _("Bare sendte henvendelser kan purres.")
    if letter.status == letter.Status.CLOSED:
        return _("Brevet er avsluttet, så det sendes ingen purring.")
    if answer_state(letter) == ANSWERED:
        return _("Kommunen har svart på brevet, så det trengs ingen purring.")
    return None


def cosign_refusal(user, letter, association) -> str | None:
    """Why `user` may not co-sign `letter` on behalf of `association`, or None if they may.

    An admin of any approved association in the letter's municipality may co-sign for it, while
    the working group collects signatures, unless the municipality has yet to approve that someone
    took the association over (organizations.act_for_association).
    """

    if not user.is_authenticated:
        return _("Du må logge inn for å skrive under.")
    if letter.status != letter.Status.COLLECTING:
        return _("Brevet samler ikke underskrifter nå.")
    if association.municipality_id != letter.group.municipality_id:
        return _("Bare lag og foreninger i kommunen kan skrive under.")
    if association.status != association.Status.VERIFIED:
        return _("Bare godkjente lag og foreninger kan skrive under.")
    if not is_association_admin(user, association):
        return _("Bare administratorer for laget eller foreningen kan skrive under på vegne av den.")
    if not can(user, "organizations.act_for_association", association):
        return _("Kommunen har ikke godkjent at laget er tatt over ennå. Til da kan ingen skrive under for det.")
    return None


def withdraw_refusal(user, letter, association) -> str | None:
    """Why `user` may not withdraw `association`'s signature from `letter`, or None if they may.

    An admin of the association may withdraw until the letter is sent, also after the working
    group has taken it back to a draft.
    """

    if not user.is_authenticated:
        return _("Du må logge inn for å trekke en underskrift.")
    if letter.is_frozen:
        return _("Brevet er sendt og kan ikke endres.")
    if not is_association_admin(user, association):
        return _("Bare administratorer for laget eller foreningen kan trekke underskriften.")
    return None


def validate_group_associations(municipality_id, associations):
    """A working group's participating associations are from the group's municipality."""
    if any(association.municipality_id != municipality_id for association in associations):
        raise ValidationError({"associations": _("Lagene og foreningene må høre til kommunen arbeidsgruppen er i.")})


def validate_meeting_in_municipality(meeting, municipality_id, *, field):
    """A working group links only meetings of its own municipality: its founding discussion
    meeting and the dialogue meetings that follow its letters."""
    if meeting is not None and meeting.municipality_id != municipality_id:
        raise ValidationError({field: _("Møtet må være i kommunen arbeidsgruppen hører til.")})


def posted_on_refusal(letter, posted_on) -> str | None:
    """Why `posted_on` cannot be the date `letter` went by post, or None if it can: not in the
    future, and not before the letter was written in the portal."""
    if posted_on > timezone.localdate():
        return _("Datoen kan ikke være fram i tid.")
    created_on = timezone.localdate(letter.created_at)
    if posted_on < created_on:
        return _("Brevet ble laget %(date)s, så det kan ikke være postlagt før det. Oppgi datoen det ble postlagt.") % {
            "date": formats.date_format(created_on, "j. F Y")
        }
    return None


def may_cosign(user, letter, association) -> bool:
    return cosign_refusal(user, letter, association) is None
