"""Input rounds: candidate dates under the after-work rule, answers by association admins, the
best date, and the meeting made from the round with its participants invited."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import emails, services, services_rounds
from meetings.domain import OSLO
from meetings.forms_rounds import AnswerForm
from meetings.models import DateChoice, InputRound, InputRoundAnswer, Meeting
from meetings.selectors_rounds import associations_answering_for, round_results
from notifications.models import OutgoingEmail
from organizations.models import Association, Category, Language
from tests.meetings.factories import next_weekday_evening
from tests.meetings.test_rule_everywhere import MESSAGE, _form_data
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

YES, MAYBE, NO = DateChoice.Choice.YES, DateChoice.Choice.IF_NEED_BE, DateChoice.Choice.NO


def _evenings(count=3):
    return [next_weekday_evening(days_ahead=14 + 7 * n) for n in range(count)]


def _round(municipality, *, count=3, **fields):
    fields.setdefault("title", "Møte om lokaler")
    return services_rounds.round_open(
        municipality=municipality,
        dates=[(start, start + datetime.timedelta(hours=2)) for start in _evenings(count)],
        **fields,
    )


def _admin_of(association):
    return MembershipFactory(association=association, role="admin").user


def _answer(input_round, association, user, picks, **fields):
    dates = list(input_round.dates.all())
    return services_rounds.round_answer(
        input_round=input_round,
        association=association,
        user=user,
        choices={date.pk: pick for date, pick in zip(dates, picks, strict=True)},
        **fields,
    )


def _date_rows(rows):
    data = {"datoer-TOTAL_FORMS": str(len(rows)), "datoer-INITIAL_FORMS": "0"}
    for i, (start, end) in enumerate(rows):
        data[f"datoer-{i}-starts_at"] = start.strftime("%Y-%m-%dT%H:%M") if start else ""
        data[f"datoer-{i}-ends_at"] = end.strftime("%Y-%m-%dT%H:%M") if end else ""
    return data


# Opening a round --------------------------------------------------------------------------------


def test_opening_a_round_asks_the_admins_of_the_chosen_categories_once(send_on_commit, municipality):
    sports = Category.objects.get(slug="idrett")
    club = AssociationFactory(municipality=municipality, name="Ballklubben")
    club.categories.add(sports)
    choir = AssociationFactory(municipality=municipality, name="Koret")
    admin = _admin_of(club)
    _admin_of(choir)
    MembershipFactory(association=club, role="member")
    input_round = send_on_commit(_round, municipality, invite_all=False, categories=[sports])
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert reverse("meetings:round_answer", args=[input_round.pk]) in mail.outbox[0].body
    assert "Ballklubben" in mail.outbox[0].body
    assert emails.input_round_invitations(input_round=input_round, associations=Association.objects.all()) == 1
    assert OutgoingEmail.objects.filter(kind="meetings.input_round_invitation").count() == 2


def test_every_candidate_date_passes_the_after_work_rule_and_nothing_is_saved_otherwise(municipality):
    good = next_weekday_evening()
    working_hours = next_weekday_evening(days_ahead=21, hour=10)
    with pytest.raises(services_rounds.DateProblems) as refused:
        services_rounds.round_open(
            municipality=municipality,
            title="Møte",
            dates=[
                (good, good + datetime.timedelta(hours=2)),
                (working_hours, working_hours + datetime.timedelta(hours=2)),
            ],
        )
    assert refused.value.per_date[0] == {}
    assert MESSAGE in refused.value.per_date[1]["starts_at"][0]
    assert not InputRound.objects.exists()


def test_a_past_date_and_no_date_are_refused(municipality):
    past = datetime.datetime(2020, 3, 3, 18, tzinfo=OSLO)
    with pytest.raises(services_rounds.DateProblems) as refused:
        services_rounds.round_open(
            municipality=municipality, title="Møte", dates=[(past, past + datetime.timedelta(hours=1))]
        )
    assert "har allerede vært" in refused.value.per_date[0]["starts_at"][0]
    with pytest.raises(ValidationError) as empty:
        services_rounds.round_open(municipality=municipality, title="Møte", dates=[])
    assert empty.value.message_dict["dates"] == ["Foreslå minst ett tidspunkt."]
    assert not InputRound.objects.exists()


def test_the_staff_page_shows_the_rule_on_the_date_that_breaks_it(client, municipality, staff_user):
    client.force_login(staff_user)
    good = next_weekday_evening()
    afternoon = next_weekday_evening(days_ahead=21, hour=15)
    response = client.post(
        reverse("meetings:round_create", args=[municipality.number]),
        {
            "title": "Møte om «lokaler»",
            "kind": "dialogmote",
            "invite_all": "on",
            **_date_rows(
                [
                    (good, good + datetime.timedelta(hours=2)),
                    (afternoon, afternoon + datetime.timedelta(hours=2)),
                    (None, None),
                ]
            ),
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert MESSAGE in content
    assert content.index("Tidspunkt 2") < content.index(MESSAGE) < content.index("Tidspunkt 3")
    assert not InputRound.objects.exists()
    afternoon = afternoon.replace(hour=18)
    response = client.post(
        reverse("meetings:round_create", args=[municipality.number]),
        {
            "title": "Møte om «lokaler»",
            "kind": "dialogmote",
            "invite_all": "on",
            **_date_rows(
                [(good, good + datetime.timedelta(hours=2)), (afternoon, afternoon + datetime.timedelta(hours=2))]
            ),
        },
    )
    input_round = InputRound.objects.get()
    assert response.url == reverse("meetings:round_detail", args=[input_round.pk])
    assert input_round.dates.count() == 2


def test_half_a_date_is_refused_in_norwegian(client, municipality, staff_user):
    client.force_login(staff_user)
    start = next_weekday_evening()
    response = client.post(
        reverse("meetings:round_create", args=[municipality.number]),
        {"title": "Møte", "kind": "dialogmote", "invite_all": "on", **_date_rows([(start, None)])},
    )
    assert "Fyll inn både start og slutt for tidspunktet." in response.content.decode()
    assert not InputRound.objects.exists()


# Answering ----------------------------------------------------------------------------------------


def test_an_admin_answers_for_the_association_and_may_change_the_answer(municipality):
    club = AssociationFactory(municipality=municipality)
    admin = _admin_of(club)
    input_round = _round(municipality)
    arabic = Language.objects.get(slug="ar")
    _answer(
        input_round, club, admin, [YES, MAYBE, NO], topics="Lokaler\r\nKalender", access_needs="Rullestol"
    ).interpretation_languages.set([arabic])
    answer = _answer(input_round, club, admin, [NO, YES, YES], topics="Bare lokaler", interpretation_languages=[arabic])
    assert InputRoundAnswer.objects.count() == 1
    assert sorted(answer.choices.values_list("choice", flat=True)) == sorted([NO, YES, YES])
    assert answer.topics == "Bare lokaler"
    assert list(answer.interpretation_languages.all()) == [arabic]


def test_only_admins_of_asked_verified_associations_answer(municipality, other_municipality):
    input_round = _round(municipality, invite_all=False, categories=[Category.objects.get(slug="idrett")])
    unasked = AssociationFactory(municipality=municipality)
    admin = _admin_of(unasked)
    with pytest.raises(ValidationError) as refused:
        _answer(input_round, unasked, admin, [YES, YES, YES])
    assert "er ikke blant lagene kommunen spør" in refused.value.message_dict["association"][0]
    asked = AssociationFactory(municipality=municipality)
    asked.categories.add(Category.objects.get(slug="idrett"))
    member = MembershipFactory(association=asked, role="member").user
    with pytest.raises(PermissionDenied):
        _answer(input_round, asked, member, [YES, YES, YES])
    pending = AssociationFactory(municipality=municipality, status="pending")
    pending.categories.add(Category.objects.get(slug="idrett"))
    assert not associations_answering_for(user=_admin_of(pending), input_round=input_round).exists()
    assert not InputRoundAnswer.objects.exists()


def test_every_date_needs_an_answer_and_the_form_says_so(municipality):
    club = AssociationFactory(municipality=municipality)
    admin = _admin_of(club)
    input_round = _round(municipality, count=2)
    first, second = input_round.dates.all()
    form = AnswerForm(
        {"association": club.pk, f"dato_{first.pk}": "yes"},
        input_round=input_round,
        associations=associations_answering_for(user=admin, input_round=input_round),
    )
    assert not form.is_valid()
    assert form.errors[f"dato_{second.pk}"] == ["Svar på om dette tidspunktet passer."]
    with pytest.raises(ValidationError) as refused:
        services_rounds.round_answer(input_round=input_round, association=club, user=admin, choices={first.pk: "yes"})
    assert "Svar på alle tidspunktene" in refused.value.messages[0]


def test_a_closed_round_takes_no_answers(client, municipality):
    club = AssociationFactory(municipality=municipality)
    admin = _admin_of(club)
    input_round = services_rounds.round_close(input_round=_round(municipality))
    with pytest.raises(ValidationError):
        _answer(input_round, club, admin, [YES, YES, YES])
    client.force_login(admin)
    page = client.get(reverse("meetings:round_answer", args=[input_round.pk])).content.decode()
    assert "tar ikke lenger imot svar" in page


def test_the_answer_page_saves_and_shows_the_answer_again(client, municipality):
    club = AssociationFactory(municipality=municipality, name="O'Brien & Søn")
    admin = _admin_of(club)
    input_round = _round(municipality, count=2)
    first, second = input_round.dates.all()
    client.force_login(admin)
    url = reverse("meetings:round_answer", args=[input_round.pk])
    response = client.post(
        url,
        {
            "association": club.pk,
            f"dato_{first.pk}": "if_need_be",
            f"dato_{second.pk}": "no",
            "topics": "Lokaler <b>nå</b>\r\nog kalender",
            "access_needs": "",
            "language_needs": "Klart språk",
        },
    )
    assert response.status_code == 302
    again = client.get(response.url)
    page = again.content.decode()
    assert "O&#x27;Brien &amp; Søn har svart" in page
    assert "Lokaler &lt;b&gt;nå&lt;/b&gt;" in page
    assert again.context["form"].initial[f"dato_{first.pk}"] == "if_need_be"
    assert InputRoundAnswer.objects.get().topics == "Lokaler <b>nå</b>\r\nog kalender"


# Results and the meeting -------------------------------------------------------------------------


def test_counts_and_the_best_date(municipality):
    input_round = _round(municipality)
    picks = [[YES, MAYBE, NO], [YES, NO, YES], [MAYBE, YES, NO]]
    for pick in picks:
        club = AssociationFactory(municipality=municipality)
        _answer(input_round, club, _admin_of(club), pick)
    results = round_results(input_round=input_round)
    assert [(t.yes, t.if_need_be, t.no) for t in results.tallies] == [(2, 1, 0), (1, 1, 1), (1, 0, 2)]
    assert results.best.date == input_round.dates.first()
    assert (results.answered, results.asked) == (3, 3)


def test_results_page_query_count_does_not_grow(client, municipality, staff_user):
    input_round = _round(municipality)
    url = reverse("meetings:round_detail", args=[input_round.pk])
    client.force_login(staff_user)

    def answers(count):
        for _ in range(count):
            club = AssociationFactory(municipality=municipality)
            answer = _answer(input_round, club, _admin_of(club), [YES, MAYBE, NO], topics="Tema")
            answer.interpretation_languages.set(Language.objects.all()[:2])

    answers(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    answers(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


def test_the_meeting_is_made_from_the_round_and_its_participants_are_invited(
    client, send_on_commit, municipality, staff_user
):
    sports = Category.objects.get(slug="idrett")
    club = AssociationFactory(municipality=municipality, name="Ballklubben")
    club.categories.add(sports)
    admin = _admin_of(club)
    input_round = _round(municipality, invite_all=False, categories=[sports], description="Om haller.")
    somali = Language.objects.get(slug="so")
    _answer(input_round, club, admin, [NO, YES, MAYBE], interpretation_languages=[somali])
    best = input_round.dates.all()[1]
    client.force_login(staff_user)
    detail = client.get(reverse("meetings:round_detail", args=[input_round.pk])).content.decode()
    create_url = reverse("meetings:round_meeting", args=[input_round.pk])
    assert create_url in detail
    form = client.get(create_url).context["form"]
    assert form.initial["title"] == "Møte om lokaler"
    assert form.initial["starts_at"] == best.starts_at
    assert form.initial["interpretation_languages"] == [somali.pk]
    start, end = best.starts_at.astimezone(OSLO), best.ends_at.astimezone(OSLO)
    data = _form_data(start, end, title="Møte om lokaler", interpretation_languages=[somali.pk])
    data.pop("invite_all")
    data["invited_categories"] = [Category.objects.get(slug="kunst-og-kultur").pk]
    response = client.post(create_url, data)
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:preview", args=[meeting.pk])
    input_round.refresh_from_db()
    assert (input_round.meeting, input_round.status) == (meeting, InputRound.Status.CLOSED)
    # The staff narrowed the invitation to another category; the association that answered is invited still.
    mail.outbox.clear()
    send_on_commit(services.meeting_publish, meeting=meeting)
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert client.get(create_url).url == reverse("meetings:preview", args=[meeting.pk])


def test_the_meeting_from_the_round_still_passes_the_after_work_rule(client, municipality, staff_user):
    input_round = _round(municipality)
    client.force_login(staff_user)
    start = next_weekday_evening(hour=15)
    response = client.post(
        reverse("meetings:round_meeting", args=[input_round.pk]), _form_data(start, start + datetime.timedelta(hours=1))
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()
    input_round.refresh_from_db()
    assert input_round.status == InputRound.Status.OPEN


def test_a_made_up_association_in_the_address_shows_the_admins_own(client, municipality):
    club = AssociationFactory(municipality=municipality, name="Koret")
    admin = _admin_of(club)
    input_round = _round(municipality, count=1)
    client.force_login(admin)
    url = reverse("meetings:round_answer", args=[input_round.pk])
    for wanted in ("abc", "999999", str(AssociationFactory(municipality=municipality).pk)):
        response = client.get(url, {"lag": wanted})
        assert response.status_code == 200
        assert response.context["form"].initial["association"] == club.pk
