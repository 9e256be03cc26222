"""The cache backend: Redis, and each process's own memory while Redis cannot be reached.

The cache holds allauth's rate-limit counts, the calendar feeds and page parts under versions
(dialog_portal.versions), nothing that must be shared for the portal to be correct. So when Redis is down, signing in, signing up, password reset and
every page keep working instead of failing with a 500: the cache falls back to a local-memory
cache in each process, with a logged warning. While Redis is away, rate limits are counted per
process (each gunicorn worker counts on its own, so an attacker gets at most the limit per
worker) and each process caches the feeds it builds. After a failure the backend leaves Redis
alone for RETRY_AFTER seconds, so a request does not wait for a dead server at every call; then
it tries again, and once Redis answers the counts and feeds there are used again (what the
processes counted in the meantime is forgotten).

Set OPTIONS socket_connect_timeout and socket_timeout (settings.py does) so an unreachable host
fails fast instead of hanging.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from dialog_portal import versions

logger = logging.getLogger(__name__)

REDIS_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 5.0

# Django makes a cache backend per thread; the fallback's memory and the outage are per process,
# one of each per Redis location, so every thread counts the same rate limits.
_lock = threading.Lock()
_unavailable_until: dict[str, float] = {}


class RedisCacheWithLocalFallback(RedisCache):
    """django.core.cache.backends.redis.RedisCache that uses local memory while Redis is down."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.location = server if isinstance(server, str) else ",".join(server)
        self.fallback = LocMemCache(f"{__name__} fallback for {self.location}", {"TIMEOUT": params.get("TIMEOUT", 300)})

    @property
    def redis_available(self) -> bool:
        return time.monotonic() >= _unavailable_until.get(self.location, 0.0)

    def _call(self, name, *args, **kwargs):
        if self.redis_available:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except REDIS_UNAVAILABLE as error:
                self._redis_failed(error)
            else:
                self._redis_answered()
                return result
        return getattr(self.fallback, name)(*args, **kwargs)

    def _redis_failed(self, error) -> None:
        with _lock:
            was_down = self.location in _unavailable_until
            _unavailable_until[self.location] = time.monotonic() + RETRY_AFTER
        if not was_down:
            logger.warning(
                "Redis cache unavailable (%s); counting rate limits and caching feeds in this process's memory "
                "until it answers again.",
                error,
            )

    def _redis_answered(self) -> None:
        if self.location in _unavailable_until:
            with _lock:
                was_down = _unavailable_until.pop(self.location, None) is not None
            if was_down:
                logger.info("Redis cache answers again; back from this process's memory to Redis.")
                # A change made meanwhile could not give its cached page parts a new version in
                # Redis: every version starts anew (dialog_portal.versions).
                try:
                    versions.forget_all(super())
                except REDIS_UNAVAILABLE as error:
                    self._redis_failed(error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def clear(self):
        self.fallback.clear()
        return self._call("clear")
