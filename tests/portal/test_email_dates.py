"""Dates in emails are written when the email is rendered, in the recipient's language."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from correspondence import services as correspondence_services
from correspondence import sweeps as correspondence_sweeps
from correspondence.models import Letter
from organizations import services as organization_services
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_follow_up_reminder_dates_the_letter_in_each_members_language(
    municipality, django_capture_on_commit_callbacks
):
    group = WorkingGroupFactory(municipality=municipality)
    norwegian = UserFactory(preferred_language="nb", email="nb@example.org")
    english = UserFactory(preferred_language="en", email="en@example.org")
    GroupMembershipFactory(group=group, user=norwegian, is_leader=True)
    GroupMembershipFactory(group=group, user=english)
    letter = correspondence_services.letter_create(group=group, user=norwegian)
    letter = correspondence_services.letter_send(letter=letter, user=norwegian)
    sent = timezone.now() - datetime.timedelta(days=22)
    Letter.objects.filter(pk=letter.pk).update(sent_at=sent, sent_on=datetime.date(2026, 11, 2))

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert correspondence_sweeps.reminders_sweep() == 1
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "2. november 2026" in bodies["nb@example.org"]
    assert "2 November 2026" in bodies["en@example.org"]
    assert "2. november" not in bodies["en@example.org"]


def test_an_association_invitation_gives_its_expiry_in_the_readers_language(
    municipality, django_capture_on_commit_callbacks
):
    association = AssociationFactory(municipality=municipality)
    admin = MembershipFactory(association=association, role="admin").user
    UserFactory(email="reader@example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = organization_services.membership_invite(
            association=association, email="reader@example.org", role="member", invited_by=admin
        )
    [email] = [m for m in mail.outbox if m.to == ["reader@example.org"]]
    expires = timezone.localtime(invitation.expires_at)
    assert f"{expires.day} {expires:%B} {expires.year}" in email.body
