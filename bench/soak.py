"""
`python -m bench.soak` (the second half of `make bench`): many clients at once for a minute against
gunicorn with production settings without publishes (the baseline), then for another minute while
an editor publishes every few seconds; the publishing run is judged against the baseline.

A test, unlike bench/run.py: it exits 1 unless, in both runs, every response was a 200 with the
expected content, no connection failed, gunicorn logged no error and restarted no worker, and (while
publishing) every publish was visible on the next read. It exits 2 when the harness itself breaks
(setup, gunicorn's start, a route failing its check before the load starts). The targets (while
publishing, at least 80% of the baseline's req/s and at most three times its p99, no stale read)
are a report, as in bench/run.py: missed, they print FAIL but leave the exit status alone (a stale
read still fails the soak); bench/soak_targets.py has them.

1. The same set-up as bench/run.py (bench/harness.py): a throwaway PostgreSQL database and Redis
   key prefix (else SQLite and local memory), the seeded content plus BENCH_PAGES generated pages,
   `bench.settings` (production settings) under gunicorn with gunicorn.conf.py on loopback.
2. Every route is requested once and checked before the load starts (this also warms the caches).
3. SOAK_CLIENTS clients (64), each on its own keep-alive connection, request a weighted mix of site
   pages, the services index, the API's list, detail, find and section endpoints and the sitemap
   for SOAK_DURATION seconds (60). They run as asyncio tasks in this process: one event loop on
   raw sockets costs far less CPU per request than threads with http.client, so the cores go to
   the server; the loop's own CPU time and lag are measured and printed to show it kept up.
   Every response's body is checked (wrk could not do that).
4. Meanwhile `manage.py bench_publisher`, started once, publishes a new title and summary with a
   counter to the Flask page and then to a second page every SOAK_PUBLISH_INTERVAL seconds (3).
   For each publish and each route showing that page (its HTML, its API detail, the Flask page's
   API find, and, for Flask, the services index's first page) the first request started after the
   publish returned must show the new counter; and no request started after a publish returned may
   show an older one.
5. Steps 3 and 4 run twice on the same server, one after the other: first without the publisher
   (the baseline), then with it; each run's figures are printed and judged, then the targets.
6. Both runs and the targets are written to bench/results/soak.json:
   {"baseline": {...}, "publishing": {...}, "targets": [...], "passed": ..., "settings": ...}.

Settings: `--duration`/SOAK_DURATION (seconds per run), `--clients`/SOAK_CLIENTS,
`--interval`/SOAK_PUBLISH_INTERVAL, `--runs`/SOAK_RUNS (both; `baseline` or `publishing` alone, whose
targets are then n/a), BENCH_PAGES (1000); gunicorn's own GUNICORN_* variables (gunicorn.conf.py).
`--interval 0` means no publishes: the baseline alone, as `--runs baseline` (it is not a verdict on
visibility, so it passes without any).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import html
import json
import math
import os
import random
import re
import secrets
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .harness import (
    BUSY_CORES,
    FLASK_PATH,
    HOST,
    PROJECT_DIR,
    CpuAccount,
    HarnessError,
    Workspace,
    env_int,
    fmt,
    get,
    redis_server_version,
    run_main,
    say,
    start_document,
    write_results,
)
from .soak_targets import compute_soak_targets, print_soak_targets

PAGES = env_int("BENCH_PAGES", 1000)
# gunicorn kills a request after its 30 s timeout; waiting longer only tells the same story later.
REQUEST_TIMEOUT = 60
# One Python process can use one core at most: this much means the clients may have held the load back.
GENERATOR_SATURATED_CORES = 0.8
# gunicorn's log lines that mean a request or a worker failed.
LOG_PROBLEMS = {
    "worker_timeouts": re.compile(r"WORKER TIMEOUT"),
    "workers_killed": re.compile(r"Worker \(pid:\d+\) was sent"),
    "error_lines": re.compile(r"\b(ERROR|CRITICAL)\b|\[ERROR\]|\[CRITICAL\]|Traceback"),
}


# --------------------------------------------------------------------------------------------------
# The pages the publisher edits


@dataclass(frozen=True)
class EditedPage:
    """A page whose title and summary the publisher rewrites with a counter: `[soak <nonce>.<n>]`."""

    key: str
    page_id: int
    path: str
    title: str
    summary: str
    nonce: str = field(default_factory=lambda: secrets.token_hex(3))

    def tag(self, counter: int) -> str:
        return f"[soak {self.nonce}.{counter}]"

    def edit(self, counter: int) -> dict:
        tag = self.tag(counter)
        return {
            "page": self.page_id,
            "key": self.key,
            "counter": counter,
            "title": f"{self.title} {tag}",
            # ServicePage.summary holds 300 characters.
            "summary": f"{self.summary[: 299 - len(tag)]} {tag}",
        }

    def shown(self, body: bytes) -> int:
        """The oldest edit a response shows (title and summary alike); 0 for the content before any."""
        counters = re.findall(rb"\[soak " + self.nonce.encode() + rb"\.(\d+)\]", body)
        return min(int(counter) for counter in counters) if counters else 0


# --------------------------------------------------------------------------------------------------
# Routes and their checks


Check = Callable[[bytes], str | None]  # a response body's problem, or None


def html_page(text: str = "") -> Check:
    """A whole HTML document showing `text`, if given."""
    expected = html.escape(text).encode()

    def check(body: bytes) -> str | None:
        if not body.rstrip().endswith(b"</html>"):
            return "not a whole HTML page"
        return None if expected in body else f"does not show {text!r}"

    return check


def json_detail(page_id: int) -> Check:
    def check(body: bytes) -> str | None:
        data = json.loads(body)
        if data.get("id") != page_id or not data.get("sections"):
            return f"page {data.get('id')!r} with {len(data.get('sections') or [])} sections, not page {page_id}"
        return None

    return check


def json_list(minimum: int) -> Check:
    def check(body: bytes) -> str | None:
        data = json.loads(body)
        if len(data.get("results") or []) != 20 or (data.get("count") or 0) < minimum:
            return f"{len(data.get('results') or [])} of {data.get('count')!r} pages, not 20 of at least {minimum}"
        return None

    return check


def json_section(block_id: str) -> Check:
    def check(body: bytes) -> str | None:
        found = json.loads(body).get("id")
        return None if found == block_id else f"section {found!r}, not {block_id}"

    return check


def sitemap(minimum: int) -> Check:
    def check(body: bytes) -> str | None:
        urls = body.count(b"<loc>")
        if not body.rstrip().endswith(b"</urlset>") or urls < minimum:
            return f"{urls} URLs, not at least {minimum}, or not a whole sitemap"
        return None

    return check


@dataclass(frozen=True)
class Route:
    key: str
    group: str  # latency figures are per group
    path: str
    weight: float  # share of the requests, in percent (all routes add up to 100)
    check: Check
    shows: tuple[EditedPage, ...] = ()  # edited pages whose latest publish it must show

    def request(self, port: int) -> bytes:
        accept = "application/json" if self.path.startswith("/api/") else "text/html,application/xml;q=0.9,*/*;q=0.8"
        return (
            f"GET {self.path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: cms-soak/1\r\nAccept: {accept}\r\n\r\n"
        ).encode()


def routes(info: dict, flask: EditedPage, other: EditedPage, section_id: str) -> list[Route]:
    """What visitors and API clients ask for, in roughly the proportions a content site sees."""
    api = "/api/v1/pages"
    minimum = info["service_pages"]
    return [
        Route("flask_page", "site page", FLASK_PATH, 22, html_page(flask.title), (flask,)),
        Route("other_page", "site page", other.path, 10, html_page(other.title), (other,)),
        Route("home", "site page", "/", 10, html_page()),
        # Twelve services a page: Flask is on the first, the other page (the last generated) far beyond it.
        Route("services_index", "services index", "/services/", 4, html_page(flask.title), (flask,)),
        Route("flask_detail", "API detail", f"{api}/{flask.page_id}/", 15, json_detail(flask.page_id), (flask,)),
        Route("other_detail", "API detail", f"{api}/{other.page_id}/", 8, json_detail(other.page_id), (other,)),
        Route("flask_find", "API find", f"{api}/find/?path={FLASK_PATH}", 9, json_detail(flask.page_id), (flask,)),
        Route("list_first", "API list", f"{api}/?limit=20", 10, json_list(minimum)),
        Route("list_later", "API list", f"{api}/?limit=20&offset={minimum // 2}", 4.5, json_list(minimum)),
        Route(
            "flask_section",
            "API section",
            f"{api}/{flask.page_id}/sections/{section_id}/",
            7,
            json_section(section_id),
        ),
        Route("sitemap", "sitemap", "/sitemap-pages.xml", 0.5, sitemap(minimum)),
    ]


# --------------------------------------------------------------------------------------------------
# HTTP/1.1 over asyncio streams


class Connection:
    """One keep-alive connection; a request's whole response is read before the next is sent."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection(HOST, port, limit=1 << 20)
        return cls(reader, writer)

    async def exchange(self, request: bytes) -> tuple[int, dict[bytes, bytes], bytes]:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].split(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = await self.read_chunked()
        elif b"content-length" in headers:
            body = await self.reader.readexactly(int(headers[b"content-length"]))
        else:  # delimited by the end of the connection
            body = await self.reader.read()
            headers[b"connection"] = b"close"
        return status, headers, body

    async def read_chunked(self) -> bytes:
        chunks = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            if size == 0:
                while await self.reader.readuntil(b"\r\n") != b"\r\n":  # trailer fields, if any
                    pass
                return b"".join(chunks)
            chunks.append((await self.reader.readexactly(size + 2))[:-2])

    def close(self) -> None:
        self.writer.close()


# --------------------------------------------------------------------------------------------------
# The clients


@dataclass
class Read:
    """A request to a route showing an edited page: when it started, and which edit it showed."""

    route: str
    started_at: float  # wall clock, comparable with the publisher's times
    status: int
    shown: dict[str, int]  # edited page key → oldest counter shown


@dataclass
class Tally:
    requests: int = 0
    latencies_ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)  # (group, status) → count
    cache_hits: Counter = field(default_factory=Counter)  # group → responses served from the response cache
    connection_errors: Counter = field(default_factory=Counter)  # kind → count
    body_failures: Counter = field(default_factory=Counter)  # route → 200s with the wrong content
    examples: list[str] = field(default_factory=list)
    reads: list[Read] = field(default_factory=list)
    server_closed: int = 0  # connections the server ended with `Connection: close` (not an error)

    def problem(self, message: str) -> None:
        if len(self.examples) < 20:
            self.examples.append(message)

    def record(
        self, route: Route, status: int, elapsed_ms: float, body: bytes, started_at: float, cache_hit: bool = False
    ) -> None:
        self.requests += 1
        self.latencies_ms.setdefault(route.group, []).append(elapsed_ms)
        self.statuses[route.group, status] += 1
        self.cache_hits[route.group] += cache_hit
        if status != 200:
            self.problem(f"{route.path}: {status} {body[:200]!r}")
        else:
            try:
                failure = route.check(body)
            except ValueError as error:  # not JSON
                failure = f"unreadable ({error})"
            if failure:
                self.body_failures[route.key] += 1
                self.problem(f"{route.path}: {failure}")
        if route.shows:
            shown = {page.key: page.shown(body) for page in route.shows}
            self.reads.append(Read(route.key, started_at, status, shown))

    def connection_error(self, route: Route, error: BaseException) -> None:
        kind = {
            asyncio.IncompleteReadError: "closed mid-response",
            TimeoutError: f"no response within {REQUEST_TIMEOUT} s",
            ConnectionRefusedError: "refused",
            ConnectionResetError: "reset",
            BrokenPipeError: "broken pipe",
            ValueError: "malformed response",
        }.get(type(error), type(error).__name__)
        self.connection_errors[kind] += 1
        self.problem(f"{route.path}: connection error: {kind} ({error!r})")


