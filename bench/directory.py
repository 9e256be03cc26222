"""Benchmark: the association directory at 100 and at 100,000 associations on PostgreSQL.

Seeds one dedicated database per size (dp_bench_directory_100 and dp_bench_directory_100000 by
default, created and migrated here; a database that already holds the right number of
associations is reused), then requests the directory's first page, a search and a filtered page
through Django's test client, several times each, and prints the queries per request and the
median server time at each size, and their ratio.

    .venv/bin/python bench/directory.py [--reseed]
    BENCH_DATABASE_URL=postgres://user@host:5432/dp_bench_directory .venv/bin/python bench/directory.py

Each size runs in its own process, against its own database.

Aim: the same number of queries, and no more than 1.5 x the time at 100,000 as at 100.
Each page is measured twice: with the cached counts per category warm (as visitors meet it) and
with the cache cleared before every request (the worst case, after a change to the registry).
"""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dp_bench_directory")

SIZES = [100, 100_000]
RUNS = 25
BATCH = 5_000
PAGES = {
    "first page": {},
    "search 'sjakk'": {"q": "sjakk"},
    "filtered (kommune + kategori)": {"kommune": "4601", "kategori": "idrett"},
}
PLACES = [
    "Nordnes",
    "Sandviken",
    "Åsane",
    "Fana",
    "Laksevåg",
    "Arna",
    "Ytrebygda",
    "Fyllingsdalen",
    "Landås",
    "Møhlenpris",
]
KINDS = [
    "sjakklubb",
    "kor",
    "musikkorps",
    "idrettslag",
    "velforening",
    "turlag",
    "leksehjelp",
    "seniordans",
    "skolekorps",
    "bridgeklubb",
    "husflidslag",
    "historielag",
    "fotballklubb",
    "svømmeklubb",
    "teatergruppe",
    "frivilligsentral",
    "kvinneforening",
    "innvandrerforening",
    "ungdomsklubb",
    "fotoklubb",
    "strikkeklubb",
    "motorklubb",
    "orienteringslag",
    "menighetsråd",
    "sanitetsforening",
    "bygdelag",
    "skytterlag",
    "roklubb",
    "dyrevernforening",
    "naturvernlag",
    "pensjonistforening",
    "bokklubb",
    "kulturforening",
    "jazzklubb",
    "seilforening",
    "løpeklubb",
    "sykkelklubb",
    "tennisklubb",
    "danseklubb",
    "akvarieforening",
]
DESCRIPTIONS = [
    "Vi møtes hver uke og ønsker nye medlemmer velkommen.",
    "Et lavterskeltilbud for alle aldre i nærmiljøet.",
    "Frivillige som driver aktivitet for barn og unge.",
    "Vi arrangerer turer, kurs og sosiale kvelder.",
    "Laget samarbeider med skolen og biblioteket.",
]


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def setup(url: str):
    if not url.startswith("postgres"):
        sys.exit("This benchmark runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialog_portal.test_settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0, interactive=False)


def reset():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE organizations_association, organizations_municipality, organizations_membership "
            "RESTART IDENTITY CASCADE"
        )


