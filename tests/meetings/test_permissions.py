"""Roles × actions for meetings. Staff of one municipality never see or change another's."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import series as series_services
from meetings import services, services_rounds
from meetings.domain import OSLO
from meetings.models import InputRound, Meeting, MeetingSeries, Registration, TranslationLanguage
from tests import permission_matrix as matrix
from tests.meetings.factories import (
    AgreedActionFactory,
    MeetingFactory,
    MeetingProposalFactory,
    RegistrationFactory,
    held_meeting,
    next_weekday_evening,
)
from tests.meetings.series_helpers import december_series
from tests.meetings.test_rule_everywhere import _form_data

pytestmark = pytest.mark.django_db

ROLES = matrix.ROLES
STAFF = {"staff_here", "site_admin"}
SIGNED_IN = matrix.SIGNED_IN
EVERYONE = matrix.EVERYONE
MEMBERS = {"association_member", "association_admin"}


@pytest.fixture
def club(roles):
    return roles.association


@pytest.fixture
def meeting(municipality):
    return MeetingFactory(municipality=municipality)


@pytest.fixture
def draft(municipality):
    return MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)


@pytest.fixture
def marketplace(municipality):
    start = datetime.datetime(timezone.localdate().year + 1, 12, 5, 12, tzinfo=OSLO)
    return MeetingFactory(
        municipality=municipality, kind="markedsplass", starts_at=start, ends_at=start + datetime.timedelta(hours=3)
    )


# A draft is hidden (404) from who may not see it, signed in or not; a public page of a draft
# answers 404 to anonymous visitors too, the staff pages send them to sign in first.
HIDDEN = {"refused": 404}
HIDDEN_PUBLIC = {"refused": 404, "anonymous": 404}

GET_ACTIONS = [
    # (name, url builder, roles allowed, what the others get when it is not 403 / the sign-in page)
    ("calendar", lambda m, d, mp, n: reverse("meetings:calendar"), EVERYONE, {}),
    ("volunteer_day", lambda m, d, mp, n: reverse("meetings:volunteer_day"), EVERYONE, {}),
    ("published_meeting", lambda m, d, mp, n: reverse("meetings:detail", args=[m.pk]), EVERYONE, {}),
    ("published_ical", lambda m, d, mp, n: reverse("meetings:ical", args=[m.pk]), EVERYONE, {}),
    ("municipality_feed", lambda m, d, mp, n: reverse("meetings:municipality_feed", args=[n]), EVERYONE, {}),
    ("draft_meeting", lambda m, d, mp, n: reverse("meetings:detail", args=[d.pk]), STAFF, HIDDEN_PUBLIC),
    ("draft_ical", lambda m, d, mp, n: reverse("meetings:ical", args=[d.pk]), STAFF, HIDDEN_PUBLIC),
    ("preview", lambda m, d, mp, n: reverse("meetings:preview", args=[d.pk]), STAFF, HIDDEN),
    ("staff_meetings", lambda m, d, mp, n: reverse("meetings:staff_meetings", args=[n]), STAFF, {}),
    ("create_form", lambda m, d, mp, n: reverse("meetings:create", args=[n]), STAFF, {}),
    ("edit_form", lambda m, d, mp, n: reverse("meetings:edit", args=[m.pk]), STAFF, {}),
    ("cancel_form", lambda m, d, mp, n: reverse("meetings:cancel", args=[m.pk]), STAFF, {}),
    ("registrations", lambda m, d, mp, n: reverse("meetings:registrations", args=[m.pk]), STAFF, {}),
    ("registrations_csv", lambda m, d, mp, n: reverse("meetings:registrations_csv", args=[m.pk]), STAFF, {}),
    ("summary_form", lambda m, d, mp, n: reverse("meetings:summary", args=[m.pk]), STAFF, {}),
    ("exhibitors", lambda m, d, mp, n: reverse("meetings:exhibitors", args=[mp.pk]), STAFF, {}),
    ("reach", lambda m, d, mp, n: reverse("meetings:reach", args=[n]), STAFF, {}),
    ("reach_csv", lambda m, d, mp, n: reverse("meetings:reach_csv", args=[n]), STAFF, {}),
    ("co_hosts", lambda m, d, mp, n: reverse("meetings:co_hosts", args=[m.pk]), STAFF, {}),
    ("leaders", lambda m, d, mp, n: reverse("meetings:leaders", args=[m.pk]), STAFF, {}),
    ("practical_information", lambda m, d, mp, n: reverse("meetings:practical_information", args=[m.pk]), STAFF, {}),
    ("draft_co_hosts", lambda m, d, mp, n: reverse("meetings:co_hosts", args=[d.pk]), STAFF, HIDDEN),
    ("county_meetings", lambda m, d, mp, n: reverse("meetings:county_meetings", args=[n[:2]]), {"site_admin"}, {}),
    ("register_form", lambda m, d, mp, n: reverse("meetings:register", args=[m.pk]), SIGNED_IN, {}),
    (
        "exhibitor_form",
        lambda m, d, mp, n: reverse("meetings:exhibitor_apply", args=[mp.pk]),
        SIGNED_IN - {"staff_here"},
        {},
    ),
    (
        "exhibitor_form_not_marketplace",
        lambda m, d, mp, n: reverse("meetings:exhibitor_apply", args=[m.pk]),
        set(),
        {},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "url", "allowed", "refusal"), GET_ACTIONS, ids=[a[0] for a in GET_ACTIONS])
def test_get(as_role, role, action, url, allowed, refusal, meeting, draft, marketplace, municipality):
    response = as_role(role).get(url(meeting, draft, marketplace, municipality.number))
    assert matrix.outcome(response) == matrix.expected(role, allowed, **refusal)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_registers_for_a_draft(as_role, role, draft):
    as_role(role).post(reverse("meetings:register", args=[draft.pk]), {"attendees": "1"})
    assert not Registration.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_publish(as_role, role, draft):
    as_role(role).post(reverse("meetings:publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert (draft.status == Meeting.Status.PUBLISHED) is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_cancel(as_role, role, meeting):
    as_role(role).post(reverse("meetings:cancel", args=[meeting.pk]), {"reason": "Sykdom"})
    meeting.refresh_from_db()
    assert (meeting.status == Meeting.Status.CANCELLED) is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_duplicate(as_role, role, meeting):
    as_role(role).post(reverse("meetings:duplicate", args=[meeting.pk]))
    assert (Meeting.objects.count() == 2) is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_edit(as_role, role, meeting):
    as_role(role).post(
        reverse("meetings:edit", args=[meeting.pk]),
        _form_data(meeting.starts_at.astimezone(OSLO), meeting.ends_at.astimezone(OSLO), title="Nytt navn"),
    )
    meeting.refresh_from_db()
    assert (meeting.title == "Nytt navn") is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_register_on_behalf_of_the_association(as_role, role, meeting, club):
    as_role(role).post(reverse("meetings:register", args=[meeting.pk]), {"association": club.pk, "attendees": "2"})
    registered = Registration.objects.filter(meeting=meeting, association=club).exists()
    assert registered is (role in MEMBERS)


@pytest.mark.parametrize("role", ROLES)
def test_register_self(as_role, role, meeting):
    as_role(role).post(reverse("meetings:register", args=[meeting.pk]), {"attendees": "1"})
    assert Registration.objects.filter(meeting=meeting).exists() is (role in SIGNED_IN)


@pytest.mark.parametrize("role", ROLES)
def test_cancel_someone_elses_registration(as_role, role, meeting):
    registration = RegistrationFactory(meeting=meeting)
    as_role(role).post(reverse("meetings:registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert (registration.status == Registration.Status.CANCELLED) is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_edit_someone_elses_registration(as_role, role, meeting):
    registration = RegistrationFactory(meeting=meeting, topics="Opprinnelig")
    as_role(role).post(
        reverse("meetings:registration_edit", args=[registration.pk]), {"attendees": "1", "topics": "Endret"}
    )
    registration.refresh_from_db()
    assert registration.topics == "Opprinnelig"


def test_registrant_edits_and_cancels_own_registration(client, volunteer, meeting):
    registration = RegistrationFactory(meeting=meeting, user=volunteer)
    client.force_login(volunteer)
    client.post(reverse("meetings:registration_edit", args=[registration.pk]), {"attendees": "1", "topics": "Endret"})
    registration.refresh_from_db()
    assert registration.topics == "Endret"
    client.post(reverse("meetings:registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


@pytest.mark.parametrize("role", ROLES)
def test_staff_of_another_municipality_cannot_create_here(as_role, role, municipality):
    start = next_weekday_evening()
    as_role(role).post(
        reverse("meetings:create", args=[municipality.number]), _form_data(start, start + datetime.timedelta(hours=1))
    )
    assert Meeting.objects.filter(municipality=municipality).exists() is (role in STAFF)


# The rules themselves, for the roles of tests/permission_matrix.py -------------------------------

MANAGERS = {"staff_here", "site_admin"}


def _marketplace(roles):
    start = datetime.datetime(timezone.localdate().year + 1, 12, 5, 12, tzinfo=OSLO)
    return MeetingFactory(
        municipality=roles.municipality,
        kind="markedsplass",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )


def _series(roles, *, published):
    series = december_series(roles.municipality)
    if published:
        series_services.series_publish(series=series)
    return series


def _co_hosted(roles, *, status):
    meeting = MeetingFactory(municipality=roles.municipality, status=status)
    meeting.co_hosts.add(roles.association)
    return meeting


def _input_round(roles):
    start = next_weekday_evening()
    return services_rounds.round_open(
        municipality=roles.municipality, title="Innspill", dates=[(start, start + datetime.timedelta(hours=2))]
    )


RULE_OBJECTS = {
    "published series": lambda roles: _series(roles, published=True),
    "draft series": lambda roles: _series(roles, published=False),
    "municipality": lambda roles: roles.municipality,
    "published meeting": lambda roles: MeetingFactory(municipality=roles.municipality),
    "draft meeting": lambda roles: MeetingFactory(municipality=roles.municipality, status=Meeting.Status.DRAFT),
    "marketplace": _marketplace,
    "member's registration": lambda roles: RegistrationFactory(
        meeting=MeetingFactory(municipality=roles.municipality), user=roles.users["association_member"]
    ),
    "county": lambda roles: roles.municipality.county_number,
    "association": lambda roles: roles.association,
    "co-hosted meeting": lambda roles: _co_hosted(roles, status=Meeting.Status.PUBLISHED),
    "co-hosted draft": lambda roles: _co_hosted(roles, status=Meeting.Status.DRAFT),
    "proposal": lambda roles: MeetingProposalFactory(association=roles.association),
    "held meeting": lambda roles: held_meeting(roles.municipality),
    "input round": lambda roles: _input_round(roles),
    "closed input round": lambda roles: services_rounds.round_close(input_round=_input_round(roles)),
    "unit's action": lambda roles: AgreedActionFactory(meeting=held_meeting(roles.municipality)),
    "association's action": lambda roles: AgreedActionFactory(
        meeting=held_meeting(roles.municipality), owner_association=roles.association, owner_unit=""
    ),
}

RULE_MATRIX = [
    # (rule, object, roles the rule allows)
    ("meetings.add_meeting_in", "municipality", MANAGERS),
    ("meetings.view_reach", "municipality", MANAGERS),
    ("meetings.view_meeting", "published meeting", matrix.EVERYONE),
    ("meetings.view_meeting", "draft meeting", MANAGERS),
    ("meetings.change_meeting", "published meeting", MANAGERS),
    ("meetings.change_meeting", "draft meeting", MANAGERS),
    ("meetings.publish_meeting", "draft meeting", MANAGERS),
    ("meetings.cancel_meeting", "published meeting", MANAGERS),
    ("meetings.view_registrations", "published meeting", MANAGERS),
    ("meetings.mark_attendance", "published meeting", MANAGERS),
    ("meetings.manage_exhibitors", "marketplace", MANAGERS),
    ("meetings.register", "published meeting", matrix.SIGNED_IN),
    ("meetings.register", "draft meeting", matrix.NOBODY),
    ("meetings.apply_exhibitor", "marketplace", matrix.SIGNED_IN - {"staff_here"}),
    ("meetings.apply_exhibitor", "published meeting", matrix.NOBODY),
    ("meetings.change_registration", "member's registration", {"association_member"}),
    ("meetings.cancel_registration", "member's registration", {"association_member"} | MANAGERS),
    ("meetings.view_series", "published series", matrix.EVERYONE),
    ("meetings.view_series", "draft series", MANAGERS),
    ("meetings.change_series", "published series", MANAGERS),
    ("meetings.change_series", "draft series", MANAGERS),
    ("meetings.view_municipality_meetings", "municipality", MANAGERS),
    ("meetings.view_county_meetings", "county", {"site_admin"}),
    ("meetings.view_meeting", "co-hosted draft", MANAGERS | {"association_admin"}),
    ("meetings.change_meeting", "co-hosted meeting", MANAGERS),
    ("meetings.change_practical_information", "published meeting", MANAGERS),
    ("meetings.change_practical_information", "co-hosted meeting", MANAGERS | {"association_admin"}),
    ("meetings.manage_co_hosts", "published meeting", MANAGERS),
    ("meetings.manage_co_hosts", "co-hosted meeting", MANAGERS),
    ("meetings.manage_leaders", "published meeting", MANAGERS),
    ("meetings.propose_meeting", "association", {"association_admin"}),
    ("meetings.view_proposal", "proposal", MANAGERS | {"association_admin"}),
    ("meetings.decide_proposal", "proposal", MANAGERS),
    ("meetings.manage_actions", "held meeting", MANAGERS),
    ("meetings.manage_actions", "draft meeting", MANAGERS),
    ("meetings.report_action_progress", "unit's action", MANAGERS),
    ("meetings.report_action_progress", "association's action", {"association_admin"} | MANAGERS),
    ("meetings.open_input_round", "municipality", MANAGERS),
    ("meetings.manage_input_round", "input round", MANAGERS),
    # Admins of the associations asked answer for them; staff and site admins do not act for associations.
    ("meetings.answer_input_round", "input round", {"association_admin"}),
    ("meetings.answer_input_round", "closed input round", {"association_admin"}),
]


@pytest.mark.parametrize(
    ("perm", "target", "allowed"), RULE_MATRIX, ids=[f"{perm}-{target}" for perm, target, _ in RULE_MATRIX]
)
def test_rule_matrix(roles, perm, target, allowed):
    assert matrix.allowed_roles(roles, perm, RULE_OBJECTS[target](roles)) == set(allowed)


# A draft is not there for those who may not see it --------------------------------------------

HIDDEN_DRAFT_URLS = ["meetings:detail", "meetings:ical", "meetings:preview", "meetings:edit", "meetings:registrations"]


@pytest.mark.parametrize("name", HIDDEN_DRAFT_URLS)
@pytest.mark.parametrize("role", ["anonymous", "stranger", "association_admin", "staff_elsewhere"])
def test_draft_meeting_answers_404_to_those_who_may_not_see_it(client, roles, role, name):
    draft = MeetingFactory(municipality=roles.municipality, status=Meeting.Status.DRAFT, title="Hemmelig utkast")
    if role != "anonymous":
        client.force_login(roles.users[role])
    response = client.get(reverse(name, args=[draft.pk]))
    if role == "anonymous" and name not in ("meetings:detail", "meetings:ical"):
        # Staff pages send everyone signed out to the login page first, whichever meeting it is.
        assert "/konto/login/" in response.url
    else:
        assert response.status_code == 404
        assert "Hemmelig utkast" not in response.content.decode()


def test_published_meeting_staff_page_still_answers_403_to_strangers(client, roles):
    meeting = MeetingFactory(municipality=roles.municipality)
    client.force_login(roles.users["stranger"])
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403


def test_site_admin_does_not_edit_someone_elses_registration(client, roles):
    registration = RegistrationFactory(meeting=MeetingFactory(municipality=roles.municipality), topics="Opprinnelig")
    client.force_login(roles.users["site_admin"])
    assert client.get(reverse("meetings:registration_edit", args=[registration.pk])).status_code == 403


def test_host_staff_are_not_offered_a_stand_and_cannot_apply(client, roles):
    marketplace = _marketplace(roles)
    url = reverse("meetings:detail", args=[marketplace.pk])
    client.force_login(roles.users["staff_here"])
    page = client.get(url).content.decode()
    assert marketplace.title in page
    assert "Søk om stand for laget ditt" not in page
    assert client.get(reverse("meetings:exhibitor_apply", args=[marketplace.pk])).status_code == 403
    # Anyone else signed in is offered to apply for their association.
    client.force_login(roles.users["association_admin"])
    assert "Søk om stand for laget ditt" in client.get(url).content.decode()


# A meeting's information in other languages: the rule for editing the meeting -----------------


@pytest.fixture
def arabic_version(meeting):
    return services.meeting_translation_create(
        meeting=meeting, language=TranslationLanguage.objects.get(code="ar"), title="لقاء حواري"
    )


TRANSLATION_PAGES = [
    ("translations", lambda m: reverse("meetings:translations", args=[m.pk])),
    ("translation_create", lambda m: reverse("meetings:translation_create", args=[m.pk])),
    ("translation_edit", lambda m: reverse("meetings:translation_edit", args=[m.pk, "ar"])),
    ("translation_delete", lambda m: reverse("meetings:translation_delete", args=[m.pk, "ar"])),
]


# Fixed meeting places (series) -----------------------------------------------------------------

SERIES_PAGES = [
    # (name, url builder, roles allowed, refusal for the others)
    ("series_page", lambda s, n: reverse("meetings:series", args=[s.pk]), EVERYONE, {}),
    ("series_ical", lambda s, n: reverse("meetings:series_ical", args=[s.pk]), EVERYONE, {}),
    ("series_create_form", lambda s, n: reverse("meetings:series_create", args=[n]), STAFF, {}),
]
DRAFT_SERIES_PAGES = [
    ("draft_series_page", lambda s, n: reverse("meetings:series", args=[s.pk]), STAFF, HIDDEN_PUBLIC),
    ("draft_series_ical", lambda s, n: reverse("meetings:series_ical", args=[s.pk]), STAFF, HIDDEN_PUBLIC),
]


# Agreed actions: the public list, the staff pages, the owner's status page -------------------

ACTION_PAGES = [
    # (name, url builder from (held meeting, the association's action, municipality number), allowed)
    ("public_actions", lambda m, a, n: reverse("meetings:municipality_actions", args=[n]), EVERYONE),
    ("meeting_actions", lambda m, a, n: reverse("meetings:actions", args=[m.pk]), STAFF),
    ("action_add", lambda m, a, n: reverse("meetings:action_add", args=[m.pk]), STAFF),
    ("action_edit", lambda m, a, n: reverse("meetings:action_edit", args=[a.pk]), STAFF),
    ("action_status", lambda m, a, n: reverse("meetings:action_status", args=[a.pk]), STAFF | {"association_admin"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "url"), TRANSLATION_PAGES, ids=[a[0] for a in TRANSLATION_PAGES])
def test_translation_pages(as_role, role, action, url, meeting, arabic_version):
    response = as_role(role).get(url(meeting))
    assert matrix.outcome(response) == matrix.expected(role, STAFF)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "url"), TRANSLATION_PAGES, ids=[a[0] for a in TRANSLATION_PAGES])
def test_translation_pages_of_a_draft_are_hidden(as_role, role, action, url, draft):
    services.meeting_translation_create(
        meeting=draft, language=TranslationLanguage.objects.get(code="ar"), title="لقاء حواري"
    )
    response = as_role(role).get(url(draft))
    assert matrix.outcome(response) == matrix.expected(role, STAFF, refused=404)


@pytest.mark.parametrize("role", ROLES)
def test_translation_create(as_role, role, meeting):
    english = TranslationLanguage.objects.get(code="en")
    as_role(role).post(
        reverse("meetings:translation_create", args=[meeting.pk]), {"language": english.pk, "title": "Dialogue"}
    )
    assert meeting.translations.filter(language=english).exists() is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_translation_edit(as_role, role, meeting, arabic_version):
    as_role(role).post(reverse("meetings:translation_edit", args=[meeting.pk, "ar"]), {"title": "عنوان جديد"})
    arabic_version.refresh_from_db()
    assert (arabic_version.title == "عنوان جديد") is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_translation_delete(as_role, role, meeting, arabic_version):
    as_role(role).post(reverse("meetings:translation_delete", args=[meeting.pk, "ar"]))
    assert meeting.translations.exists() is (role not in STAFF)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "url", "allowed", "refusal"), SERIES_PAGES, ids=[a[0] for a in SERIES_PAGES])
def test_series_pages(as_role, roles, role, action, url, allowed, refusal):
    series = _series(roles, published=True)
    response = as_role(role).get(url(series, roles.municipality.number))
    assert matrix.outcome(response) == matrix.expected(role, allowed, **refusal)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "url", "allowed", "refusal"), DRAFT_SERIES_PAGES, ids=[a[0] for a in DRAFT_SERIES_PAGES]
)
def test_draft_series_pages(as_role, roles, role, action, url, allowed, refusal):
    series = _series(roles, published=False)
    response = as_role(role).get(url(series, roles.municipality.number))
    assert matrix.outcome(response) == matrix.expected(role, allowed, **refusal)
    if role not in allowed:
        assert series.title not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_publish_series(as_role, roles, role):
    series = _series(roles, published=False)
    response = as_role(role).post(reverse("meetings:series_publish", args=[series.pk]))
    published = series.meetings.filter(status=Meeting.Status.PUBLISHED).exists()
    assert published is (role in STAFF)
    expected = matrix.expected(role, STAFF, refused=404)
    assert matrix.outcome(response, redirect=reverse("meetings:series", args=[series.pk])) == expected


@pytest.mark.parametrize("role", ROLES)
def test_create_series(as_role, roles, role):
    start = next_weekday_evening(days_ahead=21)
    data = _form_data(start, start + datetime.timedelta(hours=2))
    data.update(frequency="weekly", count="2", steg="se")
    response = as_role(role).post(reverse("meetings:series_create", args=[roles.municipality.number]), data)
    if role in STAFF:
        data.update(steg="lagre", datoer=response.context["fingerprint"])
        as_role(role).post(reverse("meetings:series_create", args=[roles.municipality.number]), data)
    else:
        assert matrix.outcome(response) == matrix.expected(role, STAFF)
    assert MeetingSeries.objects.filter(municipality=roles.municipality).exists() is (role in STAFF)


def test_staff_elsewhere_may_see_a_published_series_but_not_publish_it(as_role, roles):
    series = _series(roles, published=True)
    response = as_role("staff_elsewhere").post(reverse("meetings:series_publish", args=[series.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "url", "allowed"), ACTION_PAGES, ids=[p[0] for p in ACTION_PAGES])
def test_action_pages(as_role, roles, role, page, url, allowed):
    meeting = held_meeting(roles.municipality)
    action = AgreedActionFactory(meeting=meeting, owner_association=roles.association, owner_unit="")
    response = as_role(role).get(url(meeting, action, roles.municipality.number))
    assert matrix.outcome(response) == matrix.expected(role, allowed)


@pytest.mark.parametrize("role", ROLES)
def test_add_action(as_role, roles, role):
    meeting = held_meeting(roles.municipality)
    due = timezone.localdate() + datetime.timedelta(days=10)
    as_role(role).post(
        reverse("meetings:action_add", args=[meeting.pk]),
        {"title": "Nytt tiltak", "owner_unit": "Kulturetaten", "due_on": f"{due:%Y-%m-%d}", "status": "agreed"},
    )
    assert meeting.actions.filter(title="Nytt tiltak").exists() is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_report_action_progress(as_role, roles, role):
    action = AgreedActionFactory(
        meeting=held_meeting(roles.municipality), owner_association=roles.association, owner_unit=""
    )
    as_role(role).post(
        reverse("meetings:action_status", args=[action.pk]), {"status": "done", "status_comment": "Ferdig."}
    )
    action.refresh_from_db()
    assert (action.status == "done") is (role in STAFF | {"association_admin"})


def test_staff_of_another_municipality_cannot_touch_this_municipalitys_actions(client, roles):
    action = AgreedActionFactory(meeting=held_meeting(roles.municipality), title="Opprinnelig")
    client.force_login(roles.users["staff_elsewhere"])
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("meetings:action_edit", args=[action.pk]),
        {"title": "Endret", "owner_unit": "Kulturetaten", "due_on": f"{due:%Y-%m-%d}", "status": "agreed"},
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Opprinnelig"


# Input rounds ---------------------------------------------------------------------------------

ROUND_PAGES = [
    ("rounds", lambda r, n: reverse("meetings:rounds", args=[n]), STAFF),
    ("round_create", lambda r, n: reverse("meetings:round_create", args=[n]), STAFF),
    ("round_detail", lambda r, n: reverse("meetings:round_detail", args=[r.pk]), STAFF),
    ("round_meeting", lambda r, n: reverse("meetings:round_meeting", args=[r.pk]), STAFF),
    ("round_answer", lambda r, n: reverse("meetings:round_answer", args=[r.pk]), {"association_admin"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("page", "url", "allowed"), ROUND_PAGES, ids=[p[0] for p in ROUND_PAGES])
def test_round_pages(as_role, roles, role, page, url, allowed):
    response = as_role(role).get(url(_input_round(roles), roles.municipality.number))
    assert matrix.outcome(response) == matrix.expected(role, allowed)


@pytest.mark.parametrize("role", ROLES)
def test_open_round(as_role, roles, role):
    start = next_weekday_evening()
    as_role(role).post(
        reverse("meetings:round_create", args=[roles.municipality.number]),
        {
            "title": "Ny runde",
            "kind": "dialogmote",
            "invite_all": "on",
            "datoer-TOTAL_FORMS": "1",
            "datoer-INITIAL_FORMS": "0",
            "datoer-0-starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "datoer-0-ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert InputRound.objects.filter(title="Ny runde").exists() is (role in STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_answer_round(as_role, roles, role):
    input_round = _input_round(roles)
    date = input_round.dates.get()
    as_role(role).post(
        reverse("meetings:round_answer", args=[input_round.pk]),
        {"association": roles.association.pk, f"dato_{date.pk}": "yes"},
    )
    assert input_round.answers.exists() is (role == "association_admin")


@pytest.mark.parametrize("role", ROLES)
def test_close_round(as_role, roles, role):
    input_round = _input_round(roles)
    as_role(role).post(reverse("meetings:round_close", args=[input_round.pk]))
    input_round.refresh_from_db()
    assert (input_round.status == InputRound.Status.CLOSED) is (role in STAFF)


def test_staff_of_another_municipality_see_nothing_of_this_round(client, roles):
    input_round = _input_round(roles)
    client.force_login(roles.users["staff_elsewhere"])
    for name in ("meetings:round_detail", "meetings:round_meeting", "meetings:round_answer"):
        assert client.get(reverse(name, args=[input_round.pk])).status_code == 403
