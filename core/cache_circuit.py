"""
A circuit breaker for the Redis cache, so an outage costs one connection timeout per cool-down
instead of one per cache call.

django-redis with `IGNORE_EXCEPTIONS` already turns a failed cache call into a miss, but every call
still waits for its connect timeout first, and a request makes several (the response cache, rate
limits, Wagtail settings). Configured as the connection pool of the cache,

    "OPTIONS": {"CONNECTION_POOL_CLASS": "core.cache_circuit.CircuitBreakerConnectionPool", "IGNORE_EXCEPTIONS": True}

the breaker sees every attempt to reach the server: django-redis keeps one pool per server and
process, so all cache calls of a process share one breaker. After a connection fails, calls fail at
once for `CACHE_CIRCUIT_COOLDOWN` seconds (django-redis serves them as misses and no-ops, and rate
limits fail open); then a single call probes the server, and a successful probe closes the circuit.
One WARNING is logged when an outage starts and one INFO when it ends, however many requests it saw.

A server that dies with connections open trips the breaker on the next call: redis-py drops a
connection after an error, so that call has to reconnect through the pool.
"""

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from time import monotonic

from django.conf import settings
from redis.connection import ConnectionPool, SSLConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import MaxConnectionsError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)


class CircuitOpen(RedisConnectionError):
    """Raised instead of contacting a server known to be down; a ConnectionError, so callers treat it as one."""


class CircuitBreaker:
    """
    Closed while `location` answers; open for `cooldown` seconds after a failure, then one probe.

    Thread-safe: state changes happen under a lock, which is never held while waiting on the network.
    """

    def __init__(self, location: str, cooldown: float, clock: Callable[[], float] | None = None):
        self.location = location
        self.cooldown = cooldown
        self._clock = clock or monotonic
        self._lock = threading.Lock()
        self._outage_started_at: float | None = None  # None while closed
        self._next_probe_at = 0.0

    @property
    def is_open(self) -> bool:
        return self._outage_started_at is not None

    @contextmanager
    def attempt(self) -> Iterator[None]:
        """Run one call to the server: raise `CircuitOpen` at once while open, else record how the call went."""
        is_probe = self._admit()
        try:
            yield
        except MaxConnectionsError:
            raise  # this process has used up its pool; the server itself is fine
        except OUTAGE_ERRORS as error:
            self._record_failure(error)
            raise
        if is_probe:
            self._record_recovery()

    def _admit(self) -> bool:
        """Whether this call is the probe; raise `CircuitOpen` if the call must not go out at all."""
        if not self.is_open:
            return False
        with self._lock:
            if not self.is_open:
                return False
            now = self._clock()
            if now < self._next_probe_at:
                raise CircuitOpen(f"{self.location} failed recently; next attempt in {self._next_probe_at - now:.1f} s")
            # This call probes. Everyone else waits for its outcome, or for another cool-down if it
            # never reports one (an unrelated error), so a lost probe cannot hold the circuit open.
            self._next_probe_at = now + self.cooldown
            return True

    def _record_failure(self, error: BaseException) -> None:
        with self._lock:
            now = self._clock()
            outage_starts = self._outage_started_at is None
            if outage_starts:
                self._outage_started_at = now
            self._next_probe_at = now + self.cooldown
        if outage_starts:
            logger.warning(
                "cache unreachable at %s: %s; serving uncached for %g s", self.location, error, self.cooldown
            )

    def _record_recovery(self) -> None:
        """Close the circuit. Only the probe does this: a call let through before the outage proves nothing."""
        with self._lock:
            if self._outage_started_at is None:
                return
            outage = self._clock() - self._outage_started_at
            self._outage_started_at = None
        logger.info("cache reachable again at %s after %.0f s; caching resumed", self.location, outage)


def describe_location(pool: ConnectionPool) -> str:
    """The server a pool connects to, as a URL without credentials (it goes into log lines)."""
    kwargs = pool.connection_kwargs
    if "path" in kwargs:
        return f"unix://{kwargs['path']}"
    scheme = "rediss" if issubclass(pool.connection_class, SSLConnection) else "redis"
    host = kwargs.get("host", "localhost")
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}:{kwargs.get('port', 6379)}/{kwargs.get('db', 0)}"


class CircuitBreakerConnectionPool(ConnectionPool):
    """A redis-py connection pool that stops trying a server for a while after it failed to connect."""

    def reset(self) -> None:
        # redis-py resets a pool when it is created and in a child process after a fork: both start
        # with a closed circuit and a lock no other process holds.
        super().reset()
        self.circuit = CircuitBreaker(describe_location(self), cooldown=settings.CACHE_CIRCUIT_COOLDOWN)

    def get_connection(self, *args, **kwargs):
        with self.circuit.attempt():
            return super().get_connection(*args, **kwargs)
