import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from correspondence import domain, services, sweeps
from correspondence.models import CopyRecipient, Letter
from correspondence.norwegian import format_date
from correspondence.tasks import follow_up_reminders_sweep
from notifications.models import OutgoingEmail
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, answer_pdf

pytestmark = pytest.mark.django_db

PDF = answer_pdf()


def _age(letter, days):
    Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now() - datetime.timedelta(days=days))
    letter.refresh_from_db()
    return letter


def _reminders():
    return OutgoingEmail.objects.filter(kind="correspondence.follow_up_reminder")


def test_logging_answers_moves_the_status_on(sent, group_leader):
    services.response_log(
        letter=sent, user=group_leader, received_on=sent.sent_on, kind="preliminary", summary="Vi svarer innen mars."
    )
    sent.refresh_from_db()
    assert sent.status == Letter.Status.PRELIMINARY
    services.response_log(letter=sent, user=group_leader, received_on=sent.sent_on, kind="answer", summary="Ja.")
    sent.refresh_from_db()
    assert sent.status == Letter.Status.ANSWERED
    services.letter_set_status(letter=sent, user=group_leader, status=Letter.Status.MEETING_AGREED)
    services.letter_set_status(letter=sent, user=group_leader, status=Letter.Status.CLOSED)
    sent.refresh_from_db()
    assert sent.status == Letter.Status.CLOSED
    assert [e.kind for e in sent.events.all()][-4:] == ["response", "response", "status", "status"]
    with pytest.raises(ValidationError):
        services.letter_set_status(letter=sent, user=group_leader, status=Letter.Status.DRAFT)


