"""Deleting an account leaves nothing of the person behind; the download shows every place they are."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse

from accounts.models import User
from accounts.services import user_delete
from correspondence import services as correspondence_services
from correspondence.models import GroupInvitation, Letter, Signature
from meetings import emails as meeting_emails
from meetings import services as meeting_services
from meetings.models import Attendance, Exhibitor, Meeting
from notifications.models import OutgoingEmail
from organizations import services as organization_services
from organizations.models import Association, Invitation, Membership
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.meetings.factories import MeetingFactory
from tests.organizations.factories import AssociationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

NAME = "Åse O'Brien-Løvlie"
LOGIN = "aase.obrien@example.org"
SECOND = "aase.privat@example.org"
PHONE = "+47 912 34 567"
TERMS = [NAME, LOGIN, SECOND, PHONE]

SEARCHED_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def _leftovers(terms=TERMS) -> set[tuple[str, str, str]]:
    """Every (table, column, term) where a term is found in a text, address or JSON column of any model."""
    found = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            kind = field.output_field if isinstance(field, models.GeneratedField) else field
            if not isinstance(kind, SEARCHED_FIELDS):
                continue
            rows = model._base_manager.annotate(searched_text=Cast(field.name, models.TextField()))
            for term in terms:
                # JSON on SQLite keeps non-ASCII letters escaped; PostgreSQL keeps them as written.
                for form in {term, json.dumps(term)[1:-1]}:
                    if rows.filter(searched_text__icontains=form).exists():
                        found.add((model._meta.label, field.name, term))
    return found


def _outbox_mentions(terms=TERMS) -> list[tuple[int, str]]:
    mentions = []
    for email in OutgoingEmail.objects.all():
        text = json.dumps([email.context, email.reply_to, email.cc, email.recipient_email], ensure_ascii=False).lower()
        mentions.extend((email.pk, term) for term in terms if term.lower() in text)
    return mentions


@pytest.fixture
def everywhere(municipality, settings, tmp_path, django_capture_on_commit_callbacks):
    """One person with data in every app, and the others around them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    municipality.official_email = "postmottak@bergen.example.org"
    municipality.save()
    person = UserFactory(email=LOGIN, full_name=NAME, phone=PHONE)
    EmailAddress.objects.create(user=person, email=SECOND, verified=True, primary=False)
    co_admin = UserFactory(full_name="Kari Medadmin")
    leader = UserFactory(full_name="Lise Leder")

    # Organizations: admin and contact person (by name, second address and phone) of one association
    # with another admin; contact person (by address) of an imported one with no members; a member
    # who joined by invitation; a request to join; an open invitation to their second address.
    shared = AssociationFactory(
        municipality=municipality, name="Bygdelaget", contact_name=NAME, contact_email=SECOND, contact_phone=PHONE
    )
    MembershipFactory(association=shared, user=person, role=Membership.Role.ADMIN)
    MembershipFactory(association=shared, user=co_admin, role=Membership.Role.ADMIN)
    imported = AssociationFactory(
        municipality=municipality,
        name="Importerte idrettslag",
        source=Association.Source.BRREG,
        contact_name=NAME.upper(),
        contact_email=LOGIN.upper(),
    )
    choir = AssociationFactory(municipality=municipality, name="Koret", contact_name="Kari Kontakt")
    choir_admin = MembershipFactory(association=choir, role=Membership.Role.ADMIN).user
    club = AssociationFactory(municipality=municipality, name="Sjakklubben", contact_name="Per Sjakk")
    club_admin = MembershipFactory(association=club, role=Membership.Role.ADMIN).user

    with django_capture_on_commit_callbacks(execute=True):
        accepted = organization_services.membership_invite(
            association=choir, email=LOGIN, role="member", invited_by=choir_admin
        )
        organization_services.invitation_accept(invitation=accepted, user=person)
        organization_services.membership_invite(association=club, email=SECOND, role="admin", invited_by=club_admin)
        organization_services.membership_request_create(association=club, user=person)

        # Meetings: a registration with stated needs, attendance marked, a stand application.
        meeting = MeetingFactory(municipality=municipality, title="Dialogmøte om idrett")
        registration = meeting_services.registration_create(
            meeting=meeting, user=person, association=shared, accessibility_needs=f"Rullestol ({NAME})"
        )
        meeting_emails.registration_received(registration=registration)
        Attendance.objects.create(meeting=meeting, registration=registration, marked_by=co_admin)
        market = MeetingFactory(municipality=municipality, title="Markedsplassen", kind=Meeting.Kind.MARKETPLACE)
        meeting_services.exhibitor_apply(
            meeting=market, association=shared, user=person, description="Kakebord", needs=f"Strøm, spør {PHONE}"
        )

        # Correspondence: a member of a working group; the letter they created names them as contact,
        # they co-sign it for their association, the leader sends it; they invite a friend; the leader
        # invites their second address to another group.
        group = WorkingGroupFactory(municipality=municipality, name="Frivillighetsgruppa")
        GroupMembershipFactory(group=group, user=leader, is_leader=True)
        GroupMembershipFactory(group=group, user=person)
        group.associations.add(shared)
        letter = correspondence_services.letter_create(group=group, user=person)
        letter = correspondence_services.letter_open_for_signatures(letter=letter, user=person)
        correspondence_services.letter_sign(letter=letter, association=shared, user=person)
        letter = correspondence_services.letter_send(letter=letter, user=leader)
        correspondence_services.group_invite(group=group, invited_by=person, email="venn@example.org")
        other_group = WorkingGroupFactory(municipality=municipality, name="Kulturgruppa")
        GroupMembershipFactory(group=other_group, user=leader, is_leader=True)
        correspondence_services.group_invite(group=other_group, invited_by=leader, email=SECOND)
        # The only member, and so the leader, of a group whose letter went out with their reply-to address.
        solo_group = WorkingGroupFactory(municipality=municipality, name="Enegruppa")
        GroupMembershipFactory(group=solo_group, user=person, is_leader=True)
        solo_letter = correspondence_services.letter_create(group=solo_group, user=person)
        solo_letter = correspondence_services.letter_send(letter=solo_letter, user=person)

    return {
        "person": person,
        "co_admin": co_admin,
        "shared": shared,
        "imported": imported,
        "letter": letter,
        "solo_letter": solo_letter,
        "market": market,
    }


