"""Invitations that wait for a person while they sign up, confirm their address and sign in.

An invitation link followed while signed out, and an address confirmed that open invitations were
sent to, leave the invitation in the session. The login, sign-up and confirmation pages then say
who invited the person to what, and the next sign-in goes to the invitation
(AccountAdapter.get_login_redirect_url). Accepting is still the invitation page's own check: the
person must own the invited address (accounts.selectors.user_owns_email).

Apps register each kind of invitation they send in their AppConfig.ready. Only the kind and the
token are kept in the session; everything shown is read again from the invitation, so a used,
revoked or expired invitation simply stops being pending.
"""

from collections.abc import Callable
from dataclasses import dataclass

SESSION_KEY = "accounts_pending_invitations"


@dataclass(frozen=True)
class PendingInvitation:
    kind: str
    token: str
    # A sentence for the person: who invited them to what.
    description: str
    url: str


@dataclass(frozen=True)
class InvitationKind:
    key: str
    # The open invitation with this token, or None when it is used, revoked or expired.
    find: Callable[[str], PendingInvitation | None]
    # The tokens of the open invitations sent to this address.
    open_tokens_for: Callable[[str], list[str]]


_kinds: dict[str, InvitationKind] = {}


def register_invitation_kind(kind: InvitationKind) -> None:
    _kinds[kind.key] = kind


def pending_invitation_add(request, *, kind: str, token: str) -> None:
    entries = [list(entry) for entry in request.session.get(SESSION_KEY, [])]
    if [kind, token] not in entries:
        entries.append([kind, token])
        request.session[SESSION_KEY] = entries


def pending_invitation_remove(request, *, kind: str, token: str) -> None:
    entries = [list(entry) for entry in request.session.get(SESSION_KEY, [])]
    if [kind, token] in entries:
        entries.remove([kind, token])
        request.session[SESSION_KEY] = entries


def pending_invitations_add_for_address(request, *, email: str) -> None:
    """Remember every open invitation sent to the address: it was just confirmed, perhaps in
    another browser than the one the invitation link was opened in."""
    for kind in _kinds.values():
        for token in kind.open_tokens_for(email):
            pending_invitation_add(request, kind=kind.key, token=token)


def pending_invitations(request) -> list[PendingInvitation]:
    """The invitations still open among those the session remembers, oldest first; the rest are
    forgotten."""
    if request is None or not hasattr(request, "session"):
        return []
    entries = request.session.get(SESSION_KEY)
    if not entries:
        return []
    found, kept = [], []
    for kind_key, token in entries:
        kind = _kinds.get(kind_key)
        invitation = kind.find(token) if kind else None
        if invitation is not None:
            found.append(invitation)
            kept.append([kind_key, token])
    if kept != [list(entry) for entry in entries]:
        request.session[SESSION_KEY] = kept
    return found


def pending_invitation_accepted(request, *, kind: str, token: str) -> str | None:
    """Forget the accepted invitation; the address of the next one still waiting, if any."""
    pending_invitation_remove(request, kind=kind, token=token)
    waiting = pending_invitations(request)
    return waiting[0].url if waiting else None
