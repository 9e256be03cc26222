import datetime
import hashlib
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from correspondence import services
from correspondence.models import Letter, LetterEvent
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(group_leader, django_capture_on_commit_callbacks):
    def _send(letter, user=None):
        with django_capture_on_commit_callbacks(execute=True):
            return services.letter_send(letter=letter, user=user or group_leader)

    return _send


def _letter_email():
    return next(m for m in mail.outbox if m.to == ["postmottak@bergen.example.org"])


@pytest.mark.real_pdf
def test_letter_goes_to_the_official_address_with_pdf_copies_and_reply_to(letter, send, group_leader):
    letter = send(letter)
    message = _letter_email()
    assert re.fullmatch(r"DP-\d{4}-\d{4}", letter.reference)
    assert message.subject.startswith(f"{letter.reference}: ")
    assert message.cc == ["per@example.org"]  # Åse Berg has no email address in the record
    assert message.reply_to == [group_leader.email]
    (filename, content, mimetype) = message.attachments[0]
    assert filename == f"{letter.reference}.pdf" and mimetype == "application/pdf"
    with letter.sent_pdf.open("rb") as stored:
        assert stored.read() == content
    assert hashlib.sha256(content).hexdigest() == letter.sent_pdf_sha256
    assert letter.reference in PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert letter.status == Letter.Status.SENT and letter.sent_at is not None
    assert LetterEvent.objects.filter(letter=letter, kind="sent").exists()


def test_members_get_a_confirmation_of_their_own(letter, send, group_leader):
    letter = send(letter)
    confirmations = [m for m in mail.outbox if m.to == [group_leader.email]]
    assert len(confirmations) == 1
    assert letter.reference in confirmations[0].subject


def test_references_are_unique_and_sequential(group, group_leader, send):
    first = send(services.letter_create(group=group, user=group_leader))
    second = send(services.letter_create(group=group, user=group_leader))
    year = first.sent_on.year
    number = int(first.reference.rsplit("-", 1)[1])
    assert first.reference.startswith(f"DP-{year}-")
    assert second.reference == f"DP-{year}-{number + 1:04d}"


def test_the_stored_pdf_is_served_forever_unchanged(client, letter, send, group_leader):
    letter = send(letter)
    letter.group.municipality.political_leader_name = "Ny Ordfører"
    letter.group.municipality.save()
    client.force_login(group_leader)
    response = client.get(reverse("correspondence:letter_pdf", args=[letter.pk]))
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == letter.sent_pdf_sha256


def test_sending_twice_is_refused(letter, send):
    letter = send(letter)
    with pytest.raises(ValidationError):
        send(letter)
    assert len([m for m in mail.outbox if m.to == ["postmottak@bergen.example.org"]]) == 1


@pytest.mark.real_pdf
def test_no_official_address_means_post(letter, group_leader, send):
    letter.group.municipality.official_email = ""
    letter.group.municipality.save()
    with pytest.raises(ValidationError):
        send(letter)
    # Written in the portal before it was posted.
    Letter.objects.filter(pk=letter.pk).update(created_at=datetime.datetime(2026, 11, 19, 12, tzinfo=datetime.UTC))
    letter = services.letter_mark_posted(letter=letter, user=group_leader, posted_on=datetime.date(2026, 11, 20))
    assert letter.channel == "post" and letter.sent_on == datetime.date(2026, 11, 20)
    with letter.sent_pdf.open("rb") as stored:
        text = PdfReader(stored).pages[0].extract_text()
    assert "Bergen, 20. november 2026" in text


def test_post_date_cannot_be_in_the_future(letter, group_leader):
    with pytest.raises(ValidationError):
        services.letter_mark_posted(
            letter=letter, user=group_leader, posted_on=datetime.date.today() + datetime.timedelta(days=2)
        )


