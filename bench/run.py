"""
`make bench`: serve the site with gunicorn on loopback, load it with wrk, print and save the figures.

A report, not a test: targets missed print FAIL but the exit status stays 0. The exit status is
non-zero only when the harness itself breaks (setup fails, the server does not start, an endpoint
does not answer 200 with the expected page, wrk fails).

Steps, each printed as it runs (docs/performance.md explains the method):

1. a throwaway database (PostgreSQL `bench_<pid>` on 127.0.0.1:5432 if reachable, else SQLite in a
   temporary directory) and cache (Redis 127.0.0.1:6379/0 under a unique key prefix if reachable,
   else local memory);
2. migrate, load_initial_data, generate_demo_content, collectstatic into a temporary STATIC_ROOT;
3. gunicorn with the project's gunicorn.conf.py and bench.settings on 127.0.0.1:<free port>;
4. every endpoint checked (status, page id, title, fields) before it is measured;
5. wrk per endpoint: a short warm-up run, then the measured run, with the CPU time of the server,
   of wrk and of everything else on the machine accounted from /proc; a run disturbed by other
   processes, or leaving cores idle, is repeated while the time budget allows;
6. publish-to-visible: a title change published by `manage.py bench_publish` against the same
   database and cache while the page and the API are polled through gunicorn;
7. the table, the ratios and the targets printed; bench/results/latest.json written.

Everything started is stopped, and the database, cache keys and temporary files are removed,
whatever happens (Ctrl-C and SIGTERM included).

Settings (environment): BENCH_PAGES (1000), BENCH_DURATION (seconds per measured run, 10),
BENCH_WARMUP (seconds, 3), BENCH_WRK_THREADS (2), BENCH_WRK_CONNECTIONS (16), BENCH_RETRIES (2),
BENCH_BUDGET (seconds for the whole run, 570); gunicorn's own GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_WORKER_CLASS (see gunicorn.conf.py); RESPONSE_CACHE_ENABLED is read like in production.
"""

# Every command run here is a fixed argument list built in this file (no shell, no outside input).
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import datetime
import http.client
import importlib.metadata
import json
import os
import platform
import re
import resource
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = PROJECT_DIR / "bench" / "results"
HOST = "127.0.0.1"
FLASK_PATH = "/services/flask/"
V2_FIELDS = "summary,listing_image,sections"
# Far above anything wrk can reach, so the API's per-client limit (every request here comes from
# 127.0.0.1) is still counted in the cache on every request, as in production, but never trips.
API_ANON_RATE = "1000000000/minute"


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


PAGES = env_int("BENCH_PAGES", 1000)
# Whole run, setup included; retries of disturbed measurements stop when it would be exceeded.
BUDGET = env_int("BENCH_BUDGET", 570)
RETRIES = env_int("BENCH_RETRIES", 2)
DURATION = env_int("BENCH_DURATION", 10)
WARMUP = env_int("BENCH_WARMUP", 3)
WRK_THREADS = env_int("BENCH_WRK_THREADS", 2)
WRK_CONNECTIONS = env_int("BENCH_WRK_CONNECTIONS", 16)
WRK_TIMEOUT = "10s"
# Other processes using this many cores during a measurement are flagged next to its figures.
BUSY_CORES = 0.2
# A run leaving this many cores idle under full load is repeated (see unsettled()).
IDLE_CORES = 0.25
# Throwaway: the database it signs for is dropped at the end of the run.
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


class HarnessError(Exception):
    """The benchmark could not be run as designed; its figures would mean nothing."""


def say(message: str = "") -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------------------------------
# Machine, versions


def machine_info() -> dict:
    cpu_model = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    ram_gib = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    os_name = platform.system()
    with contextlib.suppress(OSError):
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    return {
        "cpu_model": cpu_model,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gib": ram_gib,
        "os": os_name,
        "kernel": platform.release(),
    }


def versions() -> dict:
    found = {"python": platform.python_version()}
    for name in ("django", "wagtail", "djangorestframework", "django-ninja", "gunicorn", "psycopg", "redis"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[name] = importlib.metadata.version(name)
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"wrk (\S+)", wrk.stdout + wrk.stderr)
    found["wrk"] = match.group(1) if match else "unknown"
    return found


# CPU accounting, from /proc: who used the CPU during a measurement.


@dataclass(frozen=True)
class Proc:
    parent: int
    name: str
    ticks: int  # user + system CPU time so far, in clock ticks
    command: str  # the command line, read for database server processes only


def process_table() -> dict[int, Proc]:
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            raw = Path(entry.path, "stat").read_text()
            name = raw[raw.index("(") + 1 : raw.rindex(")")]
            fields = raw[raw.rindex(")") + 2 :].split()
            command = ""
            if name == "postgres":
                command = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue  # the process ended meanwhile
        # After the name come state, ppid, …; utime and stime are the 14th and 15th fields of the line.
        table[int(entry.name)] = Proc(int(fields[1]), name, int(fields[11]) + int(fields[12]), command)
    return table


def descendants(table: dict[int, Proc], root: int) -> set[int]:
    found = {root}
    while True:
        more = {pid for pid, proc in table.items() if proc.parent in found} - found
        if not more:
            return found
        found |= more


