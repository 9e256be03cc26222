import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from correspondence import services
from correspondence.models import CopyRecipient, DiscussionPoint, Letter, LetterEvent, Signature, WorkingGroup
from organizations.models import Category
from tests.accounts.factories import UserFactory
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory
from tests.organizations.factories import AssociationFactory

pytestmark = pytest.mark.django_db


def test_start_a_working_group_makes_the_starter_its_leader(client, volunteer, municipality):
    client.force_login(volunteer)
    response = client.post(
        reverse("correspondence:group_create"),
        {
            "name": "Frivillighetsgruppa",
            "municipality": municipality.pk,
            "meeting_date": "2026-11-03",
            "meeting_time": "18:00",
            "meeting_place": "Rådhuset",
            "categories": [Category.objects.get(slug="idrett").pk],
            "theme": "Frivillighetspolitikk",
            "mandate": "Skrive til kommunen",
        },
    )
    group = WorkingGroup.objects.get(name="Frivillighetsgruppa")
    assert response.status_code == 302
    assert response.url == reverse("correspondence:group_detail", args=[group.pk])
    assert group.leader == volunteer
    assert list(group.categories.values_list("slug", flat=True)) == ["idrett"]


def test_group_form_ties_errors_to_fields(client, volunteer):
    client.force_login(volunteer)
    response = client.post(reverse("correspondence:group_create"), {"name": ""})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'aria-invalid="true"' in content
    assert not WorkingGroup.objects.exists()


