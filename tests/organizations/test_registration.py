"""Registering and editing an association in the browser (server-side forms)."""

import pytest
from django.urls import reverse

from organizations.models import Association, Category, Membership, MembershipRequest
from tests.accounts.factories import UserFactory
from tests.organizations.conftest import DELETED, SLOW
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("organizations:association_register")


def _form(municipality, **changes):
    data = {
        "name": "Skogly sjakklubb",
        "org_number": "",
        "municipality": municipality.pk,
        "categories": [Category.objects.get(slug="idrett").pk],
        "description": "Sjakk hver onsdag.",
        "contact_name": "Sara Sjakk",
        "contact_email": "sara@example.org",
        "action": "lagre",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_registration_needs_sign_in(client):
    response = client.get(REGISTER)
    assert response.status_code == 302 and "/konto/login/" in response.url


def test_register_makes_a_pending_association_with_the_user_as_admin(client, volunteer, municipality):
    client.force_login(volunteer)
    response = client.post(REGISTER, _form(municipality, org_number="988 077 917"))
    association = Association.objects.get()
    assert response.status_code == 302 and response.url == f"/foreninger/{association.slug}/"
    assert association.slug == "skogly-sjakklubb"
    assert association.org_number == "988077917"
    assert association.status == "pending" and association.source == "portal"
    assert association.memberships.get().user == volunteer
    assert association.memberships.get().role == Membership.Role.ADMIN
    page = client.get(response.url).content.decode()
    assert "Venter på godkjenning" in page


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("988077918", "Organisasjonsnummeret 988077918 er ikke gyldig"),
        ("98807791", "ni sifre, men har 8"),
        ("9880779170", "ni sifre, men har 10"),
        ("98807791A", "bare inneholde sifre"),
        ("100000130", "Organisasjonsnummeret 100000130 er ikke gyldig"),
    ],
)
def test_wrong_number_says_what_is_wrong(client, volunteer, municipality, number, message):
    client.force_login(volunteer)
    response = client.post(REGISTER, _form(municipality, org_number=number))
    assert response.status_code == 200
    errors = response.context["form"].errors["org_number"]
    assert len(errors) == 1 and message in errors[0]
    assert message in response.content.decode()
    assert not Association.objects.exists()


def test_taken_number_links_to_the_association_and_offers_to_join(client, volunteer, municipality):
    existing = AssociationFactory(municipality=municipality, name="Sjakkens venner", org_number="988077917")
    MembershipFactory(association=existing, role=Membership.Role.ADMIN)
    client.force_login(volunteer)
    response = client.post(REGISTER, _form(municipality, org_number="988077917"))
    page = response.content.decode()
    assert "allerede registrert på «Sjakkens venner»" in page
    assert reverse("organizations:association_detail", args=[existing.slug]) in page
    join_url = reverse("organizations:membership_request", args=[existing.slug])
    assert join_url in page
    client.post(join_url)
    assert MembershipRequest.objects.filter(association=existing, user=volunteer, decided_at=None).exists()
    assert Association.objects.count() == 1


def test_taken_number_of_an_imported_association_offers_to_take_it_over(client, volunteer, municipality):
    imported = AssociationFactory(municipality=municipality, org_number="988077917", status="pending", source="brreg")
    client.force_login(volunteer)
    page = client.post(REGISTER, _form(municipality, org_number="988077917")).content.decode()
    claim_url = reverse("organizations:association_claim", args=[imported.slug])
    assert claim_url in page
    client.post(claim_url, {"reason": "Jeg er kasserer i styret."})
    assert imported.memberships.get().user == volunteer
    assert client.get(reverse("organizations:association_detail", args=[imported.slug])).status_code == 200


def test_similar_name_in_same_municipality_asks_for_confirmation(client, volunteer, municipality, other_municipality):
    AssociationFactory(municipality=municipality, name="Sjakklubben Skogly")
    AssociationFactory(municipality=other_municipality, name="Skogly sjakklubb")
    client.force_login(volunteer)
    response = client.post(REGISTER, _form(municipality))
    assert response.status_code == 200
    assert "lignende navn i Bergen" in response.content.decode()
    assert [a.name for a in response.context["form"].similar] == ["Sjakklubben Skogly"]
    assert Association.objects.count() == 2

    response = client.post(REGISTER, _form(municipality, confirm_different="on"))
    assert response.status_code == 302
    assert Association.objects.filter(municipality=municipality, name="Skogly sjakklubb").exists()


