"""
What `make bench`'s runs share: a throwaway database and cache, the site set up in them, gunicorn
serving it with production settings on loopback, CPU accounting from /proc, and clean-up.

    document = start_document("benchmark", "the report shows how much of the CPU it takes.")
    with Workspace(prefix="cms-bench-", log_name="last-run.log.tmp") as workspace:
        timings, info, gconfig = workspace.set_up(pages=1000)
        ...  # load workspace.server.port

Leaving the `with` block stops gunicorn, keeps the logs in bench/results/ (git ignores them), drops
the database and deletes the cache keys, whatever happens. `run_main()` runs a runner's main()
with Ctrl-C and SIGTERM turned into that clean exit. bench/run.py (wrk per endpoint) and
bench/soak.py (many clients at once while pages are published) are the runners.
"""

# Every command run here is a fixed argument list built in this file (no shell, no outside input).
# ruff: noqa: S603

from __future__ import annotations

import contextlib
import datetime
import http.client
import importlib.metadata
import json
import os
import platform
import resource
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import redis
from psycopg import sql

PROJECT_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = PROJECT_DIR / "bench" / "results"
HOST = "127.0.0.1"
FLASK_PATH = "/services/flask/"
# Far above anything the load generators can reach, so the API's per-client limit (every request
# here comes from 127.0.0.1) is still counted in the cache on every request, as in production, but never trips.
API_ANON_RATE = "1000000000/minute"

# Other processes using this many cores during a measurement are flagged next to its figures.
BUSY_CORES = 0.2


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Throwaway: the database it signs for is dropped at the end of the run.
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


class HarnessError(Exception):
    """The benchmark could not be run as designed; its figures would mean nothing."""


def say(message: str = "") -> None:
    print(message, flush=True)


def fmt(value, spec: str = ".1f") -> str:
    """A figure for the printed report; a dash for one that could not be measured."""
    return "—" if value is None else format(value, spec)


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
    return found


def busy_cores(seconds: float = 2) -> float:
    """How many cores the machine keeps busy over the next few seconds (0 on a quiet machine)."""
    busy_before, _ = cpu_times()
    time.sleep(seconds)
    return round((cpu_times()[0] - busy_before) / os.sysconf("SC_CLK_TCK") / seconds, 2)


def start_document(run: str, where_load_shows: str, extra_versions: dict[str, str] | None = None) -> dict:
    """
    A results document's opening, printed as it is found: when, on what machine, with which versions
    (plus `extra_versions`, the runner's own tools), and how busy the machine was before the `run`
    started; should it be busy, the note ends with `where_load_shows` (where the report shows that load).
    """
    document: dict = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "versions": {**versions(), **(extra_versions or {})},
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }
    machine, found = document["machine"], document["versions"]
    extras = "".join(f", {name} {version}" for name, version in (extra_versions or {}).items())
    say(
        f"Machine: {machine['cpu_model']}, {machine['cores']} cores, {machine['ram_gib']} GiB RAM; "
        f"Python {found['python']}, Django {found.get('django')}, Wagtail {found.get('wagtail')}{extras}"
    )
    document["busy_cores_at_start"] = busy = busy_cores()
    if busy >= BUSY_CORES:
        say(f"NOTE: {busy:.2f} cores busy before the {run} started: something else is running; {where_load_shows}")
    return document


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
      steal count too) less the server's and this runner's own (its load generator): about 0 on a
      quiet machine; more means something else (a test suite, say) competed for the cores.
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
        """CPU ticks so far of the server's processes, and of this runner's (itself, wrk, a publisher)."""
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
        # Children that have exited (and been reaped) by now, wrk say, count in this process's children's.
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
        """CPU seconds of the children that ended meanwhile (wrk, say), which /proc no longer shows."""
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
    return psycopg.connect(host=HOST, port=5432, user="postgres", dbname="postgres", connect_timeout=2, autocommit=True)


def create_backends(tmp: Path) -> Backends:
    try:
        connection = postgres_admin()
    except Exception as error:  # any failure to reach the server means: use SQLite
        backends = Backends(database_url=f"sqlite:///{tmp / 'bench.sqlite3'}", database="sqlite")
        backends.notes.append(f"PostgreSQL not reachable at {HOST}:5432 ({type(error).__name__}): SQLite used.")
    else:
        name = f"bench_{os.getpid()}"
        with connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        backends = Backends(
            database_url=f"postgres://postgres@{HOST}:5432/{name}", database="postgresql", pg_database=name
        )

    try:
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
# HTTP (standard library; one connection per request)


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


# --------------------------------------------------------------------------------------------------
# Results and logs


def keep_logs(tmp: Path, name: str) -> None:
    """Keep the run's logs (manage.py output, gunicorn's) where git ignores them, for a post-mortem."""
    with contextlib.suppress(OSError):
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        with (RESULTS_DIR / name).open("w") as out:
            for log in ("bench.log", "gunicorn.log"):
                if (tmp / log).exists():
                    out.write(f"===== {log}\n{(tmp / log).read_text(errors='replace')}\n")


