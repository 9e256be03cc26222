import datetime

import pytest

from correspondence import services, texts
from correspondence.forms import LetterPartsForm
from correspondence.norwegian import format_date, format_time, format_weekday_date
from correspondence.rendering import letter_document
from tests.organizations.factories import DistrictFactory

pytestmark = pytest.mark.django_db


def test_norwegian_dates_do_not_depend_on_the_locale():
    assert format_date(datetime.date(2026, 11, 23)) == "23. november 2026"
    assert format_date(datetime.date(2027, 1, 5), "nn") == "5. januar 2027"
    assert format_weekday_date(datetime.date(2026, 11, 3), "nb") == "tirsdag 3. november 2026"
    assert format_weekday_date(datetime.date(2026, 11, 3), "nn") == "tysdag 3. november 2026"
    assert format_weekday_date(datetime.date(2026, 11, 7), "nn") == "laurdag 7. november 2026"
    assert format_time(datetime.time(18, 5)) == "kl. 18.05"


def test_bokmaal_letter_is_written_from_the_groups_data(letter):
    assert letter.language == "nb"
    assert letter.political_leader_title == "Ordfører"
    assert letter.political_leader_name == "Marte Mjøs Persen"
    assert letter.administrative_leader_name == "Ørjan Åsheim"
    assert letter.subject == (
        "Forespørsel om jevnlig dialog mellom de lokale lagene og foreningene og kommuneledelsen i Bergen"
    )
    assert letter.background.startswith(
        "Tirsdag 3. november 2026 kl. 18.30 ble det holdt et diskusjonsmøte på Biblioteket med lag og "
        "foreninger innen kunst og kultur og idrett. Temaet for møtet var: Hvordan kan kommunen og lagene sammen "
        "lage en god frivillighetspolitikk?"
    )
    assert "dette mandatet: Skrive en formell henvendelse til kommuneledelsen." in letter.background
    assert [p.text for p in letter.points.all()] == texts.default_points("nb")
    assert len(texts.default_points("nb")) == 4
    assert [str(c) for c in letter.copies.all()] == ["Per Hansen (Arbeiderpartiet)", "Åse Berg (Høyre)"]
    assert letter.contact_name == "Lise Leder"


def test_nynorsk_municipality_gets_a_nynorsk_letter(group, group_leader):
    group.municipality.written_standard = "nn"
    group.municipality.save()
    letter = services.letter_create(group=group, user=group_leader)
    assert letter.language == "nn"
    assert letter.subject.startswith("Førespurnad om jamleg dialog mellom dei lokale laga og foreiningane")
    assert letter.background.startswith("Tysdag 3. november 2026 kl. 18.30 vart det halde eit diskusjonsmøte")
    assert "Møtet sette ned ei arbeidsgruppe" in letter.background
    assert letter.points.first().text.startswith("Frivilligheita er ein eigen sektor")
    document = letter_document(letter)
    assert document.labels["greeting"] == "Med venleg helsing"
    assert document.labels["wishes"] == "Kva ønskjer vi?"


def test_neutral_municipality_gets_bokmaal(group):
    group.municipality.written_standard = "neutral"
    assert texts.language_for(group.municipality.written_standard) == "nb"


def test_switching_language_keeps_what_the_writers_changed(letter, group_leader):
    services.letter_update(
        letter=letter,
        user=group_leader,
        parts={"closing": "Vår egen avslutning."},
        points=[*texts.default_points("nb")[:2], "Et punkt vi skrev selv"],
    )
    letter = services.letter_set_language(letter=letter, user=group_leader, language="nn")
    assert letter.language == "nn"
    assert letter.subject.startswith("Førespurnad")
    assert letter.situation.startswith("Kontakten mellom frivilligheita")
    assert letter.closing == "Vår egen avslutning."
    assert [p.text for p in letter.points.all()] == [*texts.default_points("nn")[:2], "Et punkt vi skrev selv"]


def test_district_group_writes_to_the_district_leadership(group, group_leader):
    district = DistrictFactory(municipality=group.municipality, code="460101", name="Bydel Sentrum")
    group.district = district
    group.save()
    letter = services.letter_create(group=group, user=group_leader)
    assert letter.political_leader_title == "Bydelsutvalgets leder"
    assert letter.administrative_leader_title == "Bydelsdirektør"
    assert "bydelsledelsen i Bydel Sentrum" in letter.subject


def test_document_lists_ticked_challenges_and_signatories_in_order(letter, group_leader):
    letter = services.letter_update(
        letter=letter, user=group_leader, parts={"challenges": ["recruitment", "no_contact"]}
    )
    document = letter_document(letter)
    assert document.challenges == [
        "å rekruttere nye medlemmer og frivillige",
        "å få kontakt med kommunen i det hele tatt",
    ]
    assert document.is_draft
    assert document.reference == "tildeles når brevet sendes"
    assert document.addressees[:3] == ["Ordfører Marte Mjøs Persen", "Kommunedirektør Ørjan Åsheim", "Bergen kommune"]
    assert "postmottak@bergen.example.org" in document.addressees


def test_premises_is_among_the_challenges_a_letter_can_name(letter, group_leader):
    assert ("premises", "Lokaler") in [
        (value, str(label)) for value, label in LetterPartsForm.base_fields["challenges"].choices
    ]
    letter = services.letter_update(letter=letter, user=group_leader, parts={"challenges": ["premises"]})
    assert letter_document(letter).challenges == ["å finne egnede lokaler"]
