"""Dates and times written out in Norwegian, independent of the server's locale."""

import datetime

MONTHS = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
]
WEEKDAYS = {
    "nb": ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
    "nn": ["måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "søndag"],
}


def format_date(value: datetime.date, language: str = "nb") -> str:
    """'23. november 2026' (the month names are the same in Bokmål and Nynorsk)."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def format_weekday_date(value: datetime.date, language: str = "nb") -> str:
    """'måndag 23. november 2026' in Nynorsk, 'mandag 23. november 2026' in Bokmål."""
    return f"{WEEKDAYS[_language(language)][value.weekday()]} {format_date(value, language)}"


def format_time(value: datetime.time) -> str:
    """'kl. 18.00': Norwegian writes hours and minutes with a full stop."""
    return f"kl. {value.hour:02d}.{value.minute:02d}"


def _language(language: str) -> str:
    return "nn" if language == "nn" else "nb"
