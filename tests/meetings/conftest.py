import pytest

from tests.organizations.factories import AssociationFactory, MembershipFactory


@pytest.fixture
def send_on_commit(django_capture_on_commit_callbacks):
    """Run the after-commit hand-over of emails, as a real commit would."""

    def run(callable_, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return callable_(*args, **kwargs)

    return run


@pytest.fixture
def association(municipality, volunteer):
    association = AssociationFactory(municipality=municipality, name="Nabolagskoret")
    MembershipFactory(association=association, user=volunteer, role="admin")
    return association
