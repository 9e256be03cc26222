"""Switching a letter's målform after it was saved from the browser."""

import pytest
from django import forms
from django.urls import reverse

from correspondence import services, texts
from correspondence.forms import LetterPartsForm
from correspondence.models import Letter

pytestmark = pytest.mark.django_db

PORTAL_PARTS = ("subject", "background", "voluntary_effort", "situation", "wishes", "closing")


def browser_post(letter, **changes):
    """The editor's form as a browser submits it: every field as shown, textareas with CRLF line breaks."""
    form = LetterPartsForm(instance=letter)
    data = {}
    for name, field in form.fields.items():
        value = changes.get(name, form[name].value())
        if isinstance(field.widget, forms.Textarea):
            value = (value or "").replace("\r\n", "\n").replace("\n", "\r\n")
        data[name] = value
    points = [point.text for point in letter.points.all()]
    data.update(
        {
            "punkt-TOTAL_FORMS": str(len(points) + 1),
            "punkt-INITIAL_FORMS": str(len(points)),
            "punkt-MIN_NUM_FORMS": "0",
            "punkt-MAX_NUM_FORMS": "1000",
            "kopi-TOTAL_FORMS": "1",
            "kopi-INITIAL_FORMS": "0",
            "kopi-MIN_NUM_FORMS": "0",
            "kopi-MAX_NUM_FORMS": "1000",
        }
    )
    for index, text in enumerate(changes.get("points", points)):
        data[f"punkt-{index}-text"] = text.replace("\r\n", "\n").replace("\n", "\r\n")
        data[f"punkt-{index}-ORDER"] = str(index + 1)
    return data


def _save(client, letter, **changes):
    response = client.post(reverse("correspondence:letter_edit", args=[letter.pk]), browser_post(letter, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Letter.objects.get(pk=letter.pk)


def test_a_letter_saved_from_the_browser_switches_wholly_to_nynorsk(client, letter, group_leader):
    client.force_login(group_leader)
    assert "\n" in letter.voluntary_effort  # a default text with paragraphs, posted back with CRLF
    _save(client, letter)

    client.post(reverse("correspondence:letter_language", args=[letter.pk]), {"language": "nn"})

    letter.refresh_from_db()
    nynorsk = texts.default_parts(letter.group, "nn")
    assert letter.language == "nn"
    for name in PORTAL_PARTS:
        assert getattr(letter, name) == nynorsk[name], name
    assert [p.text for p in letter.points.all()] == texts.default_points("nn")


def test_what_the_writers_typed_stays_through_a_switch_and_back(client, letter, group_leader):
    client.force_login(group_leader)
    own_closing = "Vi ser fram til å møte dere.\r\n\r\nHilsen oss."
    own_point = "Hvordan får vi lokaler\r\ntil øving?"
    points = [*texts.default_points("nb")[:2], own_point]
    letter = _save(client, letter, closing=own_closing, points=points)

    letter = services.letter_set_language(letter=letter, user=group_leader, language="nn")
    assert letter.closing == "Vi ser fram til å møte dere.\n\nHilsen oss."
    assert letter.situation == texts.default_parts(letter.group, "nn")["situation"]
    assert [p.text for p in letter.points.all()] == [
        *texts.default_points("nn")[:2],
        "Hvordan får vi lokaler\ntil øving?",
    ]

    letter = services.letter_set_language(letter=letter, user=group_leader, language="nb")
    assert letter.closing == "Vi ser fram til å møte dere.\n\nHilsen oss."
    assert letter.situation == texts.default_parts(letter.group, "nb")["situation"]
    assert [p.text for p in letter.points.all()] == [
        *texts.default_points("nb")[:2],
        "Hvordan får vi lokaler\ntil øving?",
    ]


def test_a_part_typed_back_to_the_default_counts_as_not_edited(client, letter, group_leader):
    client.force_login(group_leader)
    letter = _save(client, letter, closing="Vår egen avslutning.")
    default_closing = texts.default_parts(letter.group, "nb")["closing"]
    letter = _save(client, letter, closing=f"  {default_closing}\r\n")

    letter = services.letter_set_language(letter=letter, user=group_leader, language="nn")
    assert letter.closing == texts.default_parts(letter.group, "nn")["closing"]


def test_default_parts_follow_the_groups_data_when_the_language_is_switched(client, letter, group_leader):
    client.force_login(group_leader)
    _save(client, letter)
    group = letter.group
    group.theme = "Møteplassar for alle"
    group.save()

    letter = services.letter_set_language(letter=letter, user=group_leader, language="nn")
    assert "Temaet for møtet var: Møteplassar for alle." in letter.background


def test_a_letter_from_before_edits_were_recorded_compares_its_texts(letter, group_leader):
    stored_with_crlf = letter.voluntary_effort.replace("\n", "\r\n")
    Letter.objects.filter(pk=letter.pk).update(
        edited_parts=None, voluntary_effort=stored_with_crlf, closing="Vår egen avslutning."
    )
    letter.points.update(default_index=None)
    letter.refresh_from_db()

    letter = services.letter_set_language(letter=letter, user=group_leader, language="nn")
    assert letter.voluntary_effort == texts.default_parts(letter.group, "nn")["voluntary_effort"]
    assert letter.closing == "Vår egen avslutning."
    assert letter.edited_parts == ["closing"]
    assert [p.text for p in letter.points.all()] == texts.default_points("nn")
