"""Demo meetings in the demo municipality: a few upcoming published ones, one on 5 December, one
with its information in Arabic and English and a plain summary, and a fixed meeting place every
second Tuesday."""

import datetime

from django.utils import timezone

from organizations.models import Association, Category, Language

from . import hosting, services, services_actions, services_rounds
from . import series as series_services
from .domain import OSLO, allows_evening_meetings, is_working_day, volunteer_day
from .models import (
    AgendaItem,
    AgreedAction,
    DateChoice,
    InputRound,
    Meeting,
    MeetingProposal,
    MeetingSeries,
    TranslationLanguage,
)
from .recurrence import Frequency


def _next_working_evening(after: datetime.date, weekday: int) -> datetime.datetime:
    """The first such weekday that is a working day with an evening (so never 24 or 31 December)."""
    day = after
    while day.weekday() != weekday or not is_working_day(day) or not allows_evening_meetings(day):
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(18, 0), tzinfo=OSLO)


def _next_volunteer_day(today: datetime.date) -> datetime.date:
    day = volunteer_day(today.year)
    return day if day > today + datetime.timedelta(days=7) else volunteer_day(today.year + 1)


def _meeting(municipality, *, title, agenda=(), languages=(), categories=(), **fields):
    """Create the meeting once (found again by title), published."""
    meeting = Meeting.objects.filter(municipality=municipality, title=title).first()
    if meeting is not None:
        return meeting
    meeting = services.meeting_create(
        municipality=municipality,
        title=title,
        interpretation_languages=Language.objects.filter(slug__in=languages),
        invited_categories=Category.objects.filter(slug__in=categories),
        **fields,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, starts_at=time, title=item) for i, (time, item) in enumerate(agenda)
    )
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["status", "published_at"])
    return meeting


# (language code, title, description, practical information), written for the dialogue meeting.
DIALOGUE_TRANSLATIONS = [
    (
        "ar",
        "لقاء حواري: مقرات للجمعيات والنوادي",
        "ما هي المقرات التي تحتاجها الجمعيات، وماذا يمكن للبلدية أن تعيره لها؟ أحضروا أمنياتكم وأفكاركم.",
        "المكتبة الرئيسية، غرفة الاجتماعات 2، Strømgaten 6، بيرغن. خمس دقائق سيرًا على الأقدام من محطة "
        "بيرغن، والمدخل من Strømgaten بدون درج. الحضور مجاني، ويمكنكم التسجيل في صفحة اللقاء.",
    ),
    (
        "en",
        "Dialogue meeting: premises for clubs and associations",
        "Which premises do the associations need, and what can the municipality lend them? Bring your wishes "
        "and ideas.",
        "Main library, meeting room 2, Strømgaten 6, Bergen. Five minutes' walk from Bergen station, with a "
        "step-free entrance from Strømgaten. Free of charge; sign up on the meeting page.",
    ),
]


def _translations(meeting, translations):
    """Add the translations the meeting lacks (the demo runs again without doubling them)."""
    for code, title, description, practical_information in translations:
        language = TranslationLanguage.objects.filter(code=code).first()
        if language is None or meeting.translations.filter(language=language).exists():
            continue
        services.meeting_translation_create(
            meeting=meeting,
            language=language,
            title=title,
            description=description,
            practical_information=practical_information,
        )


SERIES_TITLE = "Frivillighetskafé på biblioteket"


