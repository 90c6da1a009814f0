"""The Redis circuit breaker's state machine (core/cache_circuit.py), on a fake clock and without a network."""

import threading
import time

import pytest
from redis.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import MaxConnectionsError

from core.cache_circuit import CircuitBreaker, CircuitBreakerConnectionPool, CircuitOpen

from .outages import FakeClock

LOCATION = "redis://127.0.0.1:6379/0"
COOLDOWN = 5
REFUSED = RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def breaker(clock):
    return CircuitBreaker(LOCATION, cooldown=COOLDOWN, clock=clock)


def call(breaker: CircuitBreaker, error: Exception | None = None) -> str:
    """One call through the breaker: "refused" if it never went out, else "ok" or "failed"."""
    try:
        with breaker.attempt():
            if error is not None:
                raise error
    except CircuitOpen:
        return "refused"
    except RedisConnectionError:
        return "failed"
    return "ok"


def test_a_closed_circuit_lets_every_call_through_quietly(breaker, cache_log):
    assert [call(breaker) for _ in range(3)] == ["ok", "ok", "ok"]
    assert not breaker.is_open and cache_log() == []


def test_a_failure_opens_the_circuit_and_later_calls_fail_at_once(breaker):
    assert call(breaker, REFUSED) == "failed"

    assert breaker.is_open
    assert {call(breaker) for _ in range(10)} == {"refused"}


def test_an_outage_logs_one_warning_however_many_calls_fail(breaker, clock, cache_log):
    call(breaker, REFUSED)
    call(breaker, REFUSED)  # a call already under way when the circuit opened
    for _ in range(10):
        call(breaker)
    clock.advance(COOLDOWN)
    assert call(breaker, REFUSED) == "failed"  # the probe: Redis is still down

    assert cache_log() == [
        ("WARNING", f"cache unreachable at {LOCATION}: {REFUSED}; serving uncached for 5 s"),
    ]


def test_after_the_cooldown_a_single_call_probes(breaker, clock):
    call(breaker, REFUSED)
    clock.advance(COOLDOWN - 0.1)
    assert call(breaker) == "refused"

    clock.advance(0.1)
    with breaker.attempt():  # the probe, still waiting for Redis
        assert call(breaker) == "refused"


def test_a_successful_probe_closes_the_circuit_and_logs_the_recovery_once(breaker, clock, cache_log):
    call(breaker, REFUSED)
    clock.advance(12)

    assert call(breaker) == "ok"
    assert [call(breaker) for _ in range(3)] == ["ok", "ok", "ok"]
    assert not breaker.is_open
    assert cache_log()[1:] == [("INFO", f"cache reachable again at {LOCATION} after 12 s; caching resumed")]


def test_a_failed_probe_keeps_the_circuit_open_for_another_cooldown(breaker, clock):
    call(breaker, REFUSED)
    clock.advance(COOLDOWN)
    assert call(breaker, REFUSED) == "failed"

    clock.advance(COOLDOWN - 0.1)
    assert call(breaker) == "refused"
    clock.advance(0.1)
    assert call(breaker) == "ok"


def test_a_probe_that_never_reports_does_not_hold_the_circuit_open(breaker, clock):
    call(breaker, REFUSED)
    clock.advance(COOLDOWN)
    with pytest.raises(KeyError), breaker.attempt():
        raise KeyError("a bug far from Redis")

    assert call(breaker) == "refused"
    clock.advance(COOLDOWN)
    assert call(breaker) == "ok" and not breaker.is_open


def test_a_call_let_through_before_the_outage_does_not_close_it(breaker):
    with breaker.attempt():
        assert call(breaker, REFUSED) == "failed"  # another thread's call fails meanwhile

    assert breaker.is_open and call(breaker) == "refused"


def test_running_out_of_pool_connections_is_not_an_outage(breaker, cache_log):
    with pytest.raises(MaxConnectionsError), breaker.attempt():
        raise MaxConnectionsError("Too many connections")

    assert not breaker.is_open and call(breaker) == "ok"
    assert cache_log() == []


def run_together(count: int, target) -> None:
    """Start `count` threads on `target` at the same moment and wait for all of them."""
    barrier = threading.Barrier(count)

    def run():
        barrier.wait()
        target()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)


def test_calls_failing_together_in_many_threads_log_one_warning(breaker, cache_log):
    run_together(20, lambda: call(breaker, REFUSED))

    assert breaker.is_open and [level for level, _ in cache_log()] == ["WARNING"]


def test_after_the_cooldown_many_threads_send_a_single_probe(breaker, clock):
    call(breaker, REFUSED)
    clock.advance(COOLDOWN)
    outcomes = []
    probe_may_finish = threading.Event()

    def make_call():
        try:
            with breaker.attempt():
                outcomes.append("probe")
                probe_may_finish.wait(timeout=10)
        except CircuitOpen:
            outcomes.append("refused")

    waiter = threading.Thread(target=run_together, args=(20, make_call))
    waiter.start()
    deadline = time.monotonic() + 10
    while len(outcomes) < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    probe_may_finish.set()
    waiter.join(timeout=10)

    assert sorted(outcomes) == ["probe"] + ["refused"] * 19
    assert not breaker.is_open


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("redis://:s3cret@127.0.0.1:6379/2", "redis://127.0.0.1:6379/2"),
        ("rediss://cache-user:s3cret@cache.example.com:6380/0", "rediss://cache.example.com:6380/0"),
        ("unix://:s3cret@/run/redis/redis.sock?db=1", "unix:///run/redis/redis.sock"),
    ],
)
def test_the_pool_names_its_server_in_log_lines_without_the_password(url, location):
    assert CircuitBreakerConnectionPool.from_url(url).circuit.location == location


@pytest.fixture
def refused_connections(monkeypatch):
    """Every TCP connection redis-py tries is refused, and counted, without touching the network."""
    attempts = []

    def refuse(connection):
        attempts.append(connection.port)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(Connection, "_connect", refuse)
    return attempts


def test_the_pool_stops_connecting_to_a_server_that_refused(refused_connections, settings):
    settings.CACHE_CIRCUIT_COOLDOWN = COOLDOWN
    pool = CircuitBreakerConnectionPool.from_url("redis://127.0.0.1:6379/0")

    with pytest.raises(RedisConnectionError) as first:
        pool.get_connection()
    for _ in range(5):
        with pytest.raises(CircuitOpen):
            pool.get_connection()

    assert not isinstance(first.value, CircuitOpen)
    assert refused_connections == [6379]
    assert pool.circuit.cooldown == COOLDOWN


def test_a_reset_pool_starts_with_a_closed_circuit(refused_connections):
    """redis-py resets a pool in a forked worker: that process tries the server for itself."""
    pool = CircuitBreakerConnectionPool.from_url("redis://127.0.0.1:6379/0")
    with pytest.raises(RedisConnectionError):
        pool.get_connection()

    pool.reset()

    assert not pool.circuit.is_open
    with pytest.raises(RedisConnectionError):
        pool.get_connection()
    assert len(refused_connections) == 2
