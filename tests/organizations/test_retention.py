"""Invitations that expired unaccepted and join requests declined or unanswered for a year are deleted."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from organizations import services, sweeps, tasks
from organizations.models import Invitation, Membership, MembershipRequest
from tests.accounts.factories import UserFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _days_ago(days):
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def admin_and_association(municipality):
    membership = MembershipFactory(
        association=AssociationFactory(municipality=municipality, name="Kor & Kaffe", status="verified"),
        role=Membership.Role.ADMIN,
    )
    return membership.user, membership.association


def _invitation(admin_and_association, email, *, expired_days_ago):
    admin, association = admin_and_association
    invitation = services.membership_invite(association=association, email=email, role="member", invited_by=admin)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=_days_ago(expired_days_ago))
    return invitation


def test_invitations_expired_more_than_the_period_ago_are_deleted(admin_and_association):
    old = _invitation(admin_and_association, "aase@example.org", expired_days_ago=31)
    recent = _invitation(admin_and_association, "bjorn@example.org", expired_days_ago=29)
    open_ = _invitation(admin_and_association, "carl@example.org", expired_days_ago=-10)

    assert sweeps.invitations_sweep(now=NOW) == 1

    assert set(Invitation.objects.values_list("pk", flat=True)) == {recent.pk, open_.pk}
    assert not Invitation.objects.filter(pk=old.pk).exists()


def test_accepted_invitations_stay_as_the_associations_history(admin_and_association):
    invitation = _invitation(admin_and_association, "dina@example.org", expired_days_ago=-10)
    services.invitation_accept(invitation=invitation, user=UserFactory(email="dina@example.org"))
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=_days_ago(400))

    assert sweeps.invitations_sweep(now=NOW) == 0
    assert Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=False).exists()


def test_the_invitation_sweep_twice_is_harmless_and_reads_the_setting(settings, admin_and_association):
    settings.INVITATIONS_KEEP_DAYS = 5
    _invitation(admin_and_association, "eva@example.org", expired_days_ago=6)
    kept = _invitation(admin_and_association, "finn@example.org", expired_days_ago=4)

    assert tasks.delete_expired_invitations.apply().get() == 1
    assert tasks.delete_expired_invitations.apply().get() == 0
    assert list(Invitation.objects.values_list("pk", flat=True)) == [kept.pk]


def test_an_address_whose_invitation_was_deleted_can_be_invited_again(
    admin_and_association, django_capture_on_commit_callbacks
):
    _invitation(admin_and_association, "gro@example.org", expired_days_ago=31)
    sweeps.invitations_sweep(now=NOW)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _invitation(admin_and_association, "gro@example.org", expired_days_ago=-14)
    assert [message.to for message in mail.outbox] == [["gro@example.org"]]


def _request(association, *, created_days_ago, decided_days_ago=None, accept=None, by=None):
    request = services.membership_request_create(association=association, user=UserFactory())
    if decided_days_ago is not None:
        services.membership_request_decide(membership_request=request, by=by, accept=accept)
        MembershipRequest.objects.filter(pk=request.pk).update(decided_at=_days_ago(decided_days_ago))
    MembershipRequest.objects.filter(pk=request.pk).update(created_at=_days_ago(created_days_ago))
    return request


def test_declined_and_unanswered_requests_go_after_a_year(admin_and_association):
    admin, association = admin_and_association
    declined_long_ago = _request(association, created_days_ago=400, decided_days_ago=366, accept=False, by=admin)
    declined_lately = _request(association, created_days_ago=400, decided_days_ago=300, accept=False, by=admin)
    unanswered_long = _request(association, created_days_ago=366)
    unanswered_lately = _request(association, created_days_ago=300)
    accepted_long_ago = _request(association, created_days_ago=800, decided_days_ago=700, accept=True, by=admin)

    assert sweeps.membership_requests_sweep(now=NOW) == 2

    kept = set(MembershipRequest.objects.values_list("pk", flat=True))
    assert kept == {declined_lately.pk, unanswered_lately.pk, accepted_long_ago.pk}
    assert not {declined_long_ago.pk, unanswered_long.pk} & kept
    assert association.memberships.filter(user=accepted_long_ago.user).exists()


def test_someone_whose_request_lapsed_can_ask_again(admin_and_association):
    _admin, association = admin_and_association
    lapsed = _request(association, created_days_ago=366)
    assert tasks.delete_old_membership_requests.apply().get() == 1
    assert tasks.delete_old_membership_requests.apply().get() == 0

    again = services.membership_request_create(association=association, user=lapsed.user)

    assert again.decided_at is None
    assert list(MembershipRequest.objects.all()) == [again]
