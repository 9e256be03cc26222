import io
import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from docx import Document
from pypdf import PdfReader
from weasyprint import HTML

from correspondence import services
from correspondence.norwegian import format_date
from correspondence.rendering import letter_document, render_docx, render_html, render_pdf
from correspondence.selectors import letter_for_rendering
from tests.organizations.factories import AssociationFactory, MembershipFactory

# Every test here reads the PDF WeasyPrint lays out.
pytestmark = [pytest.mark.django_db, pytest.mark.real_pdf]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Words the layout breaks over lines come back with line breaks; compare on single spaces.
    return re.sub(r"\s+", " ", text)


def docx_text(data: bytes) -> str:
    return "\n".join(paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs)


@pytest.fixture
def signed_letter(letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_update(
        letter=letter,
        user=group_leader,
        parts={"challenges": ["recruitment", "visibility"]},
        points=["Første punkt om frivillighet", "Andre punkt: æøå ÆØÅ", "Tredje punkt", "Fjerde punkt", "Femte punkt"],
    )
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=association, user=admin)
    second = MembershipFactory(
        association=AssociationFactory(municipality=letter.group.municipality, name="Idrettslaget Ørn"), role="admin"
    )
    services.letter_sign(letter=letter, association=second.association, user=second.user)
    return letter


def test_pdf_reads_back_with_addressees_points_signatories_and_copies(signed_letter):
    data = render_pdf(signed_letter)
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = pdf_text(data)
    assert "Ordfører Marte Mjøs Persen" in text
    assert "Kommunedirektør Ørjan Åsheim" in text
    assert "postmottak@bergen.example.org" in text
    for point in [
        "Første punkt om frivillighet",
        "Andre punkt: æøå ÆØÅ",
        "Tredje punkt",
        "Fjerde punkt",
        "Femte punkt",
    ]:
        assert point in text
    assert text.index("Nabolagskoret") < text.index("Idrettslaget Ørn")
    assert "Kopi:" in text
    assert "Per Hansen (Arbeiderpartiet)" in text and "Åse Berg (Høyre)" in text
    assert "å rekruttere nye medlemmer og frivillige" in text
    assert "UTKAST" in text


def test_sent_pdf_has_reference_and_the_date_in_norwegian(
    signed_letter, group_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(letter=signed_letter, user=group_leader)
    with letter.sent_pdf.open("rb") as stored:
        text = pdf_text(stored.read())
    assert re.search(r"Vår referanse: DP-\d{4}-\d{4}", text)
    assert letter.reference in text

    assert f"Bergen, {format_date(letter.sent_on)}" in text
    assert "UTKAST" not in text


def test_fonts_are_embedded_from_the_machine(signed_letter):
    reader = PdfReader(io.BytesIO(render_pdf(signed_letter)))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("Liberation" in name or "DejaVu" in name for name in fonts), fonts


def test_docx_has_the_same_letter(signed_letter):
    text = docx_text(render_docx(signed_letter))
    assert "Ordfører Marte Mjøs Persen" in text
    assert signed_letter.subject in text
    for point in signed_letter.points.all():
        assert point.text in text
    assert text.index("Nabolagskoret") < text.index("Idrettslaget Ørn")
    assert "Per Hansen (Arbeiderpartiet)" in text
    assert "Vår referanse" in text


def test_nynorsk_pdf(group, group_leader):
    group.municipality.written_standard = "nn"
    group.municipality.save()
    letter = services.letter_create(group=group, user=group_leader)
    text = pdf_text(render_pdf(letter))
    assert "Med venleg helsing" in text
    assert "Kva ønskjer vi?" in text
    assert "Tysdag 3. november 2026 kl. 18.30" in text


def test_markup_in_user_text_comes_out_as_text_in_pdf_and_docx(letter, group_leader):
    letter = services.letter_update(
        letter=letter,
        user=group_leader,
        parts={"subject": "<script>alert('x')</script> & <b>fet</b>"},
        points=["<i>kursiv</i> punkt"],
    )
    text = pdf_text(render_pdf(letter))
    assert "<script>alert('x')</script> & <b>fet</b>" in text
    assert "<i>kursiv</i> punkt" in text
    docx = docx_text(render_docx(letter))
    assert "<script>alert('x')</script> & <b>fet</b>" in docx
    assert "<i>kursiv</i> punkt" in docx


def test_rendering_queries_do_not_grow_with_the_co_signers(letter, group_leader, django_assert_num_queries):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)

    def sign(count):
        for _ in range(count):
            admin = MembershipFactory(
                association=AssociationFactory(municipality=letter.group.municipality), role="admin"
            )
            services.letter_sign(letter=letter, association=admin.association, user=admin.user)

    sign(2)
    # The letter with its group and municipality, its points, its copies, its signatures with their associations.
    with django_assert_num_queries(4):
        render_pdf(letter_for_rendering(pk=letter.pk))
    sign(8)
    with django_assert_num_queries(4):
        text = pdf_text(render_pdf(letter_for_rendering(pk=letter.pk)))
    assert len(letter.signatures.all()) == 10
    for signature in letter.signatures.select_related("association"):
        assert signature.association.name in text


def _in_order(text: str, parts: list[str]) -> list[str]:
    """The parts not found in `text` one after the other."""
    missing, position = [], 0
    for part in parts:
        found = text.find(re.sub(r"\s+", " ", part).strip(), position)
        if found < 0:
            missing.append(part)
        else:
            position = found
    return missing


