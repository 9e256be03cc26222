"""API keys: making, revoking and reading them from `Authorization: Bearer <key>`."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialog_portal.permissions import can
from organizations.models import Municipality

from .models import ApiToken

PREFIX_LENGTH = 8


class InvalidToken(Exception):
    pass


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new key for the staff member, reaching the municipalities they are staff of. The key is
    returned once, here; only its hash is stored."""
    if not can(user, "opendata.create_api_token"):
        raise ValidationError(_("Bare kommuneansatte kan lage API-nøkler."))
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken(user=user, name=name.strip(), prefix=key[:PREFIX_LENGTH], key_hash=key_hash(key))
        token.full_clean()
        token.save()
        token.municipalities.set(Municipality.objects.filter(staff__user=user))
    return token, key


def api_token_revoke(*, user, token: ApiToken) -> None:
    if not can(user, "opendata.revoke_api_token", token):
        raise ValidationError(_("Du kan bare trekke tilbake dine egne API-nøkler."))
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_from_request(request) -> ApiToken | None:
    """The key the request carries, None without one; InvalidToken for a wrong or revoked key."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _space, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise InvalidToken
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=key_hash(key.strip()), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        raise InvalidToken
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def reachable_municipalities(token: ApiToken) -> list[Municipality]:
    """The municipalities the key was made for whose private data its owner may still read."""
    return [
        municipality
        for municipality in token.municipalities.all()
        if can(token.user, "opendata.read_private_associations", municipality)
    ]
