"""Sending and publishing cannot be undone: each passes a page that shows what goes where."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from correspondence import services
from correspondence.models import Letter

pytestmark = pytest.mark.django_db


def _send_url(letter):
    return reverse("correspondence:letter_send", args=[letter.pk])


def _publish_url(letter):
    return reverse("correspondence:letter_publish", args=[letter.pk])


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def cosigned(letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_update(
        letter=letter, user=group_leader, parts={"contact_email": "svar@gruppa.example.org"}
    )
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(
        letter=letter, association=association, user=admin, signer_name="Kåre O'Neill", signer_role="styreleder"
    )
    return letter


def test_posting_to_send_without_confirming_sends_nothing(
    client, letter, group_leader, django_capture_on_commit_callbacks
):
    client.force_login(group_leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_send_url(letter), {"channel": "email"})
    assert response.status_code == 302
    assert response.url == f"{_send_url(letter)}?channel=email"
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT and not letter.reference
    assert not mail.outbox


def test_the_send_page_shows_what_goes_where(client, cosigned, group_leader):
    client.force_login(group_leader)
    page = client.get(_send_url(cosigned), {"channel": "email"})
    assert page.status_code == 200
    text = _text(page)
    assert "Til</dt> <dd>postmottak@bergen.example.org</dd>" in text
    assert "Per Hansen (Arbeiderpartiet) &lt;per@example.org&gt;" in text
    # On the letter's copy list, but without an address in the record: named as not emailed.
    assert "får ingen e-post fordi portalen ikke har e-postadressen: Åse Berg (Høyre)" in text
    assert "Svar til (Reply-To)</dt> <dd>svar@gruppa.example.org</dd>" in text
    assert re.search(r"DP-ÅÅÅÅ-NNNN\.pdf – \d+ sider?, [\d,]+ (KB|byte)", text)
    assert "Nabolagskoret (Kåre O&#x27;Neill, styreleder)" in text
    assert "Underskrifter samles fortsatt inn" in text
    assert "Bekreft og send til postmottak@bergen.example.org" in text
    cosigned.refresh_from_db()
    assert cosigned.status == Letter.Status.COLLECTING and not mail.outbox


def test_the_confirmed_send_sends(client, letter, group_leader, django_capture_on_commit_callbacks):
    client.force_login(group_leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_send_url(letter), {"channel": "email", "confirm": "1"})
    assert response.url == reverse("correspondence:letter_detail", args=[letter.pk])
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT
    assert [m for m in mail.outbox if m.to == ["postmottak@bergen.example.org"]]


def test_recording_as_posted_is_confirmed_on_its_own_page(client, letter, group_leader):
    Letter.objects.filter(pk=letter.pk).update(created_at=timezone.now() - datetime.timedelta(days=5))
    posted_on = timezone.localdate() - datetime.timedelta(days=1)
    client.force_login(group_leader)
    unconfirmed = client.post(_send_url(letter), {"channel": "post", "posted_on": posted_on.isoformat()})
    assert unconfirmed.url == f"{_send_url(letter)}?channel=post&posted_on={posted_on.isoformat()}"
    page = client.get(unconfirmed.url)
    text = _text(page)
    assert "Portalen sender ingenting til kommunen" in text
    assert f'value="{posted_on.isoformat()}"' in text
    assert "Bekreft at brevet er sendt i posten" in text
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT

    client.post(_send_url(letter), {"channel": "post", "posted_on": posted_on.isoformat(), "confirm": "1"})
    letter.refresh_from_db()
    assert letter.status == Letter.Status.SENT and letter.channel == "post" and letter.sent_on == posted_on


def test_send_is_not_the_primary_button_while_signatures_are_collected(client, letter, group_leader):
    client.force_login(group_leader)
    detail = reverse("correspondence:letter_detail", args=[letter.pk])
    link = f'href="{_send_url(letter)}?channel=email"'
    draft = _text(client.get(detail))
    assert f'class="btn btn-primary" {link}' in draft
    services.letter_open_for_signatures(letter=letter, user=group_leader)
    collecting = _text(client.get(detail))
    assert f'class="btn btn-outline-secondary" {link}' in collecting
    assert "Underskrifter samles fortsatt inn" in collecting


def test_someone_outside_the_group_gets_no_send_page(client, cosigned, association_admin):
    admin, _association = association_admin
    client.force_login(admin)
    assert client.get(_send_url(cosigned), {"channel": "email"}).status_code == 403


def test_publishing_without_confirming_publishes_nothing(client, sent, group_leader):
    client.force_login(group_leader)
    response = client.post(_publish_url(sent), {"published": "1"})
    assert response.url == _publish_url(sent)
    sent.refresh_from_db()
    assert not sent.published


def test_the_publish_page_shows_what_becomes_public(client, sent, group_leader):
    services.response_log(
        letter=sent, user=group_leader, received_on=sent.sent_on, kind="preliminary", summary="Vi svarer innen mars."
    )
    client.force_login(group_leader)
    page = client.get(_publish_url(sent))
    text = _text(page)
    assert "Dette blir offentlig" in text
    assert f"{sent.contact_name}, {sent.contact_email}" in text
    assert "postmottak@bergen.example.org" in text
    assert "Foreløpig svar, mottatt" in text
    assert "Svar som registreres senere, blir også offentlige" in text
    sent.refresh_from_db()
    assert not sent.published

    client.post(_publish_url(sent), {"published": "1", "confirm": "1"})
    sent.refresh_from_db()
    assert sent.published


def test_unpublishing_needs_no_confirmation(client, sent, group_leader):
    services.letter_set_published(letter=sent, user=group_leader, published=True)
    client.force_login(group_leader)
    client.post(_publish_url(sent), {"published": "0"})
    sent.refresh_from_db()
    assert not sent.published
