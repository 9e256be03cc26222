import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import Meeting, Registration
from tests.accounts.factories import UserFactory
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def test_register_self_sends_confirmation_with_ics(send_on_commit, volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality, title="Dialogmøte om <lokaler>")
    registration = send_on_commit(services.registration_create, meeting=meeting, user=volunteer, topics="Lokaler")
    assert registration.status == Registration.Status.CONFIRMED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [volunteer.email]
    assert "Du er påmeldt" in message.subject
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Dialogmøte om <lokaler>"
    assert event["DTSTART"].dt == meeting.starts_at


def test_register_on_behalf_of_own_association(volunteer, association, municipality):
    meeting = MeetingFactory(municipality=municipality)
    registration = services.registration_create(meeting=meeting, user=volunteer, association=association, attendees=3)
    assert registration.association == association
    assert services.seats_taken(meeting) == 3


def test_cannot_register_for_someone_elses_association(volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality)
    stranger = AssociationFactory(municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.registration_create(meeting=meeting, user=volunteer, association=stranger)
    assert not Registration.objects.exists()


def test_one_active_registration_per_person(volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality)
    first = services.registration_create(meeting=meeting, user=volunteer)
    with pytest.raises(ValidationError, match="allerede påmeldt"):
        services.registration_create(meeting=meeting, user=volunteer)
    services.registration_cancel(registration=first)
    again = services.registration_create(meeting=meeting, user=volunteer)
    assert again.status == Registration.Status.CONFIRMED


def test_database_holds_one_active_registration(volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality)
    Registration.objects.create(meeting=meeting, user=volunteer)
    with pytest.raises(IntegrityError):
        Registration.objects.create(meeting=meeting, user=volunteer)


def test_full_meeting_waitlists_and_promotes_on_cancel(send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=3)
    first = services.registration_create(meeting=meeting, user=UserFactory(), attendees=2)
    second = services.registration_create(meeting=meeting, user=UserFactory(), attendees=2)
    third = services.registration_create(meeting=meeting, user=UserFactory(), attendees=1)
    # The third would fit the seat left, but does not pass the second, who came first.
    assert [first.status, second.status, third.status] == ["confirmed", "waitlisted", "waitlisted"]
    mail.outbox.clear()
    send_on_commit(services.registration_cancel, registration=first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == third.status == Registration.Status.CONFIRMED
    assert second.promoted_at is not None
    assert services.seats_taken(meeting) == 3
    promoted = [m for m in mail.outbox if m.to == [second.user.email]]
    assert len(promoted) == 1 and "fått plass" in promoted[0].subject
    assert promoted[0].attachments


def test_waitlisted_gets_waitlist_email(send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=1)
    services.registration_create(meeting=meeting, user=UserFactory())
    mail.outbox.clear()
    waiting = send_on_commit(services.registration_create, meeting=meeting, user=UserFactory())
    assert waiting.status == Registration.Status.WAITLISTED
    assert "venteliste" in mail.outbox[0].subject
    assert not mail.outbox[0].attachments


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT, Meeting.Status.CANCELLED, Meeting.Status.HELD])
def test_registration_only_for_published_meetings(volunteer, municipality, status):
    meeting = MeetingFactory(municipality=municipality, status=status, cancel_reason="Sykdom")
    with pytest.raises(ValidationError, match="stengt"):
        services.registration_create(meeting=meeting, user=volunteer)


def test_registration_closes_at_deadline(volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality)
    meeting.registration_deadline = timezone.now() - timezone.timedelta(minutes=1)
    meeting.save()
    with pytest.raises(ValidationError, match="stengt"):
        services.registration_create(meeting=meeting, user=volunteer)


def test_more_attendees_than_free_seats_is_refused_on_update(volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=2)
    registration = services.registration_create(meeting=meeting, user=volunteer)
    services.registration_create(meeting=meeting, user=UserFactory())
    with pytest.raises(ValidationError):
        services.registration_update(registration=registration, user=volunteer, attendees=2)
    services.registration_update(registration=registration, user=volunteer, topics="Økonomi")
    registration.refresh_from_db()
    assert registration.topics == "Økonomi" and registration.attendees == 1


def test_more_seats_promote_the_waitlist(send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=1)
    services.registration_create(meeting=meeting, user=UserFactory())
    waiting = services.registration_create(meeting=meeting, user=UserFactory())
    assert waiting.status == Registration.Status.WAITLISTED
    send_on_commit(services.meeting_update, meeting=meeting, capacity=2)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert any(m.to == [waiting.user.email] and "fått plass" in m.subject for m in mail.outbox)


def test_my_registrations_page(client, volunteer, association, municipality):
    mine = MeetingFactory(municipality=municipality, title="Mitt møte")
    MeetingFactory(municipality=municipality, title="Andres møte")
    services.registration_create(meeting=mine, user=volunteer, association=association)
    client.force_login(volunteer)
    page = client.get(reverse("meetings:my_registrations")).content.decode()
    assert "Mitt møte" in page and "Andres møte" not in page
    assert "På vegne av Nabolagskoret." in page
    client.logout()
    assert client.get(reverse("meetings:my_registrations")).status_code == 302
