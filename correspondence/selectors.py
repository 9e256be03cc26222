"""Reads that the correspondence pages share, each O(1) in queries."""

import io

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy
from pypdf import PdfReader

from accounts.invitations import InvitationKind
from organizations.models import Association, Membership, Municipality
from organizations.selectors import associations_acting_for

from . import emails
from .models import GroupInvitation, GroupMembership, Letter, Signature, WorkingGroup
from .rendering import render_pdf

# The key of working-group invitations among the invitations that wait while someone signs up.
INVITATION_KIND = "correspondence.invitation"


def groups_for_user(*, user):
    """The working groups the user belongs to, and for municipal staff those of their municipalities."""
    if not user.is_authenticated:
        return WorkingGroup.objects.none()
    staff_of = user.staff_roles.values("municipality_id")
    return (
        WorkingGroup.objects.filter(Q(memberships__user=user) | Q(municipality_id__in=staff_of))
        .distinct()
        .select_related("municipality", "district")
        .annotate(member_count=Count("memberships", distinct=True), letter_count=Count("letters", distinct=True))
        .order_by("-created_at")
    )


def cosigning_associations(*, user, municipality_id=None):
    """The associations `user` may co-sign letters for: those they admin and may act for, in the
    letter's municipality when one is given. correspondence.domain.cosign_refusal says why not."""
    associations = associations_acting_for(user=user).filter(
        memberships__user=user, memberships__role=Membership.Role.ADMIN
    )
    if municipality_id is not None:
        associations = associations.filter(municipality_id=municipality_id)
    return associations


def letters_open_for_signing(*, user):
    """Letters collecting signatures in municipalities where the user is admin of an approved association."""
    if not user.is_authenticated:
        return Letter.objects.none()
    municipalities = cosigning_associations(user=user).values("municipality_id")
    return (
        Letter.objects.filter(status=Letter.Status.COLLECTING, group__municipality_id__in=municipalities)
        .select_related("group__municipality")
        .annotate(signature_count=Count("signatures"))
        .order_by("-updated_at")
    )


def municipalities_with_published_letters():
    published = Letter.objects.filter(
        published=True, status__in=Letter.FROZEN_STATUSES, group__municipality=OuterRef("pk")
    )
    return Municipality.objects.filter(Exists(published)).order_by("name")


def published_letters(*, municipality=None):
    letters = Letter.objects.filter(published=True, status__in=Letter.FROZEN_STATUSES).select_related(
        "group__municipality", "group__district"
    )
    if municipality is not None:
        letters = letters.filter(group__municipality=municipality)
    return letters.order_by("-sent_at")


def group_for_page(*, pk):
    return (
        WorkingGroup.objects.select_related("municipality", "district", "founding_meeting")
        .prefetch_related(
            Prefetch("memberships", queryset=GroupMembership.objects.select_related("user")),
            "categories",
            "associations",
            "invitations",
        )
        .get(pk=pk)
    )


def letters_of_group(*, group, sent_only: bool):
    """The group's letters, newest first; only the sent ones for those who see no drafts."""
    letters = group.letters.order_by("-created_at", "-pk")
    return letters.filter(status__in=Letter.FROZEN_STATUSES) if sent_only else letters


def letter_for_page(*, pk):
    return (
        Letter.objects.select_related(
            "group__municipality", "group__district", "follows_up", "sent_by", "dialogue_meeting"
        )
        .prefetch_related(
            Prefetch("group__memberships", queryset=GroupMembership.objects.select_related("user")),
            "points",
            "copies",
            "signatures__association",
            "signatures__signed_by",
            "responses",
            "events__actor",
            "events__action__meeting__municipality",
            "group__categories",
            "follow_ups",
        )
        .get(pk=pk)
    )


def letter_parts():
    """The prefetches that `rendering.letter_document` reads: points, copies, signatures with their
    associations and signers."""
    return (
        "points",
        "copies",
        Prefetch("signatures", queryset=Signature.objects.select_related("association", "signed_by")),
    )


def letter_for_rendering(*, pk):
    """The letter with exactly what its PDF and DOCX show: four queries, whatever the number of co-signers."""
    return (
        Letter.objects.select_related("group__municipality", "group__district", "follows_up")
        .prefetch_related(*letter_parts())
        .get(pk=pk)
    )


def signable_associations(*, user, letter):
    """The associations the user may still co-sign the letter for."""
    if not user.is_authenticated:
        return Association.objects.none()
    return (
        cosigning_associations(user=user, municipality_id=letter.group.municipality_id)
        .exclude(letter_signatures__letter=letter)
        .order_by("name")
    )


def signed_by_user(*, user, letter):
    """Signatures on the letter the user may withdraw: those of associations they admin."""
    if not user.is_authenticated:
        return []
    admin_of = set(
        Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values_list("association_id", flat=True)
    )
    return [signature for signature in letter.signatures.all() if signature.association_id in admin_of]


def letters_cosigned_by(*, association, unpublished_too: bool, limit: int = 20) -> dict:
    """The sent letters the association co-signed, newest first: the published ones, and with
    `unpublished_too` (its members, the municipality's staff) the others as well. Two queries."""
    letters = Letter.objects.filter(signatures__association=association, status__in=Letter.FROZEN_STATUSES)
    if not unpublished_too:
        letters = letters.filter(published=True)
    letters = letters.select_related("group").order_by("-sent_at", "-pk")
    return {"letters": list(letters[:limit]), "total": letters.count()}


def _pdf_facts(filename: str, content: bytes) -> dict:
    return {"filename": filename, "pages": len(PdfReader(io.BytesIO(content)).pages), "size": len(content)}


def letter_sending_summary(*, letter) -> dict:
    """What sending `letter` (from letter_for_page) does, for the page that asks to confirm it:
    the addresses it goes to, where answers go, the attached files and who has co-signed."""

    copies = list(letter.copies.all())
    # The file as it will be attached; the reference of a new inquiry is only given when it is sent.
    pdf = render_pdf(letter, final=True)
    attachments = [_pdf_facts(f"{letter.reference or 'DP-ÅÅÅÅ-NNNN'}.pdf", pdf)]
    if letter.is_follow_up and letter.follows_up.sent_pdf:
        with letter.follows_up.sent_pdf.open("rb") as first:
            attachments.append(_pdf_facts(f"{letter.reference}-1.pdf", first.read()))
    return {
        "to": letter.group.authority.official_email,
        "cc": [copy for copy in copies if copy.email],
        "copies_without_email": [copy for copy in copies if not copy.email],
        "reply_to": emails.letter_reply_to(letter),
        "attachments": attachments,
        "signatures": list(letter.signatures.all()),
        "members": [membership.user for membership in letter.group.memberships.all()],
    }


INVITATIONS = InvitationKind(
    key=INVITATION_KIND,
    open_invitations=lambda: GroupInvitation.objects.filter(accepted_at__isnull=True),
    to="group",
    text_with_inviter=gettext_lazy("%(inviter)s har invitert deg til arbeidsgruppen «%(name)s»."),
    text=gettext_lazy("Du er invitert til arbeidsgruppen «%(name)s»."),
    accept_url_name="correspondence:invitation_accept",
)