def _series(municipality, today: datetime.date) -> MeetingSeries:
    """Every second Tuesday, eight times, published; dates the rule refuses or holidays are skipped
    (found again by title)."""
    series = MeetingSeries.objects.filter(municipality=municipality, title=SERIES_TITLE).first()
    if series is not None:
        return series
    start = _next_working_evening(today + datetime.timedelta(days=7), weekday=1)
    pattern = {"frequency": Frequency.FORTNIGHTLY, "count": 8}
    end = start + datetime.timedelta(hours=2)
    plan = series_services.series_plan(
        municipality=municipality,
        first_starts_at=start,
        first_ends_at=end,
        kind=Meeting.Kind.DIALOGUE_MEETING,
        **pattern,
    )
    series = series_services.series_create(
        municipality=municipality,
        decisions={p.key: series_services.Decision(action=series_services.SKIP) for p in plan if p.needs_decision},
        title=SERIES_TITLE,
        kind=Meeting.Kind.DIALOGUE_MEETING,
        description="Et fast, uformelt treffpunkt: lagene og kommunen drikker kaffe og snakker om det som opptar dem.",
        venue_name="Hovedbiblioteket, kafeen",
        venue_address="Strømgaten 6, 5015 Bergen",
        starts_at=start,
        ends_at=end,
        capacity=25,
        free_of_charge=True,
        step_free=True,
        food=True,
        **pattern,
    )
    series_services.series_publish(series=series)
    return series


def load(context) -> dict:
    municipality = context["municipality"]
    today = timezone.localdate()
    dialogue_start = _next_working_evening(today + datetime.timedelta(days=10), weekday=2)
    conference_start = _next_working_evening(today + datetime.timedelta(days=24), weekday=3)
    # In the evening, so the after-work rule holds when 5 December falls on a working day.
    volunteer_day = datetime.datetime.combine(_next_volunteer_day(today), datetime.time(18, 0), tzinfo=OSLO)
    meetings = [
        _meeting(
            municipality,
            title="Dialogmøte: lokaler til lag og foreninger",
            kind=Meeting.Kind.DIALOGUE_MEETING,
            formality=Meeting.Formality.INFORMAL,
            description="Hvilke lokaler trenger lagene, og hva kan kommunen låne ut? Ta med ønsker og ideer.",
            venue_name="Hovedbiblioteket, møterom 2",
            venue_address="Strømgaten 6, 5015 Bergen",
            directions="Fem minutter å gå fra Bergen stasjon. Trinnfri inngang fra Strømgaten.",
            starts_at=dialogue_start,
            ends_at=dialogue_start + datetime.timedelta(hours=2),
            capacity=40,
            free_of_charge=True,
            step_free=True,
            hearing_loop=True,
            food=True,
            plain_language=True,
            plain_summary=(
                "For lag og foreninger. Vi snakker om lokaler: hva dere trenger, og hva kommunen kan låne ut. "
                "Onsdag kl. 18 til 20 på Hovedbiblioteket, Strømgaten 6. Det er gratis. "
                "Meld dere på på denne siden."
            ),
            languages=["ar", "so"],
            agenda=[(datetime.time(18, 0), "Velkommen"), (datetime.time(18, 15), "Lokaler i dag: hva fungerer?")],
        ),
        _meeting(
            municipality,
            title="Åpen kveldskonferanse om frivillighetspolitikk",
            kind=Meeting.Kind.EVENING_CONFERENCE,
            formality=Meeting.Formality.FORMAL,
            mode=Meeting.Mode.HYBRID,
            description="Kommunen og lagene snakker om en helhetlig frivillighetspolitikk.",
            venue_name="Rådhuset, bystyresalen",
            venue_address="Rådhusgaten 10, 5014 Bergen",
            online_url="https://example.org/kveldskonferanse",
            starts_at=conference_start,
            ends_at=conference_start + datetime.timedelta(hours=3),
            free_of_charge=True,
            plain_language=True,
            plain_summary=(
                "For alle i lag og foreninger. Kommunen og lagene snakker om frivillighetspolitikk. "
                "Torsdag kl. 18 til 21 i bystyresalen i Rådhuset, Rådhusgaten 10, eller på nett. "
                "Det er gratis, og barn er velkomne. Meld deg på på denne siden."
            ),
            child_friendly=True,
        ),
        _meeting(
            municipality,
            title="Markedsplass på frivillighetens dag",
            kind=Meeting.Kind.VOLUNTEER_DAY,
            description="Lagene viser fram hva de gjør. Kom og finn noe å være med på!",
            venue_name="Torgallmenningen",
            venue_address="Torgallmenningen, 5014 Bergen",
            starts_at=volunteer_day,
            ends_at=volunteer_day + datetime.timedelta(hours=4),
            free_of_charge=True,
            step_free=True,
            child_friendly=True,
            food=True,
        ),
    ]
    # The mayor has said she will come to the dialogue meeting.
    hosting.meeting_leaders_announce(meeting=meetings[0], keys=[hosting.MAYOR_KEY])
    meetings.append(_proposed_and_accepted(context, today))
    _pending_proposal(context, today)
    _translations(meetings[0], DIALOGUE_TRANSLATIONS)
    held = _held_meeting(municipality, today=today)
    _agreed_actions(held, associations=context.get("associations", []), today=today)
    input_round = _input_round(municipality, context=context, today=today)
    return {
        "meetings": meetings,
        "series": _series(municipality, today),
        "held_meeting": held,
        "input_round": input_round,
    }


