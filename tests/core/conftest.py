import logging

import pytest
from django_redis.pool import ConnectionFactory


@pytest.fixture
def cache_log(caplog):
    """What core.cache_circuit has logged so far in the test, as (level, message) pairs."""
    caplog.set_level(logging.INFO, logger="core.cache_circuit")
    return lambda: [
        (record.levelname, record.getMessage()) for record in caplog.records if record.name == "core.cache_circuit"
    ]


@pytest.fixture
def fresh_redis_pools(monkeypatch):
    """
    django-redis keeps a pool per server URL (and with it a circuit breaker) for the whole process: give
    the test pools of its own, disconnected when it ends.
    """
    pools = {}
    monkeypatch.setattr(ConnectionFactory, "_pools", pools)
    yield
    for pool in pools.values():
        pool.disconnect()