async def client(number: int, all_routes: list[Route], port: int, deadline: float, tally: Tally) -> None:
    """Request routes drawn by weight, back to back on one keep-alive connection, until the deadline."""
    rng = random.Random(number)  # noqa: S311 - a repeatable mix of requests, not a secret
    weights = [route.weight for route in all_routes]
    requests = {route.key: route.request(port) for route in all_routes}
    connection: Connection | None = None
    try:
        while time.monotonic() < deadline:
            (route,) = rng.choices(all_routes, weights)
            started_at, started = time.time(), time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    if connection is None:
                        connection = await Connection.open(port)
                    status, headers, body = await connection.exchange(requests[route.key])
            except (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as error:
                tally.connection_error(route, error)
                if connection is not None:
                    connection.close()
                connection = None
                await asyncio.sleep(0.05)  # no tight loop against a server that is down
                continue
            elapsed_ms = (time.perf_counter() - started) * 1000
            tally.record(route, status, elapsed_ms, body, started_at, headers.get(b"x-cache") == b"HIT")
            if headers.get(b"connection", b"").lower() == b"close":
                tally.server_closed += 1
                connection.close()
                connection = None
    finally:
        if connection is not None:
            connection.close()


async def loop_lag(deadline: float, every: float = 0.05) -> list[float]:
    """How late the event loop wakes a sleeper (ms): high values mean the clients were short of CPU."""
    lags = []
    while time.monotonic() < deadline:
        expected = time.perf_counter() + every
        await asyncio.sleep(every)
        lags.append(max(0.0, (time.perf_counter() - expected) * 1000))
    return lags


# --------------------------------------------------------------------------------------------------
# The publisher


class Publisher:
    """`manage.py bench_publisher` in a subprocess: one publish per line written, one JSON answer each."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env = env
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("a") as stderr:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "manage.py",
                "bench_publisher",
                cwd=PROJECT_DIR,
                env=self.env,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=stderr,
            )
        ready = await self.answer(timeout=120)
        if not ready.get("ready"):
            raise HarnessError(f"bench_publisher answered {ready!r} instead of being ready")

    async def answer(self, timeout: float) -> dict:
        try:
            line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        except TimeoutError:
            raise HarnessError(f"bench_publisher did not answer within {timeout:.0f} s") from None
        if not line:
            tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])
            raise HarnessError(f"bench_publisher exited:\n{tail}")
        return json.loads(line)

    async def publish(self, edit: dict) -> dict:
        self.process.stdin.write((json.dumps(edit) + "\n").encode())
        await self.process.stdin.drain()
        return await self.answer(timeout=60)

    async def run(self, pages: list[EditedPage], interval: float, started: float, deadline: float) -> list[dict]:
        """Every `interval` seconds, publish the next edit of each page in turn; stop `interval` before the end."""
        done = []
        counter = 1
        while (due := started + counter * interval) <= deadline - interval:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            for page in pages:
                done.append(await self.publish(page.edit(counter)))
            counter += 1
        return done

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


async def no_publishes() -> list[dict]:
    return []


# --------------------------------------------------------------------------------------------------
# Verdicts


def percentile(ordered: list[float], share: float) -> float | None:
    """Nearest-rank percentile of a sorted list."""
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share / 100 * len(ordered)) - 1))]


def latency_figures(values: list[float]) -> dict:
    ordered = sorted(values)
    figures = {"requests": len(ordered)}
    for name, share in (("p50", 50), ("p95", 95), ("p99", 99)):
        figures[f"{name}_ms"] = round(percentile(ordered, share), 1) if ordered else None
    figures["max_ms"] = round(ordered[-1], 1) if ordered else None
    return figures


def visibility(publishes: list[dict], reads: list[Read], all_routes: list[Route]) -> dict:
    """
    Per publish, the first read of each route showing that page started after the publish
    returned: it must show the new counter (a violation if not; unverified if no read came).
    Across all reads: none started after a publish returned may show an older edit (stale).
    """
    by_route: dict[str, list[Read]] = {}
    for read in sorted(reads, key=lambda read: read.started_at):
        by_route.setdefault(read.route, []).append(read)
    starts = {key: [read.started_at for read in route_reads] for key, route_reads in by_route.items()}
    routes_showing = {route.key: [page.key for page in route.shows] for route in all_routes}

    violations, unverified, next_read_delays, per_publish = [], 0, [], []
    for publish in publishes:
        checked = {}
        for route_key, page_keys in routes_showing.items():
            if publish["key"] not in page_keys:
                continue
            index = bisect.bisect_right(starts.get(route_key, []), publish["publish_returned"])
            if index == len(starts.get(route_key, [])):
                unverified += 1
                checked[route_key] = None
                continue
            read = by_route[route_key][index]
            delay_ms = (read.started_at - publish["publish_returned"]) * 1000
            next_read_delays.append(delay_ms)
            ok = read.status == 200 and read.shown[publish["key"]] >= publish["counter"]
            checked[route_key] = {"ok": ok, "shown": read.shown[publish["key"]], "after_ms": round(delay_ms, 1)}
            if not ok:
                violations.append(
                    f"{publish['key']} edit {publish['counter']}: {route_key} read {delay_ms:.1f} ms after the "
                    f"publish returned showed edit {read.shown[publish['key']]} (status {read.status})"
                )
        per_publish.append(
            {
                "page": publish["key"],
                "counter": publish["counter"],
                "publish_call_ms": round((publish["publish_returned"] - publish["publish_started"]) * 1000, 1),
                "commit_to_return_ms": round((publish["publish_returned"] - publish["publish_committed"]) * 1000, 1),
                "next_reads": checked,
            }
        )

    returned = {}  # page key → (return times, counters) in publish order
    for publish in sorted(publishes, key=lambda publish: publish["publish_returned"]):
        times, counters = returned.setdefault(publish["key"], ([], []))
        times.append(publish["publish_returned"])
        counters.append(publish["counter"])
    stale, stale_examples = 0, []
    for read in reads:
        for page_key, shown in read.shown.items():
            times, counters = returned.get(page_key, ([], []))
            index = bisect.bisect_left(times, read.started_at)
            expected = max(counters[:index], default=0)
            if read.status == 200 and shown < expected:
                stale += 1
                if len(stale_examples) < 10:
                    stale_examples.append(f"{read.route} showed {page_key} edit {shown}, expected {expected} or later")

    visible = sum(
        1
        for item in per_publish
        if item["next_reads"] and all(read and read["ok"] for read in item["next_reads"].values())
    )
    delays = sorted(next_read_delays)
    return {
        "publishes": len(publishes),
        "visible_on_next_read": visible,
        "next_reads_checked": len(next_read_delays),
        "violations": len(violations),
        "violation_examples": violations[:10],
        "unverified": unverified,
        "stale_reads": stale,
        "stale_examples": stale_examples,
        "reads_checked": len(reads),
        "next_read_after_ms": {
            "p50": round(percentile(delays, 50), 1) if delays else None,
            "max": round(delays[-1], 1) if delays else None,
        },
        "publish_call_ms": latency_figures([(p["publish_returned"] - p["publish_started"]) * 1000 for p in publishes]),
        "per_publish": per_publish,
    }


def server_log_events(text: str) -> dict:
    """What gunicorn's log (Django's errors included) says happened while the load ran."""
    lines = text.splitlines()
    events = {name: sum(1 for line in lines if pattern.search(line)) for name, pattern in LOG_PROBLEMS.items()}
    events["workers_booted"] = text.count("Booting worker with pid")
    events["examples"] = [line for line in lines if any(p.search(line) for p in LOG_PROBLEMS.values())][:10]
    return events


# --------------------------------------------------------------------------------------------------
# The run


@dataclass
class Settings:
    duration: int  # seconds of load per run
    clients: int
    interval: float  # seconds between publishes in the publishing run
    runs: tuple[str, ...]  # in RUNS' order: the baseline first, on a server no publish has touched

    def publish_interval(self, run: str) -> float:
        return self.interval if run == "publishing" else 0.0


RUNS = ("baseline", "publishing")
RUN_TITLES = {"baseline": "Baseline (no publishes)", "publishing": "Publishing"}


def parse_settings(argv: list[str] | None = None) -> Settings:
    def from_env(name: str, default: str) -> str:
        """An option's default from the environment: argparse converts (or refuses) it like the option itself."""
        return os.environ.get(name, "").strip() or default

    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.strip().splitlines()[0])
    parser.add_argument("--duration", type=int, default=from_env("SOAK_DURATION", "60"), help="seconds of load (60)")
    parser.add_argument("--clients", type=int, default=from_env("SOAK_CLIENTS", "64"), help="concurrent clients (64)")
    parser.add_argument(
        "--interval",
        type=float,
        default=from_env("SOAK_PUBLISH_INTERVAL", "3"),
        help="seconds between publishes of each page in the publishing run (3); 0: no publishes, the baseline alone",
    )
    parser.add_argument(
        "--runs",
        choices=("both", *RUNS),
        default=from_env("SOAK_RUNS", "both"),
        help="both (the baseline, then the publishing run; the targets compare them), or one of them alone",
    )
    args = parser.parse_args(argv)
    if args.clients < 1 or args.interval < 0 or args.duration < 2 * args.interval or args.duration < 1:
        parser.error("need --clients ≥ 1, --duration ≥ 1, --interval ≥ 0 and --duration ≥ 2 × --interval")
    if args.interval == 0 and args.runs == "publishing":
        parser.error("--interval 0 publishes nothing: a publishing run needs --interval > 0")
    runs = ("baseline",) if args.interval == 0 else RUNS if args.runs == "both" else (args.runs,)
    return Settings(duration=args.duration, clients=args.clients, interval=args.interval, runs=runs)


