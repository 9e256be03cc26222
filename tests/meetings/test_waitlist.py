"""The waitlist moves in the order people signed up, whenever seats free up or a waitlisted
registration changes, and nobody is put on it without being told first."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.services import user_delete
from meetings import services
from meetings.models import Registration
from tests.accounts.factories import UserFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def _promotion_emails(registration):
    return [m for m in mail.outbox if m.to == [registration.user.email] and "fått plass" in m.subject]


@pytest.fixture
def one_seat_left(municipality):
    """Capacity 3: two seats taken, and a group of three waiting for the one seat left."""
    meeting = MeetingFactory(municipality=municipality, capacity=3)
    services.registration_create(meeting=meeting, user=UserFactory(), attendees=2)
    group = services.registration_create(meeting=meeting, user=UserFactory(), attendees=3)
    assert group.status == Registration.Status.WAITLISTED
    return meeting, group


def test_a_waitlisted_group_that_shrinks_to_fit_gets_the_seat(send_on_commit, one_seat_left):
    meeting, group = one_seat_left
    mail.outbox.clear()
    send_on_commit(services.registration_update, registration=group, user=group.user, attendees=1)
    group.refresh_from_db()
    assert group.status == Registration.Status.CONFIRMED and group.promoted_at is not None
    assert services.seats_taken(meeting) == 3
    [email] = _promotion_emails(group)
    assert email.attachments


def test_a_waitlisted_group_that_shrinks_on_the_page_gets_the_seat(client, send_on_commit, one_seat_left):
    meeting, group = one_seat_left
    client.force_login(group.user)
    url = reverse("meetings:registration_edit", args=[group.pk])
    page = client.get(url).content.decode()
    assert "Dere står først på ventelisten, og det er 1 ledig plass. Meld på 1 deltaker" in page
    mail.outbox.clear()
    response = send_on_commit(client.post, url, {"attendees": "1", "topics": "Lokaler\r\nØkonomi"})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.status == Registration.Status.CONFIRMED
    assert len(_promotion_emails(group)) == 1


def test_a_smaller_registration_does_not_pass_the_first_in_the_queue(one_seat_left):
    meeting, group = one_seat_left
    single = services.registration_create(meeting=meeting, user=UserFactory(), attendees=1)
    assert single.status == Registration.Status.WAITLISTED
    assert services.seats_taken(meeting) == 2


def test_seats_go_to_the_queue_in_order_when_the_first_cancels(send_on_commit, one_seat_left):
    meeting, group = one_seat_left
    behind = services.registration_create(meeting=meeting, user=UserFactory(), attendees=1)
    mail.outbox.clear()
    send_on_commit(services.registration_cancel, registration=group)
    behind.refresh_from_db()
    assert behind.status == Registration.Status.CONFIRMED
    assert len(_promotion_emails(behind)) == 1


def test_staff_cancelling_gives_the_seats_to_the_queue_in_order(client, staff_user, send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=3)
    taken = services.registration_create(meeting=meeting, user=UserFactory(), attendees=3)
    first = services.registration_create(meeting=meeting, user=UserFactory(), attendees=2)
    second = services.registration_create(meeting=meeting, user=UserFactory(), attendees=2)
    client.force_login(staff_user)
    mail.outbox.clear()
    send_on_commit(client.post, reverse("meetings:registration_cancel", args=[taken.pk]))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
    assert len(_promotion_emails(first)) == 1 and not _promotion_emails(second)


def test_more_seats_promote_in_order_and_stop_at_a_group_that_does_not_fit(send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=1)
    services.registration_create(meeting=meeting, user=UserFactory())
    first = services.registration_create(meeting=meeting, user=UserFactory(), attendees=1)
    large = services.registration_create(meeting=meeting, user=UserFactory(), attendees=4)
    last = services.registration_create(meeting=meeting, user=UserFactory(), attendees=1)
    send_on_commit(services.meeting_update, meeting=meeting, capacity=4)
    statuses = [Registration.objects.get(pk=r.pk).status for r in (first, large, last)]
    assert statuses == ["confirmed", "waitlisted", "waitlisted"]


def test_a_confirmed_registration_cannot_grow_into_seats_someone_waits_for(volunteer, one_seat_left):
    meeting, group = one_seat_left
    confirmed = meeting.registrations.get(status=Registration.Status.CONFIRMED)
    with pytest.raises(ValidationError) as caught:
        services.registration_update(registration=confirmed, user=confirmed.user, attendees=3)
    assert "Dere kan være høyst 2" in caught.value.message_dict["attendees"][0]
    confirmed.refresh_from_db()
    assert confirmed.attendees == 2


def test_the_form_shows_the_free_seats(client, volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=5)
    services.registration_create(meeting=meeting, user=UserFactory(), attendees=3)
    client.force_login(volunteer)
    page = client.get(reverse("meetings:register", args=[meeting.pk])).content.decode()
    assert "Det er 2 ledige plasser. Melder du på flere deltakere, kommer påmeldingen på ventelisten." in page


def test_a_group_larger_than_the_free_seats_is_told_before_it_is_waitlisted(client, volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=3)
    services.registration_create(meeting=meeting, user=UserFactory(), attendees=2)
    client.force_login(volunteer)
    url = reverse("meetings:register", args=[meeting.pk])
    response = client.post(url, {"attendees": "3"})
    assert response.status_code == 200
    assert (
        "Det er bare 1 ledig plass, så 3 deltakere får ikke plass nå. Meld på 1 deltaker, "
        "eller kryss av for ventelisten nedenfor." in response.content.decode()
    )
    assert not Registration.objects.filter(user=volunteer).exists()

    response = client.post(url, {"attendees": "3", "join_waitlist": "on"})
    assert response.status_code == 302
    assert Registration.objects.get(user=volunteer).status == Registration.Status.WAITLISTED


def test_a_group_that_fits_is_confirmed_without_ticking_anything(client, volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=3)
    client.force_login(volunteer)
    response = client.post(reverse("meetings:register", args=[meeting.pk]), {"attendees": "3"})
    assert response.status_code == 302
    assert Registration.objects.get(user=volunteer).status == Registration.Status.CONFIRMED


def test_the_form_says_when_the_free_seats_go_to_the_waitlist_first(client, volunteer, one_seat_left):
    meeting, _group = one_seat_left
    client.force_login(volunteer)
    url = reverse("meetings:register", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Det er 1 ledig plass, men den går først til dem som står på ventelisten." in page
    response = client.post(url, {"attendees": "1"})
    assert "Det er ingen ledige plasser nå, så påmeldingen kommer på ventelisten." in response.content.decode()
    assert not Registration.objects.filter(user=volunteer).exists()


def test_a_meeting_without_a_limit_has_no_waitlist_question(client, volunteer, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=None)
    client.force_login(volunteer)
    page = client.get(reverse("meetings:register", args=[meeting.pk])).content.decode()
    assert "ventelisten" not in page
    response = client.post(reverse("meetings:register", args=[meeting.pk]), {"attendees": "40"})
    assert response.status_code == 302
    assert Registration.objects.get(user=volunteer).status == Registration.Status.CONFIRMED


def test_deleting_an_account_gives_its_seats_to_the_queue(send_on_commit, municipality):
    meeting = MeetingFactory(municipality=municipality, capacity=2)
    leaving = services.registration_create(meeting=meeting, user=UserFactory(), attendees=2)
    waiting = services.registration_create(meeting=meeting, user=UserFactory(), attendees=2)
    assert waiting.status == Registration.Status.WAITLISTED
    mail.outbox.clear()

    send_on_commit(user_delete, user=leaving.user)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert len(_promotion_emails(waiting)) == 1
