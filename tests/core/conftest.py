import logging

import pytest


@pytest.fixture
def cache_log(caplog):
    """What core.cache_circuit has logged so far in the test, as (level, message) pairs."""
    caplog.set_level(logging.INFO, logger="core.cache_circuit")
    return lambda: [
        (record.levelname, record.getMessage()) for record in caplog.records if record.name == "core.cache_circuit"
    ]