def preflight(all_routes: list[Route], port: int) -> None:
    """Each route once, checked: a route that fails here would make the soak's figures meaningless."""
    for route in all_routes:
        reply = get(port, route.path)
        problem = f"status {reply.status}" if reply.status != 200 else route.check(reply.body)
        if problem:
            raise HarnessError(f"{route.path} fails its check before any load: {problem}")


def first_section_id(port: int, page_id: int) -> str:
    reply = get(port, f"/api/v1/pages/{page_id}/")
    sections = reply.json().get("sections") if reply.status == 200 else None
    if not sections:
        raise HarnessError(f"/api/v1/pages/{page_id}/ answered {reply.status} without sections")
    return sections[0]["id"]


async def soak(
    settings: Settings, interval: float, workspace: Workspace, all_routes: list[Route], pages: list[EditedPage]
) -> dict:
    """One run: `settings.clients` clients for `settings.duration` seconds; a publish every `interval` s (0: none)."""
    server = workspace.server
    publisher = Publisher(workspace.env, workspace.log)  # its errors go to the kept manage.py log
    if interval:
        await publisher.start()
    tasks: list[asyncio.Task] = []
    try:
        log_offset = server.log.stat().st_size
        tally = Tally()
        account = CpuAccount(server.process.pid, workspace.backends.pg_database)
        cpu_before = time.process_time()
        started = time.monotonic()
        deadline = started + settings.duration
        lag = asyncio.create_task(loop_lag(deadline))
        publishing = asyncio.create_task(
            publisher.run(pages, interval, started, deadline) if interval else no_publishes()
        )
        clients = [
            asyncio.create_task(client(number, all_routes, server.port, deadline, tally))
            for number in range(settings.clients)
        ]
        tasks = [lag, publishing, *clients]
        await asyncio.gather(*clients)
        elapsed = time.monotonic() - started
        generator_cpu = time.process_time() - cpu_before
        cpu = account.result(tally.requests)
        publishes = await publishing
        lags = sorted(await lag)
    finally:
        # Interrupted (Ctrl-C, SIGTERM): nothing may still write to the publisher or the server.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await publisher.stop()
    log_text = server.log.read_bytes()[log_offset:].decode(errors="replace")
    # CpuAccount counts this process and its children together: the clients, and the publisher.
    runner_cores = cpu.pop("load_generator_cpu_cores")
    cpu["load_generator_cpu_cores"] = round(generator_cpu / elapsed, 2)
    cpu["load_generator_cpu_ms_per_request"] = round(generator_cpu * 1000 / max(1, tally.requests), 3)
    cpu["publisher_cpu_cores"] = round(max(0.0, runner_cores - cpu["load_generator_cpu_cores"]), 2)
    return {
        "elapsed_s": round(elapsed, 2),
        "tally": tally,
        "cpu": cpu,
        "loop_lag_ms": {"p50": round(percentile(lags, 50) or 0, 1), "p99": round(percentile(lags, 99) or 0, 1)},
        "publishes": publishes,
        "server_log": server_log_events(log_text),
    }