def seed_to(total: int, rng: random.Random) -> None:
    from django.db import connection, transaction

    from organizations.models import Association, Category, Language, Municipality, Need, TargetGroup

    municipalities = list(Municipality.objects.order_by("number"))
    if not municipalities:
        municipalities = Municipality.objects.bulk_create(
            [Municipality(number="4601", name="Bergen", county_number="46")]
            + [Municipality(number=f"{4602 + n}", name=f"Kommune {n}", county_number="46") for n in range(49)]
        )
    categories = list(Category.objects.values_list("pk", flat=True))
    languages = list(Language.objects.values_list("pk", flat=True))
    groups = list(TargetGroup.objects.values_list("pk", flat=True))
    needs = list(Need.objects.values_list("pk", flat=True))
    start = Association.objects.count()
    through = {
        "categories": (Association.categories.through, "category_id", categories, 2),
        "activity_languages": (Association.activity_languages.through, "language_id", languages, 1),
        "target_groups": (Association.target_groups.through, "targetgroup_id", groups, 2),
        "needs": (Association.needs.through, "need_id", needs, 2),
    }
    for first in range(start, total, BATCH):
        with transaction.atomic():
            rows = []
            for n in range(first, min(first + BATCH, total)):
                name = f"{rng.choice(PLACES)} {rng.choice(KINDS)} {n}"
                rows.append(
                    Association(
                        name=name,
                        slug=f"lag-{n}",
                        municipality=rng.choice(municipalities),
                        description=rng.choice(DESCRIPTIONS),
                        status="pending" if n % 10 == 0 else "verified",
                        contact_name="Kari Kontakt",
                        contact_email=f"kontakt{n}@example.org",
                    )
                )
            created = Association.objects.bulk_create(rows)
            for model, column, choices, most in through.values():
                links = []
                for association in created:
                    for pk in rng.sample(choices, rng.randint(1, most)):
                        links.append(model(association_id=association.pk, **{column: pk}))
                model.objects.bulk_create(links)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(size: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for label, params in PAGES.items():
        for mode in ("warm", "cold"):
            times, queries = [], set()
            client.get("/foreninger/", params)  # warm up the connection and the template cache
            for _run in range(RUNS):
                if mode == "cold":
                    cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    begin = time.perf_counter()
                    response = client.get("/foreninger/", params)
                    elapsed = time.perf_counter() - begin
                assert response.status_code == 200, response.status_code
                times.append(elapsed)
                queries.add(len(captured))
            results[(label, mode)] = {
                "queries": sorted(queries),
                "median_ms": statistics.median(times) * 1000,
                "rows": response.context["page"].paginator.count,
            }
    return results


def run_size(size: int, reseed: bool) -> None:
    """In a child process: seed (or reuse) this size's database and print the measurements as JSON."""
    setup(f"{BASE_URL}_{size}")
    from organizations.models import Association

    began = time.perf_counter()
    if reseed or Association.objects.count() != size:
        reset()
        seed_to(size, random.Random(2026))
    seeded = time.perf_counter() - began
    results = measure(size)
    print(
        json.dumps(
            {"seconds_to_seed": seeded, "results": [{"page": k[0], "cache": k[1], **v} for k, v in results.items()]}
        )
    )


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--size":
        run_size(int(sys.argv[2]), reseed="--reseed" in sys.argv)
        return
    by_size = {}
    for size in SIZES:
        command = [sys.executable, __file__, "--size", str(size), *(a for a in sys.argv[1:] if a == "--reseed")]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        data = json.loads(output.strip().splitlines()[-1])
        print(f"{size:>7,} associations: database ready in {data['seconds_to_seed']:.1f} s")
        by_size[size] = {(r["page"], r["cache"]): r for r in data["results"]}

    small, large = SIZES
    print()
    print(f"{'page':<32}{'cache':<6}{'queries':>12}{'ms @' + f'{small:,}':>14}{'ms @' + f'{large:,}':>16}{'ratio':>8}")
    for label in PAGES:
        for mode in ("warm", "cold"):
            a, b = by_size[small][(label, mode)], by_size[large][(label, mode)]
            queries = f"{a['queries']}/{b['queries']}".replace("[", "").replace("]", "")
            ratio = b["median_ms"] / a["median_ms"]
            print(f"{label:<32}{mode:<6}{queries:>12}{a['median_ms']:>14.1f}{b['median_ms']:>16.1f}{ratio:>8.2f}")
    print()
    for label in PAGES:
        print(
            f"matches for {label}: {by_size[small][(label, 'warm')]['rows']:,} / {by_size[large][(label, 'warm')]['rows']:,}"
        )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
