import factory

from organizations.models import District, Municipality, MunicipalStaff, PartyLeader
from tests.accounts.factories import UserFactory


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: f"{4600 + n % 5000:04d}")
    name = factory.Sequence(lambda n: f"Kommune {n}")
    political_leader_name = "Kari Nordmann"
    administrative_leader_name = "Ola Nordmann"
    official_email = factory.LazyAttribute(lambda m: f"postmottak{m.number}@example.org")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    municipality = factory.SubFactory(MunicipalityFactory, number="0301", name="Oslo")
    code = factory.Sequence(lambda n: f"0301{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Bydel {n}")


class PartyLeaderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyLeader

    municipality = factory.SubFactory(MunicipalityFactory)
    party = factory.Sequence(lambda n: f"Parti {n}")
    name = factory.Faker("name", locale="no_NO")
    email = factory.Sequence(lambda n: f"partileder{n}@example.org")


class MunicipalStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalStaff

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
