"""
The soak's targets (issue 13): what publishing every few seconds may cost the readers.

They compare the publishing run with the baseline run (the same load without publishes) made by
the same invocation against the same server, one after the other, so both see the same machine,
content and caches. Like bench/run.py's targets they are a report: a missed target prints FAIL
but does not fail the soak, whose exit status is about correctness (5xx, connection errors, wrong
content, publishes not visible, stale reads). A stale read is both: it fails the soak, and the
target line shows it beside the others.
"""

from __future__ import annotations

from .harness import BUSY_CORES, fmt, say
from .targets import judge_target, print_target

# With a publish every few seconds the readers keep at least this share of the baseline's req/s…
THROUGHPUT_SHARE = 0.80
# …and their p99 latency (all requests) stays within this multiple of the baseline's.
P99_FACTOR = 3.0


def share(numerator: float | None, denominator: float | None) -> float | None:
    return round(numerator / denominator, 2) if numerator is not None and denominator else None


def compute_soak_targets(baseline: dict | None, publishing: dict | None, interval: float) -> list[dict]:
    """
    The verdicts from two runs' figures (bench.soak.summarize's); a target is n/a (passed None)
    when a run is missing, as with `--runs baseline` or `--runs publishing`.
    """
    base, pub = baseline or {}, publishing or {}
    base_cpu, pub_cpu = base.get("cpu_cores", {}), pub.get("cpu_cores", {})
    base_p99 = base.get("latency_ms", {}).get("all", {}).get("p99_ms")
    pub_p99 = pub.get("latency_ms", {}).get("all", {}).get("p99_ms")
    disturbed = any(cpu.get("other_cpu_cores", 0) >= BUSY_CORES for cpu in (base_cpu, pub_cpu))
    every = f"a publish every {interval:g} s" if interval else "publishes"
    return [
        judge_target(
            f"throughput with {every} ≥ {THROUGHPUT_SHARE:.0%} of the baseline's (req/s)",
            share(pub.get("requests_per_s"), base.get("requests_per_s")),
            THROUGHPUT_SHARE,
            "≥",
            # The baseline's server CPU per request over the publishing run's: the same share, from cost.
            value_by_cpu=share(base_cpu.get("server_cpu_ms_per_request"), pub_cpu.get("server_cpu_ms_per_request")),
            baseline=base.get("requests_per_s"),
            publishing=pub.get("requests_per_s"),
            unit="req/s",
            disturbed=disturbed,
        ),
        judge_target(
            f"p99 latency (all requests) with {every} ≤ {P99_FACTOR:g}× the baseline's",
            share(pub_p99, base_p99),
            P99_FACTOR,
            "≤",
            baseline=base_p99,
            publishing=pub_p99,
            unit="ms",
            disturbed=disturbed,
        ),
        judge_target(
            f"stale reads with {every}",
            pub.get("visibility", {}).get("stale_reads"),
            0,
            "=",
            baseline=None,
            publishing=pub.get("visibility", {}).get("stale_reads"),
            unit="reads",
            disturbed=False,
        ),
    ]


def print_soak_targets(targets: list[dict]) -> None:
    say("Targets (the publishing run against the baseline):")
    for item in targets:
        basis = ""
        if item["baseline"] is not None and item["publishing"] is not None:
            basis = f"publishing {fmt(item['publishing'])} vs baseline {fmt(item['baseline'])} {item['unit']}"
        print_target(item, ["other processes used the CPU"] if item["disturbed"] else [], basis)