def test_response_upload_must_be_a_pdf_and_not_too_large(client, sent, group_leader, settings):
    client.force_login(group_leader)
    url = reverse("correspondence:response_add", args=[sent.pk])
    data = {"received_on": sent.sent_on.isoformat(), "kind": "answer", "summary": "Svar"}
    fake = SimpleUploadedFile("svar.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(url, {**data, "document": fake})
    assert response.status_code == 400
    assert "Filen er ikke en PDF." in response.content.decode()

    big = SimpleUploadedFile("svar.pdf", PDF + b"0" * (domain.MAX_RESPONSE_PDF_BYTES + 1), "application/pdf")
    response = client.post(url, {**data, "document": big})
    assert response.status_code == 400
    assert "for stor" in response.content.decode()
    good = SimpleUploadedFile("svar.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {**data, "document": good})
    assert response.status_code == 302
    answer = sent.responses.get()
    download = client.get(reverse("correspondence:response_document", args=[sent.pk, answer.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_answer_cannot_predate_the_letter(sent, group_leader):
    with pytest.raises(ValidationError):
        services.response_log(
            letter=sent,
            user=group_leader,
            received_on=sent.sent_on - datetime.timedelta(days=1),
            kind="answer",
            summary="x",
        )


def test_reminder_sweep_run_twice_sends_once(sent, group_leader, django_capture_on_commit_callbacks):
    other = UserFactory()
    GroupMembershipFactory(group=sent.group, user=other)
    _age(sent, 22)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.reminders_sweep() == 1
        assert sweeps.reminders_sweep() == 0
        follow_up_reminders_sweep()
    reminders = [m for m in mail.outbox if "ingen svar etter 3 uker" in m.subject]
    assert sorted(m.to[0] for m in reminders) == sorted([group_leader.email, other.email])
    assert reverse("correspondence:follow_up", args=[sent.pk]) in reminders[0].body
    assert _reminders().count() == 2
    assert not [m for m in mail.outbox if m.to == ["postmottak@bergen.example.org"]]


def test_six_weeks_brings_the_second_reminder_once(sent, django_capture_on_commit_callbacks):
    _age(sent, 22)
    sweeps.reminders_sweep()
    _age(sent, 43)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.reminders_sweep() == 1
        assert sweeps.reminders_sweep() == 0
    assert [m.subject for m in mail.outbox if "6 uker" in m.subject]
    assert "kopi til lederne for de politiske partiene" in mail.outbox[-1].body
    assert set(_reminders().values_list("occasion", flat=True)) == {"reminder-1", "reminder-2"}


def test_a_letter_found_late_gets_only_the_reminder_it_has_reached(sent):
    _age(sent, 50)
    assert sweeps.reminders_sweep() == 1
    assert list(_reminders().values_list("occasion", flat=True)) == ["reminder-2"]


def test_no_reminder_when_an_answer_is_logged(sent, group_leader):
    services.response_log(letter=sent, user=group_leader, received_on=sent.sent_on, kind="other", summary="Mottatt.")
    _age(sent, 45)
    assert sweeps.reminders_sweep() == 0
    assert not _reminders().exists()


def test_no_reminder_before_three_weeks(sent):
    _age(sent, 20)
    assert sweeps.reminders_sweep() == 0


@pytest.mark.real_pdf
def test_follow_up_is_prefilled_and_sent_only_by_a_member(
    client, sent, group_leader, django_capture_on_commit_callbacks
):
    sent = _age(sent, 22)
    client.force_login(group_leader)
    response = client.post(reverse("correspondence:follow_up", args=[sent.pk]))
    follow_up = sent.follow_ups.get()
    assert response.url == reverse("correspondence:letter_detail", args=[follow_up.pk])
    assert client.post(reverse("correspondence:follow_up", args=[sent.pk])).url == response.url  # same draft

    assert format_date(sent.sent_on) in follow_up.background
    assert sent.reference in follow_up.background
    assert "foreløpig svar" in follow_up.background
    assert "§ 11 a" in follow_up.background
    assert not follow_up.copies.exists()
    assert not mail.outbox  # nothing goes to the municipality by itself

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("correspondence:letter_send", args=[follow_up.pk]), {"channel": "email", "confirm": "1"})
    follow_up.refresh_from_db()
    assert follow_up.status == "sent" and follow_up.reference == sent.reference
    message = next(m for m in mail.outbox if m.to == ["postmottak@bergen.example.org"])
    assert message.subject.startswith(f"{sent.reference}: Purring:")
    assert [name for name, *_ in message.attachments] == [f"{sent.reference}.pdf", f"{sent.reference}-1.pdf"]
    text = PdfReader(io.BytesIO(message.attachments[0][1])).pages[0].extract_text()
    assert sent.reference in text


def test_the_reminder_link_shows_the_follow_up_and_creates_nothing(client, sent, group_leader):
    sent = _age(sent, 43)
    Letter.objects.filter(pk=sent.pk).update(subject="Om <script>alert(1)</script> frivilligheten")
    client.force_login(group_leader)

    page = client.get(reverse("correspondence:follow_up", args=[sent.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert sent.reference in body
    assert "§ 11 a" in body
    assert "Per Hansen" in body  # the copies it will get at six weeks
    assert "<script>alert(1)" not in body
    assert 'method="post"' in body
    assert not sent.follow_ups.exists()
    assert not CopyRecipient.objects.exclude(letter=sent).exists()


def test_follow_up_after_six_weeks_copies_the_party_leaders(sent, group_leader):
    sent = _age(sent, 43)
    follow_up = services.follow_up_prepare(letter=sent, user=group_leader)
    assert [c.name for c in follow_up.copies.all()] == ["Per Hansen", "Åse Berg"]


def test_publishing_is_off_by_default_and_toggles(client, sent, group_leader):
    assert not sent.published
    assert client.get(reverse("correspondence:letter_detail", args=[sent.pk])).status_code == 302
    services.letter_set_published(letter=sent, user=group_leader, published=True)
    assert client.get(reverse("correspondence:letter_detail", args=[sent.pk])).status_code == 200
    assert client.get(reverse("correspondence:letter_pdf", args=[sent.pk])).status_code == 200


def _log(letter, user, kind, summary="Svar"):
    return services.response_log(letter=letter, user=user, received_on=letter.sent_on, kind=kind, summary=summary)


def _offers_follow_up(client, letter):
    page = client.get(reverse("correspondence:letter_detail", args=[letter.pk])).content.decode()
    return reverse("correspondence:follow_up", args=[letter.pk]) in page


def test_without_an_answer_the_follow_up_says_so_and_is_offered(client, sent, group_leader):
    client.force_login(group_leader)
    assert _offers_follow_up(client, sent)
    parts = services.follow_up_preview(letter=sent)["parts"]
    assert "Vi har ennå ikke fått svar." in parts["background"]


def test_after_a_preliminary_answer_the_follow_up_asks_for_the_final_one(client, sent, group_leader):
    _log(sent, group_leader, "preliminary", "Vi svarer innen mars.")
    sent.refresh_from_db()
    client.force_login(group_leader)
    assert _offers_follow_up(client, sent)
    page = client.get(reverse("correspondence:follow_up", args=[sent.pk])).content.decode()
    assert "ikke fått svar" not in page
    follow_up = services.follow_up_prepare(letter=sent, user=group_leader)
    assert "ikke fått svar" not in follow_up.background
    assert f"foreløpige svaret av {format_date(sent.sent_on)}" in follow_up.background
    assert "endelig svar" in follow_up.background


def test_a_preliminary_answer_in_nynorsk(sent, group_leader):
    _log(sent, group_leader, "preliminary")
    sent.refresh_from_db()
    background = services.follow_up_preview(letter=sent)["parts"]["background"]
    Letter.objects.filter(pk=sent.pk).update(language="nn")
    sent.refresh_from_db()
    nynorsk = services.follow_up_preview(letter=sent)["parts"]["background"]
    assert "førebelse svaret" in nynorsk and "enno ikkje fått svar" not in nynorsk
    assert nynorsk != background


@pytest.mark.parametrize(
    "logged",
    [
        [("preliminary", None), (None, Letter.Status.MEETING_AGREED)],
        [("answer", None)],
        [("meeting", None)],
        [(None, Letter.Status.CLOSED)],
    ],
)
def test_once_answered_or_closed_no_follow_up_is_offered_or_made(client, sent, group_leader, logged):
    for kind, status in logged:
        if kind:
            _log(sent, group_leader, kind)
        if status:
            services.letter_set_status(letter=sent, user=group_leader, status=status)
    sent.refresh_from_db()
    client.force_login(group_leader)
    assert not _offers_follow_up(client, sent)
    response = client.get(reverse("correspondence:follow_up", args=[sent.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("correspondence:letter_detail", args=[sent.pk])
    assert "purring" in response.content.decode()
    with pytest.raises(ValidationError):
        services.follow_up_prepare(letter=sent, user=group_leader)
    assert not sent.follow_ups.exists()


@pytest.mark.parametrize("kind", ["preliminary", "answer", "meeting", "other"])
def test_no_reminder_at_three_or_six_weeks_once_any_answer_is_logged(sent, group_leader, kind):
    _log(sent, group_leader, kind)
    _age(sent, 22)
    assert sweeps.reminders_sweep() == 0
    _age(sent, 43)
    assert sweeps.reminders_sweep() == 0
    assert not _reminders().exists()


def test_no_reminder_once_the_group_closes_the_letter(sent, group_leader):
    _age(sent, 22)
    assert sweeps.reminders_sweep() == 1
    services.letter_set_status(letter=sent, user=group_leader, status=Letter.Status.CLOSED)
    _age(sent, 43)
    assert sweeps.reminders_sweep() == 0
    assert list(_reminders().values_list("occasion", flat=True).distinct()) == ["reminder-1"]
