"""The Django admin keeps the correspondence rules: it cannot do what the portal refuses."""

import pytest
from django.urls import reverse

from correspondence import services
from correspondence.models import Letter, LetterEvent, Response
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, site_admin):
    client.force_login(site_admin)
    return client


def _group_data(group, associations):
    memberships = list(group.memberships.all())
    data = {
        "name": group.name,
        "municipality": group.municipality_id,
        "meeting_date": group.meeting_date.isoformat(),
        "meeting_time": group.meeting_time.strftime("%H:%M"),
        "meeting_place": group.meeting_place,
        "theme": group.theme,
        "mandate": group.mandate,
        "categories": [c.pk for c in group.categories.all()],
        "associations": [a.pk for a in associations],
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for index, membership in enumerate(memberships):
        data[f"memberships-{index}-id"] = membership.pk
        data[f"memberships-{index}-group"] = group.pk
        data[f"memberships-{index}-user"] = membership.user_id
        data[f"memberships-{index}-is_leader"] = "on" if membership.is_leader else ""
    return data


def test_admin_cannot_attach_an_association_from_another_municipality(admin_client, group, other_municipality):
    local = AssociationFactory(municipality=group.municipality)
    foreign = AssociationFactory(municipality=other_municipality, name="Oslo-laget")
    url = reverse("admin:correspondence_workinggroup_change", args=[group.pk])

    response = admin_client.post(url, _group_data(group, [local, foreign]))

    assert response.status_code == 200
    assert "Lagene og foreningene må høre til kommunen arbeidsgruppen er i." in response.content.decode()
    assert not group.associations.exists()

    response = admin_client.post(url, _group_data(group, [local]))
    assert response.status_code == 302
    assert list(group.associations.all()) == [local]


def test_admin_cannot_add_signatures(admin_client, letter, group_leader):
    services.letter_open_for_signatures(letter=letter, user=group_leader)
    assert admin_client.get(reverse("admin:correspondence_signature_add")).status_code == 403
    changelist = admin_client.get(reverse("admin:correspondence_signature_changelist")).content.decode()
    assert reverse("admin:correspondence_signature_add") not in changelist


def _letter_data(letter, **changes):
    data = {
        "subject": letter.subject,
        "background": letter.background,
        "status": letter.status,
        "events-TOTAL_FORMS": 0,
        "events-INITIAL_FORMS": 0,
        "responses-TOTAL_FORMS": 0,
        "responses-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_admin_cannot_change_or_delete_a_sent_letter_or_its_timeline(admin_client, sent):
    events = list(sent.events.values_list("pk", "kind", "note"))
    sent_event = sent.events.get(kind=LetterEvent.Kind.SENT)
    change = reverse("admin:correspondence_letter_change", args=[sent.pk])

    page = admin_client.get(change)
    assert page.status_code == 200
    assert 'name="subject"' not in page.content.decode()
    assert "Utkast opprettet" in page.content.decode()  # the timeline is shown with the letter, read-only

    data = _letter_data(
        sent,
        subject="Et annet emne",
        status=Letter.Status.DRAFT,
        **{
            "events-TOTAL_FORMS": 1,
            "events-INITIAL_FORMS": 1,
            "events-0-id": sent_event.pk,
            "events-0-letter": sent.pk,
            "events-0-note": "endret",
        },
    )
    assert admin_client.post(change, data).status_code == 403
    delete = reverse("admin:correspondence_letter_delete", args=[sent.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:correspondence_letter_changelist")
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [sent.pk], "post": "yes"})

    # Nor can the timeline be reached on its own.
    event_change = f"/admin/correspondence/letterevent/{sent_event.pk}/change/"
    assert admin_client.post(event_change, {"letter": sent.pk, "kind": "sent", "note": "endret"}).status_code == 404
    event_delete = f"/admin/correspondence/letterevent/{sent_event.pk}/delete/"
    assert admin_client.post(event_delete, {"post": "yes"}).status_code == 404

    stored = Letter.objects.get(pk=sent.pk)
    assert (stored.subject, stored.status) == (sent.subject, sent.status)
    assert list(stored.events.values_list("pk", "kind", "note")) == events


def test_admin_can_delete_a_draft_letter(admin_client, letter):
    delete = reverse("admin:correspondence_letter_delete", args=[letter.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Letter.objects.filter(pk=letter.pk).exists()


def test_admin_cannot_log_change_or_delete_responses(admin_client, sent, letter, group_leader):
    answer = services.response_log(
        letter=sent, user=group_leader, received_on=sent.sent_on, kind="answer", summary="Vi kommer gjerne."
    )
    add = reverse("admin:correspondence_response_add")
    data = {"letter": sent.pk, "received_on": sent.sent_on.isoformat(), "kind": "meeting", "summary": "Møte"}
    data["logged_by"] = group_leader.pk
    assert admin_client.post(add, data).status_code == 403
    assert admin_client.post(add, {**data, "letter": letter.pk}).status_code == 403
    change = reverse("admin:correspondence_response_change", args=[answer.pk])
    assert admin_client.post(change, {**data, "summary": "Nei."}).status_code == 403
    delete = reverse("admin:correspondence_response_delete", args=[answer.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403

    assert list(Response.objects.values_list("letter", "kind", "summary")) == [(sent.pk, "answer", "Vi kommer gjerne.")]
    assert admin_client.get(change).status_code == 200


def test_admin_cannot_delete_a_signature_around_the_timeline(admin_client, letter, group_leader, association_admin):
    letter = services.letter_open_for_signatures(letter=letter, user=group_leader)
    signer, association = association_admin
    signature = services.letter_sign(letter=letter, association=association, user=signer)
    url = reverse("admin:correspondence_signature_delete", args=[signature.pk])

    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:correspondence_signature_changelist")
    response = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [signature.pk]})
    assert response.status_code in (200, 302)
    assert letter.signatures.filter(pk=signature.pk).exists()


def test_admin_shows_group_members_and_invitations_without_editing_them(admin_client, group, group_leader):
    invitation = services.group_invite(group=group, invited_by=group_leader, email="ny@example.org")
    page = admin_client.get(reverse("admin:correspondence_workinggroup_change", args=[group.pk])).content.decode()
    assert str(group_leader) in page
    assert 'name="memberships-0-user"' not in page

    change = reverse("admin:correspondence_groupinvitation_change", args=[invitation.pk])
    response = admin_client.post(change, {"group": group.pk, "email": "angriper@example.org"})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.email == "ny@example.org"
    assert admin_client.get(reverse("admin:correspondence_groupinvitation_add")).status_code == 403

    # An open invitation can be withdrawn; an accepted one is part of the group's history.
    delete = reverse("admin:correspondence_groupinvitation_delete", args=[invitation.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not group.invitations.exists()
