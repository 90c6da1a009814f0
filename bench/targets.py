"""
A target of `make bench`: a figure, a threshold and the comparison it must pass, judged and printed
the same way by bench/run.py and bench/soak.py.

A target is reported, PASS or FAIL (n/a when its figure could not be measured); neither runner lets
a missed target change its exit status, since the figures move with whatever else the machine runs.
"""

from __future__ import annotations

import operator

from .harness import fmt, say

COMPARISONS = {"≥": operator.ge, "≤": operator.le, "<": operator.lt, "=": operator.eq}


def passes(value: float | None, op: str, threshold: float) -> bool | None:
    """Whether `value op threshold` holds; None when there is no value to judge."""
    return None if value is None else COMPARISONS[op](value, threshold)


def judge_target(
    name: str,
    value: float | None,
    threshold: float,
    op: str,
    *,
    value_by_cpu: float | None = None,
    **details: object,
) -> dict:
    """
    A judged target. `value_by_cpu` is the same comparison made from CPU time per request, which
    load from other processes hardly moves: when `details` say the run was disturbed, it tells
    whether a FAIL is the code's or the machine's. `details` are kept with the verdict as given.
    """
    return {
        "name": name,
        "value": value,
        "threshold": threshold,
        "op": op,
        "passed": passes(value, op, threshold),
        **details,
        "value_by_cpu": value_by_cpu,
        "passed_by_cpu": passes(value_by_cpu, op, threshold),
    }


def verdict(passed: bool | None) -> str:
    return "n/a " if passed is None else ("PASS" if passed else "FAIL")


def print_target(item: dict, caveats: list[str], basis: str = "") -> None:
    """
    One line: the verdict, the figure against its threshold (and the `basis` it was computed from),
    then the `caveats` qualifying the run in brackets, with the verdict by CPU per request if any.
    """
    caveats = list(caveats)
    if caveats and item["value_by_cpu"] is not None:
        caveats.append(f"by CPU per request: {fmt(item['value_by_cpu'], '.2f')}, {verdict(item['passed_by_cpu'])}")
    spec = ".2f" if isinstance(item["value"], float) else ""  # ratios and times; counts as they are
    bracketed = f"  ({'; '.join(caveats)})" if caveats else ""
    say(
        f"  {verdict(item['passed'])}  {item['name']}: {fmt(item['value'], spec)} "
        f"(target {item['op']} {item['threshold']:g}{f'; {basis}' if basis else ''}){bracketed}"
    )