def _document_parts(document):
    return [
        *document.sender,
        *document.addressees,
        document.place_and_date,
        document.reference,
        document.subject,
        *[text for section in document.sections for text in [section.heading, *section.paragraphs] if text],
        *document.challenges,
        *document.wishes,
        *document.points,
        *document.closing,
        document.labels["greeting"],
        document.group_name,
        document.contact_name,
        *document.signatories,
        *document.attachments,
        *document.copies,
    ]


def test_pdf_says_what_the_preview_says_in_the_same_order(
    signed_letter, group_leader, django_capture_on_commit_callbacks
):
    # The PDF has markup of its own (letter_pdf.html); it must not drift from the preview's.
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.letter_send(letter=signed_letter, user=group_leader)
    follow_up = services.follow_up_prepare(letter=sent, user=group_leader)
    for letter in [signed_letter, follow_up]:
        document = letter_document(letter)
        parts = _document_parts(document)
        assert _in_order(pdf_text(render_pdf(letter)), parts) == []
        preview = re.sub(r"\s+", " ", strip_tags(render_html(letter)).replace("&amp;", "&"))
        assert _in_order(preview, parts) == []


def test_lists_have_their_markers_and_user_line_breaks_stay(letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_update(
        letter=letter,
        user=group_leader,
        parts={"closing": "Første linje i hilsenen\nAndre linje i hilsenen"},
        points=["Et punkt\nsom går over to linjer", "Et annet punkt"],
    )
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=association, user=admin)
    lines = [
        re.sub(r"\s+", " ", line).strip()
        for page in PdfReader(io.BytesIO(render_pdf(letter))).pages
        for line in page.extract_text().splitlines()
    ]
    assert "• Et punkt" in lines and "som går over to linjer" in lines
    assert "• Et annet punkt" in lines
    assert "Første linje i hilsenen" in lines and "Andre linje i hilsenen" in lines
    assert any(line.startswith("1. Nabolagskoret v/ ") for line in lines)


def test_every_page_has_the_reference_and_the_page_count_in_the_footer(
    signed_letter, group_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(letter=signed_letter, user=group_leader)
    with letter.sent_pdf.open("rb") as stored:
        pages = [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(stored).pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, start=1):
        assert f"Vår referanse: {letter.reference}" in text
        assert f"{number} / {len(pages)}" in text


def test_pdf_embeds_two_faces_of_one_family(signed_letter):
    # Each face is subset and embedded on every render: regular and bold are all the letter uses.
    reader = PdfReader(io.BytesIO(render_pdf(signed_letter)))
    faces = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert len(faces) == 2, faces
    assert len({face.split("-Bold")[0] for face in faces}) == 1, faces


def test_a_long_list_of_co_signers_runs_over_pages_without_empty_ones(letter, group_leader):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    names = []
    for n in range(60):
        admin = MembershipFactory(
            association=AssociationFactory(municipality=letter.group.municipality, name=f"Forening nummer {n}"),
            role="admin",
        )
        services.letter_sign(letter=letter, association=admin.association, user=admin.user)
        names.append(admin.association.name)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(letter))).pages]
    text = re.sub(r"\s+", " ", " ".join(pages))
    positions = [text.find(f"{number}. {name}") for number, name in enumerate(names, start=1)]
    assert -1 not in positions and positions == sorted(positions)
    for page in pages:
        # Besides the footer, each page has some of the letter: no lead-in or greeting left alone.
        assert len([line for line in page.splitlines() if line.strip()]) > 5, page
    cosigners = next(page for page in pages if "Brevet er skrevet under av" in page)
    assert f"1. {names[0]}" in re.sub(r"\s+", " ", cosigners)


def _pdf_markup(letter, *, final=False):
    document = letter_document(letter, final=final)
    return render_to_string(
        "correspondence/letter_pdf.html", {"doc": document, "title": f"{document.reference} {document.subject}"}
    )


def test_pdf_is_what_weasyprint_makes_of_the_letter_markup_and_stylesheet_by_default(signed_letter):
    # Rendered through WeasyPrint's public API with its own defaults: nothing of WeasyPrint is
    # replaced, so an upgrade of it changes the letter only as it changes any page.
    stylesheet = finders.find("correspondence/letter_pdf.css")
    data = render_pdf(signed_letter)
    assert data == HTML(string=_pdf_markup(signed_letter)).write_pdf(stylesheets=[stylesheet])
    # The headings make no PDF outline: a letter of a page or two has no use for one.
    assert PdfReader(io.BytesIO(data)).outline == []


def test_short_lists_are_lines_with_a_marker_and_a_tab(signed_letter):
    markup = _pdf_markup(signed_letter)
    challenges = re.search(r'<p class="letter-challenges">(.*?)</p>', markup, flags=re.S).group(1)
    assert [line.split("&#9;")[0] for line in challenges.split("&#10;")] == ["•", "•"]
    signatories = re.search(r'<p class="letter-signatories">(.*?)</p>', markup, flags=re.S).group(1)
    assert [line.split("&#9;")[0] for line in signatories.split("&#10;")] == ["1.", "2."]
    lines = [re.sub(r"\s+", " ", line).strip() for line in pdf_text_lines(render_pdf(signed_letter))]
    assert any(line.startswith("2. Idrettslaget Ørn v/ ") for line in lines)


def pdf_text_lines(data: bytes) -> list[str]:
    return [line for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().splitlines()]
