"""Test doubles for failing services: a clock the test moves, and a Redis that goes away and comes back."""

import select
import socket
import socketserver
import threading
from urllib.parse import urlsplit


class FakeClock:
    """A monotonic clock that only moves when the test says so."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class _Forward(socketserver.BaseRequestHandler):
    """Relays one client connection to the upstream Redis, both ways, until either side closes."""

    def handle(self):
        with socket.create_connection(self.server.upstream) as upstream:
            peers = {self.request: upstream, upstream: self.request}
            while True:
                readable, _, _ = select.select(list(peers), [], [])
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    peers[sock].sendall(data)


class ReturningRedis(socketserver.ThreadingTCPServer):
    """
    A loopback port that refuses connections, like a Redis server that is down, until `comes_back()`;
    from then on it relays them to a real Redis, like the same server restarted at the same address.
    """

    daemon_threads = True

    def __init__(self, upstream_url: str):
        super().__init__(("127.0.0.1", 0), _Forward, bind_and_activate=False)
        self.server_bind()  # the port is taken, but nothing listens on it: connections are refused
        upstream = urlsplit(upstream_url)
        self.upstream = (upstream.hostname, upstream.port or 6379)
        self.url = f"redis://127.0.0.1:{self.server_address[1]}{upstream.path or '/0'}"
        self._serving: threading.Thread | None = None

    def comes_back(self) -> None:
        self.server_activate()
        self._serving = threading.Thread(target=self.serve_forever, daemon=True)
        self._serving.start()

    def close(self) -> None:
        if self._serving is not None:
            self.shutdown()
        self.server_close()
