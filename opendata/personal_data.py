"""What open data holds about a person: their API keys (never the key or its hash). Deleting
the account deletes the keys."""

from accounts.personal_data import Person

from .models import ApiToken


def export(user) -> dict:
    return {
        "api_tokens": [
            {
                "name": token.name,
                "prefix": token.prefix,
                "municipalities": [municipality.number for municipality in token.municipalities.all()],
                "created_at": token.created_at.isoformat(),
                "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in ApiToken.objects.filter(user=user).prefetch_related("municipalities")
        ]
    }


def erase(*, person: Person) -> None:
    ApiToken.objects.filter(user=person.user).delete()
