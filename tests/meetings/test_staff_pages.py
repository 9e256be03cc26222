import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import AgendaItem, Attendance, Meeting, Registration
from organizations.models import Category
from tests.accounts.factories import UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, next_weekday_evening
from tests.meetings.test_rule_everywhere import _form_data
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_create_with_agenda_then_preview(staff_client, municipality):
    start = next_weekday_evening()
    data = _form_data(start, start + datetime.timedelta(hours=2))
    data.update(
        {
            "program-TOTAL_FORMS": "1",
            "program-0-starts_at": "18:00",
            "program-0-title": "Velkommen",
            "capacity": "30",
            "free_of_charge": "on",
            "hearing_loop": "on",
        }
    )
    response = staff_client.post(reverse("meetings:create", args=[municipality.number]), data)
    meeting = Meeting.objects.get()
    assert response.url == reverse("meetings:preview", args=[meeting.pk])
    assert meeting.created_by is not None and meeting.capacity == 30
    assert list(meeting.agenda.values_list("title", flat=True)) == ["Velkommen"]
    page = staff_client.get(response.url).content.decode()
    assert "Forhåndsvisning" in page and "Velkommen" in page
    assert "Gratis" in page and "Teleslynge" in page
    assert "Publiser" in page


def test_draft_is_not_public(client, municipality):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT)
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert meeting.title not in client.get(reverse("meetings:calendar")).content.decode()


def test_publish_invites_each_association_admin_once(staff_client, send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT, invite_all=True)
    choir = AssociationFactory(municipality=municipality)
    admin_one, admin_two, member = UserFactory(), UserFactory(), UserFactory()
    MembershipFactory(association=choir, user=admin_one, role="admin")
    MembershipFactory(association=choir, user=admin_two, role="admin")
    MembershipFactory(association=choir, user=member, role="member")
    AssociationFactory(municipality=municipality, status="pending")  # not public: not invited
    response = send_on_commit(staff_client.post, reverse("meetings:publish", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED and meeting.published_at
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin_one.email, admin_two.email])
    assert all("Invitasjon" in m.subject for m in mail.outbox)
    mail.outbox.clear()
    send_on_commit(staff_client.post, reverse("meetings:invite", args=[meeting.pk]))
    assert mail.outbox == []


def test_invite_by_category(send_on_commit, municipality):
    culture, sport = Category.objects.all()[:2]
    meeting = MeetingFactory(municipality=municipality, status=Meeting.Status.DRAFT, invite_all=False)
    meeting.invited_categories.set([culture])
    invited = AssociationFactory(municipality=municipality, categories=[culture, sport])
    other = AssociationFactory(municipality=municipality, categories=[sport])
    for association in (invited, other):
        MembershipFactory(association=association, role="admin")
    send_on_commit(services.meeting_publish, meeting=meeting)
    assert [m.to[0] for m in mail.outbox] == [invited.memberships.get().user.email]


def test_edit_published_meeting_bumps_sequence_and_notifies(staff_client, send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality)
    registration = RegistrationFactory(meeting=meeting)
    later = meeting.starts_at + datetime.timedelta(hours=1)
    data = _form_data(later, later + datetime.timedelta(hours=1), title=meeting.title)
    response = send_on_commit(staff_client.post, reverse("meetings:edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 1 and meeting.starts_at == later
    assert [m.to[0] for m in mail.outbox] == [registration.user.email]
    assert "Endret" in mail.outbox[0].subject and "Tidspunktet er nytt" in mail.outbox[0].body
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1


def test_cancel_with_reason_notifies_registrants(staff_client, send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality)
    registration = RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, status=Registration.Status.CANCELLED)
    url = reverse("meetings:cancel", args=[meeting.pk])
    assert "Grunn til avlysning" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"reason": ""})
    assert response.status_code == 200
    send_on_commit(staff_client.post, url, {"reason": "Lokalet er stengt etter vannlekkasje."})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED and meeting.sequence == 1
    assert [m.to[0] for m in mail.outbox] == [registration.user.email]
    assert "vannlekkasje" in mail.outbox[0].body
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"


def test_duplicate_makes_a_draft_copy(staff_client, municipality):
    meeting = MeetingFactory(municipality=municipality, food=True)
    AgendaItem.objects.create(meeting=meeting, title="Velkommen")
    response = staff_client.post(reverse("meetings:duplicate", args=[meeting.pk]))
    copy = Meeting.objects.exclude(pk=meeting.pk).get()
    assert response.url == reverse("meetings:edit", args=[copy.pk])
    assert copy.status == Meeting.Status.DRAFT and copy.food and copy.uid != meeting.uid
    assert copy.title == f"Kopi av {meeting.title}"
    assert list(copy.agenda.values_list("title", flat=True)) == ["Velkommen"]


