"""The demo data passes the after-work rule in any year."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command

from meetings.domain import OSLO
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_demo_loads_when_volunteer_day_falls_on_a_working_day():
    frozen = datetime.datetime(2028, 11, 1, 12, tzinfo=OSLO)  # 5 December 2028 is a Tuesday
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        call_command("load_demo")
    day = Meeting.objects.get(kind=Meeting.Kind.VOLUNTEER_DAY)
    assert day.starts_at.astimezone(OSLO).date() == datetime.date(2028, 12, 5)
