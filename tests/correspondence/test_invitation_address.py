"""Joining a working group by invitation needs the invited address verified on the account."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.selectors import user_owns_email
from correspondence import services
from organizations import services as organization_services
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(group, group_leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.group_invite(group=group, invited_by=group_leader, email="Ny.Deltaker@example.org")


def _user_with_unverified(address):
    user = UserFactory(email="annen@example.org")
    EmailAddress.objects.create(user=user, email=address, verified=False, primary=False)
    return user


def test_an_unverified_address_cannot_accept_a_group_invitation(client, group, invitation):
    user = _user_with_unverified("ny.deltaker@example.org")
    client.force_login(user)
    url = reverse("correspondence:invitation_accept", args=[invitation.token])
    response = client.post(url, follow=True)
    page = response.content.decode()
    assert "Adressen ny.deltaker@example.org er ikke bekreftet på kontoen din ennå" in page
    assert not group.memberships.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_verified_address_accepts_the_group_invitation(client, group, invitation):
    user = _user_with_unverified("ny.deltaker@example.org")
    EmailAddress.objects.filter(user=user, email="ny.deltaker@example.org").update(verified=True)
    client.force_login(user)
    response = client.post(reverse("correspondence:invitation_accept", args=[invitation.token]))
    assert response.status_code == 302
    assert group.memberships.filter(user=user).exists()


def test_an_address_of_nobody_on_the_account_is_refused_by_name(client, group, invitation):
    stranger = UserFactory(email="fremmed@example.org")
    client.force_login(stranger)
    response = client.post(reverse("correspondence:invitation_accept", args=[invitation.token]), follow=True)
    assert "Invitasjonen ble sendt til ny.deltaker@example.org" in response.content.decode()
    assert not group.memberships.filter(user=stranger).exists()


def test_association_invitations_ask_the_same_question(association_admin):
    admin, association = association_admin
    invitation = organization_services.membership_invite(
        association=association, email="ny.deltaker@example.org", role="member", invited_by=admin
    )
    user = _user_with_unverified("ny.deltaker@example.org")
    with pytest.raises(Exception, match="ikke bekreftet"):
        organization_services.invitation_accept(invitation=invitation, user=user)
    assert not association.memberships.filter(user=user).exists()


def test_only_verified_rows_count_as_owning_an_address():
    user = UserFactory(email="eier@example.org", verified=False)
    # The login alone proves nothing until the address is confirmed.
    assert not user_owns_email(user=user, email="eier@example.org")
    EmailAddress.objects.create(user=user, email="eier@example.org", verified=False, primary=True)
    assert not user_owns_email(user=user, email="EIER@example.org")
    EmailAddress.objects.filter(user=user).update(verified=True)
    assert user_owns_email(user=user, email=" Eier@Example.org ")
