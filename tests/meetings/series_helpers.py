"""Series that the series tests share: dates chosen from the calendar of next year, so they hold
whatever day the tests run."""

import datetime

from django.utils import timezone

from meetings import series as series_services
from meetings.domain import OSLO
from meetings.models import Meeting
from meetings.recurrence import Frequency


def december_start() -> datetime.datetime:
    """10 December next year at 18.00: weekly from here, the third and fourth dates are 24 and 31
    December, when the after-work rule refuses evening meetings."""
    return datetime.datetime(timezone.localdate().year + 1, 12, 10, 18, 0, tzinfo=OSLO)


def meeting_fields(**extra) -> dict:
    return {
        "title": "Frivillighetskafé",
        "kind": Meeting.Kind.DIALOGUE_MEETING,
        "venue_name": "Biblioteket",
        "capacity": 30,
        **extra,
    }


def december_series(municipality, *, decisions=None, **extra):
    """Weekly, four times; 24 December skipped and 31 December moved to 30 December unless told."""
    start = december_start()
    if decisions is None:
        moved = start.replace(day=30)
        decisions = {
            f"{start.year}1224": series_services.Decision(action=series_services.SKIP),
            f"{start.year}1231": series_services.Decision(
                action=series_services.MOVE, starts_at=moved, ends_at=moved + datetime.timedelta(hours=2)
            ),
        }
    return series_services.series_create(
        municipality=municipality,
        frequency=Frequency.WEEKLY,
        count=4,
        decisions=decisions,
        **meeting_fields(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **extra),
    )
