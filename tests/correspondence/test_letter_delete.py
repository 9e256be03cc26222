"""A working group may throw away a letter it has not sent; a sent letter stays for good."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from correspondence import services
from correspondence.models import Letter, LetterEvent, Signature

pytestmark = pytest.mark.django_db


def _delete_url(letter):
    return reverse("correspondence:letter_delete", args=[letter.pk])


@pytest.fixture
def cosigned(letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=association, user=admin, signer_role="styreleder")
    return letter


def test_the_delete_page_asks_first_and_names_the_signatures_that_go(client, cosigned, group_leader):
    client.force_login(group_leader)
    page = client.get(_delete_url(cosigned))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Nabolagskoret" in body and "får en e-post om det" in body
    assert Letter.objects.filter(pk=cosigned.pk).exists()


def test_a_member_deletes_a_draft_and_the_cosigner_is_told(
    client, cosigned, group_leader, association_admin, django_capture_on_commit_callbacks
):
    admin, _association = association_admin
    client.force_login(group_leader)
    detail = client.get(reverse("correspondence:letter_detail", args=[cosigned.pk])).content.decode()
    assert _delete_url(cosigned) in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_delete_url(cosigned))
    assert response.url == reverse("correspondence:group_detail", args=[cosigned.group_id])
    assert not Letter.objects.filter(pk=cosigned.pk).exists()
    assert not Signature.objects.filter(letter_id=cosigned.pk).exists()
    assert not LetterEvent.objects.filter(letter_id=cosigned.pk).exists()
    (notice,) = [m for m in mail.outbox if m.to == [admin.email]]
    assert "slettet" in notice.subject
    assert "Lise Leder" in notice.body and "Nabolagskoret" in notice.body
    assert f"Emne: {cosigned.subject}" in notice.body


def test_a_sent_letter_is_never_deleted(client, sent, group_leader):
    with pytest.raises(ValidationError):
        services.letter_delete(letter=sent, user=group_leader)
    client.force_login(group_leader)
    assert client.get(_delete_url(sent)).status_code == 403
    assert client.post(_delete_url(sent)).status_code == 403
    assert Letter.objects.filter(pk=sent.pk).exists()


def test_a_cosigner_cannot_delete_the_groups_draft(client, cosigned, association_admin):
    admin, _association = association_admin
    with pytest.raises(PermissionDenied):
        services.letter_delete(letter=cosigned, user=admin)
    client.force_login(admin)
    assert client.post(_delete_url(cosigned)).status_code == 403
    assert Letter.objects.filter(pk=cosigned.pk).exists()
