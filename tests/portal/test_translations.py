import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]
# Bokmål is the source language; these are translated from it.
LANGUAGES = ["en", "nn"]
NAMES = {"en": "English", "nn": "Nynorsk"}


def catalogue(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


# What `make messages` leaves out of the extraction, and what has no texts to extract.
IGNORED = [".venv", "node_modules", "tests"]
NOT_SOURCE = {*IGNORED, ".git", "var", "static", "staticfiles", "__pycache__", ".ruff_cache", ".pytest_cache"}
EXTRACTED_FROM = (".py", ".html", ".txt")


def source_and_catalogue(directory, names):
    """For copytree: leave out all but the files makemessages reads and the catalogue itself."""
    return [
        name
        for name in names
        if name in NOT_SOURCE or (Path(directory, name).is_file() and not name.endswith((*EXTRACTED_FROM, ".po")))
    ]


def require_gettext():
    for program in ("xgettext", "msgmerge", "msgattrib", "msgfmt"):
        if shutil.which(program) is None:
            pytest.fail(f"GNU gettext ({program}) is needed for the translations: apt-get install gettext")


def statistics(catalogue: Path) -> str:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated message" in result.stderr
    return result.stderr


def entries_lacking_translation(catalogue: Path) -> str:
    """The untranslated and fuzzy entries of the catalogue, with where they come from."""
    blocks = []
    for selection in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", selection, "--no-obsolete", "--no-wrap", str(catalogue)],
            capture_output=True,
            text=True,
            check=True,
        )
        blocks += [
            block for block in result.stdout.split("\n\n") if block.strip() and '\nmsgid ""\nmsgstr' not in f"\n{block}"
        ]
    return "\n\n".join(blocks)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_has_no_untranslated_or_fuzzy_entries(language):
    require_gettext()
    result = statistics(catalogue(ROOT, language))
    assert "untranslated" not in result, entries_lacking_translation(catalogue(ROOT, language))
    assert "fuzzy" not in result, entries_lacking_translation(catalogue(ROOT, language))


def test_every_norwegian_text_in_the_source_has_an_english_and_a_nynorsk_translation(tmp_path, monkeypatch):
    """Extract the texts afresh, as `make messages` does, into a copy of the catalogue.

    A text added or changed in the code or a template after the catalogue was last refreshed shows
    up in the copy as untranslated (or as a fuzzy guess), while the committed catalogue itself
    still looks complete.
    """
    require_gettext()
    # makemessages writes to any folder named "locale" above the files it reads, so it runs in a
    # copy of the source with its own copy of the catalogue, and the repository is left alone.
    copy = tmp_path / "source"
    shutil.copytree(ROOT, copy, ignore=source_and_catalogue)
    copied_at = {language: catalogue(copy, language).stat().st_mtime_ns for language in LANGUAGES}
    committed = {language: catalogue(ROOT, language).read_bytes() for language in LANGUAGES}
    monkeypatch.chdir(copy)

    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=LANGUAGES, ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)

    problems = []
    for language in LANGUAGES:
        extracted = catalogue(copy, language)
        assert catalogue(ROOT, language).read_bytes() == committed[language]
        assert extracted.stat().st_mtime_ns != copied_at[language], f"makemessages did not write the copy of {language}"
        result = statistics(extracted)
        if "untranslated" in result or "fuzzy" in result:
            problems.append(
                f"These texts have no {NAMES[language]} translation in locale/{language}/LC_MESSAGES/django.po; "
                f"run `make messages` and translate them:\n\n{entries_lacking_translation(extracted)}"
            )
    assert not problems, "\n\n".join(problems)
