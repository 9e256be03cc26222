"""The letter as a document: one structure, rendered as the HTML preview, the PDF and the DOCX.

All user text stays plain text until a renderer writes it: the HTML templates escape it, the
PDF is made from that escaped HTML, and python-docx writes text runs, never markup.
"""

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from . import texts
from .norwegian import format_date


@dataclass
class Section:
    heading: str
    paragraphs: list[str]


@dataclass
class LetterDocument:
    language: str
    labels: dict
    is_draft: bool
    is_follow_up: bool
    place_and_date: str
    reference: str
    sender: list[str]
    addressees: list[str]
    subject: str
    sections: list[Section]
    challenges_intro: str
    challenges: list[str]
    wishes: list[str]
    points: list[str]
    closing: list[str]
    group_name: str
    contact_name: str
    signatories: list[str]
    copies: list[str]
    attachments: list[str] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single line breaks stay inside a paragraph."""
    return [block.strip() for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def letter_document(letter, *, final: bool = False) -> LetterDocument:
    """Everything the letter says, in reading order. `final` renders it as sent (no draft mark)."""
    language = letter.language
    labels = texts.labels(language)
    group = letter.group
    date = letter.sent_on or timezone.localdate()
    addressees = [
        " ".join(filter(None, [letter.political_leader_title, letter.political_leader_name])),
        " ".join(filter(None, [letter.administrative_leader_title, letter.administrative_leader_name])),
        letter.authority_name,
        *[line.strip() for line in letter.postal_address.splitlines() if line.strip()],
    ]
    official_email = letter.sent_to or group.authority.official_email
    if official_email:
        addressees.append(official_email)
    sections = [
        Section(labels["background"] if not letter.is_follow_up else "", paragraphs(letter.background)),
        Section(labels["voluntary_effort"], paragraphs(letter.voluntary_effort)),
        Section(labels["situation"], paragraphs(letter.situation)),
    ]
    challenges = [texts.challenge_text(language, key) for key in letter.challenges]
    attachments = []
    if letter.is_follow_up and letter.follows_up.sent_on:
        attachments.append(labels["first_letter"] % {"date": format_date(letter.follows_up.sent_on, language)})
    return LetterDocument(
        language=language,
        labels=labels,
        is_draft=not (final or letter.is_frozen),
        is_follow_up=letter.is_follow_up,
        place_and_date=f"{group.municipality.name}, {format_date(date, language)}",
        reference=letter.reference or labels["reference_pending"],
        sender=_sender(letter, labels),
        addressees=[line for line in addressees if line],
        subject=letter.subject,
        sections=[section for section in sections if section.paragraphs],
        challenges_intro=labels["challenges_intro"] if challenges else "",
        challenges=[c for c in challenges if c],
        wishes=paragraphs(letter.wishes),
        points=[point.text for point in letter.points.all()],
        closing=paragraphs(letter.closing),
        group_name=group.name,
        contact_name=letter.contact_name,
        signatories=[_signatory(signature, labels) for signature in letter.signatures.all()],
        copies=[str(copy) for copy in letter.copies.all()],
        attachments=attachments,
    )


def _sender(letter, labels) -> list[str]:
    """The group, and where the municipality sends its answer: address, email and phone."""
    address = [line.strip() for line in letter.contact_address.splitlines() if line.strip()]
    lines = [letter.group.name, *(address or [letter.group.municipality.name])]
    if letter.contact_email:
        lines.append(f"{labels['email']}: {letter.contact_email}")
    if letter.contact_phone:
        lines.append(f"{labels['phone']}: {letter.contact_phone}")
    return lines


def _signatory(signature, labels) -> str:
    """The association and who signed for it, as what: «Nabolagskoret v/ Kari Nordmann, styreleder»."""
    name = signature.signer_name or (signature.signed_by.full_name if signature.signed_by else "")
    if not name:
        return signature.association.name
    signer = ", ".join(filter(None, [name, signature.signer_role]))
    return f"{signature.association.name} {labels['signed_for']} {signer}"


def render_html(letter, *, final: bool = False) -> str:
    """The letter's own markup (an <article>), as the preview on the page shows it."""
    return render_to_string(
        "correspondence/letter_document.html",
        {"doc": letter_document(letter, final=final)},
    )


