"""The letter's timeline is stored as events and written out in the reader's language."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone, translation

from correspondence import services
from correspondence.models import Letter, LetterEvent

pytestmark = pytest.mark.django_db

migration = importlib.import_module("correspondence.migrations.0005_letter_events_keep_details_as_data")


def _timeline(client, letter):
    page = client.get(reverse("correspondence:letter_detail", args=[letter.pk])).content.decode()
    section = page[page.index('id="tidslinje"') :]
    return re.sub(r"\s+", " ", section[: section.index("</ol>")])


def test_a_status_change_reads_in_english_for_an_english_reader_and_in_bokmaal_for_a_norwegian(
    client, sent, group_leader
):
    services.letter_set_status(letter=sent, user=group_leader, status=Letter.Status.ANSWERED)
    event = sent.events.get(kind=LetterEvent.Kind.STATUS)
    assert event.params == {"status": "answered"} and event.note == ""
    client.force_login(group_leader)

    assert "Status endret: Besvart" in _timeline(client, sent)
    client.cookies["django_language"] = "en"
    english = _timeline(client, sent)
    assert "Status changed: Answered" in english
    assert "Besvart" not in english


def test_sending_by_post_and_a_logged_answer_follow_the_reader(letter, group_leader):
    letter = services.letter_mark_posted(
        letter=letter, user=group_leader, posted_on=timezone.localdate(letter.created_at)
    )
    services.response_log(
        letter=letter, user=group_leader, received_on=letter.sent_on, kind="preliminary", summary="Vi ser på saken."
    )
    sent_event = letter.events.get(kind=LetterEvent.Kind.SENT)
    response_event = letter.events.get(kind=LetterEvent.Kind.RESPONSE)
    with translation.override("nb"):
        assert sent_event.text == "Sendt: sendt i posten"
        assert response_event.text == "Svar registrert: Foreløpig svar"
    with translation.override("en"):
        assert sent_event.text == "Sent: sent by post"
        assert response_event.text.endswith(": Preliminary answer")


def test_what_people_named_stays_as_they_wrote_it(letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=association, user=admin)
    event = letter.events.get(kind=LetterEvent.Kind.SIGNED)
    assert event.params == {"association": "Nabolagskoret"}
    with translation.override("en"):
        assert event.text == "Co-signed: Nabolagskoret"


def test_old_rows_become_events_where_their_text_can_be_read_and_stay_text_otherwise(letter, group_leader):
    rows = {
        "status": LetterEvent.objects.create(letter=letter, kind="status", note="Besvart"),
        "response": LetterEvent.objects.create(letter=letter, kind="response", note="Foreløpig svar"),
        "post": LetterEvent.objects.create(letter=letter, kind="sent", note="sendt i posten"),
        "email": LetterEvent.objects.create(letter=letter, kind="sent", note="postmottak@bergen.example.org"),
        "reminder": LetterEvent.objects.create(letter=letter, kind="reminder", note="6"),
        "signed": LetterEvent.objects.create(letter=letter, kind="signed", note="Nabolagskoret"),
        "unknown": LetterEvent.objects.create(letter=letter, kind="status", note="Noe helt annet, skrevet for hånd"),
    }
    migration.events_from_notes(apps, None)
    stored = {name: LetterEvent.objects.get(pk=row.pk) for name, row in rows.items()}

    assert stored["status"].params == {"status": "answered"} and stored["status"].note == ""
    assert stored["response"].params == {"response": "preliminary"}
    assert stored["post"].params == {"channel": "post"}
    assert stored["email"].params == {"channel": "email", "to": "postmottak@bergen.example.org"}
    assert stored["reminder"].params == {"weeks": 6}
    assert stored["signed"].params == {"association": "Nabolagskoret"}
    assert stored["unknown"].params == {} and stored["unknown"].note == "Noe helt annet, skrevet for hånd"
    with translation.override("en"):
        assert stored["status"].text == "Status changed: Answered"
        assert stored["unknown"].text == "Status changed: Noe helt annet, skrevet for hånd"
