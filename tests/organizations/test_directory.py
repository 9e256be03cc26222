"""The public directory and the profile page."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import directory_counts as directory_count_triggers
from organizations.models import Association, Category, DirectoryCount, Language, Membership, Need, TargetGroup
from organizations.selectors import directory_counts
from tests.organizations.factories import AssociationFactory, MembershipFactory, MunicipalityFactory
from tests.services import require_postgresql

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organizations:directory")


def _names(response):
    return [a.name for a in response.context["page"].object_list]


def test_public_sees_verified_only(client, municipality):
    AssociationFactory(municipality=municipality, name="Godkjent kor")
    AssociationFactory(municipality=municipality, name="Ventende kor", status="pending")
    AssociationFactory(municipality=municipality, name="Avvist kor", status="rejected")
    AssociationFactory(municipality=municipality, name="Skjult kor", status="hidden")
    response = client.get(DIRECTORY)
    assert _names(response) == ["Godkjent kor"]
    assert "Ventende kor" not in response.content.decode()


def test_pending_shown_marked_to_members_and_staff_here(client, municipality, other_municipality, staff_user):
    pending = AssociationFactory(municipality=municipality, name="Ventende kor", status="pending")
    AssociationFactory(municipality=other_municipality, name="Ventende i Oslo", status="pending")
    member = MembershipFactory(association=pending).user
    for user in (member, staff_user):
        client.force_login(user)
        response = client.get(DIRECTORY)
        assert _names(response) == ["Ventende kor"]
        assert "Venter på godkjenning" in response.content.decode()


def test_search_finds_name_and_description(client, municipality):
    AssociationFactory(municipality=municipality, name="Nordnes sjakklubb", description="Vi spiller sjakk.")
    AssociationFactory(municipality=municipality, name="Fjellturlaget", description="Turer for seniorer i fjellet.")
    AssociationFactory(municipality=municipality, name="Strikkeklubben", description="Garn og kaffe.")
    assert _names(client.get(DIRECTORY, {"q": "sjakklubb"})) == ["Nordnes sjakklubb"]
    assert _names(client.get(DIRECTORY, {"q": "seniorer"})) == ["Fjellturlaget"]
    assert _names(client.get(DIRECTORY, {"q": "ukjentord"})) == []


def test_filters_combine(client, municipality, other_municipality):
    culture = Category.objects.get(slug="kunst-og-kultur")
    sports = Category.objects.get(slug="idrett")
    polish = Language.objects.get(slug="pl")
    youth = TargetGroup.objects.get(slug="ungdom")
    premises = Need.objects.get(slug="lokaler")
    match = AssociationFactory(municipality=municipality, name="Treffet", categories=[culture])
    match.activity_languages.set([polish])
    match.target_groups.set([youth])
    match.needs.set([premises])
    AssociationFactory(municipality=municipality, name="Feil kategori", categories=[sports])
    AssociationFactory(municipality=other_municipality, name="Feil kommune", categories=[culture])
    query = {"kommune": "4601", "kategori": "kunst-og-kultur", "sprak": "pl", "malgruppe": "ungdom", "behov": "lokaler"}
    assert _names(client.get(DIRECTORY, query)) == ["Treffet"]
    assert _names(client.get(DIRECTORY, {"kategori": "kunst-og-kultur"})) == ["Feil kommune", "Treffet"]
    assert _names(client.get(DIRECTORY, {"kommune": "0301"})) == ["Feil kommune"]


def test_counts_per_category_follow_changes(client, municipality, django_capture_on_commit_callbacks):
    culture = Category.objects.get(slug="kunst-og-kultur")
    AssociationFactory(municipality=municipality, categories=[culture])
    AssociationFactory(municipality=municipality, categories=[culture])
    AssociationFactory(municipality=municipality, categories=[culture], status="pending")
    counts = dict(client.get(DIRECTORY).context["category_counts"])
    assert counts[culture] == 2
    # A change to an association's categories shows at once.
    with django_capture_on_commit_callbacks(execute=True):
        AssociationFactory(municipality=municipality, categories=[culture])
    counts = dict(client.get(DIRECTORY).context["category_counts"])
    assert counts[culture] == 3


def test_counts_per_category_are_listed_in_the_categories_order(client, municipality):
    culture = Category.objects.get(slug="kunst-og-kultur")
    AssociationFactory(municipality=municipality, categories=[culture])
    for query in ({}, {"kommune": "4601"}):
        listed = [category for category, _count in client.get(DIRECTORY, query).context["category_counts"]]
        assert listed == list(Category.objects.order_by("position", "name")), query
        assert len(listed) > 1


def test_pagination(client, municipality):
    for n in range(45):
        AssociationFactory(municipality=municipality, name=f"Lag {n:02d}")
    first = client.get(DIRECTORY)
    assert len(_names(first)) == 20 and first.context["page"].paginator.num_pages == 3
    third = client.get(DIRECTORY, {"side": 3})
    assert _names(third) == [f"Lag {n}" for n in range(40, 45)]
    assert "Side 3 av 3" in third.content.decode()


@pytest.mark.parametrize("query", [{}, {"q": "lag"}, {"kategori": "kunst-og-kultur", "side": 2}])
def test_each_row_links_to_its_profile(client, municipality, query):
    culture = Category.objects.get(slug="kunst-og-kultur")
    for n in range(25):
        AssociationFactory(municipality=municipality, name=f"Lag {n:02d}", slug=f"lag-{n:02d}_x", categories=[culture])
    response = client.get(DIRECTORY, query)
    content = response.content.decode()
    rows = response.context["page"].object_list
    assert rows
    for association in rows:
        url = reverse("organizations:association_detail", args=[association.slug])
        assert f'<a href="{url}">{association.name}</a>' in content
    assert client.get(reverse("organizations:association_detail", args=[rows[0].slug])).status_code == 200


def test_the_admin_views_an_association_on_the_site_at_its_profile(client, municipality, site_admin):
    association = AssociationFactory(municipality=municipality, name="Kor på øya", slug="kor-pa-oya")
    client.force_login(site_admin)
    content_type = ContentType.objects.get_for_model(association)
    response = client.get(reverse("admin:view_on_site", args=[content_type.pk, association.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("organizations:association_detail", args=["kor-pa-oya"]))


def _queries(client, url, params=None):
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_does_not_grow_with_the_directory(client, municipality, signed_in, staff_user):
    culture = Category.objects.get(slug="kunst-og-kultur")
    sports = Category.objects.get(slug="idrett")
    if signed_in:
        client.force_login(staff_user)
    pages = {
        "first page": (DIRECTORY, None),
        "search": (DIRECTORY, {"q": "forening"}),
        "filtered": (DIRECTORY, {"kommune": "4601", "kategori": "idrett"}),
    }

    def grow_to(total):
        while Association.objects.count() < total:
            n = Association.objects.count()
            association = AssociationFactory(
                municipality=municipality,
                name=f"Forening {n}",
                categories=[culture, sports],
                status="pending" if n % 7 == 0 else "verified",
            )
            MembershipFactory(association=association, role=Membership.Role.ADMIN)
        return Association.objects.order_by("pk").last()

    last = grow_to(10)
    small = {name: _queries(client, url, params) for name, (url, params) in pages.items()}
    small["profile"] = _queries(client, reverse("organizations:association_detail", args=[last.slug]))
    last = grow_to(500)
    large = {name: _queries(client, url, params) for name, (url, params) in pages.items()}
    large["profile"] = _queries(client, reverse("organizations:association_detail", args=[last.slug]))
    assert small == large


def test_profile_of_pending_is_hidden_from_the_public(client, municipality):
    pending = AssociationFactory(municipality=municipality, status="pending")
    assert client.get(reverse("organizations:association_detail", args=[pending.slug])).status_code == 404


def test_profile_escapes_user_text(client, municipality):
    association = AssociationFactory(
        municipality=municipality, name="<b>Fet</b>", description="<script>alert(1)</script>"
    )
    content = client.get(reverse("organizations:association_detail", args=[association.slug])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;Fet&lt;/b&gt;" in content


def test_other_municipalities_are_listed_too(client):
    oslo = MunicipalityFactory(number="0301", name="Oslo")
    AssociationFactory(municipality=oslo, name="Oslo-laget")
    assert _names(client.get(DIRECTORY)) == ["Oslo-laget"]


def test_postgresql_search_uses_the_stored_document_and_its_indexes(client, municipality):
    require_postgresql()
    association = AssociationFactory(municipality=municipality, name="Strikkeklubben", description="Garn.")
    assert _names(client.get(DIRECTORY, {"q": "seilas"})) == []
    # The trigger keeps the document in step with every update, also one made in bulk.
    Association.objects.filter(pk=association.pk).update(description="Vi driver med seilas om sommeren.")
    assert _names(client.get(DIRECTORY, {"q": "seilas"})) == ["Strikkeklubben"]
    assert _names(client.get(DIRECTORY, {"q": "strikkeklub"})) == ["Strikkeklubben"]  # similar word

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'organizations_association'")
        indexes = dict(cursor.fetchall())
    assert "USING gin (search_document)" in indexes["association_search_gin"]
    assert "USING gin (name gin_trgm_ops)" in indexes["association_name_trgm"]


def test_postgresql_search_lists_full_text_hits_then_names_containing_then_similar_names(client, municipality):
    require_postgresql()
    AssociationFactory(municipality=municipality, name="Aaa sjakkbrett", description="Brett og brikker.")
    AssociationFactory(municipality=municipality, name="Bbb klubben", description="Vi spiller sjakk hver uke.")
    AssociationFactory(municipality=municipality, name="Ccc sjakklubb", description="Turnering.")
    AssociationFactory(municipality=municipality, name="Ddd sjakklub", description="Turnering.")
    AssociationFactory(municipality=municipality, name="Eee strikk", description="Garn.")
    assert _names(client.get(DIRECTORY, {"q": "sjakklubb"})) == ["Ccc sjakklubb", "Ddd sjakklub"]
    # A full-text hit in the description first, then names containing the word, by name.
    assert _names(client.get(DIRECTORY, {"q": "sjakk"})) == [
        "Bbb klubben",
        "Aaa sjakkbrett",
        "Ccc sjakklubb",
        "Ddd sjakklub",
    ]


def test_postgresql_search_takes_like_wildcards_literally(client, municipality):
    require_postgresql()
    AssociationFactory(municipality=municipality, name="Strikkeklubben", description="Garn.")
    assert _names(client.get(DIRECTORY, {"q": "%"})) == []
    assert _names(client.get(DIRECTORY, {"q": "_"})) == []


def test_postgresql_search_finds_names_containing_the_text_in_any_case(client, municipality):
    require_postgresql()
    AssociationFactory(municipality=municipality, name="Øvre Årstad Skolekorps", description="Garn.")
    AssociationFactory(municipality=municipality, name="ÅRSTADHALLEN VENNER", description="Garn.")
    AssociationFactory(municipality=municipality, name="Fana turlag", description="Garn.")
    # "årstad skolek" is no full-text hit ("skolek" is no word of the name), and "rstad" no word.
    assert _names(client.get(DIRECTORY, {"q": "ÅRSTAD SKOLEK"})) == ["Øvre Årstad Skolekorps"]
    assert set(_names(client.get(DIRECTORY, {"q": "rstad"}))) == {"Øvre Årstad Skolekorps", "ÅRSTADHALLEN VENNER"}

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'association_name_folded_trgm'")
        assert "USING gin (name_folded gin_trgm_ops)" in cursor.fetchone()[0]


def test_postgresql_search_indexes_keep_no_pending_list():
    require_postgresql()
    names = ["association_search_gin", "association_name_trgm", "association_name_folded_trgm"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", [names])
        options = dict(cursor.fetchall())
    assert options == {name: ["fastupdate=off"] for name in names}


def _shown_count(response):
    return response.context["page"].paginator.count


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_filter_shows_how_many_it_finds(client, municipality, other_municipality, staff_user, signed_in):
    culture = Category.objects.get(slug="kunst-og-kultur")
    sports = Category.objects.get(slug="idrett")
    polish = Language.objects.get(slug="pl")
    for n in range(25):
        association = AssociationFactory(
            municipality=municipality if n % 3 else other_municipality,
            name=f"Sjakklag {n}" if n % 2 else f"Korlag {n}",
            categories=[culture] if n % 4 else [culture, sports],
            status="pending" if n % 5 == 0 else "verified",
        )
        if n % 2:
            association.activity_languages.set([polish])
    if signed_in:
        client.force_login(staff_user)
    queries = [
        {},
        {"kommune": "4601"},
        {"kategori": "idrett"},
        {"kommune": "4601", "kategori": "kunst-og-kultur"},
        {"kommune": "9999"},
        {"kategori": "finnes-ikke"},
        {"q": "sjakklag"},
        {"q": "sjakklag", "kommune": "0301"},
        {"sprak": "pl"},
        {"sprak": "pl", "kategori": "idrett"},
        {"q": "finnes ikke"},
    ]
    for query in queries:
        names, side, count = [], 1, None
        while True:
            response = client.get(DIRECTORY, {**query, "side": side})
            count = _shown_count(response)
            names += _names(response)
            if not response.context["page"].has_next():
                break
            side += 1
        assert count == len(names) == len(set(names)), query
        assert f"Treff: {count}" in response.content.decode(), query


def test_a_search_page_past_the_end_shows_the_last_page(client, municipality):
    for n in range(45):
        AssociationFactory(municipality=municipality, name=f"Sjakklag {n:02d}")
    for side, number in [("3", 3), ("99", 3), ("0", 3), ("-1", 3), ("tre", 1), ("", 1)]:
        response = client.get(DIRECTORY, {"q": "sjakklag", "side": side})
        page = response.context["page"]
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (number, 45, 3), side
        assert len(page.object_list) == (5 if number == 3 else 20), side
    assert _names(client.get(DIRECTORY, {"q": "sjakklag", "side": 3})) == [f"Sjakklag {n}" for n in range(40, 45)]
    empty = client.get(DIRECTORY, {"q": "ukjentord", "side": 2}).context["page"]
    assert (empty.number, empty.paginator.count, list(empty.object_list)) == (1, 0, [])


def _counts_kept():
    rows = DirectoryCount.objects.filter(verified__gt=0).values_list("municipality", "category", "verified")
    return {(municipality, category): verified for municipality, category, verified in rows}


def _counts_now():
    verified = Association.objects.filter(status="verified")
    counts = {
        (municipality, None): n
        for municipality, n in verified.values_list("municipality")
        .annotate(n=Count("pk"))
        .values_list("municipality", "n")
    }
    per_category = verified.filter(categories__isnull=False).values_list("municipality", "categories")
    for municipality, category, n in per_category.annotate(n=Count("pk")).values_list(
        "municipality", "categories", "n"
    ):
        counts[(municipality, category)] = n
    return counts


def test_postgresql_keeps_the_counts_in_step_with_every_change(municipality, other_municipality):
    require_postgresql()

    def check(step):
        assert _counts_kept() == _counts_now(), step

    culture = Category.objects.get(slug="kunst-og-kultur")
    sports = Category.objects.get(slug="idrett")
    youth = Category.objects.get(slug="barn-og-unge")
    first = AssociationFactory(municipality=municipality, categories=[culture, sports])
    pending = AssociationFactory(municipality=municipality, categories=[culture], status="pending")
    check("created")
    pending.status = "verified"
    pending.save()
    check("verified")
    first.municipality = other_municipality
    first.save()
    check("moved")
    first.categories.set([sports, youth])
    pending.categories.add(youth)
    first.categories.remove(sports)
    check("categories changed")
    Association.objects.filter(pk=pending.pk).update(status="hidden")
    check("hidden in bulk")
    created = Association.objects.bulk_create(
        [
            Association(name=f"Masse {n}", slug=f"masse-{n}", municipality=municipality, status="verified")
            for n in range(5)
        ]
    )
    Association.categories.through.objects.bulk_create(
        [Association.categories.through(association_id=a.pk, category_id=culture.pk) for a in created]
    )
    check("created in bulk")
    Association.objects.filter(pk__in=[a.pk for a in created[:2]]).update(municipality=other_municipality)
    check("moved in bulk")
    created[4].delete()
    Association.objects.filter(pk=created[3].pk).delete()
    check("deleted")
    first.categories.clear()
    check("categories cleared")
    youth.delete()
    check("category deleted")
    assert _counts_kept() == {
        (municipality.pk, None): 1,
        (municipality.pk, culture.pk): 1,
        (other_municipality.pk, None): 3,
        (other_municipality.pk, culture.pk): 2,
    }


def test_postgresql_count_functions_in_the_database_are_the_ones_written_from_the_model():
    # Should Association.Status change, this fails until a migration installs the functions again.
    require_postgresql()
    written = dict(
        re.findall(
            r"CREATE OR REPLACE FUNCTION (\w+)\(.*?AS \$\$(.*?)\$\$", directory_count_triggers.functions_sql(), re.S
        )
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname, prosrc FROM pg_proc WHERE proname LIKE 'organizations_directory_count_%%'")
        installed = dict(cursor.fetchall())
    assert len(written) == 5
    assert installed == written


@pytest.mark.parametrize("status", list(Association.Status))
def test_postgresql_counts_the_associations_the_model_calls_verified(status):
    require_postgresql()
    municipality = MunicipalityFactory()
    culture = Category.objects.get(slug="kunst-og-kultur")
    AssociationFactory(municipality=municipality, status=status, categories=[culture])
    expected = 1 if status == Association.Status.VERIFIED else 0
    counts = directory_counts(municipality_number=municipality.number)
    assert (counts.get(None, 0), counts.get("kunst-og-kultur", 0)) == (expected, expected)
