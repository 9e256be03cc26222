"""A real mail stack for the integration tests and the mail benchmark.

An aiosmtpd server that collects what it receives, and Celery workers and beat started as
separate processes against the real PostgreSQL, Redis and that SMTP server. Nothing here needs
pytest, so bench/mail.py uses it too.
"""

import contextlib
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Delivery:
    message_id: str
    recipients: list
    at: float


@dataclass
class CollectingHandler:
    """Keeps every accepted message; can answer 451 to the first try of chosen recipients, and can
    hold every message after the first `hold_after` until `released` is set (a server that stalls)."""

    delay: float = 0.0
    hold_after: int | None = None
    released: threading.Event = field(default_factory=threading.Event)
    fail_first_try_for: set = field(default_factory=set)
    deliveries: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):
        found = MESSAGE_ID.search(envelope.content)
        message_id = found.group(1).decode() if found else ""
        recipients = list(envelope.rcpt_tos)
        with self.lock:
            if self.fail_first_try_for.intersection(recipients) and message_id not in self.refused:
                self.refused.append(message_id)
                return "451 4.3.0 Try again later"
        if self.delay:
            time.sleep(self.delay)  # a slow server: the worker waits, like on a real network
        if self.hold_after is not None and self.count() >= self.hold_after:
            self.released.wait(timeout=120)
        with self.lock:
            self.deliveries.append(Delivery(message_id, recipients, time.monotonic()))
        return "250 OK"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [delivery.message_id for delivery in self.deliveries]

    def count(self) -> int:
        with self.lock:
            return len(self.deliveries)


@dataclass
class CountingHandler:
    """Only counts, into a shared multiprocessing.Value (for the benchmark's server process)."""

    counter: object

    async def handle_DATA(self, server, session, envelope):
        with self.counter.get_lock():
            self.counter.value += 1
        return "250 OK"


class SMTPServer:
    def __init__(self, handler, port: int | None = None):
        self.handler = handler
        self.fixed_port = port is not None
        self.port = port or free_port()
        self.controller = Controller(handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        # A free port found by probing can be taken by another process (a parallel test worker)
        # before the server binds it: then another one is tried.
        for attempt in range(5):
            try:
                self.controller.start()
                return self
            except OSError:
                if self.fixed_port or attempt == 4:
                    raise
                self.port = free_port()
                self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


def database_url(settings_dict) -> str:
    """The URL of the database Django is using (the test database under pytest-django)."""
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    return f"postgres://{credentials}{host}:{port}/{settings_dict['NAME']}"


def redis_url_with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


def service_env(*, database_url: str, redis_url: str, smtp_url: str, queue: str, **extra) -> dict:
    """Environment for a portal process: production settings against the given services."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")
        and not key.startswith(("NOTIFICATIONS_", "CELERY_", "PYTEST"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="dialog_portal.settings",
        DEBUG="0",
        SECRET_KEY="integration-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        EMAIL_URL=smtp_url,
        CELERY_QUEUE=queue,
        PYTHONUNBUFFERED="1",
    )
    environment.update({key: str(value) for key, value in extra.items()})
    return environment


class Process:
    """A child process in its own process group, logging to a file; killed for sure on stop()."""

    def __init__(self, name: str, args: list[str], env: dict, log_dir: Path):
        self.name = name
        self.log_path = log_dir / f"{name}-{uuid.uuid4().hex[:6]}.log"
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill(self, sig=signal.SIGKILL, wait: float = 15) -> None:
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
        try:
            self.popen.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=5)

    def stop(self) -> None:
        """Stop the process and everything it started (prefork children included)."""
        if self.popen.poll() is None:
            self.kill(signal.SIGTERM, wait=1)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)  # stragglers in the group
        self._log.close()

    def log_tail(self, lines: int = 40) -> str:
        self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])


def start_worker(
    env: dict, log_dir: Path, *, concurrency: int | None = 2, name: str = "worker", loglevel: str = "INFO"
) -> Process:
    """A worker process; concurrency None leaves the number of processes to the settings."""
    return Process(
        name,
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dialog_portal",
            "worker",
            "-Q",
            env["CELERY_QUEUE"],
            "-n",
            f"{name}-{uuid.uuid4().hex[:6]}@%h",
            *(["-c", str(concurrency)] if concurrency else []),
            "-P",
            "prefork",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-l",
            loglevel,
        ],
        env,
        log_dir,
    )


def start_beat(env: dict, log_dir: Path) -> Process:
    return Process(
        "beat",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dialog_portal",
            "beat",
            "-s",
            str(log_dir / f"beat-schedule-{uuid.uuid4().hex[:6]}"),
            "--pidfile",
            str(log_dir / f"beat-{uuid.uuid4().hex[:6]}.pid"),
            "-l",
            "INFO",
        ],
        env,
        log_dir,
    )


def run_actor(env: dict, *, count: int, prefix: str, together: bool = False, timeout: float = 120) -> dict:
    """Record `count` emails in a separate process: the way pages do (one transaction each), or
    all in one transaction, the way a reminder sweep does (together=True)."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.integration.notify_actor",
            "--count",
            str(count),
            "--prefix",
            prefix,
            *(["--together"] if together else []),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"the actor failed ({result.returncode}):\n{result.stdout}\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def wait_until(condition, *, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def _unacked_of(client, queue: str):
    """The delivery tags of the queue's messages a worker holds and has not acknowledged."""
    for tag, payload in client.hscan_iter("unacked"):
        try:
            message = json.loads(payload)
            routing_key = message[2] if isinstance(message, list) and len(message) > 2 else ""
        except (ValueError, TypeError):
            continue
        if routing_key == queue:
            yield tag


def redis_unacked(redis_url: str, queue: str) -> set:
    import redis

    return set(_unacked_of(redis.Redis.from_url(redis_url), queue))


def redis_queue_settled(redis_url: str, queue: str, *, abandoned: frozenset = frozenset()) -> bool:
    """Nothing of the queue waits in Redis, and no worker holds a message of it unacknowledged
    (tasks acknowledge late, so a message is held until its send is done). `abandoned` are the
    tags a killed worker left behind: Redis keeps them until the visibility timeout."""
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{queue}*"):
        if client.type(key) == b"list" and client.llen(key):
            return False
    return set(_unacked_of(client, queue)) <= set(abandoned)


def redis_forget_queue(redis_url: str, queue: str) -> None:
    """Remove what the tests left in Redis for their queue, without touching anything else."""
    import redis

    client = redis.Redis.from_url(redis_url)
    # The queue's lists and kombu's binding keys (_kombu.binding.<queue>, _kombu.binding_permanent.<queue>).
    for key in client.scan_iter(match=f"*{queue}*"):
        client.delete(key)
    for tag in list(_unacked_of(client, queue)):
        client.hdel("unacked", tag)
        client.zrem("unacked_index", tag)
