"""Working-group invitations expire as association invitations do, and expired ones are deleted in time."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from correspondence import services, sweeps, tasks
from correspondence.models import GroupInvitation
from organizations.models import INVITATION_VALIDITY
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def invite(group, group_leader, django_capture_on_commit_callbacks):
    def invite(email):
        with django_capture_on_commit_callbacks(execute=True):
            return services.group_invite(group=group, invited_by=group_leader, email=email)

    return invite


def _expired(invitation, days_ago):
    GroupInvitation.objects.filter(pk=invitation.pk).update(expires_at=NOW - datetime.timedelta(days=days_ago))
    invitation.refresh_from_db()
    return invitation


def test_a_group_invitation_is_valid_as_long_as_an_association_invitation(invite):
    before = timezone.now()
    invitation = invite("aase@example.org")
    assert before + INVITATION_VALIDITY <= invitation.expires_at <= timezone.now() + INVITATION_VALIDITY


def test_inviting_again_renews_the_validity(invite):
    invitation = _expired(invite("aase@example.org"), days_ago=3)
    renewed = invite("aase@example.org")
    assert renewed.pk == invitation.pk
    assert renewed.expires_at > timezone.now() + INVITATION_VALIDITY - datetime.timedelta(minutes=1)


def test_an_expired_invitation_cannot_be_accepted(client, group, invite):
    invitation = _expired(invite("aase@example.org"), days_ago=1)
    user = UserFactory(email="aase@example.org")
    client.force_login(user)
    url = reverse("correspondence:invitation_accept", args=[invitation.token])

    assert "Invitasjonen er utløpt. Be arbeidsgruppen om en ny." in client.get(url).content.decode()
    response = client.post(url, follow=True)

    assert "Invitasjonen er utløpt. Be arbeidsgruppen om en ny." in response.content.decode()
    assert not group.memberships.filter(user=user).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_group_page_shows_an_expired_invitation_as_expired(client, group, group_leader, invite):
    _expired(invite("aase@example.org"), days_ago=1)
    client.force_login(group_leader)
    page = client.get(reverse("correspondence:group_detail", args=[group.pk])).content.decode()
    assert "aase@example.org – utløpt" in page


def test_invitations_expired_more_than_the_period_ago_are_deleted(invite):
    old = _expired(invite("aase@example.org"), days_ago=31)
    recent = _expired(invite("bjorn@example.org"), days_ago=29)
    open_ = invite("carl@example.org")

    assert sweeps.group_invitations_sweep(now=NOW) == 1

    assert set(GroupInvitation.objects.values_list("pk", flat=True)) == {recent.pk, open_.pk}
    assert not GroupInvitation.objects.filter(pk=old.pk).exists()


def test_accepted_invitations_stay_with_the_group(group, invite):
    invitation = invite("dina@example.org")
    services.invitation_accept(invitation=invitation, user=UserFactory(email="dina@example.org"))
    _expired(invitation, days_ago=400)

    assert tasks.delete_expired_invitations.apply().get() == 0
    assert GroupInvitation.objects.filter(pk=invitation.pk, accepted_at__isnull=False).exists()


def test_the_sweep_twice_is_harmless_and_reads_the_setting(settings, invite):
    settings.INVITATIONS_KEEP_DAYS = 5
    _expired(invite("eva@example.org"), days_ago=6)
    kept = _expired(invite("finn@example.org"), days_ago=4)

    assert tasks.delete_expired_invitations.apply().get() == 1
    assert tasks.delete_expired_invitations.apply().get() == 0
    assert list(GroupInvitation.objects.values_list("pk", flat=True)) == [kept.pk]


def test_invitations_sent_before_they_expired_count_from_when_they_were_sent(invite):
    invitation = invite("gro@example.org")
    sent = NOW - datetime.timedelta(days=20)
    GroupInvitation.objects.filter(pk=invitation.pk).update(created_at=sent, expires_at=NOW)
    migration = importlib.import_module("correspondence.migrations.0006_group_invitations_expire")

    migration.expire_from_sending(apps, None)

    invitation.refresh_from_db()
    assert invitation.expires_at == sent + INVITATION_VALIDITY
    assert invitation.is_expired
