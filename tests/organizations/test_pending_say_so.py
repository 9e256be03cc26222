"""A pending association may not act for itself yet; its members are told so where they would try."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from organizations.models import Association
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NOT_YET = "Til kommunen har godkjent et lag, kan ingen melde det på møter, søke om stand eller skrive under på brev"


@pytest.fixture
def pending(municipality, volunteer):
    association = AssociationFactory(municipality=municipality, status=Association.Status.PENDING, name="Nytt kor")
    MembershipFactory(association=association, user=volunteer, role="admin")
    return association


def test_the_association_page_tells_its_members_what_waits_for_approval(client, pending, volunteer, staff_user):
    client.force_login(volunteer)
    page = client.get(reverse("organizations:association_detail", args=[pending.slug])).content.decode()
    assert "Til da kan dere ikke melde laget på møter, søke om stand eller skrive under på brev for det." in page
    client.force_login(staff_user)
    page = client.get(reverse("organizations:association_detail", args=[pending.slug])).content.decode()
    assert "Til da kan dere ikke melde laget" not in page


def test_the_registration_form_says_why_a_pending_association_is_not_offered(client, municipality, pending, volunteer):
    meeting = MeetingFactory(municipality=municipality)
    client.force_login(volunteer)
    response = client.get(reverse("meetings:register", args=[meeting.pk]))
    page = response.content.decode()
    assert "Dette laget venter på at kommunen godkjenner det:" in page
    assert "<li>Nytt kor</li>" in page and NOT_YET in page
    assert list(response.context["form"].fields["association"].queryset) == []


def test_the_registration_form_says_nothing_to_members_of_verified_associations_only(client, municipality, volunteer):
    MembershipFactory(association=AssociationFactory(municipality=municipality), user=volunteer, role="admin")
    meeting = MeetingFactory(municipality=municipality)
    client.force_login(volunteer)
    page = client.get(reverse("meetings:register", args=[meeting.pk])).content.decode()
    assert "venter på at kommunen godkjenner" not in page


def test_the_stand_application_says_so_too(client, municipality, pending, volunteer):
    meeting = MeetingFactory(municipality=municipality, kind=Meeting.Kind.MARKETPLACE)
    client.force_login(volunteer)
    page = client.get(reverse("meetings:exhibitor_apply", args=[meeting.pk])).content.decode()
    assert "<li>Nytt kor</li>" in page and NOT_YET in page
