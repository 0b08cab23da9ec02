"""SISR's hotter start on long routes (sisr_long_route / sisr_long_heat, cpp/meta/sisr.cpp)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core.check import check
from lastmile_core.errors import InputError


def instance(n: int, capacity: int, seed: int = 3) -> Any:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1000, size=(n + 1, 2)).round()
    demand = np.r_[0, np.ones(n)]
    return lc.Instance.from_arrays(
        xy,
        demand,
        [lc.VehicleSpec(capacity=capacity, num_available=n)],
        distance="euclidean_rounded",
    )


def run(inst: Any, **params: float) -> tuple[float, list[list[int]]]:
    res = lc.solve(
        inst, time_limit=60, max_iterations=3000, seed=2, threads=1, algorithm="sisr", **params
    )
    routes = [[int(c) for c in r.visits] for r in res.solution.routes if len(r.visits)]
    rep = check(inst, routes)
    assert rep.feasible, rep.violations[:3]
    return float(res.cost), routes


def test_short_routes_are_unchanged() -> None:
    # 20 clients per route (capacity bound 6): below sisr_long_route = 50, the rule is inert.
    inst = instance(120, 20)
    assert run(inst) == run(inst, sisr_long_route=0)
    assert run(inst) == run(inst, sisr_long_heat=1)


def test_long_routes_anneal_hotter() -> None:
    # 150 clients per route (capacity bound 2): t0 x 3 by default, another search path.
    inst = instance(300, 150)
    default, off = run(inst), run(inst, sisr_long_route=0)
    assert default != off
    assert run(inst, sisr_long_heat=1) == off  # heat capped at 1: the plain schedule
    assert run(inst) == default  # deterministic


@pytest.mark.parametrize("name,value", [("sisr_long_route", -1.0), ("sisr_long_heat", 0.5)])
def test_bad_values_rejected(name: str, value: float) -> None:
    with pytest.raises(InputError, match=name):
        run(instance(30, 10), **{name: value})
