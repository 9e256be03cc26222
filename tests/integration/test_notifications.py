"""Every email once, none lost: real Celery worker and beat processes, Redis, PostgreSQL and SMTP.

The worker and beat run as separate processes against the test database (committed data, so
`transaction=True`), a Redis database and queue of their own, and an aiosmtpd server that
collects what it receives. Time limits are shortened through the environment so that a dead
worker's emails are reclaimed within seconds instead of minutes.
"""

import collections
import os
import signal
import uuid

import pytest
from django.db import connection

from notifications.models import OutgoingEmail
from tests.integration import mailstack
from tests.services import require_postgresql, require_redis, xdist_worker, xdist_worker_index

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# A Redis database per xdist worker: Celery's unacked hash is one per database, and a worker of
# one test restoring another's unacknowledged messages would deliver them twice.
REDIS_DB = int(os.environ.get("NOTIFICATIONS_TEST_REDIS_DB", "8")) + xdist_worker_index()
CONCURRENCY = 2
FAST = {
    # Long enough that a busy machine does not hit the limit in the middle of a send.
    "NOTIFICATIONS_SEND_TIME_LIMIT": 6,
    "NOTIFICATIONS_STALE_AFTER": 8,
    "NOTIFICATIONS_REENQUEUE_AFTER": 4,
    "NOTIFICATIONS_SWEEP_INTERVAL": 1,
    "NOTIFICATIONS_RETRY_BACKOFF": 1,
}


class Stack:
    def __init__(self, tmp_path, handler):
        self.tmp_path = tmp_path
        self.handler = handler
        self.smtp = mailstack.SMTPServer(handler)
        self.queue = f"dp-notify-test-{xdist_worker()}-{uuid.uuid4().hex[:8]}"
        self.redis_url = mailstack.redis_url_with_db(require_redis(), REDIS_DB)
        self.processes = []

    def env(self, redis_url=None):
        return mailstack.service_env(
            database_url=mailstack.database_url(connection.settings_dict),
            redis_url=redis_url or self.redis_url,
            smtp_url=self.smtp.url,
            queue=self.queue,
            **FAST,
        )

    def worker(self, name="worker"):
        process = mailstack.start_worker(self.env(), self.tmp_path, concurrency=CONCURRENCY, name=name)
        self.processes.append(process)
        return process

    def beat(self):
        process = mailstack.start_beat(self.env(), self.tmp_path)
        self.processes.append(process)
        return process

    def settled(self, abandoned=frozenset()):
        return mailstack.redis_queue_settled(self.redis_url, self.queue, abandoned=abandoned)

    def logs(self):
        return "\n".join(f"--- {process.name}:\n{process.log_tail()}" for process in self.processes)

    def close(self):
        for process in self.processes:
            process.stop()
        self.smtp.__exit__(None, None, None)
        mailstack.redis_forget_queue(self.redis_url, self.queue)


@pytest.fixture
def stack_for(tmp_path, transactional_db):
    require_postgresql()
    require_redis()
    stacks = []

    def make(handler=None):
        stack = Stack(tmp_path, handler or mailstack.CollectingHandler())
        stack.smtp.__enter__()
        stacks.append(stack)
        return stack

    yield make
    # Workers go before the test database is flushed: they hold connections to it.
    for stack in stacks:
        stack.close()


def _sent(prefix):
    return OutgoingEmail.objects.filter(occasion=prefix, state=OutgoingEmail.State.SENT).count()


def _assert_each_once(stack, prefix, count):
    """Every recorded email arrived; duplicates only where a dead worker's send was repeated."""
    rows = {email.message_id: email for email in OutgoingEmail.objects.filter(occasion=prefix)}
    assert len(rows) == count
    received = collections.Counter(stack.handler.message_ids())
    assert set(received) == set(rows), stack.logs()
    assert all(row.state == OutgoingEmail.State.SENT for row in rows.values())
    repeated = {message_id: times for message_id, times in received.items() if times > 1}
    for message_id in repeated:
        # A second delivery is only possible for an email whose first attempt was cut off by the kill.
        assert rows[message_id].attempts > 1, (message_id, rows[message_id].attempts)
    return received, repeated


