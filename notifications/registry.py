"""The one registry of every email the portal sends.

Each app declares its kinds in ``<app>/emails.py`` (loaded when the notifications app is ready)::

    from notifications.registry import EmailKind, register

    ASSOCIATION_VERIFIED = register(
        EmailKind(
            key="organizations.association_verified",
            template="organizations/emails/association_verified",
            description="Foreningen er godkjent",
        )
    )

A kind's template prefix names three templates: ``<prefix>_subject.txt`` (one line),
``<prefix>.txt`` (plain text, rendered without HTML escaping) and ``<prefix>.html`` (an HTML
fragment, escaped as usual). The portal wraps both bodies in a layout with the portal's name and
a link to the notification settings, so the kind's templates hold only the message itself.
Texts go through gettext: write them in Norwegian Bokmål; they are rendered in the recipient's
preferred language.

``transactional=False`` marks a reminder: users may switch reminders off, transactional emails
(confirmations, invitations, decisions) always go out.

``automatic=False`` marks a message a person sends through the portal (a letter to a municipality):
it carries no ``Auto-Submitted: auto-generated`` header, which would tell the receiving mail system
that no person sent it (so it sends no receipt and may file it away as machine mail).

The email's own subject reaches the layout as ``email_subject``; ``subject`` is free for the kinds'
context.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class EmailKind:
    key: str
    template: str
    transactional: bool = True
    description: str = ""
    automatic: bool = True
    # The context holds one-time links (password reset, address confirmation): the Django admin
    # shows that it is there, never what it says.
    secret: bool = False

    @property
    def subject_template(self) -> str:
        return f"{self.template}_subject.txt"

    @property
    def text_template(self) -> str:
        return f"{self.template}.txt"

    @property
    def html_template(self) -> str:
        return f"{self.template}.html"


class UnknownEmailKind(LookupError):
    pass


_kinds: dict[str, EmailKind] = {}


def register(kind: EmailKind) -> EmailKind:
    """Add a kind. Registering the same kind twice is harmless; redefining a key is an error."""
    if not kind.key or not kind.template:
        raise ValueError("An email kind needs a key and a template prefix.")
    existing = _kinds.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"The email kind {kind.key!r} is already registered differently: {existing!r}.")
    _kinds[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """Remove a kind (for tests that register their own)."""
    _kinds.pop(key, None)


def get_kind(key: str) -> EmailKind:
    try:
        return _kinds[key]
    except KeyError:
        raise UnknownEmailKind(f"No email kind is registered as {key!r}.") from None


def all_kinds() -> list[EmailKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)
