"""The cache falls back to the process's memory while Redis cannot be reached."""

import logging

from dialog_portal import cache as fallback_cache
from dialog_portal.cache import RedisCacheWithLocalFallback
from tests.integration.mailstack import free_port
from tests.portal.test_settings import _manage


def _unreachable_cache():
    # Nothing listens on a port that was free a moment ago: connections are refused at once.
    return RedisCacheWithLocalFallback(
        f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    )


def test_every_operation_answers_from_memory_and_the_outage_is_logged_once(caplog, monkeypatch):
    monkeypatch.setattr(fallback_cache, "RETRY_AFTER", 0)
    cache = _unreachable_cache()
    with caplog.at_level(logging.WARNING, logger="dialog_portal.cache"):
        assert cache.get("missing", "standard") == "standard"
        cache.set("count", 1)
        assert cache.add("count", 5) is False
        assert cache.incr("count") == 2
        assert cache.get_or_set("feed", lambda: "bygget") == "bygget"
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_many(["a", "b", "c"]) == {"a": 1, "b": 2}
        assert cache.has_key("a")
        cache.delete("a")
        cache.delete_many(["b"])
        assert cache.get_many(["a", "b"]) == {}
        assert cache.touch("count", 10)
        cache.clear()
        assert cache.get("count") is None
    warnings = [record for record in caplog.records if "Redis cache unavailable" in record.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING


def test_after_a_failure_redis_is_left_alone_for_a_while(monkeypatch):
    cache = _unreachable_cache()
    calls = []
    monkeypatch.setattr(fallback_cache.RedisCache, "get", lambda self, *args, **kwargs: calls.append(args))
    cache.set("x", 1)  # fails against Redis and marks it unavailable
    assert not cache.redis_available
    assert cache.get("x") == 1
    assert calls == []


def test_settings_use_the_fallback_backend_for_redis():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="dialog.example.no",
        DATABASE_URL="sqlite:////tmp/dialogportal-deploy-check.sqlite3",
        REDIS_URL="redis://127.0.0.1:6390/0",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "dialog_portal.cache.RedisCacheWithLocalFallback"


def test_every_thread_of_a_process_counts_in_the_same_memory(caplog, monkeypatch):
    # Django makes a backend per thread; two of them stand for two threads of one process.
    monkeypatch.setattr(fallback_cache, "RETRY_AFTER", 0)
    location = f"redis://127.0.0.1:{free_port()}/0"
    params = {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    first, second = RedisCacheWithLocalFallback(location, params), RedisCacheWithLocalFallback(location, params)
    with caplog.at_level(logging.WARNING, logger="dialog_portal.cache"):
        first.set("attempts", [1, 2])
        assert second.get("attempts") == [1, 2]
    assert len([record for record in caplog.records if "Redis cache unavailable" in record.getMessage()]) == 1