def test_deleting_the_account_leaves_no_trace_of_the_person(everywhere, django_capture_on_commit_callbacks):
    person = everywhere["person"]
    before = {(table, column) for table, column, _term in _leftovers()}
    # The search finds the person in every app before the deletion, so finding nothing after means something.
    for place in [
        ("accounts.User", "full_name"),
        ("account.EmailAddress", "email"),
        ("organizations.Association", "contact_name"),
        ("organizations.Association", "contact_email"),
        ("organizations.Association", "contact_phone"),
        ("organizations.Invitation", "email"),
        ("meetings.Registration", "accessibility_needs"),
        ("correspondence.Letter", "contact_name"),
        ("correspondence.GroupInvitation", "email"),
        ("notifications.OutgoingEmail", "recipient_email"),
        ("notifications.OutgoingEmail", "context"),
        ("notifications.OutgoingEmail", "reply_to"),
    ]:
        assert place in before, place
    assert OutgoingEmail.objects.filter(kind="correspondence.invitation", recipient_email="venn@example.org").exists()

    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=person)

    assert not User.objects.filter(pk=person.pk).exists()
    assert _leftovers() == set()
    assert _outbox_mentions() == []

    # The records that belong to others stay, without the person.
    letter = Letter.objects.get(pk=everywhere["letter"].pk)
    assert letter.status == Letter.Status.SENT and letter.contact_name == "" and letter.created_by is None
    signature = Signature.objects.get(letter=letter)
    assert signature.association == everywhere["shared"] and signature.signed_by is None
    assert Exhibitor.objects.get(meeting=everywhere["market"]).applied_by is None
    assert not Invitation.objects.exists() and not GroupInvitation.objects.filter(email__icontains="aase").exists()
    friend = OutgoingEmail.objects.get(kind="correspondence.invitation", recipient_email="venn@example.org")
    assert friend.context["invited_by"] == "" and friend.context["group_name"] == "Frivillighetsgruppa"
    to_authority = OutgoingEmail.objects.get(kind="correspondence.letter", object_id=str(letter.pk))
    # The letter gave the person's address for replies; it leaves the record of the email too.
    assert to_authority.reply_to == []
    solo = OutgoingEmail.objects.get(kind="correspondence.letter", object_id=str(everywhere["solo_letter"].pk))
    assert solo.reply_to == [] and solo.context["contact_name"] == "" and solo.state == OutgoingEmail.State.SENT
    request = OutgoingEmail.objects.get(kind="organizations.membership_request")
    assert request.context["person"] == "[slettet] ([slettet])"

    # The association that lost its contact person tells its remaining admin; the one with no
    # members has nobody to tell.
    shared = Association.objects.get(pk=everywhere["shared"].pk)
    assert (shared.contact_name, shared.contact_email, shared.contact_phone) == ("", "", "")
    told = OutgoingEmail.objects.filter(kind="organizations.contact_person_removed")
    assert [(email.recipient_user, email.object_id) for email in told] == [(everywhere["co_admin"], str(shared.pk))]
    assert told.get().state == OutgoingEmail.State.SENT
    imported = Association.objects.get(pk=everywhere["imported"].pk)
    assert (imported.contact_name, imported.contact_email) == ("", "")


