"""Demo data for the embedded default: one municipality with staff and its party leaders."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .domain import LeaderRole
from .models import (
    Association,
    Category,
    CountyStaff,
    Membership,
    Municipality,
    MunicipalLeader,
    MunicipalStaff,
    Need,
    PartyLeader,
    TargetGroup,
)

DEMO_PASSWORD = "demo-passord-2026"  # noqa: S105 (printed demo login)
DEMO_USERS = [
    {"email": "admin@example.org", "full_name": "Ada Administrator", "is_superuser": True, "is_staff": True},
    {"email": "ansatt@example.org", "full_name": "Sigrid Saksbehandler"},
    {"email": "frivillig@example.org", "full_name": "Frode Frivillig"},
    {"email": "styreleder@example.org", "full_name": "Stine Styreleder"},
    {"email": "fylke@example.org", "full_name": "Frida Fylkesrådgiver"},
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
    # The county municipality's adviser schedules meetings in the municipalities of Vestland.
    CountyStaff.objects.get_or_create(user=users["fylke@example.org"], county_number=municipality.county_number)
    for party, name in [("Arbeiderpartiet", "Per Hansen"), ("Høyre", "Lise Berg"), ("Senterpartiet", "Nils Dahl")]:
        PartyLeader.objects.get_or_create(municipality=municipality, party=party, defaults={"name": name, "email": ""})
    MunicipalLeader.objects.get_or_create(
        municipality=municipality,
        role=LeaderRole.COMMITTEE_LEADER,
        committee="Utvalg for kultur, idrett og frivillighet",
        defaults={"name": "Ingrid Aasen"},
    )
    associations = [
        _association(
            municipality,
            slug="demo-nabolagskoret",
            name="Nabolagskoret",
            status=Association.Status.VERIFIED,
            categories=["kunst-og-kultur"],
            target_groups=["voksne", "seniorer"],
            needs=["rekruttering", "lokaler"],
            admin=users["styreleder@example.org"],
            member=users["frivillig@example.org"],
            description="Et kor for alle som liker å synge. Vi øver hver tirsdag kveld.",
        ),
        _association(
            municipality,
            slug="demo-leksehjelp-for-alle",
            name="Leksehjelp for alle",
            status=Association.Status.VERIFIED,
            categories=["utdanning-og-opplaering", "mangfold-inkludering-og-innvandrerorganisasjoner"],
            target_groups=["barn", "ungdom", "nyankomne"],
            needs=["synlighet", "okonomi"],
            admin=users["frivillig@example.org"],
            description="Gratis leksehjelp på biblioteket, med frivillige som snakker flere språk.",
        ),
        _association(
            municipality,
            slug="demo-turlaget-i-dalen",
            name="Turlaget i dalen",
            status=Association.Status.PENDING,
            categories=["natur-miljo-og-dyrevern", "idrett"],
            target_groups=["alle"],
            needs=["samarbeid-med-kommunen"],
            admin=users["styreleder@example.org"],
            description="Fellesturer i nærområdet hver søndag.",
        ),
    ]
    # As import_brreg leaves it: pending, from the register, and nobody runs it yet (it can be claimed).
    imported, created = Association.objects.get_or_create(
        slug="demo-fjellsiden-velforening",
        defaults={
            "name": "FJELLSIDEN VELFORENING",
            "org_number": "100000016",
            "municipality": municipality,
            "source": Association.Source.BRREG,
            "postal_address": "Postboks 1234\n5003 BERGEN",
            "website": "https://www.fjellsiden-velforening.example.no",
        },
    )
    if created:
        imported.full_clean()
        imported.categories.set(Category.objects.filter(slug="lokalsamfunn-og-velforeninger"))
    associations.append(imported)
    return {"municipality": municipality, "users": users, "associations": associations}


def _association(municipality, *, slug, categories, target_groups, needs, admin, member=None, **fields):
    association, created = Association.objects.get_or_create(
        slug=slug,
        defaults={
            "municipality": municipality,
            "contact_name": admin.full_name,
            "contact_email": admin.email,
            **fields,
        },
    )
    if created:
        association.full_clean()
        association.categories.set(Category.objects.filter(slug__in=categories))
        association.target_groups.set(TargetGroup.objects.filter(slug__in=target_groups))
        association.needs.set(Need.objects.filter(slug__in=needs))
    Membership.objects.get_or_create(association=association, user=admin, defaults={"role": Membership.Role.ADMIN})
    if member is not None:
        Membership.objects.get_or_create(association=association, user=member)
    return association
