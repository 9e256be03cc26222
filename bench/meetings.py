"""Meetings: how the calendar, a meeting page and the municipality feed scale, and how fast
registrations are taken for the last seats.

Creates N published meetings (and, for the meeting page, N registered associations and
exhibitors) in a scratch database, then times each page through Django's test client: median of
--repeat requests, and the number of queries per request (which must not grow with N). Finally
--registrations people register one after another for a meeting with half as many seats, so
half of them end on the waitlist. Prints figures; it is a measurement, not a test.

Use a scratch database (it is migrated and the rows stay):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dp_meetings_bench .venv/bin/python bench/meetings.py --n 500
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dialog_portal.test_settings")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--registrations", type=int, default=200)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)

    from accounts.models import User
    from meetings import services
    from meetings.domain import OSLO, is_working_day
    from meetings.models import Exhibitor, Meeting, Registration
    from organizations.models import Association, Municipality

    stamp = time.strftime("%H%M%S")
    municipality, _ = Municipality.objects.get_or_create(number="4601", defaults={"name": "Bergen"})
    day = datetime.date.today() + datetime.timedelta(days=30)
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    start = datetime.datetime.combine(day, datetime.time(18), tzinfo=OSLO)
    Meeting.objects.bulk_create(
        Meeting(
            municipality=municipality,
            title=f"Benk {stamp} {i}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            status="published",
            venue_name="Sted",
            food=True,
        )
        for i in range(args.n)
    )
    market_start = datetime.datetime(day.year + 1, 12, 5, 12, tzinfo=OSLO)
    market = Meeting.objects.create(
        municipality=municipality,
        title=f"Markedsplass {stamp}",
        kind="markedsplass",
        starts_at=market_start,
        ends_at=market_start + datetime.timedelta(hours=4),
        status="published",
        venue_name="Torget",
    )
    associations = Association.objects.bulk_create(
        Association(name=f"Lag {stamp} {i}", slug=f"lag-{stamp}-{i}", municipality=municipality, status="verified")
        for i in range(args.n)
    )
    users = User.objects.bulk_create(User(email=f"b{stamp}-{i}@example.org", full_name=f"B {i}") for i in range(args.n))
    Registration.objects.bulk_create(
        Registration(meeting=market, user=user, association=association)
        for user, association in zip(users, associations, strict=True)
    )
    Exhibitor.objects.bulk_create(
        Exhibitor(meeting=market, association=association, status="approved", stand_number=i + 1)
        for i, association in enumerate(associations)
    )

    client = Client()

    def measure(name, url):
        timings, queries = [], None
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - began)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        print(f"{name:<34} median {statistics.median(timings) * 1000:7.1f} ms   queries {queries}")

    print(f"{connection.vendor}, {Meeting.objects.count()} meetings in the database")
    measure("calendar, first page", "/moter/")
    measure("calendar, last page", f"/moter/?side={Meeting.objects.count() // 20 + 1}")
    measure(f"meeting page, {args.n} associations", f"/moter/{market.pk}/")
    measure("municipality feed (.ics)", f"/moter/kommune/{municipality.number}/kalender.ics")

    seats = Meeting.objects.create(
        municipality=municipality,
        title=f"Plasser {stamp}",
        starts_at=start + datetime.timedelta(days=1),
        ends_at=start + datetime.timedelta(days=1, hours=2),
        status="published",
        venue_name="Sted",
        capacity=args.registrations // 2,
    )
    from unittest import mock

    people = users[: args.registrations]
    with mock.patch("meetings.emails.email_enqueue"):
        began = time.perf_counter()
        for person in people:
            services.registration_create(meeting=seats, user=person)
        elapsed = time.perf_counter() - began
    confirmed = seats.registrations.filter(status="confirmed").count()
    print(
        f"registrations (locked seat count)  {len(people) / elapsed:7.1f} per second, "
        f"{confirmed} confirmed, {len(people) - confirmed} waitlisted"
    )


if __name__ == "__main__":
    main()
