"""Benchmark: the association directory at 100 and at 100,000 associations on PostgreSQL.

Seeds one dedicated database per size (dp_bench_directory_100 and dp_bench_directory_100000 by
default, created and migrated here; a database that already holds the right number of
associations is reused), then requests the directory's first page, a search and a filtered page
through Django's test client, several times each, and prints the queries per request and the
median server time at each size (with the middle half of the times, IQR), and their ratio.

    .venv/bin/python bench/directory.py [--reseed]
    BENCH_DATABASE_URL=postgres://user@host:5432/dp_bench_directory .venv/bin/python bench/directory.py

Each size runs in its own process, against its own database; the two take turns in blocks of
BLOCK consecutive requests, so that the load of anything else running on the machine weighs on
both sizes alike while each process stays warm within its block (turns of single requests made
every request start on cold CPU caches, adding the same cost to both sizes).
Both databases are vacuumed and analysed before measuring, as autovacuum would have done.

Aims: the same number of queries at both sizes; the first page, the filtered page and a search
whose matches are as many at both sizes (a word given to the first RARE_MATCHES associations
seeded) no more than 1.3 x the time at 100,000 as at 100; the filtered page lists a full page at
both sizes (the first FILTER_MATCHES associations seeded are sports clubs in Bergen). A search whose matches grow with the
data ('sjakk') is accepted at about 1.5 x, with exact counts and relevance order.
Each page is measured twice: with Django's cache warm (as visitors meet it) and with the cache
cleared before every request (the worst case, after a change to the registry). For visitors who
are not signed in, as here, the directory caches its filter lists and its list under a version
that every change to the registry renews (dialog_portal.versions), so a warm page runs no
queries; the cold figures are the directory's own work against the database.
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

from seed_texts import DESCRIPTIONS, PLACES  # noqa: E402  (bench/ is the script's own folder)

BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dp_bench_directory")

SIZES = [100, 100_000]
RUNS = 25
BLOCK = 5
BATCH = 5_000
RARE_WORD = "kammerkvartett"
RARE_MATCHES = 20
# The first FILTER_MATCHES associations are sports clubs in Bergen, so that the filtered page
# shows a full page of results at both sizes, as the first page does.
FILTER_MATCHES = 24
PAGES = {
    "first page": {},
    "search 'sjakk'": {"q": "sjakk"},
    f"search '{RARE_WORD}'": {"q": RARE_WORD},
    "filtered (kommune + kategori)": {"kommune": "4601", "kategori": "idrett"},
}
# Time at 100,000 over time at 100, per page: the product decisions.
AIMS = {
    "first page": 1.3,
    "search 'sjakk'": 1.5,
    f"search '{RARE_WORD}'": 1.3,
    "filtered (kommune + kategori)": 1.3,
}
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
    from django.db import transaction

    from organizations.models import Association, Category, Language, Municipality, Need, TargetGroup

    municipalities = list(Municipality.objects.order_by("number"))
    if not municipalities:
        municipalities = Municipality.objects.bulk_create(
            [Municipality(number="4601", name="Bergen", county_number="46")]
            + [Municipality(number=f"{4602 + n}", name=f"Kommune {n}", county_number="46") for n in range(49)]
        )
    categories = list(Category.objects.values_list("pk", flat=True))
    sports = Category.objects.get(slug="idrett").pk
    bergen = next(m for m in municipalities if m.number == "4601")
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
                place, kind = rng.choice(PLACES), rng.choice(KINDS)
                # The first few get a word no other name has: a search with as many matches at both sizes.
                name = f"{place} {RARE_WORD if n < RARE_MATCHES else kind} {n}"
                rows.append(
                    Association(
                        name=name,
                        slug=f"lag-{n}",
                        municipality=bergen if n < FILTER_MATCHES else rng.choice(municipalities),
                        description=rng.choice(DESCRIPTIONS),
                        status="pending" if n % 10 == 0 else "verified",
                        contact_name="Kari Kontakt",
                        contact_email=f"kontakt{n}@example.org",
                    )
                )
            created = Association.objects.bulk_create(rows)
            for model, column, choices, most in through.values():
                links = []
                for n, association in enumerate(created, start=first):
                    chosen = set(rng.sample(choices, rng.randint(1, most)))
                    if column == "category_id" and n < FILTER_MATCHES:
                        chosen.add(sports)
                    for pk in chosen:
                        links.append(model(association_id=association.pk, **{column: pk}))
                model.objects.bulk_create(links)


def serve(size: int, reseed: bool) -> None:
    """In a child process: seed (or reuse) this size's database, then time the requests the parent asks for.

    Reads one JSON request a line from stdin ({"page": …, "cache": "warm" or "cold", "timed": …,
    "repeat": n}) and answers each with one JSON line: for each of the n requests made back to
    back, its server time, its queries and the number of matches.
    """
    setup(f"{BASE_URL}_{size}")
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from organizations.models import Association

    began = time.perf_counter()
    seeded_as_now = Association.objects.filter(
        slug=f"lag-{FILTER_MATCHES - 1}", municipality__number="4601", categories__slug="idrett"
    ).exists()
    if reseed or Association.objects.count() != size or not seeded_as_now:
        reset()
        seed_to(size, random.Random(2026))
    # In a running installation autovacuum vacuums and analyses tables after this many changes;
    # a machine may run with it off (this one does), so it is done here before every measurement.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(json.dumps({"seconds_to_seed": time.perf_counter() - began}), flush=True)

    client = Client()
    for line in sys.stdin:
        request = json.loads(line)
        params = PAGES[request["page"]]
        if not request["timed"]:
            client.get("/foreninger/", params)  # warm up the connection and the template cache
            print(json.dumps({}), flush=True)
            continue
        answers = []
        for _repeat in range(request["repeat"]):
            if request["cache"] == "cold":
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                response = client.get("/foreninger/", params)
                elapsed = time.perf_counter() - begin
            assert response.status_code == 200, response.status_code
            rows = response.context["page"].paginator.count
            answers.append({"ms": elapsed * 1000, "queries": len(captured), "rows": rows})
        print(json.dumps(answers), flush=True)


def _spread(times: list[float]) -> str:
    low, _median, high = statistics.quantiles(times, n=4)
    return f"{low:.1f}–{high:.1f}"


def main():
    reseed = "--reseed" in sys.argv
    if len(sys.argv) > 2 and sys.argv[1] == "--size":
        serve(int(sys.argv[2]), reseed=reseed)
        return
    children = {}
    for size in SIZES:
        command = [sys.executable, __file__, "--size", str(size), *(["--reseed"] if reseed else [])]
        children[size] = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        ready = json.loads(children[size].stdout.readline())
        print(f"{size:>7,} associations: database ready in {ready['seconds_to_seed']:.1f} s")

    def ask(size, **request):
        children[size].stdin.write(json.dumps(request) + "\n")
        children[size].stdin.flush()
        return json.loads(children[size].stdout.readline())

    # The sizes take turns, a block of requests each (in alternating order), so that a change in
    # the machine's load while measuring weighs on both alike.
    load_before = os.getloadavg()[0]
    results = {}
    for label in PAGES:
        for mode in ("warm", "cold"):
            for size in SIZES:
                ask(size, page=label, cache=mode, timed=False)
            answers = {size: [] for size in SIZES}
            for turn in range(RUNS // BLOCK):
                for size in SIZES if turn % 2 == 0 else reversed(SIZES):
                    answers[size].extend(ask(size, page=label, cache=mode, timed=True, repeat=BLOCK))
            results[(label, mode)] = answers
    for child in children.values():
        child.stdin.close()
        child.wait()

    small, large = SIZES
    print()
    print(
        f"{'page':<32}{'cache':<6}{'queries':>10}{'ms @' + f'{small:,}':>10}{'(IQR)':>14}"
        f"{'ms @' + f'{large:,}':>12}{'(IQR)':>14}{'ratio':>8}{'aim':>8}"
    )
    for (label, mode), answers in results.items():
        times = {size: [a["ms"] for a in answers[size]] for size in SIZES}
        queries = "/".join(",".join(str(q) for q in sorted({a["queries"] for a in answers[size]})) for size in SIZES)
        a, b = statistics.median(times[small]), statistics.median(times[large])
        same_queries = {a["queries"] for a in answers[small]} == {a["queries"] for a in answers[large]}
        verdict = "met" if same_queries and b / a <= AIMS[label] else "missed"
        print(
            f"{label:<32}{mode:<6}{queries:>10}{a:>10.1f}{_spread(times[small]):>14}"
            f"{b:>12.1f}{_spread(times[large]):>14}{b / a:>8.2f}{f'≤{AIMS[label]}x':>8} {verdict}"
        )
    print()
    for label in PAGES:
        rows = [results[(label, "warm")][size][-1]["rows"] for size in SIZES]
        print(f"matches for {label}: {rows[0]:,} / {rows[1]:,}")
    load_after = os.getloadavg()[0]
    print(f"load average while measuring: {load_before:.1f} → {load_after:.1f} ({os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
