"""Memberships: invitations, roles, leaving, requests to join, and the last-admin rule."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutgoingEmail
from organizations import services
from organizations.models import Invitation, Membership, MembershipRequest
from tests.accounts.factories import UserFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def association(municipality):
    return AssociationFactory(municipality=municipality, name="Bydelskoret")


@pytest.fixture
def admin(association):
    return MembershipFactory(association=association, role=Membership.Role.ADMIN).user


def test_invitation_by_email_is_accepted_after_sign_in(client, association, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)
    members_url = reverse("organizations:association_members", args=[association.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(members_url, {"email": "Ny.Person@example.org", "role": "admin"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "ny.person@example.org" and invitation.invited_by == admin

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.person@example.org"]
    assert "Bydelskoret" in message.subject
    link = re.search(r"https?://\S+/foreninger/invitasjon/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    client.logout()
    response = client.get("/" + path)
    assert response.status_code == 302 and "/konto/login/" in response.url

    invitee = UserFactory(email="ny.person@example.org")
    client.force_login(invitee)
    assert "Godta invitasjonen" in client.get("/" + path).content.decode()
    response = client.post("/" + path)
    assert response.status_code == 302
    assert association.memberships.get(user=invitee).role == Membership.Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    assert client.post("/" + path).status_code == 200  # used once only
    assert association.memberships.filter(user=invitee).count() == 1


def test_invitation_for_another_address_is_refused(client, association, admin):
    invitation = services.membership_invite(
        association=association, email="a@example.org", role="member", invited_by=admin
    )
    stranger = UserFactory(email="b@example.org")
    client.force_login(stranger)
    response = client.post(reverse("organizations:invitation_accept", args=[invitation.token]))
    assert "Invitasjonen ble sendt til a@example.org" in response.content.decode()
    assert not association.memberships.filter(user=stranger).exists()


def test_expired_invitation_is_refused(association, admin):
    invitation = services.membership_invite(
        association=association, email="a@example.org", role="member", invited_by=admin
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="utløpt"):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="a@example.org"))


def test_inviting_again_renews_and_members_cannot_be_invited(association, admin):
    first = services.membership_invite(association=association, email="a@example.org", role="member", invited_by=admin)
    second = services.membership_invite(association=association, email="A@example.org", role="admin", invited_by=admin)
    assert first.pk == second.pk and second.role == "admin"
    with pytest.raises(ValidationError):
        services.membership_invite(association=association, email=admin.email, role="member", invited_by=admin)


def test_the_last_admin_cannot_be_demoted_removed_or_leave(client, association, admin):
    membership = association.memberships.get(user=admin)
    client.force_login(admin)
    role_url = reverse("organizations:membership_role", args=[association.slug, membership.pk])
    response = client.post(role_url, {"role": "member"}, follow=True)
    assert "minst én administrator" in response.content.decode()
    remove_url = reverse("organizations:membership_remove", args=[association.slug, membership.pk])
    client.post(remove_url)
    client.post(reverse("organizations:membership_leave", args=[association.slug]))
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN

    # The model says the same to anyone who edits the row directly.
    membership.role = Membership.Role.MEMBER
    with pytest.raises(ValidationError):
        membership.full_clean()

    second = MembershipFactory(association=association, role=Membership.Role.ADMIN)
    client.post(role_url, {"role": "member"})
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER
    client.force_login(second.user)
    client.post(reverse("organizations:membership_remove", args=[association.slug, membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_member_leaves(client, association, admin):
    member = MembershipFactory(association=association).user
    client.force_login(member)
    response = client.post(reverse("organizations:membership_leave", args=[association.slug]))
    assert response.status_code == 302
    assert not association.memberships.filter(user=member).exists()


def test_request_to_join_emails_admins_and_is_decided(
    client, association, admin, volunteer, django_capture_on_commit_callbacks
):
    client.force_login(volunteer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organizations:membership_request", args=[association.slug]))
        client.post(reverse("organizations:membership_request", args=[association.slug]))
    assert MembershipRequest.objects.count() == 1
    assert [m.to for m in mail.outbox] == [[admin.email]]
    assert volunteer.full_name in mail.outbox[0].body

    client.force_login(admin)
    page = client.get(reverse("organizations:association_members", args=[association.slug])).content.decode()
    assert volunteer.email in page
    request = MembershipRequest.objects.get()
    client.post(
        reverse("organizations:membership_request_decide", args=[association.slug, request.pk]), {"decision": "accept"}
    )
    assert association.memberships.get(user=volunteer).role == Membership.Role.MEMBER


def test_claiming_an_imported_association(client, municipality, volunteer):
    imported = AssociationFactory(municipality=municipality, status="pending", source="brreg")
    client.force_login(volunteer)
    # Unclaimed and pending: not visible to a volunteer, so the claim goes through the registration path.
    assert (
        client.post(
            reverse("organizations:association_claim", args=[imported.slug]), {"reason": "Jeg er leder."}
        ).status_code
        == 302
    )
    assert imported.memberships.get().user == volunteer
    other = UserFactory()
    client.force_login(other)
    assert (
        client.post(
            reverse("organizations:association_claim", args=[imported.slug]), {"reason": "Jeg er leder."}
        ).status_code
        == 403
    )


def test_emails_are_recorded_once_per_decision(association, admin, staff_user, django_capture_on_commit_callbacks):
    association.status = "pending"
    association.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.association_reject(association=association, by=staff_user, reason="Mangler beskrivelse.")
    with django_capture_on_commit_callbacks(execute=True):
        services.association_verify(association=association, by=staff_user)
    kinds = list(OutgoingEmail.objects.order_by("pk").values_list("kind", "recipient_email"))
    assert kinds == [
        ("organizations.association_rejected", admin.email),
        ("organizations.association_verified", admin.email),
    ]
    assert "Mangler beskrivelse." in mail.outbox[0].body


def test_personal_data_lists_requests_and_invitations(client, association, admin, volunteer):
    services.membership_request_create(association=association, user=volunteer)
    services.membership_invite(association=association, email=volunteer.email, role="member", invited_by=admin)
    client.force_login(volunteer)
    data = client.get(reverse("accounts:personal_data")).json()["organizations"]
    assert data["membership_requests"][0]["association"] == "Bydelskoret"
    assert data["invitations_received"][0]["role"] == "member"