def write_results(document: dict, name: str) -> Path:
    """Write bench/results/<name> whole or not at all (a temporary file renamed into place)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    target = RESULTS_DIR / name
    temporary = RESULTS_DIR / f"{name}.tmp"
    temporary.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    temporary.replace(target)
    return target


# --------------------------------------------------------------------------------------------------
# The whole set-up, and its clean-up


class Workspace:
    """
    A temporary directory, a throwaway database and cache, the site set up in them and the gunicorn
    serving it (`set_up`); everything removed on leaving the `with` block, however it is left.
    """

    def __init__(self, prefix: str, log_name: str):
        self.prefix = prefix
        self.log_name = log_name  # the logs are kept in bench/results/<log_name> on exit
        self.server: Server | None = None
        self.env: dict[str, str] = {}

    def __enter__(self) -> Workspace:
        self.tmp = Path(tempfile.mkdtemp(prefix=self.prefix))
        self.log = self.tmp / "bench.log"
        try:
            self.backends = create_backends(self.tmp)
        except BaseException:
            keep_logs(self.tmp, self.log_name)
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        if self.server is not None:
            self.server.stop()
            say("Stopped gunicorn.")
        keep_logs(self.tmp, self.log_name)
        drop_backends(self.backends)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def announce_backends(self) -> None:
        backends = self.backends
        for note in backends.notes:
            say(f"NOTE: {note}")
        say(
            f"Database: {backends.database}"
            + (f" (database {backends.pg_database} on {HOST}:5432)" if backends.pg_database else f" in {self.tmp}")
        )
        say(
            f"Cache: {backends.cache}"
            + (f" ({backends.redis_url}, key prefix {backends.cache_key_prefix})" if backends.redis_url else "")
        )

    def set_up(self, pages: int) -> tuple[dict, dict, dict]:
        """
        Everything, in order, printed as it goes: the backends, the content (with `pages` generated
        pages) and gunicorn on a free port. Returns the setup timings, `bench_info`'s answer and
        gunicorn's configuration; `env` is then the environment of every process of the run.
        """
        self.announce_backends()
        self.port = free_port()
        self.env = django_env(self.backends, self.tmp, self.port)
        timings, info = self.set_up_content(pages)
        return timings, info, self.start_server()

    def set_up_content(self, pages: int) -> tuple[dict, dict]:
        """Migrate, load the seeded content plus `pages` generated pages, collect static files; `bench_info`."""
        say(f"Setting up ({pages} demo pages); logs kept in bench/results/{self.log_name}")
        env, log = self.env, self.log
        timings: dict = {}
        timed_manage(env, log, timings, "migrate", "migrate", "--noinput")
        timed_manage(env, log, timings, "load_initial_data", "load_initial_data")
        timed_manage(env, log, timings, "generate_demo_content", "generate_demo_content", "--pages", str(pages))
        timed_manage(env, log, timings, "collectstatic", "collectstatic", "--noinput")
        timings["total"] = round(sum(timings.values()), 1)
        say(f"  {'setup total':<24} {timings['total']:6.1f} s")
        info = json.loads(manage(env, log, "bench_info").strip().splitlines()[-1])
        say(
            f"RESPONSE_CACHE_ENABLED = {info['response_cache_enabled']} "
            f"(middleware installed: {info['response_cache_middleware']}); cache backend {info['cache_backend']}; "
            f"{info['database_version']}; CONN_MAX_AGE {info['conn_max_age']}"
        )
        return timings, info

    def start_server(self) -> dict:
        """gunicorn with gunicorn.conf.py, answering and with every worker booted; returns its configuration."""
        gconfig = gunicorn_config(self.env)
        say(
            f"gunicorn: {gconfig['workers']} workers × {gconfig['threads']} threads ({gconfig['worker_class']}), "
            f"preload {gconfig['preload_app']}, on http://{HOST}:{self.port}"
        )
        self.server = Server(
            self.env, self.port, self.tmp / "gunicorn.log", graceful_timeout=int(gconfig["graceful_timeout"] or 30)
        )
        self.server.wait_ready()
        gconfig["workers_booted"] = self.server.wait_workers(int(gconfig["workers"]))
        return gconfig


def run_main(main: Callable[[], int], name: str) -> None:
    """Run a runner's main() as a script: SIGTERM and Ctrl-C still clean up; harness errors exit 2."""

    def terminate(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    sys.stdout.reconfigure(line_buffering=True)
    try:
        sys.exit(main())
    except HarnessError as error:
        say(f"\n{name} HARNESS ERROR: {error}")
        sys.exit(2)
    except KeyboardInterrupt:
        say("\nInterrupted; everything started was stopped and removed.")
        sys.exit(130)
