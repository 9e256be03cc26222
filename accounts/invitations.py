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

from django.db.models import QuerySet
from django.urls import reverse

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
    """One kind of invitation an app sends: its model has token, email, invited_by and created_at,
    and a foreign key (`to`) to what the person is invited to, whose name the sentence shows."""

    key: str
    # The invitations not yet used, revoked or expired.
    open_invitations: Callable[[], QuerySet]
    to: str
    # The sentence for the person, with %(inviter)s and %(name)s; and without an inviter.
    text_with_inviter: str
    text: str
    # The URL name of the page that accepts the invitation, taking the token.
    accept_url_name: str

    def find(self, token: str) -> PendingInvitation | None:
        """The open invitation with this token, or None when it is used, revoked or expired."""
        invitation = self.open_invitations().select_related(self.to, "invited_by").filter(token=token).first()
        if invitation is None:
            return None
        names = {"name": getattr(invitation, self.to).name, "inviter": invitation.invited_by}
        description = (self.text_with_inviter if invitation.invited_by else self.text) % names
        return PendingInvitation(
            kind=self.key, token=token, description=description, url=reverse(self.accept_url_name, args=[token])
        )

    def open_tokens_for(self, email: str) -> list[str]:
        """The tokens of the open invitations sent to this address, oldest first."""
        return list(
            self.open_invitations()
            .filter(email__iexact=email.strip())
            .order_by("created_at")
            .values_list("token", flat=True)
        )


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