def cpu_times() -> tuple[int, int]:
    """(busy, idle) clock ticks of the whole machine so far; busy includes time stolen by the hypervisor."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return user + nice + system + irq + softirq + steal, idle + iowait


class CpuAccount:
    """
    Who used the CPU during a measurement: the server side of the benchmark, or anyone else.

    * server: gunicorn's master and workers, the PostgreSQL backends connected to the benchmark's
      database, and Redis (shared: anything else using it is counted too). Divided by the
      requests served, it gives the CPU cost of a request, which holds up when the machine is busy.
    * other: the machine's busy time (/proc/stat, so short-lived processes and the hypervisor's
      steal count too) less the server's and this runner's own (wrk): about 0 on a quiet machine;
      more means something else (a test suite, say) competed for the cores.
    * idle: cores left unused; well above 0 means the server could not use the whole machine.
    """

    def __init__(self, server_pid: int, database: str | None):
        self.server_pid = server_pid
        self.database_marker = f" {database} " if database else None
        self.before = self.split(process_table())
        self.machine_before = cpu_times()
        self.children_before = self.children_cpu()
        self.started = time.monotonic()

    def split(self, table: dict[int, Proc]) -> tuple[dict[int, int], dict[int, int]]:
        """CPU ticks so far of the server's processes, and of this runner's others (wrk)."""
        server_tree = descendants(table, self.server_pid) if self.server_pid in table else set()
        runner = descendants(table, os.getpid()) - server_tree
        server, own = {}, {}
        for pid, proc in table.items():
            if pid in server_tree or self.is_service(proc):
                server[pid] = proc.ticks
            elif pid in runner:
                own[pid] = proc.ticks
        return server, own

    def is_service(self, proc: Proc) -> bool:
        if proc.name == "redis-server":
            return True
        return proc.name == "postgres" and bool(self.database_marker) and self.database_marker in proc.command

    def result(self, completed: int) -> dict:
        # wrk has exited (and been reaped) by now: its CPU time is in this process's children's.
        after = self.split(process_table())
        busy_after, idle_after = cpu_times()
        elapsed = time.monotonic() - self.started
        tick = os.sysconf("SC_CLK_TCK")
        server, own = (
            sum(max(0, ticks - before.get(pid, 0)) for pid, ticks in now.items()) / tick
            for before, now in zip(self.before, after, strict=True)
        )
        own += self.children_cpu_delta()
        busy = (busy_after - self.machine_before[0]) / tick
        idle = (idle_after - self.machine_before[1]) / tick
        return {
            "server_cpu_ms_per_request": round(server * 1000 / completed, 2) if completed else None,
            "server_cpu_cores": round(server / elapsed, 2),
            "load_generator_cpu_cores": round(own / elapsed, 2),
            "other_cpu_cores": round(max(0.0, busy - server - own) / elapsed, 2),
            "idle_cores": round(idle / elapsed, 2),
        }

    @staticmethod
    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    def children_cpu_delta(self) -> float:
        """CPU seconds of the children that ended meanwhile (wrk), which /proc no longer shows."""
        return self.children_cpu() - self.children_before


# --------------------------------------------------------------------------------------------------
# Throwaway database and cache


@dataclass
class Backends:
    database_url: str
    database: str  # "postgresql" or "sqlite"
    pg_database: str | None = None
    redis_url: str | None = None
    cache_key_prefix: str | None = None
    cache: str = "local memory"
    notes: list[str] = field(default_factory=list)


def postgres_admin():
    import psycopg

    return psycopg.connect(host=HOST, port=5432, user="postgres", dbname="postgres", connect_timeout=2, autocommit=True)


def create_backends(tmp: Path) -> Backends:
    try:
        connection = postgres_admin()
    except Exception as error:  # any failure to reach the server means: use SQLite
        backends = Backends(database_url=f"sqlite:///{tmp / 'bench.sqlite3'}", database="sqlite")
        backends.notes.append(f"PostgreSQL not reachable at {HOST}:5432 ({type(error).__name__}): SQLite used.")
    else:
        from psycopg import sql

        name = f"bench_{os.getpid()}"
        with connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        backends = Backends(
            database_url=f"postgres://postgres@{HOST}:5432/{name}", database="postgresql", pg_database=name
        )

    try:
        import redis

        redis.Redis(host=HOST, port=6379, db=0, socket_connect_timeout=1, socket_timeout=2).ping()
    except Exception as error:  # unreachable (or no client): local memory
        backends.notes.append(
            f"Redis not reachable at {HOST}:6379 ({type(error).__name__}): local-memory cache, one per "
            "gunicorn worker, so the response cache is not shared and another process's publish cannot "
            "invalidate it."
        )
    else:
        backends.redis_url = f"redis://{HOST}:6379/0"
        backends.cache_key_prefix = f"cms-bench-{os.getpid()}-{secrets.token_hex(4)}"
        backends.cache = "redis"
    return backends


def drop_backends(backends: Backends) -> None:
    if backends.pg_database:
        from psycopg import sql

        try:
            with postgres_admin() as connection:
                connection.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(backends.pg_database))
                )
            say(f"Dropped database {backends.pg_database}.")
        except Exception as error:
            say(f"WARNING: could not drop database {backends.pg_database}: {error}")
    if backends.cache_key_prefix:
        try:
            import redis

            client = redis.Redis(host=HOST, port=6379, db=0, socket_connect_timeout=1, socket_timeout=10)
            deleted = 0
            batch = []
            for key in client.scan_iter(match=f"{backends.cache_key_prefix}:*", count=1000):
                batch.append(key)
                if len(batch) >= 1000:
                    deleted += client.unlink(*batch)
                    batch = []
            if batch:
                deleted += client.unlink(*batch)
            say(f"Deleted {deleted} Redis keys under {backends.cache_key_prefix}.")
        except Exception as error:
            say(f"WARNING: could not delete Redis keys under {backends.cache_key_prefix}: {error}")


def redis_server_version() -> str | None:
    try:
        import redis

        return redis.Redis(host=HOST, port=6379, db=0, socket_connect_timeout=1).info("server").get("redis_version")
    except Exception:
        return None


# --------------------------------------------------------------------------------------------------
# Django management commands and gunicorn


def django_env(backends: Backends, tmp: Path, port: int | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "DATABASE_URL": backends.database_url,
            "BENCH_STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "API_ANON_RATE": API_ANON_RATE,
            "PYTHONUNBUFFERED": "1",
        }
    )
    if port:
        env["WAGTAILAPI_BASE_URL"] = f"http://{HOST}:{port}"
    if backends.redis_url:
        env["REDIS_URL"] = backends.redis_url
        env["CACHE_KEY_PREFIX"] = backends.cache_key_prefix or ""
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env: dict[str, str], log: Path, *args: str) -> str:
    """Run a manage.py command; its output goes to the log, and is shown if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    with log.open("a") as handle:
        handle.write(f"$ manage.py {' '.join(args)}\n{result.stdout}{result.stderr}\n")
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise HarnessError(f"manage.py {' '.join(args)} failed (exit {result.returncode}):\n{tail}")
    return result.stdout


