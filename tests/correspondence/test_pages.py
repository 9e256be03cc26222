import pytest
from django.urls import reverse

from correspondence.models import Letter, WorkingGroup
from organizations.models import Category
from tests.correspondence.factories import GroupMembershipFactory, WorkingGroupFactory

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
    from correspondence import services

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


@pytest.mark.parametrize("rows", [2, 40])
def test_groups_page_queries_do_not_grow_with_rows(
    client, volunteer, municipality, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        group = WorkingGroupFactory(municipality=municipality)
        GroupMembershipFactory(group=group, user=volunteer)
        Letter.objects.create(group=group, subject="Emne")
    client.force_login(volunteer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("correspondence:groups"))
    assert response.status_code == 200
    assert response.content.decode().count("/henvendelser/arbeidsgrupper/") >= rows
