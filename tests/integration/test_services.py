"""The real services CI provides: PostgreSQL as the test database, Redis as Celery's broker."""

import pytest
from django.db import connection

from tests.services import require_postgresql, require_redis, xdist_worker

pytestmark = pytest.mark.integration


@pytest.mark.django_db
def test_suite_runs_on_postgresql():
    require_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SHOW TIMEZONE")
        assert cursor.fetchone()[0] == "UTC"
        cursor.execute("SELECT current_setting('server_encoding')")
        assert cursor.fetchone()[0] == "UTF8"


def test_celery_broker_round_trip_through_redis():
    url = require_redis()
    from kombu import Connection, Exchange, Queue

    name = f"dialogportal-test-{xdist_worker()}"
    exchange = Exchange(name, type="direct")
    queue = Queue(name, exchange, routing_key="test")
    with Connection(url, connect_timeout=3) as conn:
        producer = conn.Producer(serializer="json")
        producer.publish({"hei": "æøå"}, exchange=exchange, routing_key="test", declare=[queue])
        received = []
        with conn.Consumer(queue, callbacks=[lambda body, message: (received.append(body), message.ack())]):
            conn.drain_events(timeout=5)
        queue(conn).delete()
    assert received == [{"hei": "æøå"}]
