"""Mail throughput: N emails through the Celery worker vs the same N sent by plain smtplib.

Both go to a local aiosmtpd server running in a process of its own. The worker path is the
portal's whole path: record each email (one transaction, as a page does), publish on commit,
a worker process claims the row, renders the templates, sends over its reused SMTP connection
and marks the row sent. The baseline sends the same rendered messages over one smtplib
connection from one process, twice: with the bytes serialised beforehand (SMTP alone) and
serialising each message as it goes. Prints the rates and the ratios; it is a measurement, not a
test. Other load on the machine moves the figures a lot: run it on a quiet machine.

Needs PostgreSQL and Redis. Use a scratch database (it is migrated, and the benchmark's rows are
deleted afterwards) and a Redis database of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dp_notify_bench \\
    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/mail.py --n 5000

Options: --n (emails, default 5000), --concurrency (worker processes, default: the portal's
setting, CELERY_WORKER_CONCURRENCY), --prefetch (Celery prefetch multiplier, default 16). Run it
with --concurrency 1, 2 and 4 to see the rate per worker process and how it grows with them.
"""

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration import mailstack  # noqa: E402


def _smtp_process(port, count, ready, stop):
    handler = mailstack.CountingHandler(count)
    server = mailstack.SMTPServer(handler, port=port)
    with server:
        ready.set()
        stop.wait()


class SMTPProcess:
    def __init__(self):
        self.port = mailstack.free_port()
        self.count = multiprocessing.Value("i", 0)
        self.ready, self.stop = multiprocessing.Event(), multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=_smtp_process, args=(self.port, self.count, self.ready, self.stop), daemon=True
        )

    def __enter__(self):
        self.process.start()
        if not self.ready.wait(10):
            raise RuntimeError("the SMTP server did not start")
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()

    def received(self) -> int:
        return self.count.value

    def reset(self) -> None:
        with self.count.get_lock():
            self.count.value = 0


def _setup_django(environment):
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _enqueue(n, occasion):
    from notifications.emails import TEST_MESSAGE
    from notifications.services import email_enqueue

    return [
        email_enqueue(
            kind=TEST_MESSAGE.key,
            recipient=f"mottaker{number}@example.org",
            occasion=occasion,
            context={"note": f"Melding nummer {number}"},
        )
        for number in range(n)
    ]


class _RolledBack(Exception):
    pass


def baseline(n, smtp, occasion):
    """The same messages sent by smtplib over one connection from one process.

    Returns two times: sending bytes serialised beforehand (SMTP alone), and serialising each
    message (Python's email package, as any sender must) and sending it.
    """
    import smtplib

    from django.db import transaction

    from notifications import mailer

    messages = []
    try:
        with transaction.atomic():
            messages = [mailer.message_build(email) for email in _enqueue(n, occasion)]
            raise _RolledBack  # nothing is recorded or published
    except _RolledBack:
        pass
    timings = []
    for serialised_beforehand in (True, False):
        prepared = [
            (message, message.message().as_bytes(linesep="\r\n") if serialised_beforehand else None)
            for message in messages
        ]
        smtp.reset()
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", smtp.port) as connection:
            for message, content in prepared:
                content = content or message.message().as_bytes(linesep="\r\n")
                connection.sendmail(message.from_email, message.recipients(), content)
        timings.append(time.perf_counter() - started)
        if smtp.received() != n:
            raise RuntimeError(f"the SMTP server received {smtp.received()} of {n}")
    return timings


