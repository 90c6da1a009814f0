"""The soak's targets (bench/soak_targets.py), from given figures of a baseline and a publishing run."""

from bench.soak_targets import compute_soak_targets, print_soak_targets

THROUGHPUT = "throughput with a publish every 3 s ≥ 80% of the baseline's (req/s)"
P99 = "p99 latency (all requests) with a publish every 3 s ≤ 3× the baseline's"
STALE = "stale reads with a publish every 3 s"


def run_figures(rps: float, p99_ms: float, cpu_ms: float = 2.0, other_cpu_cores: float = 0.0, stale: int = 0) -> dict:
    """The part of bench.soak.summarize's figures the targets read."""
    return {
        "requests_per_s": rps,
        "latency_ms": {"all": {"p99_ms": p99_ms}},
        "cpu_cores": {"server_cpu_ms_per_request": cpu_ms, "other_cpu_cores": other_cpu_cores},
        "visibility": {"stale_reads": stale},
    }


def verdicts(baseline: dict | None, publishing: dict | None) -> dict:
    return {item["name"]: item for item in compute_soak_targets(baseline, publishing, interval=3)}


def test_publishing_that_keeps_80_percent_of_the_throughput_and_3x_the_p99_without_stale_reads_passes():
    result = verdicts(run_figures(1000, 100), run_figures(800, 300, cpu_ms=2.5))

    assert [item["passed"] for item in result.values()] == [True, True, True]
    assert (result[THROUGHPUT]["value"], result[THROUGHPUT]["baseline"], result[THROUGHPUT]["publishing"]) == (
        0.8,
        1000,
        800,
    )
    assert (result[P99]["value"], result[P99]["unit"]) == (3.0, "ms")
    assert result[STALE]["value"] == 0


def test_publishing_that_costs_too_much_throughput_or_latency_fails_those_targets():
    result = verdicts(run_figures(1000, 100), run_figures(790, 310))

    assert (result[THROUGHPUT]["value"], result[THROUGHPUT]["passed"]) == (0.79, False)
    assert (result[P99]["value"], result[P99]["passed"]) == (3.1, False)
    assert result[STALE]["passed"] is True


def test_a_stale_read_fails_its_target():
    result = verdicts(run_figures(1000, 100), run_figures(1000, 100, stale=2))

    assert (result[STALE]["value"], result[STALE]["passed"]) == (2, False)


def test_throughput_is_also_judged_by_server_cpu_per_request_and_flagged_when_other_processes_ran():
    result = verdicts(run_figures(1000, 100, cpu_ms=2.0), run_figures(700, 100, cpu_ms=2.2, other_cpu_cores=0.9))

    throughput = result[THROUGHPUT]
    assert (throughput["passed"], throughput["value_by_cpu"], throughput["passed_by_cpu"]) == (False, 0.91, True)
    assert throughput["disturbed"] and result[P99]["disturbed"]


def test_with_one_run_only_the_comparisons_are_not_applicable():
    baseline_only = verdicts(run_figures(1000, 100), None)
    publishing_only = verdicts(None, run_figures(800, 300))

    assert [item["passed"] for item in baseline_only.values()] == [None, None, None]
    assert [publishing_only[name]["passed"] for name in (THROUGHPUT, P99, STALE)] == [None, None, True]


def test_the_printed_targets_show_each_verdict_with_both_runs_figures(capsys):
    print_soak_targets(compute_soak_targets(run_figures(1000, 100), run_figures(700, 150, other_cpu_cores=0.9), 3))

    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == (
        f"  FAIL  {THROUGHPUT}: 0.70 (target ≥ 0.8; publishing 700.0 vs baseline 1000.0 req/s)  "
        "(other processes used the CPU; by CPU per request: 1.00, PASS)"
    )
    assert lines[2].startswith(f"  PASS  {P99}: 1.50 (target ≤ 3; publishing 150.0 vs baseline 100.0 ms)")
    assert lines[3] == f"  PASS  {STALE}: 0 (target = 0)"
