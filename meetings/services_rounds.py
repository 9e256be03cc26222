"""Writes to input rounds. Keyword-only, full_clean() before saving, in a transaction.

The candidate dates pass the after-work rule (InputRoundDate.clean() calls
meetings.domain.validate_meeting_time), and so does the meeting made from the round, which goes
through services.meeting_create like every other meeting.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import emails, services
from .models import DateChoice, InputRound, InputRoundAnswer, InputRoundDate, Meeting
from .rules import speaks_for
from .selectors_rounds import round_associations

MAX_CANDIDATE_DATES = 10


@transaction.atomic
def round_open(*, municipality, created_by=None, dates, categories=(), **fields) -> InputRound:
    """Open a round with its candidate dates (pairs of start and end) and ask the associations.

    Every date is checked before anything is saved; the errors name the date they belong to
    (`dates` is a list of per-date error dicts, in the order given).
    """
    input_round = InputRound(municipality=municipality, created_by=created_by, **fields)
    input_round.full_clean()
    if not dates:
        raise ValidationError({"dates": _("Foreslå minst ett tidspunkt.")})
    if len(dates) > MAX_CANDIDATE_DATES:
        raise ValidationError({"dates": _("Foreslå høyst %(count)s tidspunkter.") % {"count": MAX_CANDIDATE_DATES}})
    starts = [start for start, _end in dates]
    if len(set(starts)) != len(starts):
        raise ValidationError({"dates": _("Det samme tidspunktet er foreslått to ganger.")})
    if not input_round.invite_all and not categories:
        raise ValidationError({"categories": _("Velg kategoriene som skal spørres, eller spør alle lagene.")})
    candidates, problems = [], []
    for start, end in dates:
        candidate = InputRoundDate(input_round=input_round, starts_at=start, ends_at=end)
        try:
            candidate.full_clean(exclude=["input_round"], validate_constraints=False)
        except ValidationError as error:
            problems.append(error.message_dict)
        else:
            problems.append({})
        candidates.append(candidate)
    if any(problems):
        raise DateProblems(problems)
    input_round.save()
    input_round.categories.set(categories)
    for candidate in candidates:
        candidate.input_round = input_round
        candidate.save()
    emails.input_round_invitations(input_round=input_round, associations=round_associations(input_round=input_round))
    return input_round


class DateProblems(ValidationError):
    """The candidate dates that break a rule, each with its messages (an empty dict for a good one)."""

    def __init__(self, problems: list[dict]):
        self.per_date = problems
        messages = [message for problem in problems for values in problem.values() for message in values]
        super().__init__({"dates": messages})


@transaction.atomic
def round_answer(
    *,
    input_round: InputRound,
    association,
    user,
    choices: dict,
    topics: str = "",
    access_needs: str = "",
    language_needs: str = "",
    interpretation_languages=(),
) -> InputRoundAnswer:
    """Record (or change) an association's answer. `choices` maps each candidate date's pk to
    yes, if-need-be or no; every date needs an answer."""
    input_round = InputRound.objects.select_for_update().get(pk=input_round.pk)
    if not speaks_for(user, association):
        raise PermissionDenied(_("Bare administratorer i et godkjent lag kan svare for laget."))
    if not round_associations(input_round=input_round).filter(pk=association.pk).exists():
        raise ValidationError(
            {"association": _("%(name)s er ikke blant lagene kommunen spør.") % {"name": association.name}}
        )
    if not input_round.accepts_answers():
        raise ValidationError(_("Innspillsrunden tar ikke lenger imot svar."))
    dates = list(input_round.dates.all())
    missing = [date for date in dates if choices.get(date.pk) not in DateChoice.Choice.values]
    if missing:
        raise ValidationError(
            {"choices": _("Svar på alle tidspunktene: passer, passer om nødvendig eller passer ikke.")}
        )
    answer = InputRoundAnswer.objects.filter(input_round=input_round, association=association).first()
    if answer is None:
        answer = InputRoundAnswer(input_round=input_round, association=association)
    answer.answered_by = user
    answer.topics = topics.strip()
    answer.access_needs = access_needs.strip()
    answer.language_needs = language_needs.strip()
    answer.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        # Two admins of one association answering at once: the first answer is there; this one changes it.
        return round_answer(
            input_round=input_round,
            association=association,
            user=user,
            choices=choices,
            topics=topics,
            access_needs=access_needs,
            language_needs=language_needs,
            interpretation_languages=interpretation_languages,
        )
    answer.interpretation_languages.set(interpretation_languages)
    answer.choices.all().delete()
    DateChoice.objects.bulk_create(DateChoice(answer=answer, date=date, choice=choices[date.pk]) for date in dates)
    return answer


@transaction.atomic
def round_close(*, input_round: InputRound) -> InputRound:
    input_round = InputRound.objects.select_for_update().get(pk=input_round.pk)
    if input_round.status != InputRound.Status.CLOSED:
        input_round.status = InputRound.Status.CLOSED
        input_round.closed_at = timezone.now()
        input_round.save(update_fields=["status", "closed_at"])
    return input_round


def meeting_initial(*, input_round: InputRound, date: InputRoundDate | None) -> dict:
    """What the new meeting's form starts with: the round's subject, the chosen date, the
    invitations and what the answers asked for."""
    answers = list(input_round.answers.prefetch_related("interpretation_languages"))
    languages = {language.pk for answer in answers for language in answer.interpretation_languages.all()}
    initial = {
        "title": input_round.title,
        "kind": input_round.kind,
        "description": input_round.description,
        "invite_all": input_round.invite_all,
        "invited_categories": list(input_round.categories.values_list("pk", flat=True)),
        "interpretation_languages": sorted(languages),
    }
    if date is not None:
        initial.update(starts_at=timezone.localtime(date.starts_at), ends_at=timezone.localtime(date.ends_at))
    return initial


@transaction.atomic
def round_meeting_create(*, input_round: InputRound, created_by=None, **fields) -> Meeting:
    """Make the meeting from the round (a draft, through services.meeting_create and so the
    after-work rule), link it and close the round. When the meeting is published, the associations
    that answered are invited with the others (services.invited_associations)."""
    input_round = InputRound.objects.select_for_update().select_related("municipality").get(pk=input_round.pk)
    if input_round.meeting_id is not None:
        raise ValidationError(_("Møtet er allerede laget fra denne innspillsrunden."))
    meeting = services.meeting_create(municipality=input_round.municipality, created_by=created_by, **fields)
    input_round.meeting = meeting
    input_round.status = InputRound.Status.CLOSED
    input_round.closed_at = input_round.closed_at or timezone.now()
    input_round.save(update_fields=["meeting", "status", "closed_at"])
    return meeting
