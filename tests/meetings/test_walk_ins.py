"""Walk-ins are the host municipality's verified associations."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.domain import OSLO
from meetings.models import Attendance
from organizations.models import Association
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def _started(municipality):
    start = (timezone.now() - datetime.timedelta(days=2)).astimezone(OSLO).replace(hour=18, minute=0)
    while start.weekday() >= 5:
        start -= datetime.timedelta(days=1)
    return MeetingFactory(municipality=municipality, starts_at=start, ends_at=start + datetime.timedelta(hours=1))


def test_walk_ins_from_elsewhere_or_unknown_are_refused(staff_user, municipality, other_municipality):
    meeting = _started(municipality)
    local = AssociationFactory(municipality=municipality)
    elsewhere = AssociationFactory(municipality=other_municipality)
    pending = AssociationFactory(municipality=municipality, status=Association.Status.PENDING)
    for refused in (elsewhere.pk, pending.pk, 999_999):
        with pytest.raises(ValidationError):
            services.attendance_set(
                meeting=meeting, registration_ids=[], walk_in_association_ids=[local.pk, refused], by=staff_user
            )
        assert not Attendance.objects.exists()
    services.attendance_set(meeting=meeting, registration_ids=[], walk_in_association_ids=[local.pk], by=staff_user)
    assert list(Attendance.objects.values_list("association_id", flat=True)) == [local.pk]


def test_an_unknown_walk_in_on_the_page_is_an_error_message_not_a_crash(client, staff_user, municipality):
    meeting = _started(municipality)
    client.force_login(staff_user)
    response = client.post(reverse("meetings:registrations", args=[meeting.pk]), {"walk_in": ["999999"]}, follow=True)
    assert response.status_code == 200
    assert "Bare godkjente lag i vertskommunen" in response.content.decode()
    assert not Attendance.objects.exists()
