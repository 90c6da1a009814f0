"""Redis servers of a test's own: `redis-server` started on a free loopback port, configured as the test needs."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

STARTUP_TIMEOUT = 10


def redis_server_binary() -> str:
    """The path of `redis-server`; a skip without it, and a failure when CI requires the services."""
    binary = shutil.which("redis-server")
    if binary is None:
        reason = "needs redis-server on PATH to start Redis servers of its own"
        if os.environ.get("CI_REQUIRE_SERVICES"):
            pytest.fail(f"CI FAILURE: {reason}")
        pytest.skip(reason)
    return binary


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayRedis:
    """
    A `redis-server` with `maxmemory` and `maxmemory-policy` as given, persisting nothing, gone after `stop()`.

    A server that does not start is a failure, never a skip: the test it serves would otherwise prove nothing.
    """

    def __init__(self, binary: str, directory: Path, *, maxmemory: str, policy: str):
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = [binary, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        command += ["--dir", str(directory), "--maxmemory", maxmemory, "--maxmemory-policy", policy]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        self._wait_until_answering()

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                output = self._process.stdout.read().decode(errors="replace")[-2000:]
                raise AssertionError(f"redis-server on port {self.port} exited: {output}")
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError(f"redis-server on port {self.port} did not answer within {STARTUP_TIMEOUT} s")

    def evicted_keys(self) -> int:
        return self.client.info("stats")["evicted_keys"]

    def stop(self) -> None:
        self.client.close()
        self._process.terminate()
        self._process.wait(timeout=10)
        self._process.stdout.close()
