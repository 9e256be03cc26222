"""Hosts beyond the municipality (proposals from associations, co-hosts, county municipalities)
and the leadership present at meetings: services, forms, pages, emails and the reach report."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings import hosting, selectors, services
from meetings.domain import OSLO
from meetings.models import Meeting, MeetingLeader, MeetingProposal
from notifications.models import OutgoingEmail
from organizations.models import CountyStaff, MunicipalLeader
from tests import permission_matrix as matrix
from tests.accounts.factories import UserFactory
from tests.meetings.factories import MeetingFactory, MeetingProposalFactory, RegistrationFactory, next_weekday_evening
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
)

pytestmark = pytest.mark.django_db

AFTER_WORK = "Møter på hverdager må starte etter arbeidstid, tidligst kl. 17.00"


@pytest.fixture
def choir(municipality, volunteer):
    association = AssociationFactory(municipality=municipality, name="Nabolagskoret")
    MembershipFactory(association=association, user=volunteer, role="admin")
    return association


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def _proposal_data(start, **extra):
    return {
        "title": "Kveld om lokaler",
        "kind": "dialogmote",
        "mode": "in_person",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": "Grendehuset",
        "venue_address": "Skolevegen 1\r\n5000 Bergen",
        "description": "Vi vil snakke om lokaler til øving.",
        "agenda": "18.00 Velkommen\r\n18.15 Lokaler i dag\r\nSpørsmål og svar",
        **extra,
    }


def _in_the_past(meeting, days=30):
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at - datetime.timedelta(days=days),
        ends_at=meeting.ends_at - datetime.timedelta(days=days),
    )
    meeting.refresh_from_db()
    return meeting


# Proposals -------------------------------------------------------------------------------------


def test_a_proposal_in_working_hours_is_refused_with_the_after_work_rule_and_nothing_is_saved(client, volunteer, choir):
    client.force_login(volunteer)
    afternoon = next_weekday_evening(hour=15)
    response = client.post(reverse("meetings:propose", args=[choir.slug]), _proposal_data(afternoon))
    assert response.status_code == 200
    assert AFTER_WORK in response.content.decode()
    assert not MeetingProposal.objects.exists()


def test_a_proposal_without_a_venue_or_with_a_programme_line_too_long_is_refused(client, volunteer, choir):
    client.force_login(volunteer)
    data = _proposal_data(next_weekday_evening(), venue_name="", agenda="18.00 " + "x" * 201)
    page = client.post(reverse("meetings:propose", args=[choir.slug]), data).content.decode()
    assert "Oppgi hvor møtet holdes." in page
    assert "Hvert punkt på programmet kan ha høyst 200 tegn." in page
    assert not MeetingProposal.objects.exists()


def test_an_admin_proposes_and_staff_see_it(client, volunteer, choir, staff_user):
    client.force_login(volunteer)
    start = next_weekday_evening()
    response = client.post(reverse("meetings:propose", args=[choir.slug]), _proposal_data(start))
    proposal = MeetingProposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.status == MeetingProposal.Status.PENDING
    assert proposal.municipality == choir.municipality and proposal.proposed_by == volunteer
    assert proposal.starts_at == start
    client.force_login(staff_user)
    page = client.get(reverse("meetings:staff_meetings", args=[choir.municipality.number])).content.decode()
    assert "Forslag fra lag og foreninger" in page and "Kveld om lokaler" in page


def test_members_and_admins_of_an_association_waiting_for_approval_cannot_propose(client, municipality):
    member = MembershipFactory(association=AssociationFactory(municipality=municipality), role="member")
    client.force_login(member.user)
    assert client.get(reverse("meetings:propose", args=[member.association.slug])).status_code == 403
    pending = MembershipFactory(
        association=AssociationFactory(municipality=municipality, status="pending"), role="admin"
    )
    client.force_login(pending.user)
    response = client.post(
        reverse("meetings:propose", args=[pending.association.slug]), _proposal_data(next_weekday_evening())
    )
    assert response.status_code == 403
    assert not MeetingProposal.objects.exists()


def test_the_service_refuses_someone_who_may_not_act_for_the_association(municipality, choir):
    stranger = UserFactory()
    with pytest.raises(Exception, match="Bare administratorer"):
        hosting.proposal_create(association=choir, user=stranger, title="X", starts_at=next_weekday_evening())
    assert not MeetingProposal.objects.exists()


def test_accepting_publishes_with_the_association_as_co_host_and_tells_its_admins(
    staff_client, send_on_commit, choir, volunteer
):
    other_admin = MembershipFactory(association=choir, role="admin").user
    proposal = MeetingProposalFactory(
        association=choir, title="Kveld om lokaler", agenda="18.00 Velkommen\r\n18.15 Lokaler i dag\r\nSpørsmål"
    )
    response = send_on_commit(staff_client.post, reverse("meetings:proposal_accept", args=[proposal.pk]))
    proposal.refresh_from_db()
    meeting = proposal.meeting
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert proposal.status == MeetingProposal.Status.ACCEPTED and proposal.decided_at is not None
    assert meeting.status == Meeting.Status.PUBLISHED
    assert list(meeting.co_hosts.all()) == [choir]
    assert [(item.starts_at, item.title) for item in meeting.agenda.all()] == [
        (datetime.time(18, 0), "Velkommen"),
        (datetime.time(18, 15), "Lokaler i dag"),
        (None, "Spørsmål"),
    ]
    accepted = [message for message in mail.outbox if message.subject.startswith("Forslaget er godtatt")]
    assert sorted(message.to[0] for message in accepted) == sorted([volunteer.email, other_admin.email])
    assert "medarrangør" in accepted[0].body
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "Medarrangør" in page and "Møtet ble foreslått av Nabolagskoret." in page
    # Answered once: a second answer is refused and nothing more is sent.
    staff_client.post(reverse("meetings:proposal_accept", args=[proposal.pk]))
    assert Meeting.objects.count() == 1
    with pytest.raises(ValidationError, match="allerede besvart"):
        hosting.proposal_decline(proposal=proposal, reason="For sent")


def test_a_proposal_whose_time_has_passed_cannot_be_accepted(staff_client, choir):
    proposal = MeetingProposalFactory(association=choir)
    MeetingProposal.objects.filter(pk=proposal.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=1),
        ends_at=timezone.now() - datetime.timedelta(days=1) + datetime.timedelta(hours=2),
    )
    response = staff_client.post(reverse("meetings:proposal_accept", args=[proposal.pk]), follow=True)
    assert "har allerede vært" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == MeetingProposal.Status.PENDING
    assert not Meeting.objects.exists()


def test_declining_needs_a_reason_and_sends_it_escaped(staff_client, send_on_commit, choir, volunteer):
    proposal = MeetingProposalFactory(association=choir, title="Kveld om lokaler")
    url = reverse("meetings:proposal_decline", args=[proposal.pk])
    page = staff_client.post(url, {"reason": "   "}).content.decode()
    assert "Skriv hvorfor forslaget ikke blir et møte." in page
    proposal.refresh_from_db()
    assert proposal.status == MeetingProposal.Status.PENDING
    assert not OutgoingEmail.objects.filter(kind="meetings.proposal_declined").exists()

    reason = "Vi har et møte om lokaler <b>samme uke</b>.\r\nKom gjerne dit!"
    response = send_on_commit(staff_client.post, url, {"reason": reason})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == MeetingProposal.Status.DECLINED
    assert proposal.decline_reason == reason.strip()
    [message] = mail.outbox
    assert message.to == [volunteer.email]
    assert message.subject == "Svar på forslaget: Kveld om lokaler"
    assert "<b>samme uke</b>" in message.body
    html = message.alternatives[0][0]
    assert "&lt;b&gt;samme uke&lt;/b&gt;" in html and "<b>samme uke</b>" not in html


def test_the_proposers_see_the_answer_and_other_associations_do_not(client, volunteer, choir, municipality):
    proposal = MeetingProposalFactory(association=choir, title="Kveld om lokaler")
    hosting.proposal_decline(proposal=proposal, reason="Ikke i år.")
    client.force_login(volunteer)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Avslått" in page and "Ikke i år." in page
    other = MembershipFactory(association=AssociationFactory(municipality=municipality), role="admin").user
    client.force_login(other)
    assert client.get(proposal.get_absolute_url()).status_code == 404


# Co-hosts --------------------------------------------------------------------------------------


def test_staff_add_co_hosts_of_their_municipality_only(staff_client, choir, other_municipality):
    meeting = MeetingFactory(municipality=choir.municipality)
    elsewhere = AssociationFactory(municipality=other_municipality)
    url = reverse("meetings:co_hosts", args=[meeting.pk])
    page = staff_client.post(url, {"co_hosts": [choir.pk, elsewhere.pk]}).content.decode()
    assert "Velg bare blant lagene på siden." in page
    assert not meeting.co_hosts.exists()
    assert staff_client.post(url, {"co_hosts": [choir.pk]}).status_code == 302
    assert list(meeting.co_hosts.all()) == [choir]
    with pytest.raises(ValidationError, match="Bare godkjente lag"):
        hosting.meeting_co_hosts_set(meeting=meeting, associations=[elsewhere])
    assert list(meeting.co_hosts.all()) == [choir]


def test_a_co_host_edits_the_practical_information_but_not_the_time_or_seats(client, send_on_commit, volunteer, choir):
    meeting = MeetingFactory(municipality=choir.municipality, capacity=30, venue_name="Biblioteket")
    meeting.co_hosts.add(choir)
    registrant = RegistrationFactory(meeting=meeting).user
    starts_at = meeting.starts_at
    client.force_login(volunteer)
    assert "Endre praktisk informasjon" in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(reverse("meetings:edit", args=[meeting.pk])).status_code == 403
    later = (starts_at + datetime.timedelta(days=7)).astimezone(OSLO)
    response = send_on_commit(
        client.post,
        reverse("meetings:practical_information", args=[meeting.pk]),
        {
            "venue_name": "Grendehuset",
            "directions": "Inngang fra baksiden.\r\nTrinnfritt.",
            "step_free": "on",
            "starts_at": later.strftime("%Y-%m-%dT%H:%M"),
            "capacity": "500",
            "program-TOTAL_FORMS": "1",
            "program-INITIAL_FORMS": "0",
            "program-0-title": "Velkommen",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.venue_name == "Grendehuset" and meeting.step_free
    assert meeting.directions == "Inngang fra baksiden.\r\nTrinnfritt."
    assert meeting.starts_at == starts_at and meeting.capacity == 30
    assert [item.title for item in meeting.agenda.all()] == ["Velkommen"]
    assert [message.to[0] for message in mail.outbox] == [registrant.email]


def test_the_practical_service_refuses_the_time_and_the_seats(choir):
    meeting = MeetingFactory(municipality=choir.municipality, capacity=30)
    with pytest.raises(Exception, match="ikke tid eller antall plasser"):
        hosting.meeting_practical_update(meeting=meeting, capacity=500)
    meeting.refresh_from_db()
    assert meeting.capacity == 30


def test_a_co_host_with_a_bad_link_is_told_and_nothing_changes(client, volunteer, choir):
    meeting = MeetingFactory(municipality=choir.municipality, venue_name="Biblioteket")
    meeting.co_hosts.add(choir)
    client.force_login(volunteer)
    page = client.post(
        reverse("meetings:practical_information", args=[meeting.pk]),
        {"venue_name": "", "program-TOTAL_FORMS": "0", "program-INITIAL_FORMS": "0"},
    ).content.decode()
    assert "Oppgi hvor møtet holdes." in page
    meeting.refresh_from_db()
    assert meeting.venue_name == "Biblioteket"


# County municipalities -------------------------------------------------------------------------


@pytest.fixture
def county_staff(municipality):
    user = UserFactory(full_name="Fylkes Ansatt")
    CountyStaff.objects.create(user=user, county_number=municipality.county_number)
    return user


def test_county_staff_schedule_a_meeting_in_a_municipality_of_their_county(client, county_staff, municipality):
    client.force_login(county_staff)
    county_page = client.get(reverse("meetings:county_meetings", args=["46"])).content.decode()
    assert "Vestland fylkeskommune" in county_page
    assert reverse("meetings:create", args=[municipality.number]) in county_page
    start = next_weekday_evening()
    data = {
        "title": "Fylkets dialogmøte",
        "kind": "dialogmote",
        "formality": "informal",
        "mode": "in_person",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue_name": "Fylkeshuset",
        "invite_all": "on",
        "reminder_hours": "48",
        "program-TOTAL_FORMS": "0",
        "program-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("meetings:create", args=[municipality.number]), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert meeting.organising_county == "46" and meeting.municipality == municipality
    assert client.post(reverse("meetings:publish", args=[meeting.pk])).status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Arrangør" in page and "Vestland fylkeskommune" in page
    assert "Fylkets dialogmøte" in client.get(reverse("meetings:county_meetings", args=["46"])).content.decode()


def test_county_staff_have_no_rights_in_the_municipalitys_own_meetings_or_other_counties(
    client, county_staff, municipality, other_municipality
):
    own = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    client.force_login(county_staff)
    assert client.get(reverse("meetings:preview", args=[own.pk])).status_code == 404
    assert client.get(reverse("meetings:staff_meetings", args=[municipality.number])).status_code == 403
    assert client.get(reverse("meetings:create", args=[other_municipality.number])).status_code == 403
    assert client.get(reverse("meetings:county_meetings", args=["03"])).status_code == 403
    assert client.get(reverse("meetings:county_meetings", args=["99"])).status_code == 404


def test_staff_of_the_municipality_may_not_organise_as_the_county_and_the_rule_holds_in_clean(
    staff_client, municipality
):
    form = staff_client.get(reverse("meetings:create", args=[municipality.number])).context["form"]
    assert "organiser" not in form.fields
    meeting = MeetingFactory.build(municipality=municipality, organising_county="03")
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert "En fylkeskommune kan bare arrangere møter i kommunene i sitt eget fylke." in str(caught.value)


# Extra roles around one municipality: the county's staff, another county's, a co-host's admin --

EXTRA_ROLES = ("county_staff_here", "county_staff_elsewhere", "co_host_admin", "co_host_member")


@pytest.fixture
def host_roles(roles, municipality):
    county_here, county_elsewhere = UserFactory(), UserFactory()
    CountyStaff.objects.create(user=county_here, county_number=municipality.county_number)
    CountyStaff.objects.create(user=county_elsewhere, county_number="03")
    co_host = AssociationFactory(municipality=municipality, name="Medkoret")
    users = {
        **roles.users,
        "county_staff_here": county_here,
        "county_staff_elsewhere": county_elsewhere,
        "co_host_admin": MembershipFactory(association=co_host, role="admin").user,
        "co_host_member": MembershipFactory(association=co_host, role="member").user,
    }
    return type(roles)(users=users, municipality=municipality, co_host=co_host, association=roles.association)


def _county_meeting(roles):
    return MeetingFactory(municipality=roles.municipality, organising_county=roles.municipality.county_number)


def _co_hosted(roles):
    meeting = MeetingFactory(municipality=roles.municipality)
    meeting.co_hosts.add(roles.co_host)
    return meeting


MANAGERS = {"staff_here", "site_admin"}
HOST_OBJECTS = {
    "municipality": lambda roles: roles.municipality,
    "county": lambda roles: roles.municipality.county_number,
    "county meeting": _county_meeting,
    "county draft": lambda roles: MeetingFactory(
        municipality=roles.municipality, organising_county=roles.municipality.county_number, status="draft"
    ),
    "co-hosted meeting": _co_hosted,
    "proposal": lambda roles: MeetingProposalFactory(association=roles.association),
}
HOST_MATRIX = [
    ("meetings.add_meeting_in", "municipality", MANAGERS | {"county_staff_here"}),
    ("meetings.view_municipality_meetings", "municipality", MANAGERS),
    ("meetings.view_county_meetings", "county", {"county_staff_here", "site_admin"}),
    ("meetings.change_meeting", "county meeting", MANAGERS | {"county_staff_here"}),
    ("meetings.publish_meeting", "county draft", MANAGERS | {"county_staff_here"}),
    ("meetings.view_meeting", "county draft", MANAGERS | {"county_staff_here"}),
    ("meetings.manage_leaders", "county meeting", MANAGERS),
    ("meetings.change_meeting", "co-hosted meeting", MANAGERS),
    ("meetings.change_practical_information", "co-hosted meeting", MANAGERS | {"co_host_admin"}),
    ("meetings.change_practical_information", "county meeting", MANAGERS | {"county_staff_here"}),
    ("meetings.manage_co_hosts", "co-hosted meeting", MANAGERS),
    ("meetings.view_registrations", "co-hosted meeting", MANAGERS),
    ("meetings.decide_proposal", "proposal", MANAGERS),
]


@pytest.mark.parametrize(("perm", "target", "allowed"), HOST_MATRIX, ids=[f"{p}-{t}" for p, t, _ in HOST_MATRIX])
def test_host_rule_matrix(host_roles, perm, target, allowed):
    assert matrix.allowed_roles(host_roles, perm, HOST_OBJECTS[target](host_roles)) == set(allowed)


@pytest.mark.parametrize("role", [*matrix.ROLES, *EXTRA_ROLES])
def test_practical_information_page(client, host_roles, role):
    meeting = _co_hosted(host_roles)
    if role != "anonymous":
        client.force_login(host_roles.users[role])
    response = client.get(reverse("meetings:practical_information", args=[meeting.pk]))
    assert matrix.outcome(response) == matrix.expected(role, MANAGERS | {"co_host_admin"})


# The leadership present ------------------------------------------------------------------------


@pytest.fixture
def culture_leader(municipality):
    return MunicipalLeader.objects.create(
        municipality=municipality, role="committee_leader", name="Kari Kultur", committee="Utvalg for kultur"
    )


def test_staff_keep_committee_leaders_with_the_municipal_record(staff_client, municipality):
    url = reverse("organizations:municipality_edit", args=[municipality.number])
    data = {
        "political_leader_title": "Ordfører",
        "political_leader_name": "Kari Nordmann",
        "administrative_leader_title": "Kommunedirektør",
        "administrative_leader_name": "Ola Nordmann",
        "official_email": "postmottak@example.org",
        "written_standard": "nb",
        "after_work_start": "17:00",
        "partiledere-TOTAL_FORMS": "0",
        "partiledere-INITIAL_FORMS": "0",
        "folkevalgte-TOTAL_FORMS": "1",
        "folkevalgte-INITIAL_FORMS": "0",
        "folkevalgte-0-role": "committee_leader",
        "folkevalgte-0-name": "Kari Kultur",
        "folkevalgte-0-committee": "",
    }
    page = staff_client.post(url, data).content.decode()
    assert "Skriv hvilket utvalg utvalgslederen leder." in page
    assert not MunicipalLeader.objects.exists()
    data["folkevalgte-0-committee"] = "Utvalg for kultur"
    assert staff_client.post(url, data).status_code == 302
    assert MunicipalLeader.objects.get().committee == "Utvalg for kultur"


def test_the_meeting_and_the_invitation_say_who_of_the_leadership_attends(
    staff_client, send_on_commit, municipality, choir, culture_leader
):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    url = reverse("meetings:leaders", args=[meeting.pk])
    form = staff_client.get(url).context["form"]
    assert dict(form.fields["leaders"].choices)["mayor"] == "Ordfører: Kari Nordmann"
    response = staff_client.post(url, {"leaders": ["mayor", f"leader-{culture_leader.pk}"]})
    assert response.status_code == 302
    assert MeetingLeader.objects.filter(meeting=meeting, announced=True).count() == 2
    assert MeetingLeader.objects.get(meeting=meeting, role="mayor").name == "Kari Nordmann"
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "Ordføreren deltar" in page and "Lederen av Utvalg for kultur deltar" in page
    send_on_commit(staff_client.post, reverse("meetings:publish", args=[meeting.pk]))
    [invitation] = [message for message in mail.outbox if message.subject.startswith("Invitasjon")]
    assert "Ordføreren deltar (Kari Nordmann)." in invitation.body
    assert "Ordføreren deltar" in invitation.alternatives[0][0]
    # Changing one's mind: the mayor no longer comes.
    staff_client.post(url, {"leaders": [f"leader-{culture_leader.pk}"]})
    assert list(MeetingLeader.objects.filter(meeting=meeting).values_list("role", flat=True)) == ["committee_leader"]
    assert "Ordføreren deltar" not in staff_client.get(meeting.get_absolute_url()).content.decode()


def test_a_leader_not_on_the_page_is_refused_and_nothing_is_recorded(staff_client, municipality, other_municipality):
    elsewhere = MunicipalLeader.objects.create(municipality=other_municipality, role="councillor", name="Per Annen")
    meeting = MeetingFactory(municipality=municipality)
    page = staff_client.post(
        reverse("meetings:leaders", args=[meeting.pk]), {"leaders": ["mayor", f"leader-{elsewhere.pk}"]}
    ).content.decode()
    assert "Velg bare blant kommunens ledere og folkevalgte på siden." in page
    assert not MeetingLeader.objects.exists()
    with pytest.raises(ValidationError):
        hosting.meeting_leaders_announce(meeting=meeting, keys=["mayor", f"leader-{elsewhere.pk}"])
    assert not MeetingLeader.objects.exists()


def test_who_came_is_marked_with_the_attendance_and_counted_per_year_in_the_reach_report(
    staff_client, municipality, culture_leader
):
    meeting = MeetingFactory(municipality=municipality)
    hosting.meeting_leaders_announce(meeting=meeting, keys=["mayor", "chief_executive"])
    came = RegistrationFactory(meeting=meeting)
    _in_the_past(meeting)
    page = staff_client.get(reverse("meetings:registrations", args=[meeting.pk])).content.decode()
    assert "Fra kommuneledelsen: hvem kom?" in page
    response = staff_client.post(
        reverse("meetings:registrations", args=[meeting.pk]),
        {"present": [came.pk], "leaders": ["mayor", f"leader-{culture_leader.pk}"]},
    )
    assert response.status_code == 302
    rows = {row.role: (row.announced, row.attended) for row in MeetingLeader.objects.filter(meeting=meeting)}
    assert rows == {"mayor": (True, True), "chief_executive": (True, False), "committee_leader": (False, True)}
    page = staff_client.get(meeting.get_absolute_url()).content.decode()
    assert "Ordføreren deltok" in page and "Lederen av Utvalg for kultur deltok" in page
    assert "Kommunedirektøren deltok" not in page

    year = meeting.starts_at.astimezone(OSLO).year
    without = _in_the_past(MeetingFactory(municipality=municipality))
    assert without.starts_at.astimezone(OSLO).year in (year, year - 1)
    report = staff_client.get(reverse("meetings:reach", args=[municipality.number]))
    rows = {row.year: row for row in report.context["reach"].leadership}
    assert rows[year].with_leadership == 1 and rows[year].with_mayor == 1 and rows[year].with_chief_executive == 0
    assert sum(row.meetings for row in rows.values()) == 2
    assert "Kommuneledelsen på møtene, per år" in report.content.decode()


def test_leaders_cannot_be_announced_once_the_meeting_has_started(municipality):
    meeting = _in_the_past(MeetingFactory(municipality=municipality))
    with pytest.raises(ValidationError, match="før møtet starter"):
        hosting.meeting_leaders_announce(meeting=meeting, keys=["mayor"])


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _held_meetings_with_the_mayor(municipality, count):
    for _ in range(count):
        meeting = _in_the_past(MeetingFactory(municipality=municipality, status=Meeting.Status.HELD))
        MeetingLeader.objects.create(meeting=meeting, role="mayor", name="Kari Nordmann", announced=True, attended=True)


def test_reach_report_query_count_is_the_same_at_10_and_200_meetings(staff_client, municipality):
    _held_meetings_with_the_mayor(municipality, 10)
    url = reverse("meetings:reach", args=[municipality.number])
    at_10 = _count_queries(staff_client, url)
    _held_meetings_with_the_mayor(municipality, 190)
    assert _count_queries(staff_client, url) == at_10
    assert sum(row.with_mayor for row in selectors.leadership_by_year(municipality=municipality)) == 200


def test_calendar_and_meeting_page_query_counts_stay_with_co_hosts_and_leaders(client, municipality, choir):
    def add(count):
        for _ in range(count):
            meeting = MeetingFactory(municipality=municipality)
            meeting.co_hosts.add(choir)
            MeetingLeader.objects.create(meeting=meeting, role="mayor", name="Kari Nordmann", announced=True)
        return meeting

    meeting = add(5)
    at_5 = _count_queries(client, reverse("meetings:calendar"))
    page_at_5 = _count_queries(client, meeting.get_absolute_url())
    add(30)
    assert _count_queries(client, reverse("meetings:calendar")) == at_5
    assert _count_queries(client, meeting.get_absolute_url()) == page_at_5


def test_a_new_mayor_does_not_change_who_came_to_a_past_meeting(municipality):
    meeting = MeetingFactory(municipality=municipality)
    hosting.meeting_leaders_announce(meeting=meeting, keys=["mayor"])
    municipality.political_leader_name = "Nina Ny"
    municipality.save()
    assert MeetingLeader.objects.get(meeting=meeting).name == "Kari Nordmann"


def test_another_municipalitys_staff_cannot_answer_a_proposal(client, other_staff_user, choir):
    proposal = MeetingProposalFactory(association=choir)
    client.force_login(other_staff_user)
    assert client.post(reverse("meetings:proposal_accept", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("meetings:proposal_decline", args=[proposal.pk]), {"reason": "Nei"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == MeetingProposal.Status.PENDING


def test_municipal_staff_elsewhere_cannot_schedule_here_even_as_county_staff_of_another_county(client, municipality):
    user = MunicipalStaffFactory(municipality=MunicipalityFactory(number="0301", name="Oslo")).user
    CountyStaff.objects.create(user=user, county_number="03")
    client.force_login(user)
    assert client.get(reverse("meetings:create", args=[municipality.number])).status_code == 403


def test_the_answer_to_a_proposal_follows_the_recipients_language(send_on_commit, choir, volunteer):
    volunteer.preferred_language = "en"
    volunteer.save()
    proposal = MeetingProposalFactory(association=choir, title="Kveld om lokaler")
    send_on_commit(hosting.proposal_decline, proposal=proposal, reason="Ikke i år.")
    [message] = mail.outbox
    assert message.subject == "Answer to the proposal: Kveld om lokaler"
    assert "has not accepted the proposal from Nabolagskoret" in message.body


def test_the_invitation_to_a_county_meeting_names_the_county_and_the_co_host(send_on_commit, municipality, choir):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT, organising_county="46")
    meeting.co_hosts.add(choir)
    send_on_commit(services.meeting_publish, meeting=meeting)
    [invitation] = [message for message in mail.outbox if message.subject.startswith("Invitasjon")]
    assert invitation.body.startswith("Vestland fylkeskommune inviterer Nabolagskoret til")
    assert "Medarrangør: Nabolagskoret" in invitation.body
