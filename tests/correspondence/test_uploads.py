"""An uploaded answer is read as a PDF, and one that carries active content is refused, whichever
way it comes in: the group's form or the service."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject

from correspondence import services
from correspondence.models import Response
from tests.correspondence.factories import answer_pdf

pytestmark = pytest.mark.django_db

SCRIPT = "PDF-en inneholder skript (JavaScript), og slike filer tar vi ikke imot."
ACTION = "PDF-en inneholder handlinger som kjører av seg selv, starter programmer eller åpner andre filer"
EMBEDDED = "PDF-en har andre filer innebygd, og slike filer tar vi ikke imot."
NOT_PDF = "Filen er ikke en PDF."
UNREADABLE = "Filen kan ikke leses som en PDF."
ENCRYPTED = "PDF-en er kryptert eller passordbeskyttet."


def _open_action_javascript(writer):
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('Hei');"),
        }
    )


def _document_javascript(writer):
    writer.add_open_action(JavaScript("this.print({bUI: false});"))


def _page_open_javascript(writer):
    writer.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.alert('Side 1');"))


def _launch_link(writer):
    launch = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Action"),
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("C:\\Windows\\System32\\calc.exe"),
        }
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(x) for x in (50, 100, 200, 120)]),
            NameObject("/A"): launch,
        }
    )
    writer.add_annotation(0, link)


def _attachment(writer):
    writer.add_attachment("vedlegg.exe", b"MZ\x90\x00")


def _encrypted(writer):
    writer.encrypt("hemmelig", algorithm="RC4-128")


CLEAN = answer_pdf()
REFUSED = {
    "open action javascript": (answer_pdf(_open_action_javascript), [SCRIPT]),
    "document javascript": (answer_pdf(_document_javascript), [SCRIPT]),
    "page open javascript": (answer_pdf(_page_open_javascript), [SCRIPT, ACTION]),
    "launch action": (answer_pdf(_launch_link), [ACTION]),
    "embedded file": (answer_pdf(_attachment), [EMBEDDED]),
    "encrypted": (answer_pdf(_encrypted), [ENCRYPTED]),
    "text renamed .pdf": ("Hei, vi svarer innen tre uker.\r\nMed vennlig hilsen Ørjan Åsheim\r\n".encode(), [NOT_PDF]),
    "pdf header on garbage": (b"%PDF-1.7\n" + bytes(range(256)) * 8, [UNREADABLE]),
    "cut off pdf": (CLEAN[: len(CLEAN) // 3], [UNREADABLE]),
}


def _upload(content, name="svar.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _log(sent, user, content):
    return services.response_log(
        letter=sent, user=user, received_on=sent.sent_on, kind="answer", summary="Svar", document=_upload(content)
    )


def _stored_files(settings):
    return [path for path in (settings.MEDIA_ROOT / "henvendelser" / "svar").rglob("*") if path.is_file()]


def test_a_clean_pdf_is_accepted_and_kept_as_uploaded(sent, group_leader, settings):
    answer = _log(sent, group_leader, CLEAN)
    assert answer.document.read() == CLEAN
    assert [path.read_bytes() for path in _stored_files(settings)] == [CLEAN]


@pytest.mark.parametrize("case", REFUSED)
def test_the_service_refuses_what_is_not_a_cleananswer_pdf(case, sent, group_leader, settings):
    content, messages = REFUSED[case]
    with pytest.raises(ValidationError) as caught:
        _log(sent, group_leader, content)
    refused = caught.value.message_dict["document"]
    assert len(refused) == len(messages)
    assert all(text.startswith(message) for text, message in zip(refused, messages, strict=True))
    assert not Response.objects.exists()
    assert not sent.events.filter(kind="response").exists()
    assert not (settings.MEDIA_ROOT / "henvendelser" / "svar").exists()


@pytest.mark.parametrize("case", ["open action javascript", "launch action", "text renamed .pdf"])
def test_the_form_shows_why_the_file_was_refused(case, client, sent, group_leader):
    content, messages = REFUSED[case]
    client.force_login(group_leader)
    data = {"received_on": sent.sent_on.isoformat(), "kind": "answer", "summary": "Svar", "document": _upload(content)}
    response = client.post(reverse("correspondence:response_add", args=[sent.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert all(message in page for message in messages)
    assert not Response.objects.exists()


def test_the_form_accepts_a_cleananswer_pdf(client, sent, group_leader):
    client.force_login(group_leader)
    data = {"received_on": sent.sent_on.isoformat(), "kind": "answer", "summary": "Svar", "document": _upload(CLEAN)}
    response = client.post(reverse("correspondence:response_add", args=[sent.pk]), data)
    assert response.status_code == 302
    answer = sent.responses.get()
    download = client.get(reverse("correspondence:response_document", args=[sent.pk, answer.pk]))
    assert b"".join(download.streaming_content) == CLEAN
