"""Dates and times in the letter's målform, whatever language the reader's browser uses.

A letter is written in Bokmål or Nynorsk, so its dates are formatted under that language
(Django's 'nb' and 'nn' locales give the month and weekday names) in the portal's one style
(dialog_portal.dates).
"""

import datetime

from django.utils import translation

from dialog_portal import dates


def format_date(value: datetime.date, language: str = "nb") -> str:
    """'23. november 2026' (the month names are the same in Bokmål and Nynorsk)."""
    with translation.override(_language(language)):
        return dates.long_date(value)


def format_weekday_date(value: datetime.date, language: str = "nb") -> str:
    """'måndag 23. november 2026' in Nynorsk, 'mandag 23. november 2026' in Bokmål."""
    with translation.override(_language(language)):
        return dates.weekday_date(value)


def format_time(value: datetime.time, language: str = "nb") -> str:
    """'kl. 18.00': Norwegian writes hours and minutes with a full stop."""
    with translation.override(_language(language)):
        return dates.clock_time(value)


def _language(language: str) -> str:
    return "nn" if language == "nn" else "nb"