def test_editor_saves_reordered_added_and_removed_points(client, letter, group_leader):
    client.force_login(group_leader)
    url = reverse("correspondence:letter_edit", args=[letter.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "offentleglova" in page.content.decode()
    points = [p.text for p in letter.points.all()]
    data = {
        "political_leader_title": "Ordfører",
        "political_leader_name": "Marte Mjøs Persen",
        "administrative_leader_title": "Kommunedirektør",
        "administrative_leader_name": "Ørjan Åsheim",
        "authority_name": "Bergen",
        "postal_address": "",
        "subject": "Ønske om dialog",
        "background": "Bakgrunn.",
        "voluntary_effort": "Innsats.",
        "situation": "Situasjon.",
        "challenges": ["finances"],
        "wishes": "Vi ønsker dette:",
        "closing": "Hilsen.",
        "contact_name": "Lise Leder",
        "punkt-TOTAL_FORMS": "5",
        "punkt-INITIAL_FORMS": "4",
        "punkt-MIN_NUM_FORMS": "0",
        "punkt-MAX_NUM_FORMS": "1000",
        "kopi-TOTAL_FORMS": "1",
        "kopi-INITIAL_FORMS": "0",
        "kopi-MIN_NUM_FORMS": "0",
        "kopi-MAX_NUM_FORMS": "1000",
        "kopi-0-name": "Ny Mottaker",
        "kopi-0-role": "Venstre",
        "kopi-0-email": "ny@example.org",
    }
    for index, text in enumerate(points):
        data[f"punkt-{index}-text"] = text
        data[f"punkt-{index}-ORDER"] = str(4 - index)
    data["punkt-1-DELETE"] = "on"
    data["punkt-4-text"] = "Et nytt punkt"
    data["punkt-4-ORDER"] = "0"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    letter.refresh_from_db()
    assert letter.subject == "Ønske om dialog"
    assert letter.challenges == ["finances"]
    assert [p.text for p in letter.points.all()] == ["Et nytt punkt", points[3], points[2], points[0]]
    assert [str(c) for c in letter.copies.all()] == ["Ny Mottaker (Venstre)"]


def test_preview_shows_the_letter(client, letter, group_leader):
    client.force_login(group_leader)
    response = client.get(reverse("correspondence:letter_detail", args=[letter.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Ordfører Marte Mjøs Persen" in content
    assert letter.points.first().text in content
    assert "Per Hansen (Arbeiderpartiet)" in content
    assert 'lang="nb"' in content


def test_user_text_is_escaped_in_the_preview(client, letter, group_leader):
    services.letter_update(
        letter=letter,
        user=group_leader,
        parts={"subject": "<script>alert(1)</script>", "background": "<b>fet</b>"},
        points=["<img src=x onerror=alert(2)>"],
    )
    client.force_login(group_leader)
    content = client.get(reverse("correspondence:letter_detail", args=[letter.pk])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;fet&lt;/b&gt;" in content
    assert "<img src=x" not in content


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_groups_page_queries_are_the_same_at_10_and_500_rows(client, volunteer, municipality):
    def add(count):
        for _ in range(count):
            group = WorkingGroupFactory(municipality=municipality)
            GroupMembershipFactory(group=group, user=volunteer)
            Letter.objects.create(group=group, subject="Emne")

    client.force_login(volunteer)
    add(10)
    at_10, _ = _queries(client, reverse("correspondence:groups"))
    add(490)
    at_500, content = _queries(client, reverse("correspondence:groups"))
    assert at_10 == at_500
    assert content.count('href="/henvendelser/arbeidsgrupper/') == 50 + 1  # one page, and "start a group"
    assert "?side=10" not in content and "?side=2" in content


def test_letter_page_queries_are_the_same_at_10_and_500_rows(client, letter, group_leader):
    def add(count, start):
        for n in range(start, start + count):
            DiscussionPoint.objects.create(letter=letter, position=n, text=f"Punkt {n}")
            CopyRecipient.objects.create(letter=letter, position=n, name=f"Mottaker {n}")
            LetterEvent.objects.create(letter=letter, kind="created", actor=group_leader)
            association = AssociationFactory(municipality=letter.group.municipality)
            Signature.objects.create(letter=letter, association=association, signed_by=group_leader)

    client.force_login(group_leader)
    add(10, 0)
    at_10, _ = _queries(client, reverse("correspondence:letter_detail", args=[letter.pk]))
    add(490, 10)
    at_500, content = _queries(client, reverse("correspondence:letter_detail", args=[letter.pk]))
    assert at_10 == at_500
    assert "Punkt 499" in content and "Mottaker 499" in content


def test_group_page_queries_are_the_same_at_10_and_500_rows(client, group, group_leader):
    def add(count):
        for _ in range(count):
            GroupMembershipFactory(group=group, user=UserFactory(verified=False))
            Letter.objects.create(group=group, subject="Emne")

    client.force_login(group_leader)
    add(10)
    at_10, _ = _queries(client, reverse("correspondence:group_detail", args=[group.pk]))
    add(490)
    at_500, _ = _queries(client, reverse("correspondence:group_detail", args=[group.pk]))
    assert at_10 == at_500


def test_members_invite_by_email_and_the_invitee_joins_after_signing_in(
    client, group, group_leader, django_capture_on_commit_callbacks
):
    client.force_login(group_leader)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("correspondence:group_invite", args=[group.pk]), {"email": "Nina@Example.org"})
    message = mail.outbox[-1]
    assert message.to == ["nina@example.org"]
    path = re.search(r"/henvendelser/invitasjon/[^/\s]+/", message.body).group(0)

    client.logout()
    assert client.get(path).status_code == 302  # sign in first
    stranger = UserFactory(email="someone@example.org")
    client.force_login(stranger)
    client.post(path)
    assert not group.memberships.filter(user=stranger).exists()

    nina = UserFactory(email="nina@example.org")
    client.force_login(nina)
    response = client.post(path)
    assert response.url == reverse("correspondence:group_detail", args=[group.pk])
    assert group.memberships.filter(user=nina, is_leader=False).exists()
    client.post(path)
    assert group.memberships.filter(user=nina).count() == 1


def test_inviting_the_same_address_again_sends_again(client, group, group_leader, django_capture_on_commit_callbacks):
    client.force_login(group_leader)
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("correspondence:group_invite", args=[group.pk]), {"email": "nina@example.org"})

    assert [m.to for m in mail.outbox] == [["nina@example.org"], ["nina@example.org"]]
    assert group.invitations.count() == 1
    # Both emails carry the link of the one open invitation.
    token = group.invitations.get().token
    assert all(token in m.body for m in mail.outbox)


def test_non_members_cannot_invite(client, group, volunteer):
    client.force_login(volunteer)
    response = client.post(reverse("correspondence:group_invite", args=[group.pk]), {"email": "x@example.org"})
    assert response.status_code == 403
    assert not group.invitations.exists()


def test_staff_see_only_the_groups_sent_letters(client, group, staff_user):
    draft = Letter.objects.create(group=group, subject="Et utkast")
    sent = Letter.objects.create(
        group=group, subject="Et sendt brev", status="sent", reference="DP-2026-0001", sent_at="2026-11-01T12:00Z"
    )
    client.force_login(staff_user)
    content = client.get(reverse("correspondence:group_detail", args=[group.pk])).content.decode()
    assert sent.subject in content
    assert draft.subject not in content