PDF_STYLESHEET = Path(__file__).resolve().parent / "static" / "correspondence" / "letter_pdf.css"


@cache
def _font_config():
    # WeasyPrint loads the machine's font configuration for each document it is not given one.
    return FontConfiguration()


@cache
def _pdf_stylesheet():
    # Parsed once per process (a few ms per render otherwise); the stylesheet holds nothing of a letter.
    return CSS(filename=PDF_STYLESHEET, font_config=_font_config())


def pdf_markup(document: LetterDocument) -> str:
    """The HTML the PDF is made from (templates/correspondence/letter_pdf.html)."""
    return render_to_string(
        "correspondence/letter_pdf.html",
        {"doc": document, "title": f"{document.reference} {document.subject}"},
    )


def render_pdf(letter, *, final: bool = False) -> bytes:
    """A4 PDF in a formal Norwegian letter layout, with the fonts installed on the machine."""

    # No base_url and no external resources: the PDF is made from this HTML and local fonts only.
    html = HTML(string=pdf_markup(letter_document(letter, final=final)))
    return html.write_pdf(stylesheets=[_pdf_stylesheet()], font_config=_font_config())


def render_docx(letter, *, final: bool = False) -> bytes:
    """The same letter as a Word document, for those who edit in Word."""

    doc = letter_document(letter, final=final)
    word = Document()
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    style = word.styles["Normal"]
    style.font.name = "Liberation Serif"
    style.font.size = Pt(11)
    word.core_properties.title = doc.subject
    word.core_properties.language = doc.language

    def line(text, bold=False, align=None, space_after=0):
        paragraph = word.add_paragraph()
        paragraph.add_run(text).bold = bold
        paragraph.paragraph_format.space_after = Pt(space_after)
        if align is not None:
            paragraph.alignment = align
        return paragraph

    if doc.is_draft:
        line(doc.labels["draft"], bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    # The order of letter_pdf.html: sender, addressees, place and date with the reference, subject.
    for index, text in enumerate(doc.sender):
        line(text, bold=index == 0, space_after=12 if index == len(doc.sender) - 1 else 0)
    line(f"{doc.labels['to']}:")
    for text in doc.addressees:
        line(text)
    line("", space_after=6)
    line(doc.place_and_date, align=WD_ALIGN_PARAGRAPH.RIGHT)
    line(f"{doc.labels['reference']}: {doc.reference}", align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=12)
    line(doc.subject, bold=True, space_after=12)
    for part in doc.sections:
        if part.heading:
            line(part.heading, bold=True, space_after=4)
        for text in part.paragraphs:
            line(text, space_after=8)
    if doc.challenges:
        line(doc.challenges_intro, space_after=4)
        for text in doc.challenges:
            word.add_paragraph(text, style="List Bullet")
    if doc.points or doc.wishes:
        line(doc.labels["wishes"], bold=True, space_after=4)
        for text in doc.wishes:
            line(text, space_after=8)
        for text in doc.points:
            word.add_paragraph(text, style="List Bullet")
    for text in doc.closing:
        line(text, space_after=8)
    line(doc.labels["greeting"], space_after=4)
    line(doc.group_name, bold=True)
    if doc.contact_name:
        line(f"{doc.labels['contact']}: {doc.contact_name}", space_after=8)
    if doc.signatories:
        line(doc.labels["cosigners"], space_after=4)
        for text in doc.signatories:
            word.add_paragraph(text, style="List Number")
    if doc.attachments:
        line(f"{doc.labels['attachment']}: {', '.join(doc.attachments)}", space_after=8)
    if doc.copies:
        line(f"{doc.labels['copy']}:", bold=True)
        for text in doc.copies:
            line(text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
