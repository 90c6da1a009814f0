"""bench/run.py's ratios and targets, from given figures: the verdicts `make bench` prints."""

from bench.run import compute_ratios, compute_targets


def figures(rps: float, cpu_ms: float, other_cpu_cores: float = 0.0) -> dict:
    return {"rps": rps, "server_cpu_ms_per_request": cpu_ms, "other_cpu_cores": other_cpu_cores, "idle_cores": 0.0}


def results(**overrides: dict) -> dict:
    measured = {
        "floor": figures(2000, 1.0),
        "page_warm": figures(1800, 1.1),
        "ours_detail": figures(1700, 1.2),
        "ours_find": figures(1500, 1.3),
        "ours_list": figures(1400, 1.4),
        "v2_detail": figures(100, 20.0),
        "v3_detail": figures(200, 10.0),
    }
    return {**measured, **overrides}


def targets_by_name(measured: dict, publish: dict | None = None) -> dict:
    return {item["name"]: item for item in compute_targets(compute_ratios(measured), publish)}


def test_the_warm_api_and_the_other_warm_endpoints_are_compared_with_the_floor_of_the_same_run():
    ratios = {item["name"]: item for item in compute_ratios(results())}

    assert ratios["our API detail / floor"]["ratio"] == 0.85
    assert ratios["our API find / floor"]["ratio"] == 0.75
    assert ratios["our API list / floor"]["ratio"] == 0.7
    assert ratios["our API detail / floor"]["ratio_by_cpu"] == 0.83  # the floor's CPU per request over the API's


def test_warm_api_detail_must_reach_80_percent_and_the_warm_page_85_percent_of_the_floor():
    passing = targets_by_name(results(ours_detail=figures(1600, 1.25), page_warm=figures(1700, 1.17)))
    failing = targets_by_name(results(ours_detail=figures(1580, 1.3), page_warm=figures(1680, 1.2)))

    api, page = "warm API detail ≥ 80% of floor (req/s)", "warm page ≥ 85% of floor (req/s)"
    assert (passing[api]["passed"], passing[page]["passed"]) == (True, True)
    assert (failing[api]["value"], failing[api]["passed"]) == (0.79, False)
    assert (failing[page]["value"], failing[page]["passed"]) == (0.84, False)
    assert (failing[api]["value_by_cpu"], failing[api]["passed_by_cpu"]) == (0.77, False)
    assert "warm page ≥ 70% of floor (req/s)" not in passing


def test_a_disturbed_run_is_flagged_and_judged_by_cpu_too():
    disturbed = targets_by_name(results(ours_detail=figures(1000, 1.2, other_cpu_cores=0.9)))

    item = disturbed["warm API detail ≥ 80% of floor (req/s)"]
    assert (item["passed"], item["disturbed"], item["value_by_cpu"], item["passed_by_cpu"]) == (False, True, 0.83, True)


def test_a_target_whose_endpoint_was_not_measured_is_not_applicable_rather_than_failed():
    measured = results()
    del measured["ours_detail"]

    item = targets_by_name(measured)["warm API detail ≥ 80% of floor (req/s)"]

    assert (item["value"], item["passed"], item["passed_by_cpu"]) == (None, None, None)


def test_publish_to_visible_is_judged_on_the_slower_of_the_page_and_the_api():
    publish = {"page": {"from_publish_start_ms": 120.0}, "api_detail": {"from_publish_start_ms": 1200.0}}

    item = targets_by_name(results(), publish)["publish-to-visible < 1000 ms (page and API)"]

    assert (item["value"], item["passed"]) == (1200.0, False)