def run_soak(
    settings: Settings, interval: float, workspace: Workspace, all_routes: list[Route], pages: list[EditedPage]
) -> dict:
    """
    soak() in an event loop, with SIGTERM cancelling it like Ctrl-C does: its `finally` blocks run
    (the publisher stops), then SystemExit leaves the Workspace, which cleans up.
    """
    previous = signal.getsignal(signal.SIGTERM)

    async def cancellable() -> dict:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, asyncio.current_task().cancel)
        return await soak(settings, interval, workspace, all_routes, pages)

    try:
        return asyncio.run(cancellable())
    except asyncio.CancelledError:
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, previous)  # the loop's handler is gone with the loop


def summarize(result: dict, publish_visibility: dict) -> dict:
    tally: Tally = result["tally"]
    elapsed = result["elapsed_s"]
    statuses: Counter = Counter()
    for (_, status), count in tally.statuses.items():
        statuses[status] += count
    every_latency = [value for values in tally.latencies_ms.values() for value in values]
    return {
        "duration_s": elapsed,
        "requests": tally.requests,
        "requests_per_s": round(tally.requests / elapsed, 1),
        "latency_ms": {
            "all": latency_figures(every_latency),
            **{group: latency_figures(values) for group, values in sorted(tally.latencies_ms.items())},
        },
        "response_cache_hit_percent": {
            "all": round(100 * sum(tally.cache_hits.values()) / max(1, tally.requests), 1),
            **{
                group: round(100 * tally.cache_hits[group] / len(values), 1)
                for group, values in sorted(tally.latencies_ms.items())
            },
        },
        "status_counts": {str(status): count for status, count in sorted(statuses.items())},
        "status_5xx": sum(count for status, count in statuses.items() if status >= 500),
        "status_other_non_200": sum(count for status, count in statuses.items() if status != 200 and status < 500),
        "connection_errors": sum(tally.connection_errors.values()),
        "connection_error_kinds": dict(tally.connection_errors),
        "body_check_failures": sum(tally.body_failures.values()),
        "body_check_failures_by_route": dict(tally.body_failures),
        "connections_closed_by_server": tally.server_closed,
        "problem_examples": tally.examples,
        "visibility": publish_visibility,
        "cpu_cores": result["cpu"],
        "event_loop_lag_ms": result["loop_lag_ms"],
        "server_log": result["server_log"],
    }


