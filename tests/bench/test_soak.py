"""The soak test's own judgement (bench/soak.py): what it counts as a failure, without running the soak."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.soak import EditedPage, Read, Route, Tally, client, judge, parse_settings, summarize, visibility

FLASK = EditedPage("flask", 3, "/services/flask/", "Flask development", "We build Flask apps.", nonce="abc123")
PAGE_ROUTE = Route("flask_page", "site page", "/services/flask/", 1, lambda body: None, (FLASK,))


def publish(counter: int, returned: float) -> dict:
    return {
        "key": "flask",
        "counter": counter,
        "publish_started": returned - 0.3,
        "publish_committed": returned - 0.1,
        "publish_returned": returned,
    }


def read(started_at: float, shown: int, status: int = 200) -> Read:
    return Read("flask_page", started_at, status, {"flask": shown})


def test_an_edit_fits_the_summary_field_and_is_recognised_in_a_response():
    edit = FLASK.edit(12)
    long_summary = EditedPage("flask", 3, "/", "T", "x" * 300, nonce="abc123").edit(12)["summary"]
    body = f"<h1>{edit['title']}</h1><p>{edit['summary']}</p>".encode()

    assert len(long_summary) == 300
    assert FLASK.shown(body) == 12
    assert FLASK.shown(b"<h1>Flask development</h1>") == 0  # before any publish


def test_a_response_showing_the_new_title_but_the_old_summary_counts_as_the_old_edit():
    body = f"<h1>{FLASK.edit(5)['title']}</h1><p>{FLASK.edit(4)['summary']}</p>".encode()

    assert FLASK.shown(body) == 4


def test_the_first_read_after_a_publish_showing_the_old_title_is_a_violation():
    result = visibility([publish(1, returned=100.0)], [read(99.9, 0), read(100.01, 0)], [PAGE_ROUTE])

    assert result["violations"] == 1
    assert result["visible_on_next_read"] == 0
    assert "showed edit 0" in result["violation_examples"][0]


def test_reads_started_before_the_publish_returned_may_show_the_old_title():
    result = visibility([publish(1, returned=100.0)], [read(99.95, 0), read(100.002, 1), read(100.5, 1)], [PAGE_ROUTE])

    assert (result["violations"], result["stale_reads"], result["visible_on_next_read"]) == (0, 0, 1)
    assert result["per_publish"][0]["next_reads"]["flask_page"] == {"ok": True, "shown": 1, "after_ms": 2.0}


def test_a_later_read_falling_back_to_an_older_edit_is_stale():
    publishes = [publish(1, returned=100.0), publish(2, returned=103.0)]
    reads = [read(100.01, 1), read(101.0, 0), read(103.01, 2), read(104.0, 1)]

    result = visibility(publishes, reads, [PAGE_ROUTE])

    assert result["violations"] == 0
    assert result["stale_reads"] == 2


def test_an_error_on_the_first_read_after_a_publish_is_a_violation():
    result = visibility([publish(1, returned=100.0)], [read(100.01, 0, status=503)], [PAGE_ROUTE])

    assert result["violations"] == 1


def test_a_publish_no_read_came_after_is_unverified_and_fails_the_soak():
    tally = Tally()
    tally.record(PAGE_ROUTE, 200, 5.0, FLASK.edit(1)["title"].encode(), started_at=99.0)
    publishing = visibility([publish(1, returned=100.0)], tally.reads, [PAGE_ROUTE])

    failures, _ = judge(summarize(soak_result(tally), publishing))

    assert publishing["unverified"] == 1
    assert failures == ["1 publishes no read came after (not verified)"]


def test_a_clean_soak_passes():
    tally = Tally()
    tally.record(PAGE_ROUTE, 200, 5.0, FLASK.edit(1)["title"].encode(), started_at=100.1)
    publishing = visibility([publish(1, returned=100.0)], tally.reads, [PAGE_ROUTE])

    assert judge(summarize(soak_result(tally), publishing)) == ([], [])


def test_a_baseline_without_publishes_passes_but_a_soak_without_any_fails():
    tally = Tally()
    tally.record(PAGE_ROUTE, 200, 5.0, b"<h1>Flask development</h1>", started_at=100.0)
    figures = summarize(soak_result(tally), visibility([], tally.reads, [PAGE_ROUTE]))

    assert judge(figures, publishing_expected=False) == ([], [])
    assert judge(figures)[0] == ["no publish happened: the soak was too short to test visibility"]


def test_a_soak_too_short_for_two_publishes_is_refused():
    assert parse_settings(["--duration", "10", "--interval", "0"]).interval == 0
    with pytest.raises(SystemExit):
        parse_settings(["--duration", "5", "--interval", "3"])


def test_the_soak_runs_the_baseline_then_the_publishing_run_unless_told_otherwise(monkeypatch):
    for name in ("SOAK_RUNS", "SOAK_PUBLISH_INTERVAL", "SOAK_DURATION"):
        monkeypatch.delenv(name, raising=False)
    both = parse_settings([])

    assert both.runs == ("baseline", "publishing")
    assert (both.publish_interval("baseline"), both.publish_interval("publishing")) == (0.0, 3.0)
    assert parse_settings(["--runs", "publishing"]).runs == ("publishing",)
    assert parse_settings(["--runs", "baseline"]).runs == ("baseline",)
    assert parse_settings(["--interval", "0"]).runs == ("baseline",)  # no publishes: the baseline alone, as before
    with pytest.raises(SystemExit):
        parse_settings(["--runs", "publishing", "--interval", "0"])


def soak_result(tally: Tally) -> dict:
    quiet_cpu = {"load_generator_cpu_cores": 0.1, "other_cpu_cores": 0.0}
    log = {"workers_booted": 0, "worker_timeouts": 0, "workers_killed": 0, "error_lines": 0, "examples": []}
    return {"elapsed_s": 1.0, "tally": tally, "cpu": quiet_cpu, "loop_lag_ms": {}, "server_log": log}


# The load generator against a tiny HTTP server on loopback.

RESPONSES = {
    b"/chunked": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n",
    b"/busy": b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy",
    b"/cut": b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part of it",
}


async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            path = (await reader.readuntil(b"\r\n\r\n")).split(b" ", 2)[1]
            writer.write(RESPONSES[path])
            await writer.drain()
            if path == b"/cut":
                break
    except asyncio.IncompleteReadError:
        pass
    finally:
        writer.close()


def run_clients(routes: list[Route], seconds: float = 0.3) -> Tally:
    async def main() -> Tally:
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        tally = Tally()
        async with server:
            deadline = time.monotonic() + seconds
            await asyncio.gather(*(client(number, routes, port, deadline, tally) for number in range(2)))
        return tally

    # In a thread of its own: earlier tests in the same process (schemathesis, Playwright) may have left an
    # event loop running in this one, and asyncio.run() refuses to start inside a running loop.
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, main()).result()


def test_the_clients_read_chunked_responses_and_check_their_bodies():
    bodies = []
    routes = [Route("chunked", "site page", "/chunked", 1, lambda body: bodies.append(body))]

    tally = run_clients(routes)

    assert tally.requests > 10
    assert tally.statuses == {("site page", 200): tally.requests}
    assert set(bodies) == {b"hello world"}
    assert not tally.connection_errors


def test_the_clients_count_5xx_and_connections_closed_mid_response_as_failures():
    routes = [
        Route("busy", "API detail", "/busy", 1, lambda body: None),
        Route("cut", "site page", "/cut", 1, lambda body: None),
    ]

    tally = run_clients(routes)
    failures, _ = judge(summarize(soak_result(tally), visibility([], [], routes)))

    assert tally.statuses["API detail", 503] > 0
    assert tally.connection_errors["closed mid-response"] > 0
    assert f"{tally.statuses['API detail', 503]} 5xx responses" in failures
    assert f"{tally.connection_errors['closed mid-response']} connection errors" in failures
