"""
A real webhook receiver for tests: an HTTP server on 127.0.0.1 (ephemeral port) in a thread.

It records every request (header names in lower case), and can be told to fail the next N requests,
to answer with another status (a redirect), or to take its time before answering. `verify` checks a
request's Standard Webhooks signature the way docs/webhooks.md tells receivers to without a library,
independently of the code that signs (tests/webhooks/test_signing.py checks with the `standardwebhooks`
library too). `publish` makes a page's current state live, the change most webhook tests announce.

The `receiver` and `committed` fixtures are in tests/conftest.py, for these tests and the API's.
"""

import base64
import binascii
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


class Receiver:
    def __init__(self):
        self.requests: list[ReceivedRequest] = []
        self.failures_left = 0
        self.failure_status = 500
        self.delay = 0.0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def fail_next(self, times: int, status: int = 500) -> None:
        self.failures_left, self.failure_status = times, status

    @property
    def events(self) -> list[str]:
        return [request.json["event"] for request in self.requests]

    def _handler_class(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                time.sleep(receiver.delay)
                with receiver._lock:
                    headers = {name.lower(): value for name, value in self.headers.items()}
                    receiver.requests.append(ReceivedRequest(self.path, headers, body))
                    failing = receiver.failures_left > 0
                    if failing:
                        receiver.failures_left -= 1
                status = receiver.failure_status if failing else 204
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.url + "elsewhere/")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format, *args):
                pass

        return Handler

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def verify(secret: str, request: ReceivedRequest, tolerance: int = 300) -> bool:
    """
    What a receiver does (docs/webhooks.md): decode the key after `whsec_`, recompute the HMAC of
    "<webhook-id>.<webhook-timestamp>.<body>", compare it with each `v1,` signature, check the timestamp.
    """
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except binascii.Error:
        return False
    delivery_id = request.headers["webhook-id"]
    timestamp = request.headers["webhook-timestamp"]
    message = f"{delivery_id}.{timestamp}.".encode() + request.body
    expected = "v1," + base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    signatures = request.headers["webhook-signature"].split(" ")
    return (
        any(hmac.compare_digest(expected, received) for received in signatures)
        and abs(time.time() - int(timestamp)) <= tolerance
    )


def publish(page):
    """Publish `page` as it is now, as the admin's "Publish" does; the new live revision."""
    revision = page.save_revision()
    revision.publish()
    return revision
