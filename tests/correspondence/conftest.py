import pytest
from django.core import mail

from correspondence import services
from organizations.models import Category, Membership
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory, PartyLeaderFactory


@pytest.fixture
def group_leader(db):
    return UserFactory(full_name="Lise Leder", email="lise@example.org")


@pytest.fixture
def group(municipality, group_leader):
    municipality.political_leader_name = "Marte Mjøs Persen"
    municipality.administrative_leader_name = "Ørjan Åsheim"
    municipality.official_email = "postmottak@bergen.example.org"
    municipality.postal_address = "Postboks 7700\n5020 Bergen"
    municipality.save()
    PartyLeaderFactory(municipality=municipality, party="Arbeiderpartiet", name="Per Hansen", email="per@example.org")
    PartyLeaderFactory(municipality=municipality, party="Høyre", name="Åse Berg", email="")
    group = WorkingGroupFactory(municipality=municipality, name="Frivillighetsgruppa i Bergen")
    group.categories.set(Category.objects.filter(slug__in=["idrett", "kunst-og-kultur"]))
    GroupMembershipFactory(group=group, user=group_leader, is_leader=True)
    return group


@pytest.fixture
def letter(group, group_leader):
    return services.letter_create(group=group, user=group_leader)


@pytest.fixture
def association_admin(municipality):
    """An admin of an approved association in the municipality, and the association."""
    membership = MembershipFactory(
        association=AssociationFactory(municipality=municipality, name="Nabolagskoret"), role=Membership.Role.ADMIN
    )
    return membership.user, membership.association


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Sent PDFs and uploaded answers are written under MEDIA_ROOT; each test gets its own.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sent(letter, group_leader, django_capture_on_commit_callbacks):
    """The letter, sent by email; the outbox emptied of what sending it wrote."""
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.letter_send(letter=letter, user=group_leader)
    mail.outbox.clear()
    return letter
