"""Dates people type for a letter sent by post, and the response form after a reload."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from correspondence import services
from correspondence.models import Letter

pytestmark = pytest.mark.django_db


def _created(letter, days_ago):
    Letter.objects.filter(pk=letter.pk).update(created_at=timezone.now() - datetime.timedelta(days=days_ago))
    letter.refresh_from_db()
    return letter


def test_a_letter_cannot_be_recorded_as_posted_before_it_was_written(letter, group_leader):
    letter = _created(letter, days_ago=3)
    before = timezone.localdate(letter.created_at) - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.letter_mark_posted(letter=letter, user=group_leader, posted_on=before)
    assert "kan ikke være postlagt før" in str(refused.value.message_dict["posted_on"])
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT and not letter.reference


def test_the_day_the_letter_was_written_is_a_valid_post_date(letter, group_leader):
    letter = _created(letter, days_ago=3)
    posted_on = timezone.localdate(letter.created_at)
    letter = services.letter_mark_posted(letter=letter, user=group_leader, posted_on=posted_on)
    assert letter.status == Letter.Status.SENT and letter.sent_on == posted_on


def test_a_post_date_before_the_letter_is_refused_on_the_page_with_a_message(client, letter, group_leader):
    letter = _created(letter, days_ago=3)
    client.force_login(group_leader)
    before = timezone.localdate(letter.created_at) - datetime.timedelta(days=10)
    url = reverse("correspondence:letter_send", args=[letter.pk])
    page = client.post(url, {"channel": "post", "posted_on": before.isoformat(), "confirm": "1"}, follow=True)
    assert "kan ikke være postlagt før" in page.content.decode()
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


def test_reloading_the_response_form_after_an_error_shows_the_form(client, sent, group_leader):
    client.force_login(group_leader)
    url = reverse("correspondence:response_add", args=[sent.pk])
    failed = client.post(url, {"received_on": "", "kind": "answer", "summary": "Svar\r\nmed to linjer"})
    assert failed.status_code == 400
    reloaded = client.get(url)
    assert reloaded.status_code == 200
    body = reloaded.content.decode()
    assert "Registrer svaret" in body and 'name="received_on"' in body
    assert not sent.responses.exists()


def test_the_response_form_page_is_only_for_the_working_group(client, sent, staff_user):
    client.force_login(staff_user)
    assert client.get(reverse("correspondence:response_add", args=[sent.pk])).status_code == 403