def test_html_in_user_text_is_escaped_in_the_email(group, group_leader, send):
    group.name = "<b>Gruppa</b> & co"
    group.save()
    letter = services.letter_create(group=group, user=group_leader)
    letter = services.letter_update(letter=letter, user=group_leader, parts={"subject": "<script>x()</script>"})
    send(letter)
    message = _letter_email()
    html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
    assert "<b>Gruppa</b>" not in html
    assert "&lt;b&gt;Gruppa&lt;/b&gt; &amp; co" in html
    assert "<script>" not in html
    assert "<b>Gruppa</b> & co" in message.body
    assert "<script>x()</script>" in message.subject


def test_the_letter_email_is_in_the_letters_language(group, group_leader, send):
    group.municipality.written_standard = "nn"
    group.municipality.save()
    send(services.letter_create(group=group, user=group_leader))
    assert "Med venleg helsing" in _letter_email().body


def test_send_from_the_page(client, letter, group_leader, django_capture_on_commit_callbacks):
    client.force_login(group_leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("correspondence:letter_send", args=[letter.pk]), {"channel": "email", "confirm": "1"}
        )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == "sent"
    page = client.get(reverse("correspondence:letter_detail", args=[letter.pk])).content.decode()
    assert letter.sent_pdf_sha256 in page


def test_opening_for_signatures_asks_the_participating_associations_admins_once(
    letter, group_leader, association_admin, django_capture_on_commit_callbacks
):
    admin, association = association_admin
    second = AssociationFactory(municipality=letter.group.municipality, name="Turlaget")
    MembershipFactory(association=second, user=admin, role="admin")
    outsider = MembershipFactory(association=AssociationFactory(municipality=letter.group.municipality), role="admin")
    letter.group.associations.set([association, second])
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
        services.letter_close_for_signatures(letter=letter, user=group_leader)
        services.letter_open_for_signatures(letter=letter, user=group_leader)
    requests = [m for m in mail.outbox if "skrive under" in m.subject]
    assert [m.to for m in requests] == [[admin.email]]
    assert reverse("correspondence:letter_detail", args=[letter.pk]) in requests[0].body
    assert not [m for m in mail.outbox if m.to == [outsider.user.email]]


def _body_line(message, label):
    return next(line for line in message.body.splitlines() if line.startswith(f"{label}:"))


def test_the_signature_request_names_the_letters_subject(
    letter, group_leader, association_admin, django_capture_on_commit_callbacks
):
    admin, association = association_admin
    letter.group.associations.set([association])
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    (request,) = [m for m in mail.outbox if m.to == [admin.email]]
    assert _body_line(request, "Emne") == f"Emne: {letter.subject}"
    html = request.alternatives[0][0]
    assert f"Emne: {letter.subject}" in html
    assert request.subject not in request.body


def test_the_sent_confirmation_names_the_letters_subject(letter, send, group_leader):
    letter = send(letter)
    (confirmation,) = [m for m in mail.outbox if m.to == [group_leader.email]]
    assert _body_line(confirmation, "Emne") == f"Emne: {letter.subject}"
    assert f"Emne: {letter.subject}<br>" in confirmation.alternatives[0][0]
    # The email's own subject is still the HTML part's title.
    assert f"<title>{confirmation.subject}</title>" in confirmation.alternatives[0][0]


def test_a_person_sends_the_letter_and_the_portal_its_notifications(letter, send, group_leader):
    send(letter)
    letter_email = _letter_email()
    assert "Auto-Submitted" not in letter_email.extra_headers
    assert "Auto-Submitted: auto-generated" not in letter_email.message().as_string()
    (confirmation,) = [m for m in mail.outbox if m.to == [group_leader.email]]
    assert confirmation.extra_headers["Auto-Submitted"] == "auto-generated"


def test_replies_go_to_the_letters_own_reply_address(letter, send, group_leader):
    letter = services.letter_update(letter=letter, user=group_leader, parts={"contact_email": "svar@koret.example.org"})
    send(letter)
    assert _letter_email().reply_to == ["svar@koret.example.org"]


def test_without_a_reply_address_replies_go_to_the_groups_leader(letter, send, group_leader):
    letter = services.letter_update(
        letter=letter, user=group_leader, parts={"contact_email": "", "contact_address": "Postboks 1, 5020 Bergen"}
    )
    send(letter)
    assert _letter_email().reply_to == [group_leader.email]