def timed_manage(env: dict[str, str], log: Path, timings: dict, label: str, *args: str) -> str:
    started = time.monotonic()
    output = manage(env, log, *args)
    timings[label] = round(time.monotonic() - started, 1)
    say(f"  {label:<24} {timings[label]:6.1f} s")
    return output


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_config(env: dict[str, str]) -> dict:
    """The values gunicorn.conf.py resolves to in the server's environment."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        config = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    keys = ("workers", "worker_class", "threads", "timeout", "graceful_timeout", "keepalive", "preload_app")
    return {key: config.get(key) for key in keys}


class Server:
    """gunicorn in its own session, so it can be stopped as a group and ignores the terminal's Ctrl-C."""

    def __init__(self, env: dict[str, str], port: int, log: Path, graceful_timeout: int):
        self.port = port
        self.log = log
        self.graceful_timeout = graceful_timeout
        self._log_handle = log.open("a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi",
                "--config",
                str(PROJECT_DIR / "gunicorn.conf.py"),
                "--bind",
                f"{HOST}:{port}",
            ],
            cwd=PROJECT_DIR,
            env=env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        return ""

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if get(self.port, "/bench/floor/").status == 200:
                    return
            time.sleep(0.2)
        raise HarnessError(f"gunicorn did not answer on {HOST}:{self.port} within {timeout:.0f} s:\n{self.log_tail()}")

    def wait_workers(self, expected: int, timeout: float = 60) -> int:
        """Wait until gunicorn has started every worker (each logs "Booting worker")."""
        deadline = time.monotonic() + timeout
        while self.booted_workers() < expected and time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            time.sleep(0.2)
        return self.booted_workers()

    def booted_workers(self) -> int:
        with contextlib.suppress(OSError):
            return self.log.read_text(errors="replace").count("Booting worker with pid")
        return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=self.graceful_timeout + 10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        else:
            # The master is gone; make sure no orphaned worker of its group is left behind.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self._log_handle.close()


# --------------------------------------------------------------------------------------------------
# HTTP checks (standard library; one connection per request)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def get(port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 15) -> Reply:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return Reply(response.status, {name.lower(): value for name, value in response.getheaders()}, body)
    finally:
        connection.close()


