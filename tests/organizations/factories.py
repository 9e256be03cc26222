import factory

from organizations.models import Association, District, Membership, Municipality, MunicipalStaff, PartyLeader
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


class AssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Association
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Forening nummer {n}")
    slug = factory.Sequence(lambda n: f"forening-{n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    status = Association.Status.VERIFIED
    description = "Vi driver frivillig aktivitet i nærmiljøet."
    contact_name = "Kari Kontakt"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    contact_phone = "+47 400 00 000"

    @factory.post_generation
    def categories(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.categories.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    association = factory.SubFactory(AssociationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