def _proposal(context, *, slug, title, start, **fields):
    """The association's proposal, made once (found again by title) by its first admin."""
    association = Association.objects.get(slug=slug)
    proposal = MeetingProposal.objects.filter(association=association, title=title).first()
    if proposal is None:
        admin = association.memberships.filter(role="admin").select_related("user").first().user
        proposal = hosting.proposal_create(
            association=association,
            user=admin,
            title=title,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            **fields,
        )
    return proposal


def _proposed_and_accepted(context, today):
    """A meeting an association proposed and the municipality accepted: it co-hosts it."""
    start = _next_working_evening(today + datetime.timedelta(days=17), weekday=1)
    proposal = _proposal(
        context,
        slug="demo-nabolagskoret",
        title="Syngende kveld: korene og kommunen i samtale",
        start=start,
        kind=Meeting.Kind.DIALOGUE_MEETING,
        venue_name="Kulturhuset, salen",
        venue_address="Kulturveien 3, 5003 Bergen",
        description="Korene i byen vil snakke med kommunen om øvingslokaler og konserter i nærmiljøet.",
        agenda="18.00 Korene synger\n18.20 Øvingslokaler i dag\n19.00 Hva kan kommunen og korene gjøre sammen?",
    )
    if proposal.status == MeetingProposal.Status.PENDING:
        hosting.proposal_accept(proposal=proposal, by=context["users"]["ansatt@example.org"])
        proposal.refresh_from_db()
    return proposal.meeting


def _pending_proposal(context, today):
    """One waiting for the staff's answer, to try accepting or declining."""
    start = _next_working_evening(today + datetime.timedelta(days=31), weekday=3)
    _proposal(
        context,
        slug="demo-leksehjelp-for-alle",
        title="Leksehjelp og biblioteket: hvordan når vi flere?",
        start=start,
        kind=Meeting.Kind.DIALOGUE_MEETING,
        venue_name="Hovedbiblioteket, møterom 1",
        venue_address="Strømgaten 6, 5015 Bergen",
        description="Vi vil finne ut sammen med kommunen hvordan flere barn får vite om leksehjelpen.",
    )


