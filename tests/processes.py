"""
Real processes for tests: a site on a database of its own, `manage.py` commands and a Redis server the
test can pause, kill and restart. Its servers are `tests.served_site.gunicorn`.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from tests.served_site import ADMIN_PASSWORD, free_port, server_environment

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def require(reason: str | None) -> None:
    """Skip with `reason`, or fail in CI, where nothing may be skipped for want of a server."""
    if reason is None:
        return
    if os.environ.get("CI") == "true" or os.environ.get("CI_REQUIRE_SERVICES"):
        pytest.fail(f"CI FAILURE: {reason}")
    pytest.skip(reason)


def manage(environment: dict, *args: str, timeout: int = 300) -> str:
    """Run `manage.py` in a process of its own; its output, or the test fails with its error."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}"
    return result.stdout


def site_environment(directory: Path, database_url: str, **variables: str) -> dict:
    """The environment of a site of its own on `database_url` (see `tests.served_site.server_environment`)."""
    return server_environment(
        # cms.settings.test's own key, for every settings module: API tokens are hashed with it.
        SECRET_KEY="test-only-secret-key",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(directory / "media"),
        STATIC_ROOT=str(directory / "static"),
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
        API_ANON_RATE="100000/minute",
        **variables,
    )


class RedisServer:
    """
    A redis-server of the test's own, which it may pause, kill and restart at the same address.

    Appends every write to a file on disk (`appendfsync always`), so a killed server comes back with
    the entries it held: the hard case for freshness, stale copies that survive the outage. `options`
    are more `redis-server` arguments, after those (`"--maxmemory", "8mb"`; `"--appendonly", "no"` wins).
    """

    def __init__(self, directory: Path, *options: str):
        binary = shutil.which("redis-server")
        require(None if binary else "redis-server is not installed (Debian: apt-get install redis-server)")
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.options = options
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.directory),
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--save",
                "",
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while True:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_timeout=5)

    def pause(self, milliseconds: int) -> None:
        """Stall every client for `milliseconds`, as an overloaded or failing-over Redis does."""
        self.client().execute_command("CLIENT", "PAUSE", milliseconds, "ALL")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.kill()
