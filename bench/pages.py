"""Benchmark: the portal's pages through gunicorn at national scale, against a bare Django page.

    .venv/bin/python bench/pages.py                     # both sizes, every page, 10 s per run
    .venv/bin/python bench/pages.py --size small --duration 3 --pages directory,api
    .venv/bin/python bench/pages.py --reseed            # seed the databases anew

What it does, for each size (``national``: all 357 municipalities with the city districts of Oslo,
Bergen, Stavanger and Trondheim, 100,000 associations, 20,000 meetings over three years,
300,000 registrations, 1,000 working groups with 5,000 letters, their co-signatures and answers;
``small``: 357 municipalities, 100 associations, 50 meetings, a few letters):

1. Seeds its own PostgreSQL database (``<BENCH_DATABASE_URL>_national`` and ``_small``; default
   postgres://postgres@127.0.0.1:5432/dp_pages), created and migrated here, with COPY. A
   database seeded by this version of the script is reused (the table ``bench_seed`` records the
   version and the size); ``--reseed`` or a new SEED_VERSION drops and seeds it again. The
   national size takes a few minutes to seed.
2. Counts the queries of each page with Django's test client, with the cache empty (the first
   request after a change) and warm (the next one), and checks its status.
3. Serves the portal with gunicorn (2 sync workers, DEBUG off, the Redis cache of REDIS_URL,
   default redis://127.0.0.1:6379/12; the settings in bench/settings.py) and drives each page with
   ``wrk`` (16 connections, --duration seconds), alternating with the bare page (bench/urls.py:
   the same middleware and template engine, a 25-item template, no database). Each page's
   share is its requests per second over the mean of the bare runs just before and after it, so a
   change in the machine's load weighs on both.
4. Prints per page: the status, queries per request (cold/warm), median latency, requests per second, the
   share of the bare page and the aim; at the end the query counts of both sizes side by side
   and the load average (``uptime``) before and after.

Staff pages and the letter preview are requested with the session cookie of a seeded user
(staff of Bergen; the leader of a working group in Bergen). Redis db REDIS_URL is flushed before
each size is served, so that each starts from an empty cache.
"""

import argparse
import csv
import datetime
import io
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seed_texts import DESCRIPTIONS, PLACES  # noqa: E402  (bench/ is the script's own folder)

SEED_VERSION = 2
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dp_pages")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
SIZES = {
    "national": {
        "associations": 100_000,
        "meetings": 20_000,
        "registrations": 300_000,
        "groups": 1_000,
        "letters": 5_000,
        "users": 30_000,
    },
    "small": {"associations": 100, "meetings": 50, "registrations": 300, "groups": 5, "letters": 20, "users": 200},
}
CONNECTIONS = 16
WORKERS = 2
BARE = "/bench/bare/"

# Share of the bare page's requests per second each kind of page should reach.
AIM_PUBLIC, AIM_SEARCH, AIM_STAFF, AIM_API = 0.5, 0.35, 0.3, 0.6

# Counties and how many municipalities each has since 1 January 2024 (357 in all).
COUNTY_SIZES = {
    "03": 1, "11": 23, "15": 27, "18": 41, "31": 12, "32": 21, "33": 18, "34": 46,
    "39": 6, "40": 17, "42": 25, "46": 43, "50": 38, "55": 21, "56": 18,
}  # fmt: skip
KNOWN = {
    "0301": "Oslo",
    "1103": "Stavanger",
    "4601": "Bergen",
    "5001": "Trondheim",
    "1804": "Bodø",
    "5501": "Tromsø",
    "3201": "Bærum",
}
DISTRICTS = {"0301": 15, "4601": 8, "1103": 7, "5001": 4}
# Bigger places get more associations and meetings.
WEIGHTS = {"0301": 60, "4601": 25, "5001": 18, "1103": 12, "3201": 10, "1804": 5, "5501": 6}
KINDS = [
    "sjakklubb", "kor", "musikkorps", "idrettslag", "velforening", "turlag", "leksehjelp", "seniordans",
    "skolekorps", "bridgeklubb", "husflidslag", "historielag", "fotballklubb", "svømmeklubb", "teatergruppe",
    "frivilligsentral", "kvinneforening", "innvandrerforening", "ungdomsklubb", "fotoklubb", "strikkeklubb",
    "motorklubb", "orienteringslag", "menighetsråd", "sanitetsforening", "bygdelag", "skytterlag", "roklubb",
    "dyrevernforening", "naturvernlag", "pensjonistforening", "bokklubb", "kulturforening", "jazzklubb",
]  # fmt: skip
TOPICS = ["Lokaler", "Rekruttering", "Tilskudd", "Samarbeid med skolen", "Frivillighetspolitikk", "Idrettsanlegg"]


