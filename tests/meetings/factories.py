import datetime

import factory
from django.utils import timezone

from meetings.domain import OSLO, allows_evening_meetings, is_working_day
from meetings.models import AgreedAction, Meeting, MeetingProposal, Registration
from tests.accounts.factories import UserFactory
from tests.organizations.factories import AssociationFactory, MunicipalityFactory


def oslo(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=OSLO)


def next_weekday_evening(days_ahead: int = 14, hour: int = 18) -> datetime.datetime:
    """A working day (Tuesday–Thursday, not a holiday, not 24 or 31 December) some weeks from now, at the
    given hour, Oslo time."""

    day = datetime.date.today() + datetime.timedelta(days=days_ahead)
    while not (is_working_day(day) and allows_evening_meetings(day) and day.weekday() in (1, 2, 3)):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=OSLO)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    municipality = factory.SubFactory(MunicipalityFactory)
    title = factory.Sequence(lambda n: f"Dialogmøte {n}")
    kind = Meeting.Kind.DIALOGUE_MEETING
    venue_name = "Biblioteket"
    venue_address = "Strømgaten 1, 5015 Bergen"
    starts_at = factory.LazyFunction(next_weekday_evening)
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + datetime.timedelta(hours=2))
    status = Meeting.Status.PUBLISHED
    published_at = factory.LazyAttribute(lambda m: None if m.status == Meeting.Status.DRAFT else m.starts_at.now(OSLO))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    attendees = 1


class MeetingProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingProposal

    association = factory.SubFactory(AssociationFactory)
    municipality = factory.LazyAttribute(lambda p: p.association.municipality)
    title = factory.Sequence(lambda n: f"Forslag {n}")
    kind = Meeting.Kind.DIALOGUE_MEETING
    venue_name = "Grendehuset"
    starts_at = factory.LazyFunction(next_weekday_evening)
    ends_at = factory.LazyAttribute(lambda p: p.starts_at + datetime.timedelta(hours=2))


def held_meeting(municipality, *, days_ago: int = 3, **fields) -> Meeting:
    """A meeting that took place a few days ago, with its summary published."""
    start = timezone.now() - datetime.timedelta(days=days_ago)
    fields.setdefault("summary", "Vi snakket om lokaler.")
    fields.setdefault("summary_published_at", start + datetime.timedelta(hours=3))
    return MeetingFactory(
        municipality=municipality,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        status=Meeting.Status.HELD,
        **fields,
    )


class AgreedActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreedAction

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Tiltak {n}")
    owner_unit = "Kulturetaten"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
