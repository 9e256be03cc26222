"""The letter as the municipality's clerk reads it: who it is to, who to answer, who signed, what is asked."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from docx import Document

from correspondence import services, texts
from correspondence.models import Letter
from correspondence.rendering import letter_document, render_docx, render_pdf
from organizations.models import Category
from tests.correspondence.test_rendering import _document_parts, _in_order, pdf_text
from tests.organizations.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_the_letter_is_addressed_to_the_municipality_by_its_full_name(letter):
    assert letter.authority_name == "Bergen kommune"
    assert "Bergen kommune" in letter_document(letter).addressees


def test_a_district_letter_is_addressed_to_the_district_by_its_own_name(group, group_leader):
    group.district = DistrictFactory(municipality=group.municipality, code="460101", name="Bydel Sentrum")
    group.save()
    letter = services.letter_create(group=group, user=group_leader)
    assert letter.authority_name == "Bydel Sentrum"


@pytest.mark.real_pdf
def test_the_sender_block_says_where_to_reply(letter, group_leader):
    group_leader.phone = "+47 912 34 567"
    group_leader.save()
    letter = services.letter_create(group=letter.group, user=group_leader)
    assert (letter.contact_email, letter.contact_phone) == ("lise@example.org", "+47 912 34 567")
    letter = services.letter_update(
        letter=letter, user=group_leader, parts={"contact_address": "Storgata 1\r\n5003 Bergen"}
    )
    sender = letter_document(letter).sender
    assert sender == [
        "Frivillighetsgruppa i Bergen",
        "Storgata 1",
        "5003 Bergen",
        "E-post: lise@example.org",
        "Telefon: +47 912 34 567",
    ]
    text = pdf_text(render_pdf(letter))
    assert "Storgata 1 5003 Bergen E-post: lise@example.org Telefon: +47 912 34 567" in text


def test_the_contact_fields_are_on_the_editor_and_a_letter_needs_somewhere_to_reply(client, letter, group_leader):
    client.force_login(group_leader)
    page = client.get(reverse("correspondence:letter_edit", args=[letter.pk])).content.decode()
    for name in ("contact_address", "contact_email", "contact_phone"):
        assert f'name="{name}"' in page
    letter = services.letter_update(letter=letter, user=group_leader, parts={"contact_email": ""})
    with pytest.raises(ValidationError) as error:
        services.letter_send(letter=letter, user=group_leader)
    assert "svar" in " ".join(error.value.messages)
    letter.refresh_from_db()
    assert letter.status == Letter.Status.DRAFT


@pytest.mark.real_pdf
def test_each_co_signer_shows_who_signed_for_it_and_as_what(client, letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    client.force_login(admin)
    page = client.get(reverse("correspondence:letter_detail", args=[letter.pk])).content.decode()
    assert 'name="signer_name"' in page and 'name="signer_role"' in page
    assert f'value="{admin.full_name}"' in page
    response = client.post(
        reverse("correspondence:letter_sign", args=[letter.pk]),
        {"association": association.pk, "signer_name": "Kari Nordmann", "signer_role": "styreleder"},
    )
    assert response.status_code == 302
    signature = letter.signatures.get()
    assert (signature.signer_name, signature.signer_role) == ("Kari Nordmann", "styreleder")
    document = letter_document(Letter.objects.get(pk=letter.pk))
    assert document.signatories == ["Nabolagskoret v/ Kari Nordmann, styreleder"]
    assert "1. Nabolagskoret v/ Kari Nordmann, styreleder" in pdf_text(render_pdf(letter))


def test_the_co_sign_form_wants_a_name_and_a_role(client, letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    client.force_login(admin)
    response = client.post(
        reverse("correspondence:letter_sign", args=[letter.pk]),
        {"association": association.pk, "signer_name": "  ", "signer_role": ""},
        follow=True,
    )
    assert "Skriv navnet ditt og rollen din" in response.content.decode()
    assert not letter.signatures.exists()


def test_one_sentence_asks_outright_for_a_meeting(letter, group, group_leader):
    assert "Vi ber om et møte med kommuneledelsen" in letter.closing
    nynorsk = texts.default_parts(group, "nn")["closing"]
    assert "Vi ber om eit møte med kommuneleiinga" in nynorsk


@pytest.mark.real_pdf
def test_the_docx_keeps_the_pdfs_order(letter, group_leader, association_admin):
    admin, association = association_admin
    letter = services.letter_update(letter=letter, user=group_leader, parts={"challenges": ["finances"]})
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    services.letter_sign(letter=letter, association=association, user=admin, signer_name="Kari", signer_role="Leder")
    parts = _document_parts(letter_document(letter))
    docx = re.sub(r"\s+", " ", "\n".join(p.text for p in Document(io.BytesIO(render_docx(letter))).paragraphs))
    assert _in_order(pdf_text(render_pdf(letter)), parts) == []
    assert _in_order(docx, parts) == []


@pytest.mark.real_pdf
def test_a_nynorsk_letter_has_the_portals_words_in_nynorsk_and_the_users_as_typed(group, group_leader):
    group.municipality.written_standard = "nn"
    group.municipality.save()
    group.categories.set(
        Category.objects.filter(slug__in=["barn-og-unge", "mangfold-inkludering-og-innvandrerorganisasjoner"])
    )
    group.theme = "Hvordan lager vi en god frivillighetspolitikk sammen?"
    group.save()
    letter = services.letter_create(group=group, user=group_leader)
    assert "innan born og unge og mangfald, inkludering og innvandrarorganisasjonar" in letter.background
    assert "Temaet for møtet var: Hvordan lager vi en god frivillighetspolitikk sammen?" in letter.background
    document = letter_document(letter)
    assert document.sections[0].heading == "Bakgrunnen for førespurnaden"
    text = pdf_text(render_pdf(letter))
    assert "henvend" not in text.replace("henvendelse til kommuneledelsen", "")  # the mandate as typed
    assert "førespurnaden" in text


def test_terms_have_nynorsk_names_shown_in_a_nynorsk_interface():
    category = Category.objects.get(slug="barn-og-unge")
    assert category.name_nn == "Born og unge"
    with translation.override("nn"):
        assert str(category) == "Born og unge"
    with translation.override("nb"):
        assert str(category) == "Barn og unge"