def _input_round(municipality, *, context, today):
    """An open input round for a meeting on inclusion, three candidate evenings, two answers."""
    title = "Dialogmøte om inkludering av nye innbyggere"
    input_round = InputRound.objects.filter(municipality=municipality, title=title).first()
    if input_round is not None:
        return input_round
    evenings = [
        _next_working_evening(today + datetime.timedelta(days=days), weekday=weekday)
        for days, weekday in ((28, 1), (30, 3), (35, 0))
    ]
    input_round = services_rounds.round_open(
        municipality=municipality,
        created_by=context["users"]["ansatt@example.org"],
        title=title,
        kind=Meeting.Kind.DIALOGUE_MEETING,
        description="Hvordan kan lagene og kommunen sammen ta imot nye innbyggere? Vi vil vite hva dere trenger.",
        answer_by=today + datetime.timedelta(days=21),
        dates=[(start, start + datetime.timedelta(hours=2)) for start in evenings],
    )
    dates = list(input_round.dates.all())
    associations = {association.slug: association for association in context.get("associations", [])}
    users = context["users"]
    answers = [
        (
            "demo-nabolagskoret",
            "styreleder@example.org",
            [DateChoice.Choice.YES, DateChoice.Choice.IF_NEED_BE, DateChoice.Choice.NO],
            {"topics": "Øvingslokaler og hvordan vi når nye sangere.", "access_needs": "Trinnfri adkomst."},
        ),
        (
            "demo-leksehjelp-for-alle",
            "frivillig@example.org",
            [DateChoice.Choice.YES, DateChoice.Choice.NO, DateChoice.Choice.YES],
            {"topics": "Samarbeid med skolene.", "language_needs": "Klart og enkelt norsk."},
        ),
    ]
    for slug, email, choices, fields in answers:
        if slug in associations:
            services_rounds.round_answer(
                input_round=input_round,
                association=associations[slug],
                user=users[email],
                choices={date.pk: choice for date, choice in zip(dates, choices, strict=True)},
                **fields,
            )
    return input_round


def _held_meeting(municipality, *, today):
    """A dialogue conference five weeks ago, with its summary. No meeting can be saved at a past
    time, so it is made as a coming one and then moved back, as only the demo does."""
    title = "Dialogkonferanse om lokaler og samarbeid"
    meeting = Meeting.objects.filter(municipality=municipality, title=title).first()
    if meeting is not None:
        return meeting
    ahead = _next_working_evening(today + datetime.timedelta(days=7), weekday=1)
    meeting = services.meeting_create(
        municipality=municipality,
        title=title,
        kind=Meeting.Kind.DIALOGUE_CONFERENCE,
        formality=Meeting.Formality.FORMAL,
        description="Kommunen og lagene ser på lokaler, en felles kalender og samarbeid om barn og unge.",
        venue_name="Rådhuset, møterom 1",
        venue_address="Rådhusgaten 10, 5014 Bergen",
        starts_at=ahead,
        ends_at=ahead + datetime.timedelta(hours=2),
        free_of_charge=True,
    )
    held = _next_working_evening(today - datetime.timedelta(days=35), weekday=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=held,
        ends_at=held + datetime.timedelta(hours=2),
        status=Meeting.Status.PUBLISHED,
        published_at=held - datetime.timedelta(days=21),
    )
    meeting.refresh_from_db()
    return services.meeting_summary_publish(
        meeting=meeting,
        summary="Tjue lag var med. Lokaler og en felles kalender var det lagene trengte mest.",
        follow_up_points="Gymsaler på kveldstid\r\nFelles kalender",
    )


def _agreed_actions(meeting, *, associations, today):
    if meeting.actions.exists():
        return
    choir = next((a for a in associations if a.slug == "demo-nabolagskoret"), None)
    services_actions.action_create(
        meeting=meeting,
        title="Åpne gymsalene på skolene for lagene på kveldstid",
        owner_unit="Eiendomsetaten",
        owner_email="eiendom@example.org",
        due_on=today - datetime.timedelta(days=5),
        status=AgreedAction.Status.IN_PROGRESS,
        status_comment="Avtale med tre skoler er på plass, to gjenstår.",
    )
    services_actions.action_create(
        meeting=meeting,
        title="Felles kalender for lagenes arrangementer",
        owner_unit="Kulturetaten",
        due_on=today + datetime.timedelta(days=6),
    )
    services_actions.action_create(
        meeting=meeting,
        title="Oversikt over kommunens lokaler som kan lånes",
        owner_unit="Kulturetaten",
        due_on=today - datetime.timedelta(days=14),
        status=AgreedAction.Status.DONE,
        status_comment="Oversikten ligger på kommunens nettside.",
    )
    if choir is not None:
        services_actions.action_create(
            meeting=meeting,
            title="Korkonsert for nye innbyggere",
            owner_association=choir,
            due_on=today + datetime.timedelta(days=40),
        )