# Database ------------------------------------------------------------------------------------


def _admin_connection(url: str):
    import psycopg2

    parts = urlsplit(url)
    connection = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    connection.autocommit = True
    return connection


def _seeded(url: str, size: str) -> bool:
    import psycopg2

    parts = urlsplit(url)
    try:
        connection = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username,
            password=parts.password,
            dbname=parts.path.lstrip("/"),
        )
    except psycopg2.OperationalError:
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_seed') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute("SELECT version, size FROM bench_seed")
            return cursor.fetchone() == (SEED_VERSION, size)
    finally:
        connection.close()


def recreate_database(url: str) -> None:
    from psycopg2 import sql

    name = urlsplit(url).path.lstrip("/")
    admin = _admin_connection(url)
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["REDIS_URL"] = REDIS_URL
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


# Seeding -------------------------------------------------------------------------------------


def _csv_value(value):
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return str(value)


def copy(model, rows: list[dict]) -> None:
    """COPY rows (dicts keyed by field attname) into the model's table; fields not given take their
    default, auto_now(_add) fields the current time. Rows carry their own primary keys."""
    from django.db import connection, models

    if not rows:
        return
    now = datetime.datetime.now(datetime.UTC)
    fields = [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, models.GeneratedField) and field.attname != "search_document"
    ]
    columns = [field.column for field in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        values = []
        for field in fields:
            if field.attname in row:
                value = row[field.attname]
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif isinstance(field, (models.CharField, models.TextField)):
                value = ""
            else:
                raise ValueError(f"{model.__name__}.{field.attname} needs a value")
            values.append(_csv_value(value))
        writer.writerow(values)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )


def _reset_sequences(models_) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            # The table names are the models' own, never input.
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"  # noqa: S608
            )


def _meeting_slots(first: datetime.date, days: int, rng: random.Random):
    """Every day in the span with a start and end that pass the after-work rule: 18-20 on working
    days, 12-15 on weekends and holidays; the 24th and 31st of December (closing at noon) left out."""
    from meetings.domain import OSLO, closes_at_noon, is_working_day

    slots = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        if closes_at_noon(day):
            continue
        hour = 18 if is_working_day(day) else 12
        start = datetime.datetime.combine(day, datetime.time(hour, rng.choice([0, 30])), tzinfo=OSLO)
        slots.append((day, start, start + datetime.timedelta(hours=2 if hour == 18 else 3)))
    return slots


