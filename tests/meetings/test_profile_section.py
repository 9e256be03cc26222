import pytest
from django.urls import reverse

from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def test_association_profile_lists_the_meetings_it_takes_part_in(client, municipality):
    association = AssociationFactory(municipality=municipality, slug="koret")
    shown = MeetingFactory(municipality=municipality, title="Dialogmøte om lokaler <b>")
    RegistrationFactory(meeting=shown, association=association)
    cancelled_registration = MeetingFactory(municipality=municipality, title="Avmeldt møte")
    RegistrationFactory(meeting=cancelled_registration, association=association, status="cancelled")
    MeetingFactory(municipality=municipality, title="Møte uten laget")

    page = client.get(reverse("organizations:association_detail", args=[association.slug])).content.decode()

    assert "Møteplasser laget deltar på" in page
    assert "Dialogmøte om lokaler &lt;b&gt;" in page
    assert "Avmeldt møte" not in page
    assert "Møte uten laget" not in page
