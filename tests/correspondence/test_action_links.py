"""A working group puts an agreed action from a meeting on its letter's timeline and follows it there."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from correspondence import services
from correspondence.models import LetterEvent
from meetings import services_actions
from tests.meetings.factories import AgreedActionFactory, held_meeting

pytestmark = pytest.mark.django_db


def test_a_member_links_an_action_and_the_timeline_shows_how_it_goes(client, sent, group_leader, municipality):
    action = AgreedActionFactory(meeting=held_meeting(municipality, title="Høstmøtet"), title="Åpne «gymsalen»")
    client.force_login(group_leader)
    page = client.get(reverse("correspondence:letter_detail", args=[sent.pk])).content.decode()
    assert "Åpne «gymsalen» (Høstmøtet)" in page
    response = client.post(reverse("correspondence:letter_action", args=[sent.pk]), {"action": action.pk})
    assert response.status_code == 302
    event = sent.events.get(kind=LetterEvent.Kind.ACTION)
    assert event.action == action
    assert event.text == "Tiltak knyttet til brevet: Åpne «gymsalen»"
    services_actions.action_status_set(action=action, status="in_progress", comment="")
    page = client.get(reverse("correspondence:letter_detail", args=[sent.pk])).content.decode()
    assert "status nå: Under arbeid" in page
    assert action.get_absolute_url() in page


def test_an_action_is_linked_once_and_only_from_the_municipality(sent, group_leader, municipality, other_municipality):
    action = AgreedActionFactory(meeting=held_meeting(municipality))
    services.letter_link_action(letter=sent, user=group_leader, action=action)
    with pytest.raises(ValidationError) as twice:
        services.letter_link_action(letter=sent, user=group_leader, action=action)
    assert twice.value.message_dict["action"] == ["Tiltaket er allerede knyttet til brevet."]
    foreign = AgreedActionFactory(meeting=held_meeting(other_municipality))
    with pytest.raises(ValidationError):
        services.letter_link_action(letter=sent, user=group_leader, action=foreign)
    assert sent.events.filter(kind=LetterEvent.Kind.ACTION).count() == 1


def test_a_foreign_action_posted_by_hand_is_refused_in_norwegian(client, sent, group_leader, other_municipality):
    foreign = AgreedActionFactory(meeting=held_meeting(other_municipality))
    client.force_login(group_leader)
    response = client.post(reverse("correspondence:letter_action", args=[sent.pk]), {"action": foreign.pk}, follow=True)
    assert "Velg et tiltak fra et møte i kommunen brevet er sendt til." in response.content.decode()
    assert not sent.events.filter(kind=LetterEvent.Kind.ACTION).exists()


def test_a_draft_gets_no_action(letter, group_leader, municipality):
    with pytest.raises(ValidationError):
        services.letter_link_action(
            letter=letter, user=group_leader, action=AgreedActionFactory(meeting=held_meeting(municipality))
        )


@pytest.mark.parametrize("role", ["stranger", "staff_here"])
def test_only_group_members_link_actions(client, sent, municipality, role, volunteer, staff_user):
    action = AgreedActionFactory(meeting=held_meeting(municipality))
    client.force_login({"stranger": volunteer, "staff_here": staff_user}[role])
    response = client.post(reverse("correspondence:letter_action", args=[sent.pk]), {"action": action.pk})
    assert response.status_code in (403, 404)
    assert not sent.events.filter(kind=LetterEvent.Kind.ACTION).exists()


def test_linked_actions_do_not_add_queries_per_event(client, sent, group_leader, municipality):
    client.force_login(group_leader)
    url = reverse("correspondence:letter_detail", args=[sent.pk])
    services.letter_link_action(
        letter=sent, user=group_leader, action=AgreedActionFactory(meeting=held_meeting(municipality))
    )
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        services.letter_link_action(
            letter=sent, user=group_leader, action=AgreedActionFactory(meeting=held_meeting(municipality))
        )
    with CaptureQueriesContext(connection) as six:
        client.get(url)
    assert len(six) == len(one)