def _cpu_seconds(*, pid=None, group=None) -> float:
    """CPU time (user + system) used so far by one process, or by every process of a group."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or (pid is not None and int(entry.name) != pid):
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if group is None or int(fields[2]) == group:
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def through_worker(n, smtp, occasion, environment, log_dir, concurrency):
    from django.db import transaction

    from notifications.models import OutgoingEmail

    worker = mailstack.start_worker(
        environment, log_dir, concurrency=concurrency, name="bench-worker", loglevel="WARNING"
    )
    try:
        # Warm up: the worker is ready once one email has gone all the way through it.
        smtp.reset()
        with transaction.atomic():
            _enqueue(1, f"{occasion}-warm-up")
        if not mailstack.wait_until(lambda: smtp.received() >= 1, timeout=60):
            raise RuntimeError(f"the worker did not start:\n{worker.log_tail()}")
        smtp.reset()
        group = worker.popen.pid  # the worker runs in a process group of its own
        cpu_before = (_cpu_seconds(group=group), _cpu_seconds(pid=smtp.process.pid))
        with transaction.atomic():
            _enqueue(n, occasion)
            started = time.perf_counter()  # the commit publishes every email
        published = time.perf_counter() - started
        if not mailstack.wait_until(lambda: smtp.received() >= n, timeout=max(120, n / 10), interval=0.05):
            raise RuntimeError(f"only {smtp.received()} of {n} arrived:\n{worker.log_tail()}")
        elapsed = time.perf_counter() - started
        cpu = (_cpu_seconds(group=group) - cpu_before[0], _cpu_seconds(pid=smtp.process.pid) - cpu_before[1])
        sent = OutgoingEmail.objects.filter(occasion=occasion, state=OutgoingEmail.State.SENT)
        mailstack.wait_until(lambda: sent.count() == n, timeout=30)
        return elapsed, published, sent.count(), smtp.received(), cpu
    finally:
        worker.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=None)
    parser.add_argument("--prefetch", type=int, default=16)
    options = parser.parse_args()

    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        parser.error("set DATABASE_URL (a scratch PostgreSQL database) and REDIS_URL, see the docstring")

    run = uuid.uuid4().hex[:8]
    queue = f"dp-notify-bench-{run}"
    log_dir = Path(tempfile.mkdtemp(prefix=f"dp-notify-bench-{run}-"))
    with SMTPProcess() as smtp:
        environment = mailstack.service_env(
            database_url=database_url,
            redis_url=redis_url,
            smtp_url=f"smtp://127.0.0.1:{smtp.port}",
            queue=queue,
            CELERY_PREFETCH_MULTIPLIER=options.prefetch,
            # Workers keep their database connection between tasks (see README, Production).
            CONN_MAX_AGE=300,
            LOG_LEVEL="WARNING",
        )
        _setup_django(environment)
        from notifications.models import OutgoingEmail

        occasion = f"bench-{run}"
        try:
            plain_bytes, plain_serialising = baseline(options.n, smtp, occasion)
            worker, published, sent, received, (worker_cpu, server_cpu) = through_worker(
                options.n, smtp, occasion, environment, log_dir, options.concurrency
            )
        finally:
            OutgoingEmail.objects.filter(occasion__startswith=occasion).delete()
            mailstack.redis_forget_queue(redis_url, queue)

    def rate(seconds):
        return options.n / seconds

    from django.conf import settings

    processes = options.concurrency or settings.CELERY_WORKER_CONCURRENCY
    print(
        f"emails: {options.n}; batch: {settings.NOTIFICATIONS_BATCH_SIZE}; worker processes: {processes}; "
        f"prefetch multiplier: {options.prefetch}"
    )
    print(f"smtplib, 1 connection, bytes ready:     {plain_bytes:7.2f} s {rate(plain_bytes):8.1f} emails/s")
    print(f"smtplib, 1 connection, serialising:     {plain_serialising:7.2f} s {rate(plain_serialising):8.1f} emails/s")
    print(f"Celery worker, recorded once each:      {worker:7.2f} s {rate(worker):8.1f} emails/s")
    print(f"  (publishing on commit took {published:.2f} s; rows sent: {sent}; messages received: {received})")
    print(
        f"  CPU per email: worker processes {worker_cpu / options.n * 1000:.2f} ms, "
        f"SMTP server {server_cpu / options.n * 1000:.2f} ms (machine: {os.cpu_count()} CPUs)"
    )
    print(f"ratio worker / smtplib with bytes ready: {rate(worker) / rate(plain_bytes):6.2f}")
    print(f"ratio worker / smtplib serialising:      {rate(worker) / rate(plain_serialising):6.2f}")
    # The aim is per worker process: with more processes than CPUs they share the CPUs (and the
    # SMTP server and the database share them too), so run --concurrency 1 for the aim itself.
    per_process = rate(worker) / processes
    print(
        f"per worker process: {per_process:.1f} emails/s, {per_process / rate(plain_bytes):.2f} × bytes ready, "
        f"{per_process / rate(plain_serialising):.2f} × serialising"
    )


if __name__ == "__main__":
    main()
