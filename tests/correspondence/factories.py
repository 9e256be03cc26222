import datetime

import factory

from correspondence.models import GroupMembership, WorkingGroup
from tests.accounts.factories import UserFactory
from tests.organizations.factories import MunicipalityFactory


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    name = factory.Sequence(lambda n: f"Arbeidsgruppe {n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    meeting_date = datetime.date(2026, 11, 3)
    meeting_time = datetime.time(18, 30)
    meeting_place = "Biblioteket"
    theme = "Hvordan kan kommunen og lagene sammen lage en god frivillighetspolitikk?"
    mandate = "Skrive en formell henvendelse til kommuneledelsen"


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)
    is_leader = False