def judge(figures: dict, publishing_expected: bool = True) -> tuple[list[str], list[str]]:
    """(failures, warnings): failures fail the soak; warnings qualify its figures."""
    publishing, log, cpu = figures["visibility"], figures["server_log"], figures["cpu_cores"]
    failures = [
        f"{count} {what}"
        for count, what in (
            (figures["status_5xx"], "5xx responses"),
            (figures["status_other_non_200"], "other responses that were not 200"),
            (figures["connection_errors"], "connection errors"),
            (figures["body_check_failures"], "200 responses with the wrong content"),
            (publishing["violations"], "publishes not visible on the next read"),
            (publishing["stale_reads"], "reads showing an edit older than one already published"),
            (publishing["unverified"], "publishes no read came after (not verified)"),
            (log["workers_booted"], "gunicorn workers (re)started during the load"),
            (log["worker_timeouts"], "gunicorn worker timeouts"),
            (log["workers_killed"], "gunicorn workers killed"),
            (log["error_lines"], "error lines in gunicorn's log"),
        )
        if count
    ]
    if publishing_expected and not publishing["publishes"]:
        failures.append("no publish happened: the soak was too short to test visibility")
    warnings = []
    if cpu["load_generator_cpu_cores"] >= GENERATOR_SATURATED_CORES:
        warnings.append(
            f"the clients used {cpu['load_generator_cpu_cores']:.2f} cores of the 1 a Python process can: "
            "they may have held the load back"
        )
    if cpu["other_cpu_cores"] >= BUSY_CORES:
        warnings.append(f"other processes used {cpu['other_cpu_cores']:.2f} cores meanwhile: the figures are lower")
    return failures, warnings


