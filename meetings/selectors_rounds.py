"""Reads of input rounds that pages, rules and services share; each is a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from organizations.models import Association, Membership
from organizations.selectors import associations_acting_for

from .models import DateChoice, InputRound, InputRoundAnswer, InputRoundDate

# Yes counts twice what "if need be" does; the best date has the highest score.
SCORES = {DateChoice.Choice.YES: 2, DateChoice.Choice.IF_NEED_BE: 1, DateChoice.Choice.NO: 0}


def round_associations(*, input_round: InputRound):
    """The verified associations the round asks: all in the municipality, or those of its categories."""
    associations = Association.objects.filter(
        municipality_id=input_round.municipality_id, status=Association.Status.VERIFIED
    )
    if not input_round.invite_all:
        associations = associations.filter(
            pk__in=Association.objects.filter(categories__in=input_round.categories.all()).values("pk")
        )
    return associations.order_by("name")


def associations_answering_for(*, user, input_round: InputRound):
    """The asked associations `user` may answer for: those they are an admin of and may act for
    (organizations.act_for_association, through the same selector)."""
    if not user.is_authenticated:
        return Association.objects.none()
    admin_of = Membership.objects.filter(user=user, role=Membership.Role.ADMIN).values("association_id")
    return round_associations(input_round=input_round).filter(
        pk__in=associations_acting_for(user=user).filter(pk__in=admin_of).values("pk")
    )


@dataclass
class DateTally:
    date: InputRoundDate
    yes: int = 0
    if_need_be: int = 0
    no: int = 0
    associations: dict = field(default_factory=dict)

    @property
    def score(self) -> int:
        return self.yes * SCORES[DateChoice.Choice.YES] + self.if_need_be * SCORES[DateChoice.Choice.IF_NEED_BE]


@dataclass
class RoundResults:
    input_round: InputRound
    tallies: list
    answers: list
    asked: int
    best: DateTally | None

    @property
    def answered(self) -> int:
        return len(self.answers)


def round_results(*, input_round: InputRound) -> RoundResults:
    """Counts per candidate date, the best date (most weight of yes and if-need-be, then fewest
    no, then the earliest), and every answer with its topics and needs."""
    answers = list(
        InputRoundAnswer.objects.filter(input_round=input_round)
        .select_related("association")
        .prefetch_related(
            "interpretation_languages", Prefetch("choices", queryset=DateChoice.objects.select_related("date"))
        )
        .order_by("association__name", "pk")
    )
    tallies = {date.pk: DateTally(date=date) for date in input_round.dates.all()}
    for answer in answers:
        for choice in answer.choices.all():
            tally = tallies.get(choice.date_id)
            if tally is None:
                continue
            setattr(tally, choice.choice, getattr(tally, choice.choice) + 1)
            tally.associations[answer.association_id] = choice.get_choice_display()
    ordered = list(tallies.values())
    best = None
    if answers and ordered:
        best = max(ordered, key=lambda t: (t.score, -t.no, -t.date.starts_at.timestamp()))
        if best.score == 0:
            best = None
    return RoundResults(
        input_round=input_round,
        tallies=ordered,
        answers=answers,
        asked=round_associations(input_round=input_round).count(),
        best=best,
    )


def rounds_for_staff(*, municipality):
    return (
        InputRound.objects.filter(municipality=municipality)
        .select_related("meeting")
        .prefetch_related("dates")
        .order_by("-created_at", "-pk")
    )
