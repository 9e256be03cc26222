"""Demo data for the embedded default: one municipality with staff and its party leaders."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .models import Municipality, MunicipalStaff, PartyLeader

DEMO_PASSWORD = "demo-passord-2026"  # noqa: S105 (printed demo login)
DEMO_USERS = [
    {"email": "admin@example.org", "full_name": "Ada Administrator", "is_superuser": True, "is_staff": True},
    {"email": "ansatt@example.org", "full_name": "Sigrid Saksbehandler"},
    {"email": "frivillig@example.org", "full_name": "Frode Frivillig"},
    {"email": "styreleder@example.org", "full_name": "Stine Styreleder"},
]


def _user(email, full_name, **flags):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, **flags})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load() -> dict:
    municipality, _ = Municipality.objects.get_or_create(
        number="4601",
        defaults={
            "name": "Bergen",
            "written_standard": "neutral",
            "political_leader_name": "Kari Nordmann",
            "administrative_leader_name": "Ola Nordmann",
            "official_email": "postmottak@example.org",
            "postal_address": "Postboks 7700\n5020 Bergen",
        },
    )
    users = {spec["email"]: _user(**spec) for spec in DEMO_USERS}
    MunicipalStaff.objects.get_or_create(user=users["ansatt@example.org"], municipality=municipality)
    for party, name in [("Arbeiderpartiet", "Per Hansen"), ("Høyre", "Lise Berg"), ("Senterpartiet", "Nils Dahl")]:
        PartyLeader.objects.get_or_create(municipality=municipality, party=party, defaults={"name": name, "email": ""})
    return {"municipality": municipality, "users": users}
