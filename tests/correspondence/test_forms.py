import importlib

import pytest

from correspondence import forms
from correspondence.models import Letter


@pytest.fixture
def reload_forms():
    original = Letter.CONTENT_FIELDS
    yield lambda: importlib.reload(forms)
    Letter.CONTENT_FIELDS = original
    importlib.reload(forms)


def test_letter_parts_form_follows_the_models_list_of_parts(reload_forms):
    Letter.CONTENT_FIELDS = tuple(name for name in Letter.CONTENT_FIELDS if name != "closing") + ("reference",)

    fields = list(reload_forms().LetterPartsForm.base_fields)

    assert "closing" not in fields
    assert "reference" in fields
    assert "language" not in fields  # switched through its own form


def test_letter_parts_form_has_every_part_but_the_language():
    assert list(forms.LetterPartsForm.base_fields) == [n for n in Letter.CONTENT_FIELDS if n != "language"]
