"""An association proposes a meeting to its municipality, staff accept it, and it is published
with the association as co-host; every page of the way passes axe (WCAG 2.1 AA)."""

import pytest
from django.core import mail

from meetings.models import Meeting, MeetingProposal
from tests.accounts.factories import UserFactory
from tests.e2e.conftest import axe_violations, describe
from tests.e2e.test_meetings_browser import log_in
from tests.meetings.factories import next_weekday_evening
from tests.organizations.factories import (
    AssociationFactory,
    MembershipFactory,
    MunicipalityFactory,
    MunicipalStaffFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_an_association_proposes_a_meeting_and_staff_accept_it(page):
    bergen = MunicipalityFactory(number="4601", name="Bergen")
    staff = MunicipalStaffFactory(municipality=bergen).user
    admin = UserFactory(full_name="Stine Styreleder")
    choir = AssociationFactory(municipality=bergen, name="Nabolagskoret", slug="nabolagskoret")
    MembershipFactory(association=choir, user=admin, role="admin")

    log_in(page, admin)
    page.goto("/foreninger/nabolagskoret/")
    page.get_by_role("link", name="Foreslå et møte for kommunen").click()
    assert_accessible(page)
    afternoon = next_weekday_evening(hour=15)
    page.get_by_label("Tittel").fill("Syngende kveld om lokaler")
    page.get_by_label("Starter").fill(afternoon.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill(afternoon.replace(hour=17).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted", exact=True).fill("Kulturhuset")
    page.get_by_label("Program").fill("18.00 Velkommen\n18.15 Lokaler i dag")
    page.get_by_role("button", name="Send forslaget").click()
    page.get_by_text("Møter på hverdager må starte etter arbeidstid, tidligst kl. 17.00").first.wait_for()
    assert_accessible(page)
    assert not MeetingProposal.objects.exists()

    page.get_by_label("Starter").fill(afternoon.replace(hour=18).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill(afternoon.replace(hour=20).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Send forslaget").click()
    page.get_by_text("Forslaget er sendt til Bergen kommune").wait_for()
    assert page.get_by_text("Venter på svar").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Logg ut").click()
    log_in(page, staff)
    page.goto("/moter/")
    page.get_by_role("link", name="Planlegg møter i Bergen").click()
    page.get_by_role("link", name="Syngende kveld om lokaler").click()
    assert_accessible(page)
    page.get_by_role("button", name="Godta og publiser").click()
    page.get_by_text("Forslaget er godtatt.").wait_for()
    assert page.get_by_text("Møtet ble foreslått av Nabolagskoret.").is_visible()
    assert_accessible(page)

    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert list(meeting.co_hosts.all()) == [choir]
    assert [item.title for item in meeting.agenda.all()] == ["Velkommen", "Lokaler i dag"]
    assert any(message.subject.startswith("Forslaget er godtatt") for message in mail.outbox)