def test_registrations_page_shows_topics_and_csv_is_safe(staff_client, municipality):
    meeting = MeetingFactory(municipality=municipality)
    RegistrationFactory(meeting=meeting, topics="Lån av gymsal", diet='=HYPERLINK("http://x")')
    page = staff_client.get(reverse("meetings:registrations", args=[meeting.pk])).content.decode()
    assert "Lån av gymsal" in page
    response = staff_client.get(reverse("meetings:registrations_csv", args=[meeting.pk]))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert "'=HYPERLINK" in body and ";=HYPERLINK" not in body
    assert "Lån av gymsal" in body


def test_attendance_and_summary_after_the_meeting(staff_client, municipality):
    meeting = MeetingFactory(municipality=municipality)
    came = RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting)
    walk_in = AssociationFactory(municipality=municipality)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at - datetime.timedelta(days=30), ends_at=meeting.ends_at - datetime.timedelta(days=30)
    )
    response = staff_client.post(
        reverse("meetings:registrations", args=[meeting.pk]), {"present": [came.pk], "walk_in": [walk_in.pk]}
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    response = staff_client.post(
        reverse("meetings:summary", args=[meeting.pk]),
        {"summary": "Vi snakket om lokaler.", "follow_up_points": "Kartlegge ledige rom\nNytt møte i mars"},
    )
    assert response.status_code == 302
    page = staff_client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Vi snakket om lokaler." in page and "<li>Nytt møte i mars</li>" in page


def test_attendance_cannot_be_marked_before_the_meeting(staff_client, municipality):
    meeting = MeetingFactory(municipality=municipality)
    registration = RegistrationFactory(meeting=meeting)
    staff_client.post(reverse("meetings:registrations", args=[meeting.pk]), {"present": [registration.pk]})
    assert not Attendance.objects.exists()


def test_exhibitors_apply_approve_and_list(client, staff_user, volunteer, association, municipality):
    start = datetime.datetime(timezone.localdate().year + 1, 12, 5, 12, tzinfo=datetime.UTC)
    meeting = MeetingFactory(
        municipality=municipality,
        kind=Meeting.Kind.VOLUNTEER_DAY,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    client.force_login(volunteer)
    response = client.post(
        reverse("meetings:exhibitor_apply", args=[meeting.pk]),
        {"association": association.pk, "description": "Vi synger", "needs": "Strøm"},
    )
    assert response.status_code == 302
    exhibitor = meeting.exhibitors.get()
    assert exhibitor.status == "pending"
    assert "Stand 1" not in client.get(meeting.get_absolute_url()).content.decode()
    client.force_login(staff_user)
    url = reverse("meetings:exhibitors", args=[meeting.pk])
    client.post(url, {"exhibitor": exhibitor.pk, f"stand{exhibitor.pk}-decision": "approve"})
    exhibitor.refresh_from_db()
    assert exhibitor.status == "pending"  # a stand number is required
    client.post(
        url,
        {
            "exhibitor": exhibitor.pk,
            f"stand{exhibitor.pk}-decision": "approve",
            f"stand{exhibitor.pk}-stand_number": "1",
        },
    )
    exhibitor.refresh_from_db()
    assert exhibitor.status == "approved" and exhibitor.stand_number == 1
    client.logout()
    assert "Stand 1: Nabolagskoret" in client.get(meeting.get_absolute_url()).content.decode()


def test_stand_numbers_are_unique_per_meeting(municipality):
    start = datetime.datetime(timezone.localdate().year + 1, 12, 5, 12, tzinfo=datetime.UTC)
    meeting = MeetingFactory(
        municipality=municipality,
        kind=Meeting.Kind.MARKETPLACE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    first, second = (
        meeting.exhibitors.create(association=AssociationFactory(municipality=municipality)) for _ in range(2)
    )
    services.exhibitor_decide(exhibitor=first, approve=True, stand_number=4)
    with pytest.raises(ValidationError):
        services.exhibitor_decide(exhibitor=second, approve=True, stand_number=4)


def test_exhibitors_only_for_marketplaces(volunteer, association, municipality):
    meeting = MeetingFactory(municipality=municipality)
    with pytest.raises(ValidationError):
        services.exhibitor_apply(meeting=meeting, association=association, user=volunteer)