def local_path(location: str) -> str:
    """A redirect's Location as a path on our server (v2 makes it absolute, v3 relative)."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def same_target(a: str, b: str) -> bool:
    return unquote(a).rstrip("?") == unquote(b).rstrip("?")


# --------------------------------------------------------------------------------------------------
# Endpoints


@dataclass
class Endpoint:
    key: str
    label: str
    path: str
    kind: str  # what the check expects: page, floor, detail (ours/v2/v3), list (ours/v2/v3), redirect
    api: str = ""  # ours, v2, v3
    mode: str = "plain"  # plain, unique (cold), follow (redirect followed)
    headers: dict[str, str] = field(default_factory=dict)
    redirect_to: str = ""  # for redirect hops: the key of the endpoint the Location must match
    note: str = ""


def endpoints(page_id: int) -> list[Endpoint]:
    v2_detail = f"/bench/api/v2/pages/{page_id}/?fields={V2_FIELDS}"
    v2_find = f"/bench/api/v2/pages/find/?html_path={FLASK_PATH}&fields={V2_FIELDS}"
    v3_find = f"/bench/api/v3/pages/find/?html_path={FLASK_PATH}"
    return [
        Endpoint("floor", "floor view (HttpResponse 'ok')", "/bench/floor/", "floor"),
        Endpoint("page_warm", "Flask page, warm", FLASK_PATH, "page"),
        Endpoint(
            "page_cold",
            "Flask page, cold (cache miss)",
            f"{FLASK_PATH}?bench-cold=",
            "page",
            mode="unique",
            note="every request has a query string never requested before: a response-cache miss, rendered",
        ),
        Endpoint("ours_detail", "our API detail", f"/api/v1/pages/{page_id}/", "detail", "ours"),
        Endpoint(
            "ours_detail_uncached",
            "our API detail, cache bypassed",
            f"/api/v1/pages/{page_id}/",
            "detail",
            "ours",
            headers={"Authorization": "Bench no-cache"},
            note="an Authorization header makes the response cache step aside; the API ignores it",
        ),
        Endpoint("ours_find", "our API find", f"/api/v1/pages/find/?path={FLASK_PATH}", "detail", "ours"),
        Endpoint("ours_list", "our API list", "/api/v1/pages/?limit=20", "list", "ours"),
        Endpoint("v2_detail", "Wagtail v2 detail", v2_detail, "detail", "v2"),
        Endpoint("v2_find_hop", "Wagtail v2 find, 302 only", v2_find, "redirect", "v2", redirect_to="v2_detail"),
        Endpoint(
            "v2_find",
            "Wagtail v2 find, 302 followed",
            v2_find,
            "redirect",
            "v2",
            mode="follow",
            redirect_to="v2_detail",
            note="req/s = completed lookups (302 + detail); latency ≈ sum of the two hops' runs",
        ),
        Endpoint("v2_list", "Wagtail v2 list", "/bench/api/v2/pages/?limit=20", "list", "v2"),
        Endpoint("v3_detail", "Wagtail v3 detail", f"/bench/api/v3/pages/{page_id}/", "detail", "v3"),
        Endpoint("v3_find_hop", "Wagtail v3 find, 302 only", v3_find, "redirect", "v3", redirect_to="v3_detail"),
        Endpoint(
            "v3_find",
            "Wagtail v3 find, 302 followed",
            v3_find,
            "redirect",
            "v3",
            mode="follow",
            redirect_to="v3_detail",
            note="req/s = completed lookups (302 + detail); latency ≈ sum of the two hops' runs",
        ),
        Endpoint("v3_list", "Wagtail v3 list", "/bench/api/v3/pages/?limit=20", "list", "v3"),
    ]


def check_json_detail(endpoint: Endpoint, reply: Reply, page_id: int, title: str) -> None:
    data = reply.json()
    if data.get("id") != page_id or data.get("title") != title:
        raise HarnessError(f"{endpoint.path} returned page {data.get('id')!r} {data.get('title')!r}")
    missing = [name for name in ("summary", "sections") if not data.get(name)]
    if missing:
        raise HarnessError(f"{endpoint.path} lacks {', '.join(missing)}")


def check_list(endpoint: Endpoint, reply: Reply, expected_pages: int) -> None:
    data = reply.json()
    items = data.get("results") if endpoint.api == "ours" else data.get("items")
    count = data.get("count") if endpoint.api != "v2" else data.get("meta", {}).get("total_count")
    if not isinstance(items, list) or len(items) != 20:
        raise HarnessError(f"{endpoint.path} returned {len(items or [])} items, not 20")
    if not isinstance(count, int) or count < expected_pages:
        raise HarnessError(f"{endpoint.path} counts {count!r} pages, fewer than the {expected_pages} created")


def verify(endpoint: Endpoint, by_key: dict[str, Endpoint], port: int, info: dict) -> dict:
    """Check an endpoint answers as expected; twice, and report the response cache's verdict on the second."""
    page_id, title = info["flask_page_id"], info["flask_title"]
    path = endpoint.path + (secrets.token_hex(6) if endpoint.mode == "unique" else "")
    first = get(port, path, endpoint.headers)
    second = get(port, path if endpoint.mode != "unique" else endpoint.path + secrets.token_hex(6), endpoint.headers)
    for reply in (first, second):
        if endpoint.kind == "redirect":
            if reply.status not in (301, 302, 303, 307, 308):
                raise HarnessError(f"{endpoint.path} answered {reply.status}, not a redirect")
            target = local_path(reply.headers.get("location", ""))
            if not same_target(target, by_key[endpoint.redirect_to].path):
                raise HarnessError(f"{endpoint.path} redirects to {target}, not {by_key[endpoint.redirect_to].path}")
            followed = get(port, target)
            if followed.status != 200:
                raise HarnessError(f"{endpoint.path} → {target} answered {followed.status}")
            check_json_detail(endpoint, followed, page_id, title)
            continue
        if reply.status != 200:
            raise HarnessError(f"{path} answered {reply.status}: {reply.body[:300]!r}")
        if endpoint.kind == "floor" and reply.body != b"ok":
            raise HarnessError(f"{path} answered {reply.body[:100]!r}")
        if endpoint.kind == "page":
            body = reply.body.decode("utf-8", "replace")
            if title not in body or "<html" not in body.lower():
                raise HarnessError(f"{path} is not the Flask page")
        if endpoint.kind == "detail":
            check_json_detail(endpoint, reply, page_id, title)
        if endpoint.kind == "list":
            check_list(endpoint, reply, info["service_pages"])
    x_cache = second.headers.get("x-cache", "")
    if endpoint.mode == "unique" and x_cache == "HIT":
        raise HarnessError(f"{endpoint.path}… was a cache hit although its URL was new: it would not measure a miss")
    if "Authorization" in endpoint.headers and x_cache == "HIT":
        raise HarnessError(f"{endpoint.path} with an Authorization header came from the response cache")
    return {"status": second.status, "x_cache": x_cache}


# --------------------------------------------------------------------------------------------------
# wrk

# Shared by every run: done() prints one JSON line with exact figures (microseconds), so nothing
# depends on the rounding and units of wrk's human-readable report.
LUA_DONE = r"""
threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function done(summary, latency, requests)
  local completed, redirects, unexpected = 0, 0, 0
  for _, thread in ipairs(threads) do
    completed = completed + (thread:get("completed") or 0)
    redirects = redirects + (thread:get("redirects") or 0)
    unexpected = unexpected + (thread:get("unexpected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, ' ..
    '"errors": {"connect": %.0f, "read": %.0f, "write": %.0f, "status": %.0f, "timeout": %.0f}, ' ..
    '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %.0f, "p50": %.0f, "p75": %.0f, "p90": %.0f, ' ..
    '"p99": %.0f}, "followed": {"completed": %.0f, "redirects": %.0f, "unexpected": %.0f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(99),
    completed, redirects, unexpected))
end
"""

# Cold: each request's URL is new (per thread counter, per run nonce), so it cannot be a cache hit.
LUA_UNIQUE = r"""
counter = 0

function request()
  counter = counter + 1
  return wrk.format(nil, BASE_PATH .. NONCE .. "-" .. tid .. "-" .. counter)
end
"""

# Follow: a 3xx's Location is requested next by the same connection (the stack is popped by the
# connection that just pushed), as an HTTP client would; a lookup is complete at the 200.
LUA_FOLLOW = r"""
pending = {}
completed, redirects, unexpected = 0, 0, 0

function request()
  local location = table.remove(pending)
  return wrk.format(nil, location or BASE_PATH)
end

function response(status, headers, body)
  if status >= 300 and status < 400 then
    redirects = redirects + 1
    local location = headers["Location"] or headers["location"] or BASE_PATH
    location = string.gsub(location, "^https?://[^/]+", "")
    table.insert(pending, location)
  elseif status == 200 then
    completed = completed + 1
  else
    unexpected = unexpected + 1
  end
end
"""


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for these ASCII paths


def wrk_script(endpoint: Endpoint, tmp: Path, nonce: str) -> Path:
    parts = [LUA_DONE, f"BASE_PATH = {lua_string(endpoint.path)}\nNONCE = {lua_string(nonce)}\n"]
    if endpoint.mode == "unique":
        parts.append(LUA_UNIQUE)
    elif endpoint.mode == "follow":
        parts.append(LUA_FOLLOW)
    script = tmp / f"{endpoint.key}.lua"
    script.write_text("\n".join(parts))
    return script