def test_fetch_from_brreg_fills_the_form(client, volunteer, municipality, fake_brreg):
    client.force_login(volunteer)
    response = client.post(REGISTER, _form(municipality, name="", org_number="100 000 008", action="hent"))
    form = response.context["form"]
    assert not form.is_bound
    assert form.initial["name"] == "SKOGLY SJAKKLUBB"
    assert form.initial["postal_address"] == "c/o Fiktiv Person\nPostboks 1234\n5003 BERGEN"
    assert form.initial["website"] == "https://www.skogly-sjakk.example.no"
    assert form.initial["description"] == "Sjakk hver onsdag."
    page = response.content.decode()
    assert "hentet fra Enhetsregisteret" in page and "Kilde: Brønnøysundregistrene" in page
    assert 'value="SKOGLY SJAKKLUBB"' in page
    assert not Association.objects.exists()


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("100000016", "Enhetsregisteret kjenner ikke organisasjonsnummeret 100000016"),
        (DELETED, "er slettet i Enhetsregisteret"),
        (SLOW, "Enhetsregisteret svarer ikke akkurat nå"),
        ("988077918", "Organisasjonsnummeret 988077918 er ikke gyldig"),
    ],
)
def test_fetch_copes_with_unknown_deleted_slow_and_invalid(
    client, volunteer, municipality, fake_brreg, number, message
):
    client.force_login(volunteer)
    response = client.post(REGISTER, _form(municipality, org_number=number, action="hent"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].initial["name"] == "Skogly sjakklubb"


def test_edit_records_the_fields_the_association_changed(client, municipality):
    association = AssociationFactory(municipality=municipality, name="Korpset", website="https://korps.example.no")
    association.categories.set([Category.objects.get(slug="idrett")])
    admin = MembershipFactory(association=association, role=Membership.Role.ADMIN).user
    slug = association.slug
    client.force_login(admin)
    url = reverse("organizations:association_edit", args=[association.slug])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["categories"] = [c.pk for c in Category.objects.filter(slug__in=["idrett", "kunst-og-kultur"])]
    data["name"] = "Skolekorpset"
    for name in ["activity_languages", "target_groups", "needs", "councils"]:
        data[name] = [item.pk for item in data[name]]
    data.pop("no_contact_with_municipality")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    association.refresh_from_db()
    assert association.name == "Skolekorpset"
    assert association.edited_fields == ["categories", "name"]
    assert association.slug == slug  # links to the profile keep working after a rename


def test_similar_names_show_only_associations_the_user_may_see(
    client, volunteer, municipality, staff_user, other_staff_user
):
    AssociationFactory(municipality=municipality, name="Skogly sjakklubb Bergen", status="verified")
    theirs = AssociationFactory(municipality=municipality, name="Skogly sjakklubben", status="pending")
    MembershipFactory(association=theirs, role=Membership.Role.ADMIN)
    AssociationFactory(municipality=municipality, name="Sjakklubben Skogly", status="rejected")
    mine = AssociationFactory(municipality=municipality, name="Skogly sjakk klubb", status="pending")
    MembershipFactory(association=mine, user=volunteer, role=Membership.Role.ADMIN)

    def shown(user):
        client.force_login(user)
        response = client.post(REGISTER, _form(municipality))
        return sorted(a.name for a in response.context["form"].similar), response.content.decode()

    names, page = shown(volunteer)
    assert names == ["Skogly sjakk klubb", "Skogly sjakklubb Bergen"]
    assert "Skogly sjakklubben" not in page and "Sjakklubben Skogly" not in page
    assert reverse("organizations:association_detail", args=[theirs.slug]) not in page

    other = UserFactory()
    assert shown(other)[0] == ["Skogly sjakklubb Bergen"]
    assert shown(other_staff_user)[0] == ["Skogly sjakklubb Bergen"]
    assert shown(staff_user)[0] == [
        "Sjakklubben Skogly",
        "Skogly sjakk klubb",
        "Skogly sjakklubb Bergen",
        "Skogly sjakklubben",
    ]
