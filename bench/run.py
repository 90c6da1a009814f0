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
whatever happens (Ctrl-C and SIGTERM included). Steps 1 to 3 and the clean-up live in bench/harness.py,
shared with the soak test (bench/soak.py), which `make bench` runs next.

Settings (environment): BENCH_PAGES (1000), BENCH_DURATION (seconds per measured run, 10),
BENCH_WARMUP (seconds, 3), BENCH_WRK_THREADS (2), BENCH_WRK_CONNECTIONS (16), BENCH_RETRIES (2),
BENCH_BUDGET (seconds for the whole run, 570); gunicorn's own GUNICORN_WORKERS, GUNICORN_THREADS,
GUNICORN_WORKER_CLASS (see gunicorn.conf.py); RESPONSE_CACHE_ENABLED is read like in production.
"""

# Every command run here is a fixed argument list built in this file (no shell, no outside input).
# ruff: noqa: S603, S607

from __future__ import annotations

import http.client
import json
import re
import secrets
import shutil
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .harness import (
    BUSY_CORES,
    FLASK_PATH,
    HOST,
    PROJECT_DIR,
    CpuAccount,
    HarnessError,
    Reply,
    Server,
    Workspace,
    env_int,
    fmt,
    get,
    manage,
    redis_server_version,
    run_main,
    say,
    start_document,
    write_results,
)
from .targets import judge_target, print_target

V2_FIELDS = "summary,listing_image,sections"

PAGES = env_int("BENCH_PAGES", 1000)
# Whole run, setup included; retries of disturbed measurements stop when it would be exceeded.
BUDGET = env_int("BENCH_BUDGET", 570)
RETRIES = env_int("BENCH_RETRIES", 2)
DURATION = env_int("BENCH_DURATION", 10)
WARMUP = env_int("BENCH_WARMUP", 3)
WRK_THREADS = env_int("BENCH_WRK_THREADS", 2)
WRK_CONNECTIONS = env_int("BENCH_WRK_CONNECTIONS", 16)
WRK_TIMEOUT = "10s"
# A run leaving this many cores idle under full load is repeated (see unsettled()).
IDLE_CORES = 0.25


def wrk_version() -> str:
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"wrk (\S+)", wrk.stdout + wrk.stderr)
    return match.group(1) if match else "unknown"


# --------------------------------------------------------------------------------------------------
# Redirects


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
    mode: str = "plain"  # plain, follow (redirect followed)
    headers: dict[str, str] = field(default_factory=dict)
    redirect_to: str = ""  # for redirect hops: the key of the endpoint the Location must match
    note: str = ""


def endpoints(page_id: int) -> list[Endpoint]:
    return [
        Endpoint("floor", "floor view (HttpResponse 'ok')", "/bench/floor/", "floor"),
        Endpoint("page_warm", "Flask page, warm", FLASK_PATH, "page"),
        Endpoint(
            "page_cold",
            "Flask page, cold (cache bypassed)",
            FLASK_PATH,
            "page",
            headers={"Authorization": "Bench no-cache"},
            note="an Authorization header makes the response cache step aside (query strings no longer can: "
            "entries are keyed by canonical URL); the page ignores it",
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
        *wagtail_endpoints("v2", page_id, fields=V2_FIELDS),
        *wagtail_endpoints("v3", page_id),
    ]


def wagtail_endpoints(api: str, page_id: int, fields: str = "") -> list[Endpoint]:
    """Wagtail's `api` (v2, v3): detail, find (its 302 alone, and followed to the detail) and list."""
    pages = f"/bench/api/{api}/pages/"
    detail = f"{pages}{page_id}/" + (f"?fields={fields}" if fields else "")
    find = f"{pages}find/?html_path={FLASK_PATH}" + (f"&fields={fields}" if fields else "")
    detail_key = f"{api}_detail"
    return [
        Endpoint(detail_key, f"Wagtail {api} detail", detail, "detail", api),
        Endpoint(f"{api}_find_hop", f"Wagtail {api} find, 302 only", find, "redirect", api, redirect_to=detail_key),
        Endpoint(
            f"{api}_find",
            f"Wagtail {api} find, 302 followed",
            find,
            "redirect",
            api,
            mode="follow",
            redirect_to=detail_key,
            note="req/s = completed lookups (302 + detail); latency ≈ sum of the two hops' runs",
        ),
        Endpoint(f"{api}_list", f"Wagtail {api} list", f"{pages}?limit=20", "list", api),
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
    path = endpoint.path
    first = get(port, path, endpoint.headers)
    second = get(port, path, endpoint.headers)
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
    if endpoint.mode == "follow":
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
        ("our API detail / floor", "ours_detail", "floor"),
        ("our API find / floor", "ours_find", "floor"),
        ("our API list / floor", "ours_list", "floor"),
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
    """
    The floor view (a constant string through the same gunicorn and middleware) is measured in the
    same run as the warm page and API: their ratio to it is what they keep of the cheapest response
    this server can give, a figure less bound to the machine than req/s alone.
    """
    by_name = {item["name"]: item for item in ratios}
    ratio_targets = [
        ("our API detail ≥ 2× v2 detail (req/s)", "our API detail / v2 detail", 2.0),
        ("our API detail ≥ 2× v3 detail (req/s)", "our API detail / v3 detail", 2.0),
        ("warm API detail ≥ 80% of floor (req/s)", "our API detail / floor", 0.80),
        ("warm page ≥ 85% of floor (req/s)", "warm page / floor", 0.85),
    ]
    result = [
        judge_target(
            name,
            by_name[ratio_name]["ratio"],
            threshold,
            "≥",
            value_by_cpu=by_name[ratio_name]["ratio_by_cpu"],
            disturbed=by_name[ratio_name]["disturbed"],
            unsaturated=by_name[ratio_name]["unsaturated"],
        )
        for name, ratio_name, threshold in ratio_targets
    ]
    visible = None
    if publish:
        slowest = [publish[name]["from_publish_start_ms"] for name in ("page", "api_detail")]
        visible = None if None in slowest else max(slowest)
    result.append(
        judge_target(
            "publish-to-visible < 1000 ms (page and API)", visible, 1000.0, "<", disturbed=False, unsaturated=False
        )
    )
    return result


# --------------------------------------------------------------------------------------------------


def main() -> int:
    started = time.monotonic()
    if shutil.which("wrk") is None:
        raise HarnessError("wrk is not installed: run `make bench` (it installs Debian's wrk) or apt-get install wrk.")
    document = start_document(
        "benchmark",
        "the 'other' column shows how much of the CPU it takes during each measurement.",
        {"wrk": wrk_version()},
    )
    failures: list[str] = []
    with Workspace(prefix="cms-bench-", log_name="last-run.log.tmp") as workspace:
        timings, info, gconfig = workspace.set_up(PAGES)
        backends, tmp, server = workspace.backends, workspace.tmp, workspace.server
        port = server.port
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
            publish = publish_to_visible(workspace.env, workspace.log, port, info, by_key)
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
        for item in targets:
            print_target(item, caveats(item))

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
        path = write_results(document, "latest.json")
        say(f"\nWrote {path.relative_to(PROJECT_DIR)} ({document['duration_s']:.0f} s in all).")
    if failures:
        say("\nThe harness could not measure everything:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    run_main(main, "BENCHMARK")