def run_wrk(endpoint: Endpoint, port: int, tmp: Path, seconds: int) -> dict:
    script = wrk_script(endpoint, tmp, nonce=secrets.token_hex(4))
    command = [
        "wrk",
        f"-t{WRK_THREADS}",
        f"-c{WRK_CONNECTIONS}",
        f"-d{seconds}s",
        f"--timeout={WRK_TIMEOUT}",
        "--latency",
        "-s",
        str(script),
    ]
    for name, value in endpoint.headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{endpoint.path}")
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
    match = re.search(r"^BENCH_RESULT (\{.*\})$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not match:
        raise HarnessError(
            f"wrk failed for {endpoint.path} (exit {result.returncode}):\n{result.stdout}{result.stderr}"
        )
    raw = json.loads(match.group(1))
    duration = raw["duration_us"] / 1e6
    latency = raw["latency_us"]
    if endpoint.mode == "follow":
        completed = raw["followed"]["completed"]
        bad = raw["followed"]["unexpected"]
    else:
        completed = raw["requests"] - raw["errors"]["status"]
        bad = raw["errors"]["status"]
    latencies = {f"{name}_ms": round(latency[name] / 1000, 2) for name in ("p50", "p75", "p90", "p99", "mean", "max")}
    figures = {
        "requests": raw["requests"],
        "duration_s": round(duration, 2),
        "completed": completed,
        "rps": round(completed / duration, 1),
        "requests_per_s": round(raw["requests"] / duration, 1),
        **latencies,
        "bad_status": bad,
        "socket_errors": sum(raw["errors"][name] for name in ("connect", "read", "write", "timeout")),
        "errors": raw["errors"],
        "mb_read": round(raw["bytes"] / 1e6, 1),
    }
    if endpoint.mode == "follow":
        # wrk times each request, so here it times hops, not lookups: kept apart, see client_find_latency().
        for name in latencies:
            del figures[name]
        figures["per_hop"] = latencies
    return figures


def unsettled(figures: dict) -> float:
    """
    Cores a run did not have to itself or did not use: other processes' share plus idle time.

    Idle time under full load is usually luck of the draw, not the endpoint: wrk holds its 16
    keep-alive connections for the whole run, and a gthread worker accepts every connection it
    can, so sometimes most of them land on one or two workers, which then queue requests on their
    two threads each while the other workers idle. A new run draws new connections.
    """
    return figures["other_cpu_cores"] + figures["idle_cores"]


def measure(endpoint: Endpoint, server: Server, tmp: Path, deadline: float, database: str | None) -> dict:
    """
    One measured wrk run, repeated (up to BENCH_RETRIES times, time budget permitting) while the
    run was disturbed by other processes or left cores idle; the most settled run is kept.
    """
    best = None
    for attempt in range(1 + RETRIES):
        if attempt and time.monotonic() + DURATION + 5 > deadline:
            break
        account = CpuAccount(server.process.pid, database)
        figures = run_wrk(endpoint, server.port, tmp, DURATION)
        figures.update(account.result(figures["completed"]))
        figures["attempts"] = attempt + 1
        if best is None or unsettled(figures) < unsettled(best):
            best = figures
        if best["other_cpu_cores"] < BUSY_CORES and best["idle_cores"] < IDLE_CORES:
            break
    best["attempts"] = figures["attempts"]
    return best


# --------------------------------------------------------------------------------------------------
# Publish to visible


def publish_to_visible(env: dict[str, str], log: Path, port: int, info: dict, endpoints_by_key) -> dict:
    """
    Publish a title change from another process and time until gunicorn serves it.

    Both the page and the API detail are in the response cache (they were just benchmarked) when
    the publish happens, so this measures invalidation, not a cache miss. Two threads poll every
    10 ms from before the publish starts; the publishing command prints wall-clock times (start;
    the commit of the page's new title; return), which compare directly with the pollers' on the
    same machine. A poller's time is taken when its response has arrived.
    """
    page_id = info["flask_page_id"]
    new_title = f"{info['flask_title']} bench{secrets.token_hex(4)}"
    targets = {"page": endpoints_by_key["page_warm"].path, "api_detail": endpoints_by_key["ours_detail"].path}
    for path in targets.values():  # make sure both are cached (or at least served) before the change
        get(port, path)
    seen: dict[str, dict] = {}
    stop = threading.Event()

    def poll(name: str, path: str) -> None:
        while not stop.is_set():
            try:
                reply = get(port, path, timeout=5)
            except (OSError, http.client.HTTPException):
                time.sleep(0.01)
                continue
            if reply.status == 200 and new_title.encode() in reply.body:
                seen[name] = {"at": time.time(), "x_cache": reply.headers.get("x-cache", "")}
                return
            time.sleep(0.01)

    pollers = [threading.Thread(target=poll, args=item, daemon=True) for item in targets.items()]
    for poller in pollers:
        poller.start()
    try:
        output = manage(env, log, "bench_publish", "--page", str(page_id), "--title", new_title)
        match = re.search(r"^(\{.*\"publish_started\".*\})$", output, re.MULTILINE)
        if not match or "publish_committed" not in match.group(1):
            raise HarnessError(f"bench_publish printed no commit time:\n{output}")
        times = json.loads(match.group(1))
        deadline = time.monotonic() + 30
        while len(seen) < len(targets) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        for poller in pollers:
            poller.join(timeout=10)
    result = {
        "new_title": new_title,
        "publish_commit_ms": round((times["publish_committed"] - times["publish_started"]) * 1000, 1),
        "publish_call_ms": round((times["publish_returned"] - times["publish_started"]) * 1000, 1),
        "poll_interval_ms": 10,
    }
    for name in targets:
        if name in seen:
            result[name] = {
                "from_publish_start_ms": round((seen[name]["at"] - times["publish_started"]) * 1000, 1),
                "from_commit_ms": round((seen[name]["at"] - times["publish_committed"]) * 1000, 1),
                "x_cache": seen[name]["x_cache"],
            }
        else:
            result[name] = {"from_publish_start_ms": None, "from_commit_ms": None, "x_cache": "", "timed_out_s": 30}
    return result


# --------------------------------------------------------------------------------------------------
# Report


def ratio(a: dict | None, b: dict | None) -> float | None:
    if not a or not b or not a.get("rps") or not b.get("rps"):
        return None
    return round(a["rps"] / b["rps"], 2)


def cpu_ratio(a: dict | None, b: dict | None) -> float | None:
    """The same comparison from CPU cost: b's server CPU per request over a's (higher: a is cheaper)."""
    cost_a = (a or {}).get("server_cpu_ms_per_request")
    cost_b = (b or {}).get("server_cpu_ms_per_request")
    return round(cost_b / cost_a, 2) if cost_a and cost_b else None


def fmt(value, spec: str = ".1f", missing: str = "—") -> str:
    return missing if value is None else format(value, spec)


def client_find_latency(results: dict, find_key: str, hop_key: str, detail_key: str) -> None:
    """A followed lookup's latency is the redirect hop's plus the detail's: estimate it from their runs."""
    find, hop, detail = results.get(find_key), results.get(hop_key), results.get(detail_key)
    if find:
        find["p50_ms"] = round(hop["p50_ms"] + detail["p50_ms"], 2) if hop and detail else None
        find["p99_ms"] = round(hop["p99_ms"] + detail["p99_ms"], 2) if hop and detail else None
        find["latency_estimated_from"] = [hop_key, detail_key]


def print_table(all_endpoints: list[Endpoint], results: dict, checks: dict) -> None:
    columns = f"{'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms':>7} {'errors':>7} {'other':>6} {'idle':>5}"
    header = f"{'endpoint':<34} {columns}  {'X-Cache':<8} path"
    say()
    say(header)
    say("-" * len(header))
    for endpoint in all_endpoints:
        figures = results.get(endpoint.key)
        x_cache = checks.get(endpoint.key, {}).get("x_cache") or "-"
        if figures is None:
            say(f"{endpoint.label:<34} {'not measured':>9}  ({checks.get(endpoint.key, {}).get('error', '')})")
            continue
        estimated = "~" if figures.get("latency_estimated_from") else " "
        errors = figures["bad_status"] + figures["socket_errors"]
        say(
            f"{endpoint.label:<34} {figures['rps']:>9.1f} {estimated}{fmt(figures['p50_ms'], '.2f'):>7} "
            f"{estimated}{fmt(figures['p99_ms'], '.2f'):>7} {fmt(figures['server_cpu_ms_per_request'], '.2f'):>7} "
            f"{errors:>7} {figures['other_cpu_cores']:>6.2f} {figures['idle_cores']:>5.2f}  "
            f"{x_cache:<8} {endpoint.path}"
        )
    say("~ estimated: the redirect hop's figure plus the detail's (both measured separately).")
    say("CPU ms: server CPU (gunicorn, PostgreSQL backends, Redis) per request served (per lookup if followed).")
    say("other: CPU cores used by unrelated processes during the run (0 on a quiet machine); idle: cores unused.")
    say("X-Cache: the response cache's verdict on a repeated request (MISS on endpoints it never stores).")


def compute_ratios(results: dict) -> list[dict]:
    pairs = [
        ("our API detail / v2 detail", "ours_detail", "v2_detail"),
        ("our API detail / v3 detail", "ours_detail", "v3_detail"),
        ("our API find / v2 find (302 followed)", "ours_find", "v2_find"),
        ("our API find / v3 find (302 followed)", "ours_find", "v3_find"),
        ("our API list / v2 list", "ours_list", "v2_list"),
        ("our API list / v3 list", "ours_list", "v3_list"),
        ("warm page / floor", "page_warm", "floor"),
        ("cold page / warm page", "page_cold", "page_warm"),
        ("our API detail uncached / v2 detail", "ours_detail_uncached", "v2_detail"),
        ("our API detail uncached / v3 detail", "ours_detail_uncached", "v3_detail"),
        ("our API detail / our API detail uncached", "ours_detail", "ours_detail_uncached"),
    ]

    def disturbed(*keys: str) -> bool:
        return any((results.get(key) or {}).get("other_cpu_cores", 0) >= BUSY_CORES for key in keys)

    def unsaturated(*keys: str) -> bool:
        return any((results.get(key) or {}).get("idle_cores", 0) >= IDLE_CORES for key in keys)

    return [
        {
            "name": name,
            "numerator": a,
            "denominator": b,
            "ratio": ratio(results.get(a), results.get(b)),
            "ratio_by_cpu": cpu_ratio(results.get(a), results.get(b)),
            "disturbed": disturbed(a, b),
            "unsaturated": unsaturated(a, b),
        }
        for name, a, b in pairs
    ]


def caveats(item: dict) -> list[str]:
    notes = []
    if item["disturbed"]:
        notes.append("other processes used the CPU")
    if item["unsaturated"]:
        notes.append("a run left cores idle")
    return notes


def in_brackets(notes: list[str]) -> str:
    return f"  ({'; '.join(notes)})" if notes else ""


def compute_targets(ratios: list[dict], publish: dict | None) -> list[dict]:
    by_name = {item["name"]: item for item in ratios}
    targets = [
        ("our API detail ≥ 2× v2 detail (req/s)", by_name["our API detail / v2 detail"], 2.0, "≥"),
        ("our API detail ≥ 2× v3 detail (req/s)", by_name["our API detail / v3 detail"], 2.0, "≥"),
        ("warm page ≥ 70% of floor (req/s)", by_name["warm page / floor"], 0.70, "≥"),
    ]
    result = []
    for name, item, threshold, op in targets:
        value = item["ratio"]
        result.append(
            {
                "name": name,
                "value": value,
                "threshold": threshold,
                "op": op,
                "passed": None if value is None else value >= threshold,
                "disturbed": item["disturbed"],
                "unsaturated": item["unsaturated"],
                # The same target judged on CPU cost per request, which other load hardly moves.
                "value_by_cpu": item["ratio_by_cpu"],
                "passed_by_cpu": None if item["ratio_by_cpu"] is None else item["ratio_by_cpu"] >= threshold,
            }
        )
    visible = None
    if publish:
        slowest = [publish[name]["from_publish_start_ms"] for name in ("page", "api_detail")]
        visible = None if None in slowest else max(slowest)
    result.append(
        {
            "name": "publish-to-visible < 1000 ms (page and API)",
            "value": visible,
            "threshold": 1000.0,
            "op": "<",
            "passed": None if visible is None else visible < 1000.0,
            "disturbed": False,
            "unsaturated": False,
            "value_by_cpu": None,
            "passed_by_cpu": None,
        }
    )
    return result


def keep_logs(tmp: Path) -> None:
    """Keep the run's logs (manage.py output, gunicorn's) where git ignores them, for a post-mortem."""
    with contextlib.suppress(OSError):
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        with (RESULTS_DIR / "last-run.log.tmp").open("w") as out:
            for name in ("bench.log", "gunicorn.log"):
                if (tmp / name).exists():
                    out.write(f"===== {name}\n{(tmp / name).read_text(errors='replace')}\n")


def write_results(document: dict) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    target = RESULTS_DIR / "latest.json"
    temporary = RESULTS_DIR / "latest.json.tmp"
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    temporary.replace(target)
    return target


# --------------------------------------------------------------------------------------------------


def main() -> int:
    started = time.monotonic()
    if shutil.which("wrk") is None:
        raise HarnessError("wrk is not installed: run `make bench` (it installs Debian's wrk) or apt-get install wrk.")
    document: dict = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "versions": versions(),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }
    say(
        f"Machine: {document['machine']['cpu_model']}, {document['machine']['cores']} cores, "
        f"{document['machine']['ram_gib']} GiB RAM; Python {document['versions']['python']}, "
        f"Django {document['versions'].get('django')}, Wagtail {document['versions'].get('wagtail')}, "
        f"wrk {document['versions']['wrk']}"
    )
    busy_before, _ = cpu_times()
    time.sleep(2)
    document["busy_cores_at_start"] = round((cpu_times()[0] - busy_before) / os.sysconf("SC_CLK_TCK") / 2, 2)
    if document["busy_cores_at_start"] >= BUSY_CORES:
        say(
            f"NOTE: {document['busy_cores_at_start']:.2f} cores busy before the benchmark started: something else "
            "is running; the 'other' column shows how much of the CPU it takes during each measurement."
        )
    tmp = Path(tempfile.mkdtemp(prefix="cms-bench-"))
    log = tmp / "bench.log"
    backends: Backends | None = None
    server: Server | None = None
    failures: list[str] = []
    try:
        backends = create_backends(tmp)
        for note in backends.notes:
            say(f"NOTE: {note}")
        say(
            f"Database: {backends.database}"
            + (f" (database {backends.pg_database} on {HOST}:5432)" if backends.pg_database else f" in {tmp}")
        )
        say(
            f"Cache: {backends.cache}"
            + (f" ({backends.redis_url}, key prefix {backends.cache_key_prefix})" if backends.redis_url else "")
        )

        port = free_port()
        env = django_env(backends, tmp, port)
        say(f"Setting up ({PAGES} demo pages); logs kept in bench/results/last-run.log.tmp")
        timings: dict = {}
        timed_manage(env, log, timings, "migrate", "migrate", "--noinput")
        timed_manage(env, log, timings, "load_initial_data", "load_initial_data")
        timed_manage(env, log, timings, "generate_demo_content", "generate_demo_content", "--pages", str(PAGES))
        timed_manage(env, log, timings, "collectstatic", "collectstatic", "--noinput")
        timings["total"] = round(sum(timings.values()), 1)
        say(f"  {'setup total':<24} {timings['total']:6.1f} s")
        info = json.loads(manage(env, log, "bench_info").strip().splitlines()[-1])
        say(
            f"RESPONSE_CACHE_ENABLED = {info['response_cache_enabled']} "
            f"(middleware installed: {info['response_cache_middleware']}); cache backend {info['cache_backend']}; "
            f"{info['database_version']}; CONN_MAX_AGE {info['conn_max_age']}"
        )

        gconfig = gunicorn_config(env)
        say(
            f"gunicorn: {gconfig['workers']} workers × {gconfig['threads']} threads ({gconfig['worker_class']}), "
            f"preload {gconfig['preload_app']}, on http://{HOST}:{port}"
        )
        server = Server(env, port, tmp / "gunicorn.log", graceful_timeout=int(gconfig["graceful_timeout"] or 30))
        server.wait_ready()
        gconfig["workers_booted"] = server.wait_workers(int(gconfig["workers"]))
        # Every worker's first requests (database and cache connections) out of the way.
        run_wrk(Endpoint("warmup", "warm-up", "/bench/floor/", "floor"), port, tmp, max(WARMUP, 5))

        all_endpoints = endpoints(info["flask_page_id"])
        by_key = {endpoint.key: endpoint for endpoint in all_endpoints}
        checks: dict[str, dict] = {}
        say("Checking every endpoint answers with the Flask page…")
        for endpoint in all_endpoints:
            try:
                checks[endpoint.key] = {"ok": True, **verify(endpoint, by_key, port, info)}
            except (HarnessError, OSError, http.client.HTTPException, ValueError) as error:
                checks[endpoint.key] = {"ok": False, "error": str(error)}
                failures.append(f"{endpoint.label}: {error}")
                say(f"  FAILED {endpoint.label}: {error}")

        say(
            f"Measuring: wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{DURATION}s --latency per endpoint, "
            f"after a {WARMUP} s warm-up run…"
        )
        results: dict[str, dict] = {}
        to_measure = [endpoint for endpoint in all_endpoints if checks[endpoint.key]["ok"]]
        for index, endpoint in enumerate(to_measure):
            # Retries may only use time the later endpoints' first runs and the publish test do not need.
            deadline = started + BUDGET - 20 - (len(to_measure) - index - 1) * (DURATION + WARMUP + 1)
            if WARMUP > 0:
                run_wrk(endpoint, port, tmp, WARMUP)
            results[endpoint.key] = figures = measure(endpoint, server, tmp, deadline, backends.pg_database)
            flag = ""
            if figures["bad_status"] or figures["socket_errors"]:
                flag = f"  ({figures['bad_status']} bad statuses, {figures['socket_errors']} socket errors)"
            if figures["other_cpu_cores"] >= BUSY_CORES:
                flag += f"  (other processes used {figures['other_cpu_cores']:.2f} cores meanwhile)"
            if figures["idle_cores"] >= IDLE_CORES:
                flag += f"  ({figures['idle_cores']:.2f} cores idle)"
            if figures["attempts"] > 1:
                flag += f"  (best of {figures['attempts']} runs)"
            p50 = figures["p50_ms"] if "p50_ms" in figures else figures["per_hop"]["p50_ms"]
            say(f"  {endpoint.label:<34} {figures['rps']:>9.1f} req/s  p50 {p50:.2f} ms{flag}")
        client_find_latency(results, "v2_find", "v2_find_hop", "v2_detail")
        client_find_latency(results, "v3_find", "v3_find_hop", "v3_detail")

        say("Publish to visible…")
        publish = None
        try:
            publish = publish_to_visible(env, log, port, info, by_key)
            for name in ("page", "api_detail"):
                figures = publish[name]
                say(
                    f"  {name:<10} visible {fmt(figures['from_publish_start_ms'])} ms after the publish started, "
                    f"{fmt(figures['from_commit_ms'])} ms after its commit (first fresh response: "
                    f"X-Cache {figures['x_cache'] or '-'})"
                )
        except (HarnessError, OSError) as error:
            failures.append(f"publish-to-visible: {error}")
            say(f"  FAILED: {error}")

        print_table(all_endpoints, results, checks)
        ratios = compute_ratios(results)
        say()
        say(f"  {'ratio':<44} {'req/s':>7} {'by CPU':>7}")
        for item in ratios:
            note = in_brackets(caveats(item))
            say(f"  {item['name']:<44} {fmt(item['ratio'], '.2f'):>7} {fmt(item['ratio_by_cpu'], '.2f'):>7}{note}")
        targets = compute_targets(ratios, publish)
        say()
        for target in targets:
            verdict = "n/a " if target["passed"] is None else ("PASS" if target["passed"] else "FAIL")
            value = fmt(target["value"], ".2f")
            notes = caveats(target)
            if notes:
                by_cpu = "PASS" if target["passed_by_cpu"] else "FAIL"
                notes.append(f"by CPU per request: {fmt(target['value_by_cpu'], '.2f')}, {by_cpu}")
            note = in_brackets(notes)
            say(f"  {verdict}  {target['name']}: {value} (target {target['op']} {target['threshold']:g}){note}")

        document.update(
            {
                "duration_s": round(time.monotonic() - started, 1),
                "database": {
                    "vendor": backends.database,
                    "version": info["database_version"],
                    "name": backends.pg_database or "bench.sqlite3 (temporary)",
                    "conn_max_age": info["conn_max_age"],
                },
                "cache": {
                    "backend": backends.cache,
                    "django_backend": info["cache_backend"],
                    "location": backends.redis_url,
                    "redis_version": redis_server_version() if backends.redis_url else None,
                    "key_prefix": backends.cache_key_prefix,
                },
                "settings": {
                    "DJANGO_SETTINGS_MODULE": "bench.settings (imports cms.settings.production)",
                    "RESPONSE_CACHE_ENABLED": info["response_cache_enabled"],
                    "response_cache_middleware_installed": info["response_cache_middleware"],
                    "API_ANON_RATE": info["api_anon_rate"],
                    "DEBUG": info["debug"],
                    "staticfiles_storage": info["staticfiles_storage"],
                },
                "gunicorn": gconfig,
                "wrk": {
                    "threads": WRK_THREADS,
                    "connections": WRK_CONNECTIONS,
                    "duration_s": DURATION,
                    "warmup_s": WARMUP,
                    "timeout": WRK_TIMEOUT,
                    "command": f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{DURATION}s --timeout={WRK_TIMEOUT} "
                    "--latency -s <generated script> <url>",
                },
                "content": {
                    "demo_pages": PAGES,
                    "live_service_pages": info["service_pages"],
                    "flask_page_id": info["flask_page_id"],
                },
                "setup_timings_s": timings,
                "endpoints": [
                    {
                        **asdict(endpoint),
                        "check": checks.get(endpoint.key),
                        "figures": results.get(endpoint.key),
                    }
                    for endpoint in all_endpoints
                ],
                "ratios": ratios,
                "publish_to_visible": publish,
                "targets": targets,
                "harness_failures": failures,
                "notes": backends.notes,
            }
        )
        path = write_results(document)
        say(f"\nWrote {path.relative_to(PROJECT_DIR)} ({document['duration_s']:.0f} s in all).")
    finally:
        if server is not None:
            server.stop()
            say("Stopped gunicorn.")
        keep_logs(tmp)
        if backends is not None:
            drop_backends(backends)
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        say("\nThe harness could not measure everything:\n  " + "\n  ".join(failures))
        return 1
    return 0


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    sys.stdout.reconfigure(line_buffering=True)
    try:
        sys.exit(main())
    except HarnessError as error:
        say(f"\nBENCHMARK HARNESS ERROR: {error}")
        sys.exit(2)
    except KeyboardInterrupt:
        say("\nInterrupted; everything started was stopped and removed.")
        sys.exit(130)
