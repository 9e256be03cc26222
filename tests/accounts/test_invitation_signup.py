"""An invitation survives signing up: link → sign up → confirm the address → log in → the invitation.

Every step goes through allauth's real views, and the links are taken from the emails people get.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from correspondence import services as correspondence_services
from organizations import services as organization_services
from organizations.models import Membership
from tests.accounts.factories import PASSWORD, UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Sterkt-passord-2026"


def _link(message, path_start):
    """The portal path of the first link in the email that starts with path_start."""
    return re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S+)", message.body).group(1)


def _last_mail_to(email):
    return [message for message in mail.outbox if message.to == [email]][-1]


@pytest.fixture
def association_invitation(municipality, django_capture_on_commit_callbacks):
    association = AssociationFactory(municipality=municipality, name="Skogly sjakklubb", status="verified")
    admin = MembershipFactory(association=association, role=Membership.Role.ADMIN, user__full_name="Kari Nordmann")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = organization_services.membership_invite(
            association=association, email="nora@example.org", role=Membership.Role.MEMBER, invited_by=admin.user
        )
    return invitation


@pytest.fixture
def group_invitation(municipality, django_capture_on_commit_callbacks):
    group = WorkingGroupFactory(municipality=municipality, name="Frivillighetsgruppa")
    leader = GroupMembershipFactory(group=group, is_leader=True, user__full_name="Per Leder").user
    with django_capture_on_commit_callbacks(execute=True):
        invitation = correspondence_services.group_invite(group=group, invited_by=leader, email="nora@example.org")
    return invitation


def _sign_up_and_confirm(client, django_capture_on_commit_callbacks, *, email="nora@example.org"):
    """Sign up from the login page's link, then confirm the address from the email."""
    login_page = client.get(reverse("account_login"))
    signup_url = re.search(r'href="(/konto/signup/[^"]*)"', login_page.content.decode()).group(1).replace("&amp;", "&")
    signup_page = client.get(signup_url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup_url,
            {"full_name": "Nora Ny", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    sent_page = client.get(response.url)
    confirm = _link(_last_mail_to(email), "/konto/confirm-email/")
    assert client.get(confirm).status_code == 200
    confirmed = client.post(confirm)
    assert confirmed.status_code == 302
    return signup_page, sent_page, confirmed


def _log_in(client, email="nora@example.org", password=NEW_PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_association_invitation_survives_sign_up_and_is_shown_after_the_first_login(
    client, association_invitation, django_capture_on_commit_callbacks
):
    invitation_path = _link(_last_mail_to("nora@example.org"), "/foreninger/invitasjon/")

    # Signed out, the link leads to the login page, which says who invited them to what.
    response = client.get(invitation_path)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    login_page = client.get(response.url).content.decode()
    assert "Kari Nordmann har invitert deg til å bli med i «Skogly sjakklubb»." in login_page

    signup_page, sent_page, confirmed = _sign_up_and_confirm(client, django_capture_on_commit_callbacks)
    assert "Kari Nordmann har invitert deg til å bli med i «Skogly sjakklubb»." in signup_page.content.decode()
    assert "Skogly sjakklubb" in sent_page.content.decode()
    assert confirmed.url == reverse("account_login")

    # The first login goes to the invitation, not the home page.
    response = _log_in(client)
    assert response.status_code == 302
    assert response.url == invitation_path
    page = client.get(response.url).content.decode()
    assert "Invitasjon til Skogly sjakklubb" in page

    response = client.post(invitation_path)
    assert response.url == reverse("organizations:association_detail", args=[association_invitation.association.slug])
    assert association_invitation.association.memberships.filter(user__email="nora@example.org").exists()

    # Accepted, the invitation is no longer waiting: the next login goes home.
    client.logout()
    assert _log_in(client).url == reverse("home")


def test_group_invitation_survives_sign_up_and_is_shown_after_the_first_login(
    client, group_invitation, django_capture_on_commit_callbacks
):
    invitation_path = _link(_last_mail_to("nora@example.org"), "/henvendelser/invitasjon/")
    response = client.get(invitation_path)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    login_page = client.get(response.url).content.decode()
    assert "Per Leder har invitert deg til arbeidsgruppen «Frivillighetsgruppa»." in login_page

    _sign_up_and_confirm(client, django_capture_on_commit_callbacks)
    response = _log_in(client)
    assert response.url == invitation_path
    client.post(invitation_path)
    assert group_invitation.group.memberships.filter(user__email="nora@example.org").exists()


def test_an_invitation_is_found_by_the_confirmed_address_in_another_browser(
    client, association_invitation, group_invitation, django_capture_on_commit_callbacks
):
    # The link was opened in one browser; this one never saw it. Confirming the invited address
    # here is enough for the invitations to be shown, one after the other.
    _signup_page, _sent, confirmed = _sign_up_and_confirm(client, django_capture_on_commit_callbacks)
    login_page = client.get(confirmed.url).content.decode()
    assert "Kari Nordmann har invitert deg til å bli med i «Skogly sjakklubb»." in login_page
    assert "Per Leder har invitert deg til arbeidsgruppen «Frivillighetsgruppa»." in login_page

    first = reverse("organizations:invitation_accept", args=[association_invitation.token])
    second = reverse("correspondence:invitation_accept", args=[group_invitation.token])
    assert _log_in(client).url == first
    assert client.post(first).url == second
    assert client.post(second).url == reverse("correspondence:group_detail", args=[group_invitation.group_id])
    assert association_invitation.association.memberships.filter(user__email="nora@example.org").exists()
    assert group_invitation.group.memberships.filter(user__email="nora@example.org").exists()


def test_someone_else_signing_up_after_the_link_is_shown_it_but_cannot_accept_it(
    client, association_invitation, django_capture_on_commit_callbacks
):
    invitation_path = reverse("organizations:invitation_accept", args=[association_invitation.token])
    client.get(invitation_path)
    _sign_up_and_confirm(client, django_capture_on_commit_callbacks, email="noen.andre@example.org")
    assert _log_in(client, email="noen.andre@example.org").url == invitation_path
    page = client.post(invitation_path, follow=True).content.decode()
    assert "Invitasjonen ble sendt til nora@example.org. Logg inn med den adressen for å godta den." in page
    assert not association_invitation.association.memberships.filter(user__email="noen.andre@example.org").exists()


def test_an_unconfirmed_address_does_not_bring_invitations_along(client, association_invitation):
    # Typing an address at sign-up proves nothing; only confirming it from the inbox does.
    UserFactory(email="nora@example.org", verified=False)
    response = client.post(reverse("account_login"), {"login": "nora@example.org", "password": PASSWORD})
    assert response.url == reverse("account_email_verification_sent")
    assert "Skogly sjakklubb" not in client.get(response.url).content.decode()


def test_logging_in_without_invitations_goes_home(client):
    UserFactory(email="ola@example.org")
    assert _log_in(client, email="ola@example.org", password=PASSWORD).url == reverse("home")