def seed(size: str, rng: random.Random) -> dict:
    from django.db import connection, transaction

    from accounts.models import User
    from correspondence.models import GroupMembership, Letter, Response, Signature, WorkingGroup
    from meetings.domain import VOLUNTEER_DAY_KIND, is_volunteer_day, validate_meeting_time
    from meetings.models import Meeting, Registration
    from organizations.models import (
        Association,
        Category,
        District,
        Language,
        Membership,
        Municipality,
        MunicipalStaff,
        Need,
        TargetGroup,
    )

    counts = SIZES[size]
    began = time.perf_counter()
    now = datetime.datetime.now(datetime.UTC)
    with transaction.atomic():
        # Municipalities and districts.
        municipalities, districts = [], []
        pk = 0
        for county, number_of in COUNTY_SIZES.items():
            numbers = [n for n in KNOWN if n.startswith(county)]
            serial = 1
            while len(numbers) < number_of:
                number = f"{county}{serial:02d}"
                serial += 1
                if number not in numbers and number not in KNOWN:
                    numbers.append(number)
            for number in numbers:
                pk += 1
                municipalities.append(
                    {
                        "id": pk,
                        "number": number,
                        "county_number": county,
                        "name": KNOWN.get(number, f"Kommune {number}"),
                        "political_leader_title": "Ordfører",
                        "political_leader_name": f"Ordfører i {number}",
                        "administrative_leader_title": "Kommunedirektør",
                        "administrative_leader_name": f"Kommunedirektør i {number}",
                        "official_email": f"postmottak{number}@example.org",
                        "postal_address": f"Postboks 1\n{number} Sentrum",
                        "written_standard": "nn" if county in ("46", "15") and number != "4601" else "nb",
                    }
                )
        copy(Municipality, municipalities)
        by_number = {m["number"]: m["id"] for m in municipalities}
        for number, how_many in DISTRICTS.items():
            for n in range(1, how_many + 1):
                districts.append(
                    {
                        "id": len(districts) + 1,
                        "municipality_id": by_number[number],
                        "code": f"{number}{n:02d}",
                        "name": f"Bydel {n} i {KNOWN[number]}",
                        "political_leader_title": "Bydelsutvalgets leder",
                        "administrative_leader_title": "Bydelsdirektør",
                    }
                )
        copy(District, districts)
        districts_of = {}
        for district in districts:
            districts_of.setdefault(district["municipality_id"], []).append(district["id"])
        municipality_ids = [m["id"] for m in municipalities]
        weights = [WEIGHTS.get(m["number"], 1 + (m["id"] % 3)) for m in municipalities]

        # People: one staff member of Bergen, the rest volunteers.
        users = [
            {
                "id": n,
                "email": f"person{n}@example.org",
                "full_name": f"Person {n}",
                "password": "!",
                "is_superuser": False,
                "date_joined": now,
            }
            for n in range(1, counts["users"] + 1)
        ]
        users[0].update(email="ansatt@bergen.example.org", full_name="Ansatt i Bergen")
        users[1].update(email="leder@example.org", full_name="Lise Leder")
        copy(User, users)
        copy(MunicipalStaff, [{"id": 1, "user_id": 1, "municipality_id": by_number["4601"]}])

        # Associations with their terms; every fifth has an admin.
        categories = list(Category.objects.values_list("pk", flat=True))
        idrett = Category.objects.get(slug="idrett").pk
        languages = list(Language.objects.values_list("pk", flat=True))
        groups = list(TargetGroup.objects.values_list("pk", flat=True))
        needs = list(Need.objects.values_list("pk", flat=True))
        associations, links = [], {"categories": [], "activity_languages": [], "target_groups": [], "needs": []}
        memberships = []
        municipality_of = {}
        homes = rng.choices(municipality_ids, weights=weights, k=counts["associations"])
        bergen = by_number["4601"]
        homes[:20] = [bergen] * 20  # the letters of Bergen's groups are co-signed by these
        for n in range(1, counts["associations"] + 1):
            home = homes[n - 1]
            municipality_of[n] = home
            place, kind = rng.choice(PLACES), rng.choice(KINDS)
            district = rng.choice(districts_of[home]) if home in districts_of and rng.random() < 0.7 else None
            status = "pending" if n % 10 == 0 else ("hidden" if n % 97 == 0 else "verified")
            associations.append(
                {
                    "id": n,
                    "name": f"{place} {kind} {n}",
                    "slug": f"lag-{n}",
                    "municipality_id": home,
                    "district_id": district,
                    "description": rng.choice(DESCRIPTIONS),
                    "status": status,
                    "founded_year": rng.randint(1900, 2025),
                    "member_count": rng.randint(5, 400),
                    "website": f"https://lag-{n}.example.org/",
                    "public_email": f"post@lag-{n}.example.org",
                    "contact_name": "Kari Kontakt",
                    "contact_email": f"kontakt{n}@example.org",
                    "edited_fields": [],
                }
            )
            if n <= 20:
                links["categories"].append((n, idrett))  # the filtered directory page finds some at both sizes
            for name, choices, most in (
                ("categories", [c for c in categories if c != idrett] if n <= 20 else categories, 2),
                ("activity_languages", languages, 1),
                ("target_groups", groups, 2),
                ("needs", needs, 2),
            ):
                for term in rng.sample(choices, rng.randint(1, most)):
                    links[name].append((n, term))
            if n % 5 == 1:
                memberships.append(
                    {
                        "id": len(memberships) + 1,
                        "association_id": n,
                        "user_id": rng.randint(3, counts["users"]),
                        "role": "admin",
                    }
                )
        copy(Association, associations)
        for name, pairs in links.items():
            through = getattr(Association, name).through
            column = {
                "categories": "category_id",
                "activity_languages": "language_id",
                "target_groups": "targetgroup_id",
                "needs": "need_id",
            }[name]
            copy(through, [{"id": i + 1, "association_id": a, column: t} for i, (a, t) in enumerate(pairs)])
        copy(Membership, memberships)
        verified = [a["id"] for a in associations if a["status"] == "verified"]
        verified_in = {}
        for association_id in verified:
            verified_in.setdefault(municipality_of[association_id], []).append(association_id)

        # Meetings over three years: last year, this year and next, passing the after-work rule.
        today = datetime.date.today()
        first = datetime.date(today.year - 1, 1, 1)
        slots = _meeting_slots(first, (datetime.date(today.year + 2, 1, 1) - first).days, rng)
        volunteer_slots = [slot for slot in slots if is_volunteer_day(slot[0])]
        meetings, interpretation = [], []
        hosts = rng.choices(municipality_ids, weights=weights, k=counts["meetings"])
        hosts[:10] = [bergen] * 10
        for n in range(1, counts["meetings"] + 1):
            volunteer_day = n % 40 == 0 or n == 2
            # The second is on the next Volunteer Day, so that its page lists some at both sizes.
            upcoming = [slot for slot in volunteer_slots if slot[1] > now]
            day, start, end = upcoming[0] if n == 2 else rng.choice(volunteer_slots if volunteer_day else slots)
            kind = (
                VOLUNTEER_DAY_KIND
                if volunteer_day
                else rng.choice(["dialogmote"] * 6 + ["dialogkonferanse", "kveldskonferanse", "markedsplass"])
            )
            validate_meeting_time(starts_at=start, ends_at=end, kind=kind)
            past = end < now
            status = "draft" if n % 50 == 0 else ("cancelled" if n % 33 == 0 else ("held" if past else "published"))
            host = hosts[n - 1]
            meetings.append(
                {
                    "id": n,
                    "uid": uuid.UUID(int=rng.getrandbits(128)),
                    "municipality_id": host,
                    "district_id": rng.choice(districts_of[host])
                    if host in districts_of and rng.random() < 0.5
                    else None,
                    "title": f"{rng.choice(['Dialogmøte', 'Åpent møte', 'Frivillighetskveld', 'Markedsdag'])}: {rng.choice(TOPICS).lower()} {n}",
                    "kind": kind,
                    "description": "Kommunen inviterer lag og foreninger til en samtale.",
                    "venue_name": f"{rng.choice(PLACES)} bibliotek",
                    "venue_address": "Storgata 1",
                    "starts_at": start,
                    "ends_at": end,
                    "capacity": rng.choice([None, 30, 50, 80, 120]),
                    "status": status,
                    "cancel_reason": "Sykdom." if status == "cancelled" else "",
                    "free_of_charge": rng.random() < 0.6,
                    "plain_language": rng.random() < 0.3,
                    "step_free": rng.random() < 0.7,
                    "hearing_loop": rng.random() < 0.3,
                    "child_friendly": rng.random() < 0.3,
                    "food": rng.random() < 0.5,
                    "published_at": None if status == "draft" else start - datetime.timedelta(days=30),
                    "cancelled_at": now if status == "cancelled" else None,
                    "created_by_id": 1,
                }
            )
            if rng.random() < 0.15:
                interpretation.append((n, rng.choice(languages)))
        copy(Meeting, meetings)
        copy(
            Meeting.interpretation_languages.through,
            [{"id": i + 1, "meeting_id": m, "language_id": lang} for i, (m, lang) in enumerate(interpretation)],
        )

        # Registrations: people from anywhere, on behalf of an association of the host municipality.
        public = [m for m in meetings if m["status"] != "draft"]
        per_meeting = [0] * len(public)
        for index in rng.choices(range(len(public)), k=counts["registrations"]):
            per_meeting[index] += 1
        registrations = []
        people = range(3, counts["users"] + 1)
        for meeting, how_many in zip(public, per_meeting, strict=True):
            local_associations = verified_in.get(meeting["municipality_id"]) or verified
            seats = meeting["capacity"]
            taken = 0
            for user_id in rng.sample(people, min(how_many, len(people))):
                attendees = rng.choice([1, 1, 1, 2, 3])
                cancelled = rng.random() < 0.05
                if cancelled:
                    status = "cancelled"
                elif seats is not None and taken + attendees > seats:
                    status = "waitlisted"
                else:
                    status = "confirmed"
                    taken += attendees
                registrations.append(
                    {
                        "id": len(registrations) + 1,
                        "meeting_id": meeting["id"],
                        "user_id": user_id,
                        "association_id": rng.choice(local_associations),
                        "attendees": attendees,
                        "topics": rng.choice(TOPICS),
                        "status": status,
                        "cancelled_at": now if cancelled else None,
                    }
                )
        for first_row in range(0, len(registrations), 50_000):
            copy(Registration, registrations[first_row : first_row + 50_000])

        # Working groups (a tenth in Bergen, led by Lise Leder) and their letters.
        working_groups, group_members, letters, signatures, responses = [], [], [], [], []
        for n in range(1, counts["groups"] + 1):
            home = bergen if n <= max(1, counts["groups"] // 10) else rng.choices(municipality_ids, weights=weights)[0]
            working_groups.append(
                {
                    "id": n,
                    "name": f"Arbeidsgruppe {n}",
                    "municipality_id": home,
                    "theme": "Hvordan kan kommunen og lagene sammen lage en god frivillighetspolitikk?",
                    "mandate": "Skrive en formell henvendelse til kommuneledelsen",
                }
            )
            group_members.append(
                {
                    "id": n,
                    "group_id": n,
                    "user_id": 2 if home == bergen else rng.randint(3, counts["users"]),
                    "is_leader": True,
                }
            )
        copy(WorkingGroup, working_groups)
        copy(GroupMembership, group_members)
        statuses = ["draft", "collecting"] + ["sent"] * 2 + ["answered"] * 4 + ["meeting_agreed", "closed"]
        for n in range(1, counts["letters"] + 1):
            group = working_groups[(n - 1) % len(working_groups)]
            status = "collecting" if n == 1 else rng.choice(statuses)
            frozen = status not in ("draft", "collecting")
            sent_at = now - datetime.timedelta(days=rng.randint(1, 700)) if frozen else None
            letters.append(
                {
                    "id": n,
                    "group_id": group["id"],
                    "status": status,
                    "reference": f"DP-{n:06d}" if frozen else "",
                    "political_leader_title": "Ordfører",
                    "political_leader_name": "Ola Ordfører",
                    "administrative_leader_title": "Kommunedirektør",
                    "administrative_leader_name": "Kari Direktør",
                    "authority_name": "Kommunen",
                    "postal_address": "Postboks 1",
                    "subject": f"Henvendelse om {rng.choice(TOPICS).lower()} {n}",
                    "background": "Lagene i kommunen møttes og ble enige om å skrive til kommunen.",
                    "voluntary_effort": "Lagene står for mange tusen dugnadstimer hvert år.",
                    "situation": "Mange lag mangler lokaler og har vanskelig for å rekruttere.",
                    "challenges": ["recruitment", "finances"],
                    "wishes": "Vi ønsker et dialogmøte med kommunen.",
                    "closing": "Vi ser fram til svar.",
                    "contact_name": "Lise Leder",
                    "contact_email": "leder@example.org",
                    "edited_parts": [],
                    "created_by_id": group_members[group["id"] - 1]["user_id"],
                    "channel": "email" if frozen else "",
                    "sent_at": sent_at,
                    "sent_on": sent_at.date() if sent_at else None,
                    "sent_to": "postmottak@example.org" if frozen else "",
                    "sent_pdf_sha256": "0" * 64 if frozen else "",
                    "sent_pdf": "",
                    "published": frozen and rng.random() < 0.5,
                }
            )
            signers = verified_in.get(group["municipality_id"]) or verified
            for association_id in rng.sample(signers, min(len(signers), rng.randint(1, 5))):
                signatures.append(
                    {
                        "id": len(signatures) + 1,
                        "letter_id": n,
                        "association_id": association_id,
                        "signer_name": "Styreleder",
                        "signer_role": "Leder",
                    }
                )
            if status in ("answered", "meeting_agreed", "closed"):
                for kind in ["preliminary", "answer"][: rng.randint(1, 2)]:
                    responses.append(
                        {
                            "id": len(responses) + 1,
                            "letter_id": n,
                            "received_on": (sent_at + datetime.timedelta(days=14)).date(),
                            "kind": kind,
                            "document": "",
                            "summary": "Kommunen takker for henvendelsen og vil invitere til et møte.",
                        }
                    )
        copy(Letter, letters)
        copy(Signature, signatures)
        copy(Response, responses)
        _reset_sequences(
            [
                Municipality, District, User, MunicipalStaff, Association, Membership, Meeting, Registration,
                WorkingGroup, GroupMembership, Letter, Signature, Response,
                *(getattr(Association, name).through for name in links), Meeting.interpretation_languages.through,
            ]
        )  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_seed (version integer, size text, seeded_at timestamptz, counts jsonb)")
            actual = {
                "municipalities": len(municipalities),
                "districts": len(districts),
                "associations": len(associations),
                "meetings": len(meetings),
                "registrations": len(registrations),
                "letters": len(letters),
                "signatures": len(signatures),
                "responses": len(responses),
            }
            cursor.execute(
                "INSERT INTO bench_seed VALUES (%s, %s, now(), %s)", [SEED_VERSION, size, json.dumps(actual)]
            )
    with connection.cursor() as cursor:
        # A running installation's autovacuum would have analysed the tables by now.
        cursor.execute("VACUUM ANALYZE")
    actual["seconds"] = round(time.perf_counter() - began, 1)
    return actual


# Pages ---------------------------------------------------------------------------------------


def pages() -> list[dict]:
    """The pages, each with its path, the user it is requested as (None: signed out) and its aim."""
    from correspondence.models import Letter
    from meetings.domain import VOLUNTEER_DAY_KIND
    from meetings.models import Meeting
    from organizations.models import Association

    bergen_verified = Association.objects.filter(municipality__number="4601", status="verified").order_by("pk")
    profile = bergen_verified.first()
    meeting = (
        Meeting.objects.public()
        .filter(status="published", starts_at__gte=datetime.datetime.now(datetime.UTC), municipality__number="4601")
        .exclude(kind=VOLUNTEER_DAY_KIND)
        .order_by("starts_at")
        .first()
    )
    preview = Letter.objects.filter(status="collecting", group__municipality__number="4601").order_by("pk").first()
    published = Letter.objects.filter(published=True).order_by("pk").first()
    return [
        {"name": "home", "path": "/", "aim": AIM_PUBLIC},
        {"name": "directory first page", "path": "/foreninger/", "aim": AIM_PUBLIC},
        {"name": "directory search 'sjakk'", "path": "/foreninger/?q=sjakk", "aim": AIM_SEARCH},
        {"name": "directory filtered", "path": "/foreninger/?kommune=4601&kategori=idrett", "aim": AIM_PUBLIC},
        {"name": "association profile", "path": f"/foreninger/{profile.slug}/", "aim": AIM_PUBLIC},
        {"name": "calendar", "path": "/moter/", "aim": AIM_PUBLIC},
        {"name": "calendar one municipality", "path": "/moter/?municipality=4601", "aim": AIM_PUBLIC},
        {"name": "calendar filtered", "path": "/moter/?features=step_free&features=food&kind=dialogmote", "aim": AIM_PUBLIC},
        {"name": "meeting page", "path": f"/moter/{meeting.pk}/", "aim": AIM_PUBLIC},
        {"name": "volunteer day", "path": "/moter/frivillighetens-dag/", "aim": AIM_PUBLIC},
        {"name": "municipal feed (.ics)", "path": "/moter/kommune/4601/kalender.ics", "aim": AIM_PUBLIC},
        {"name": "staff verification queue", "path": "/kommune/4601/foreninger/til-godkjenning/", "user": "ansatt@bergen.example.org", "aim": AIM_STAFF},
        {"name": "staff reach report", "path": "/moter/ansatt/4601/rekkevidde/", "user": "ansatt@bergen.example.org", "aim": AIM_STAFF},
        {"name": "letter page (preview)", "path": f"/henvendelser/brev/{preview.pk}/", "user": "leder@example.org", "aim": AIM_PUBLIC},
        {"name": "published letter", "path": f"/henvendelser/brev/{published.pk}/", "aim": AIM_PUBLIC},
        {"name": "letter archive", "path": "/henvendelser/kommune/4601/", "aim": AIM_PUBLIC},
        {"name": "API associations", "path": "/api/v1/associations", "aim": AIM_API},
        {"name": "API associations of one municipality", "path": "/api/v1/associations?municipality=4601", "aim": AIM_API},
        {"name": "API meetings", "path": "/api/v1/meetings", "aim": AIM_API},
    ]  # fmt: skip


def prepare(size: str, reseed: bool) -> dict:
    """In a child process: seed or reuse the database, count the queries of each page, and make
    the session cookies the load generator sends."""
    url = f"{BASE_URL}_{size}"
    seeded = None
    if reseed or not _seeded(url, size):
        recreate_database(url)
        setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        seeded = seed(size, random.Random(2026))
    else:
        setup_django(url)
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute("SELECT counts FROM bench_seed")
        data = cursor.fetchone()[0]
        data = json.loads(data) if isinstance(data, str) else data
    clients, cookies = {}, {}
    listed = pages()
    for page in listed:
        email = page.get("user")
        if email not in clients:
            client = Client()
            if email:
                client.force_login(User.objects.get(email=email))
                cookies[email] = client.cookies["sessionid"].value
            clients[email] = client
        client = clients[email]
        client.get("/")  # loads the session (signed in) before counting
        # Cold: the first request after a change (the cache holds nothing); warm: as visitors
        # meet it, the next one.
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            client.get(page["path"])
        with CaptureQueriesContext(connection) as warm:
            response = client.get(page["path"])
        page["status"] = response.status_code
        page["queries"] = f"{len(cold)}/{len(warm)}"
    return {"seeded": seeded, "data": data, "pages": listed, "cookies": cookies}


# Load ----------------------------------------------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(port: int, path: str, duration: int, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: sessionid={cookie}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    # Requests wrk sent before it stopped may still wait in the socket's queue: the next run
    # starts once the server has answered them (it answers in order).
    urllib.request.urlopen(f"http://127.0.0.1:{port}{BARE}", timeout=300).read()  # noqa: S310 (loopback)
    median = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(rate.group(1)),
        "median_ms": _ms(median.group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(size: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"{BASE_URL}_{size}",
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "dialog_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS),
         "--worker-class", "sync", "--backlog", "2048", "--log-level", "warning", "--chdir", str(ROOT)],
        env=env,
    )  # fmt: skip
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{BARE}", timeout=2).read()  # noqa: S310 (loopback)
            return process, port
        except OSError:
            if process.poll() is not None:
                sys.exit("gunicorn did not start")
            time.sleep(0.1)
    process.terminate()
    sys.exit("gunicorn did not answer")


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def run_size(size: str, args) -> dict:
    print(f"\n== {size} ==", flush=True)
    child = subprocess.run(
        [sys.executable, __file__, "--prepare", size, *(["--reseed"] if args.reseed else [])],
        capture_output=True,
        text=True,
    )
    if child.returncode:
        sys.stderr.write(child.stderr)
        sys.exit(f"preparing the {size} database failed")
    prepared = json.loads(child.stdout.strip().splitlines()[-1])
    if prepared["seeded"]:
        print(f"seeded in {prepared['seeded']['seconds']} s", flush=True)
    else:
        print("database reused", flush=True)
    print("data: " + ", ".join(f"{value:,} {key}" for key, value in prepared["data"].items()), flush=True)
    listed = [p for p in prepared["pages"] if not args.pages or any(f in p["name"] for f in args.pages)]
    _flush_redis()
    process, port = serve(size)
    results = []
    try:
        # Warm both gunicorn workers' template caches and connections.
        wrk(port, BARE, 2, None)
        for page in listed:
            cookie = prepared["cookies"].get(page.get("user"))
            wrk(port, page["path"], 1, cookie)
        load_before = os.getloadavg()
        bare_runs = [wrk(port, BARE, args.duration, None)]
        header = (
            f"{'page':<38}{'status':>7}{'queries':>8}{'median ms':>10}{'req/s':>8}{'bare':>8}{'share':>7}{'aim':>6}"
        )
        print(header)
        for page in listed:
            cookie = prepared["cookies"].get(page.get("user"))
            measured = wrk(port, page["path"], args.duration, cookie)
            bare_runs.append(wrk(port, BARE, args.duration, None))
            bare_rps = statistics.mean(run["rps"] for run in bare_runs[-2:])
            share = measured["rps"] / bare_rps if bare_rps else 0.0
            verdict = "ok" if share >= page["aim"] and not measured["non_2xx"] else "MISSED"
            status = page["status"] if not measured["non_2xx"] else f"{page['status']}*"
            print(
                f"{page['name']:<38}{status:>7}{page['queries']:>9}{measured['median_ms']:>10.1f}"
                f"{measured['rps']:>8.0f}{bare_rps:>8.0f}{share:>7.2f}{page['aim']:>6} {verdict}",
                flush=True,
            )
            if measured["non_2xx"] or measured["socket_errors"]:
                print(
                    f"    {measured['non_2xx']} responses not 2xx/3xx; socket errors: {measured['socket_errors'] or 'none'}"
                )
            results.append({**page, **measured, "bare_rps": bare_rps, "share": share})
        load_after = os.getloadavg()
        bare = [run["rps"] for run in bare_runs]
        print(
            f"bare page: {statistics.median(bare):.0f} req/s (median of {len(bare)} runs, {min(bare):.0f}–{max(bare):.0f})"
        )
        print(
            f"load average: {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} before, "
            f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} after ({os.cpu_count()} CPUs)"
        )
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {"pages": results, "all_pages": prepared["pages"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=[*SIZES, "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--pages", default="", help="comma-separated parts of page names, e.g. directory,API")
    parser.add_argument("--reseed", action="store_true", help="seed the databases anew")
    parser.add_argument("--prepare", choices=list(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        print(json.dumps(prepare(args.prepare, args.reseed)))
        return
    if not shutil.which("wrk"):
        sys.exit("wrk is needed (Debian: apt-get install wrk)")
    args.pages = [part.strip() for part in args.pages.split(",") if part.strip()]
    sizes = list(SIZES) if args.size == "both" else [args.size]
    print(
        f"{os.cpu_count()} CPUs; gunicorn {WORKERS} workers; wrk {CONNECTIONS} connections, {args.duration} s per run"
    )
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    runs = {size: run_size(size, args) for size in sizes}
    if len(runs) > 1:
        print("\nqueries per request (cold cache/warm cache) at each size (must be equal):")
        counts = {size: {p["name"]: p["queries"] for p in run["all_pages"]} for size, run in runs.items()}
        for name in counts[sizes[0]]:
            values = [counts[size][name] for size in sizes]
            same = "" if len(set(values)) == 1 else "  DIFFERENT"
            print(f"  {name:<38}" + " / ".join(str(v) for v in values) + same)
    print("uptime:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())


if __name__ == "__main__":
    main()
