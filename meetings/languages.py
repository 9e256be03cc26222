"""A meeting's information in the languages people read: the rules and the one choice of version.

Staff write the translations themselves; the portal never translates. A reader asks for a
language by its BCP 47 code (the page's, the .ics file's and the feed's `sprak` parameter); an
association is matched on its activity languages, ISO 639 codes, against a translation language's
primary subtag ("ar" for "ar-EG"). A meeting in klart og enkelt norsk carries a plain summary; the
rule that it must is here, and Meeting.clean() calls it, so the staff form, the admin, the
services and the demo data all pass through it.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The query parameter a reader picks a language with (the meeting page, its .ics, the feed).
LANGUAGE_PARAMETER = "sprak"
PLAIN_SUMMARY_MAX_LENGTH = 1000

# A language, optionally followed by script, region and variant subtags: "ar", "uk", "pt-BR",
# "sr-Latn". Enough of BCP 47 for what the lang attribute and iCalendar's LANGUAGE need.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def validate_language_tag(value: str) -> None:
    if not LANGUAGE_TAG.match(value or ""):
        raise ValidationError(
            _("Skriv en språkkode etter BCP 47, for eksempel «ar», «uk» eller «pt-BR»."), code="language_tag"
        )


def validate_plain_summary(*, plain_language: bool, plain_summary: str) -> None:
    if plain_language and not (plain_summary or "").strip():
        raise ValidationError(
            {
                "plain_summary": _(
                    "Et møte på klart og enkelt norsk trenger en kort oppsummering: hvem møtet er for, hva som "
                    "skjer, når og hvor, hva det koster og hvordan man melder seg på."
                )
            },
            code="plain_summary_required",
        )


def translation_in(translations, code: str | None):
    """The translation (of a meeting's prefetched translations) in the language `code`, or None."""
    if not code:
        return None
    code = code.strip().lower()
    for translation in translations:
        if translation.language.code.lower() == code:
            return translation
    return None


def translations_for_association(translations, activity_language_codes) -> list:
    """The translations in a language the association runs its activities in."""
    codes = {code.lower() for code in activity_language_codes}
    return [translation for translation in translations if translation.language.primary_subtag in codes]