def test_the_new_contact_email_names_the_association_not_the_person(everywhere, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=everywhere["person"])
    [message] = [m for m in mail.outbox if "Bygdelaget" in m.subject]
    assert message.to == [everywhere["co_admin"].email]
    assert "mangler kontaktperson" in message.subject
    assert "Kontaktpersonen for «Bygdelaget» har slettet kontoen sin" in message.body
    assert reverse("organizations:association_edit", args=[everywhere["shared"].slug]) in message.body
    assert NAME not in message.body and SECOND not in message.body


def test_a_namesake_outside_the_persons_associations_keeps_their_contact_role(municipality):
    person = UserFactory(full_name="Ola Nordmann")
    namesake = AssociationFactory(municipality=municipality, contact_name="Ola Nordmann", contact_email="ola@annen.no")
    user_delete(user=person)
    namesake.refresh_from_db()
    assert (namesake.contact_name, namesake.contact_email) == ("Ola Nordmann", "ola@annen.no")


def test_an_unverified_address_on_the_account_erases_nothing_of_its_owner(municipality):
    person = UserFactory()
    EmailAddress.objects.create(user=person, email="sjef@example.org", verified=False)
    other = AssociationFactory(municipality=municipality, contact_name="Sjefen", contact_email="sjef@example.org")
    user_delete(user=person)
    other.refresh_from_db()
    assert other.contact_email == "sjef@example.org"


def test_the_download_shows_every_place_the_person_is(client, everywhere):
    client.force_login(everywhere["person"])
    data = json.loads(client.get(reverse("accounts:personal_data")).content)

    organizations = data["organizations"]
    assert {a["association"] for a in organizations["contact_person_for"]} == {"Bygdelaget", "Importerte idrettslag"}
    assert {m["association"] for m in organizations["memberships"]} == {"Bygdelaget", "Koret"}
    assert [r["association"] for r in organizations["membership_requests"]] == ["Sjakklubben"]
    assert {(i["association"], i["accepted"] is not None) for i in organizations["invitations_received"]} == {
        ("Koret", True),
        ("Sjakklubben", False),
    }

    meetings = data["meetings"]
    assert [r["meeting"] for r in meetings["registrations"]] == ["Dialogmøte om idrett"]
    assert [(e["meeting"], e["association"]) for e in meetings["exhibitor_applications"]] == [
        ("Markedsplassen", "Bygdelaget")
    ]

    correspondence = data["correspondence"]
    subject = everywhere["letter"].subject
    solo_subject = everywhere["solo_letter"].subject
    assert [letter["subject"] for letter in correspondence["letters_created"]] == [subject, solo_subject]
    assert [(c["group"], c["contact_name"]) for c in correspondence["letters_with_you_as_contact"]] == [
        ("Frivillighetsgruppa", NAME),
        ("Enegruppa", NAME),
    ]
    assert [letter["group"] for letter in correspondence["letters_sent"]] == ["Enegruppa"]
    assert [
        (c["group"], c["contact_email"], c["contact_phone"]) for c in correspondence["letters_with_your_reply_details"]
    ] == [
        ("Frivillighetsgruppa", LOGIN, PHONE),
        ("Enegruppa", LOGIN, PHONE),
    ]
    assert [(s["association"], s["signed_as"]) for s in correspondence["signatures"]] == [("Bygdelaget", NAME)]
    assert [g["group"] for g in correspondence["working_groups"]] == ["Frivillighetsgruppa", "Enegruppa"]
    assert [(i["group"], i["email"]) for i in correspondence["invitations_received"]] == [("Kulturgruppa", SECOND)]
    assert [i["email"] for i in correspondence["invitations_sent"]] == ["venn@example.org"]

    notifications = data["notifications"]
    kinds = {(e["kind"], e["to"]) for e in notifications["emails"]}
    assert ("meetings.registration_confirmed", LOGIN) in kinds
    assert ("correspondence.invitation", SECOND) in kinds
    assert ("organizations.membership_invitation", SECOND) in kinds
    mentioning = {e["kind"] for e in notifications["emails_to_others_mentioning_you"]}
    assert {"correspondence.invitation", "correspondence.letter", "organizations.membership_request"} <= mentioning
    assert {e["email"] for e in data["email_addresses"]} == {LOGIN, SECOND}
