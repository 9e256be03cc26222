from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import personal_data


def user_personal_data(*, user) -> dict:
    """Everything the portal holds about the user, as a JSON-serialisable dict."""
    from allauth.account.models import EmailAddress

    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "phone": user.phone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }
    for section, exporter in sorted(personal_data.exporters().items()):
        data[section] = exporter(user)
    return data


def user_delete(*, user) -> None:
    """Delete the account, unless something the user holds must be handed over first."""
    reasons = personal_data.deletion_blockers(user)
    if reasons:
        raise ValidationError([_("Kontoen kan ikke slettes ennå.")] + reasons)
    with transaction.atomic():
        user.delete()


def user_set_language(*, user, language: str) -> None:
    if language not in dict(user.Language.choices):
        raise ValidationError(_("Ukjent språk."))
    if user.preferred_language != language:
        user.preferred_language = language
        user.full_clean()
        user.save(update_fields=["preferred_language"])