def test_two_hundred_emails_arrive_each_exactly_once(stack_for):
    handler = mailstack.CollectingHandler(fail_first_try_for={f"once-{n}@example.org" for n in range(0, 200, 25)})
    stack = stack_for(handler)
    stack.worker()
    stack.beat()
    recorded = mailstack.run_actor(stack.env(), count=200, prefix="once")
    assert recorded["recorded"] == 200
    assert mailstack.wait_until(lambda: _sent("once") == 200, timeout=60), stack.logs()
    # A late duplicate could only come from a message still queued or held by the worker.
    assert mailstack.wait_until(stack.settled, timeout=30), stack.logs()
    received, repeated = _assert_each_once(stack, "once", 200)
    assert repeated == {}
    assert sum(received.values()) == 200
    # The 8 refused with 451 at the first try were retried with back-off and arrived once.
    assert len(handler.refused) == 8
    retried = OutgoingEmail.objects.filter(occasion="once", attempts=2)
    assert sorted(email.message_id for email in retried) == sorted(handler.refused)


@pytest.mark.parametrize("together", [False, True], ids=["one-per-page", "all-in-one-transaction"])
def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing(stack_for, together):
    # The server stalls after 50 messages, so the worker is surely killed in the middle of the
    # batch however slowly this test gets to see the 50 arrive.
    stack = stack_for(mailstack.CollectingHandler(delay=0.02, hold_after=50))
    first = stack.worker("worker-killed")
    stack.beat()
    mailstack.run_actor(stack.env(), count=200, prefix="kill", together=together)
    assert mailstack.wait_until(lambda: stack.handler.count() >= 50, timeout=60), stack.logs()
    first.kill(signal.SIGKILL)
    abandoned = frozenset(mailstack.redis_unacked(stack.redis_url, stack.queue))
    delivered_before_restart = stack.handler.count()
    unsent = OutgoingEmail.objects.filter(occasion="kill").exclude(state=OutgoingEmail.State.SENT).count()
    assert unsent > 0, "the worker finished before it was killed; the test proves nothing"
    assert delivered_before_restart < 200
    stack.handler.released.set()
    stack.worker("worker-restarted")
    assert mailstack.wait_until(lambda: _sent("kill") == 200, timeout=60), stack.logs()
    assert mailstack.wait_until(lambda: stack.settled(abandoned), timeout=30), stack.logs()
    received, repeated = _assert_each_once(stack, "kill", 200)
    # At most the emails the killed worker's processes were handing to SMTP at that instant.
    assert sum(repeated.values()) - len(repeated) <= CONCURRENCY
    print(f"killed after {delivered_before_restart} deliveries; repeated after the kill: {len(repeated)}")


def test_pages_work_while_redis_is_down_and_the_mail_goes_out_when_it_is_back(stack_for):
    stack = stack_for()
    closed = mailstack.redis_url_with_db(f"redis://127.0.0.1:{mailstack.free_port()}", REDIS_DB)
    recorded = mailstack.run_actor(stack.env(redis_url=closed), count=50, prefix="down")
    assert recorded["recorded"] == 50
    # No page waited long for the missing broker (one short try, then a pause for the process).
    assert recorded["slowest"] < 5, recorded
    pending = OutgoingEmail.objects.filter(occasion="down", state=OutgoingEmail.State.PENDING)
    assert pending.count() == 50
    assert stack.handler.count() == 0
    stack.worker()
    stack.beat()
    assert mailstack.wait_until(lambda: _sent("down") == 50, timeout=60), stack.logs()
    assert mailstack.wait_until(stack.settled, timeout=30), stack.logs()
    received, repeated = _assert_each_once(stack, "down", 50)
    assert repeated == {}
    assert sum(received.values()) == 50
