"""Two people racing for the last seat on real PostgreSQL connections: only one gets it."""

import threading

import pytest
from django.db import connection, connections

from meetings import services
from meetings.models import Registration
from tests.accounts.factories import UserFactory
from tests.integration.mailstack import wait_until
from tests.meetings.factories import MeetingFactory
from tests.services import require_postgresql

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _a_connection_waits_for_a_lock() -> bool:
    """Another connection to this test database is blocked on a lock (the meeting's row)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid)"
            " WHERE NOT granted AND datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def test_two_connections_race_for_the_last_seat(municipality, monkeypatch):
    require_postgresql()
    meeting = MeetingFactory(municipality=municipality, capacity=2)
    services.registration_create(meeting=meeting, user=UserFactory())
    racers = [UserFactory(), UserFactory()]

    counted = []
    real_seats_taken = services.seats_taken

    def slow_seats_taken(m):
        # Hold the window between counting and inserting open until the other racer has either
        # counted too (without the row lock both would count one seat taken and both be confirmed)
        # or is blocked behind this one's lock.
        taken = real_seats_taken(m)
        counted.append((threading.current_thread().name, taken))
        assert wait_until(lambda: len(counted) >= len(racers) or _a_connection_waits_for_a_lock(), timeout=15)
        return taken

    monkeypatch.setattr(services, "seats_taken", slow_seats_taken)
    start = threading.Barrier(len(racers))
    results, errors = {}, []

    def race(user):
        try:
            start.wait()
            results[user.pk] = services.registration_create(meeting=meeting, user=user).status
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(user,), name=f"racer-{user.pk}") for user in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(results.values()) == [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    # The second racer counted after the first committed.
    assert sorted(taken for _name, taken in counted) == [1, 2]
    assert services.seats_taken(meeting) == 2
    assert connection.vendor == "postgresql"