def print_report(settings: Settings, interval: float, figures: dict, pages: list[EditedPage]) -> None:
    elapsed = figures["duration_s"]
    say()
    say(
        f"{figures['requests']} requests in {elapsed:.1f} s from {settings.clients} clients: "
        f"{figures['requests_per_s']:.1f} req/s"
    )
    columns = "".join(f"{name:>9}" for name in ("requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "hits %"))
    header = f"  {'route group':<16}{columns}"
    say(header)
    say("  " + "-" * (len(header) - 2))
    for group, latency in figures["latency_ms"].items():
        say(
            f"  {group:<16}{latency['requests']:>9}{latency['requests'] / elapsed:>9.1f}"
            f"{fmt(latency['p50_ms']):>9}{fmt(latency['p95_ms']):>9}{fmt(latency['p99_ms']):>9}"
            f"{fmt(latency['max_ms']):>9}{figures['response_cache_hit_percent'][group]:>9.1f}"
        )
    say("  hits %: responses served from the shared response cache (X-Cache: HIT)")
    say("  status codes: " + ", ".join(f"{status} × {count}" for status, count in figures["status_counts"].items()))
    kinds = ", ".join(f"{kind} × {count}" for kind, count in figures["connection_error_kinds"].items())
    say(
        f"  5xx: {figures['status_5xx']}; other non-200: {figures['status_other_non_200']}; "
        f"connection errors: {figures['connection_errors']}{f' ({kinds})' if kinds else ''}; "
        f"200s with the wrong content: {figures['body_check_failures']}; "
        f"connections closed by the server: {figures['connections_closed_by_server']}"
    )
    publishing = figures["visibility"]
    if interval:
        say(
            f"  publishes: {publishing['publishes']} ({', '.join(page.path for page in pages)}, each every "
            f"{interval:g} s); visible on the next read: {publishing['visible_on_next_read']}/"
            f"{publishing['publishes']} ({publishing['next_reads_checked']} next reads checked, "
            f"{publishing['violations']} violations, {publishing['unverified']} unverified)"
        )
        say(
            f"  stale reads: {publishing['stale_reads']} of {publishing['reads_checked']} reads of the edited "
            f"pages; next read started {fmt(publishing['next_read_after_ms']['p50'])} ms (median) after a publish "
            f"returned; publish call p50 {fmt(publishing['publish_call_ms']['p50_ms'])} ms, "
            f"max {fmt(publishing['publish_call_ms']['max_ms'])} ms"
        )
    else:
        say("  publishes: none (the baseline)")
    log = figures["server_log"]
    say(
        f"  gunicorn log during the load: {log['workers_booted']} workers (re)started, {log['worker_timeouts']} "
        f"worker timeouts, {log['workers_killed']} workers killed, {log['error_lines']} error lines"
    )
    cpu, lag = figures["cpu_cores"], figures["event_loop_lag_ms"]
    say(
        f"  CPU cores: server {cpu['server_cpu_cores']:.2f} ({fmt(cpu['server_cpu_ms_per_request'], '.2f')} ms "
        f"a request), clients {cpu['load_generator_cpu_cores']:.2f} ({cpu['load_generator_cpu_ms_per_request']:.2f} ms "
        f"a request, event-loop lag p50 {lag['p50']:.1f} ms, "
        f"p99 {lag['p99']:.1f} ms), publisher {cpu['publisher_cpu_cores']:.2f}, other processes "
        f"{cpu['other_cpu_cores']:.2f}, idle {cpu['idle_cores']:.2f}"
    )
    for example in figures["problem_examples"][:10] + publishing["violation_examples"] + publishing["stale_examples"]:
        say(f"    {example}")
    for example in log["examples"]:
        say(f"    log: {example}")


def soak_run(
    run: str, settings: Settings, workspace: Workspace, all_routes: list[Route], pages: list[EditedPage]
) -> dict:
    """One run (baseline or publishing) made, judged and printed: its figures, failures and warnings."""
    interval = settings.publish_interval(run)
    what = (
        f"publishing {' and '.join(page.path for page in pages)} every {interval:g} s" if interval else "no publishes"
    )
    say()
    say(f"{RUN_TITLES[run]}: {settings.clients} clients for {settings.duration} s; {what}…")
    result = run_soak(settings, interval, workspace, all_routes, pages)
    figures = summarize(result, visibility(result["publishes"], result["tally"].reads, all_routes))
    failures, warnings = judge(figures, publishing_expected=bool(interval))
    print_report(settings, interval, figures, pages)
    say()
    for warning in warnings:
        say(f"  NOTE  {warning}")
    for failure in failures:
        say(f"  FAIL  {failure}")
    if not failures:
        visible = ", every publish visible on the next read" if interval else ""
        say(f"  PASS  zero 5xx, zero connection errors{visible}")
    return {
        "passed": not failures,
        "failures": failures,
        "warnings": warnings,
        "publish_interval_s": interval,
        **figures,
    }


def main(argv: list[str] | None = None) -> int:
    settings = parse_settings(argv)
    started = time.monotonic()
    say("Soak test.")
    document = start_document("soak", "'other processes' below shows how much of the CPU it took during the load.")
    with Workspace(prefix="cms-soak-", log_name="last-soak.log.tmp") as workspace:
        timings, info, gconfig = workspace.set_up(PAGES)
        if not info.get("other_page_path"):
            raise HarnessError("no second live service page served by the site to edit besides Flask")
        port = workspace.server.port
        flask = EditedPage("flask", info["flask_page_id"], FLASK_PATH, info["flask_title"], info["flask_summary"])
        other = EditedPage(
            "other", info["other_page_id"], info["other_page_path"], info["other_title"], info["other_summary"]
        )
        all_routes = routes(info, flask, other, first_section_id(port, flask.page_id))
        say("Checking every route answers with the expected content…")
        preflight(all_routes, port)
        runs = {run: soak_run(run, settings, workspace, all_routes, [flask, other]) for run in settings.runs}
        targets = compute_soak_targets(runs.get("baseline"), runs.get("publishing"), settings.interval)
        say()
        print_soak_targets(targets)
        failures = [f"{run}: {failure}" for run, figures in runs.items() for failure in figures["failures"]]
        warnings = [f"{run}: {warning}" for run, figures in runs.items() for warning in figures["warnings"]]
        say()
        verdict = f"FAILED: {len(failures)} failures (listed under each run)" if failures else "PASSED"
        say(f"Soak {verdict}; the targets above are reported, they do not decide this.")
        document.update(
            {
                "passed": not failures,
                "failures": failures,
                "warnings": warnings,
                "settings": {
                    "clients": settings.clients,
                    "duration_s": settings.duration,
                    "publish_interval_s": settings.interval,
                    "runs": list(settings.runs),
                    "DJANGO_SETTINGS_MODULE": "bench.settings (imports cms.settings.production)",
                    "RESPONSE_CACHE_ENABLED": info["response_cache_enabled"],
                    "gunicorn": gconfig,
                    "database": f"{workspace.backends.database} ({info['database_version']})",
                    "cache": workspace.backends.cache,
                    "redis_version": redis_server_version() if workspace.backends.redis_url else None,
                },
                "content": {"demo_pages": PAGES, "live_service_pages": info["service_pages"]},
                "edited_pages": [{"key": page.key, "id": page.page_id, "path": page.path} for page in (flask, other)],
                "routes": [
                    {"key": route.key, "group": route.group, "path": route.path, "weight": route.weight}
                    for route in all_routes
                ],
                "setup_timings_s": timings,
                **runs,
                "targets": targets,
                "total_run_s": round(time.monotonic() - started, 1),
            }
        )
        path = write_results(document, "soak.json")
        say(f"\nWrote {path.relative_to(PROJECT_DIR)} ({document['total_run_s']:.0f} s in all).")
    return 1 if failures else 0


if __name__ == "__main__":
    run_main(main, "SOAK")
