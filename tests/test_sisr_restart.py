"""SISR stagnation restarts (sisr_restart_share / sisr_restart_heat, cpp/meta/sisr.cpp)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core.check import check
from lastmile_core.errors import InputError


def instance(seed: int = 3, n: int = 120) -> Any:
    rng = np.random.default_rng(seed)
    coords = rng.uniform(0, 1000, size=(n + 1, 2))
    demand = rng.integers(1, 10, size=n + 1)
    demand[0] = 0
    return lc.Instance.from_arrays(coords, demand, [lc.VehicleSpec(60)])


def routes(inst: Any, **params: float) -> tuple[list[list[int]], float]:
    res = lc.solve(inst, time_limit=60, max_iterations=20000, seed=2, threads=1, **params)
    assert res.algorithm == "sisr"
    rs = [[int(c) for c in r.visits] for r in res.solution.routes if len(r.visits)]
    rep = check(inst, rs)
    assert rep.feasible, rep.violations[:3]
    assert rep.cost == pytest.approx(res.cost)
    return rs, res.cost


def test_restarts_are_deterministic_and_change_the_search():
    inst = instance()
    plain = routes(inst)
    a = routes(inst, sisr_restart_share=0.02)
    b = routes(inst, sisr_restart_share=0.02)
    assert a == b  # same seed and iteration budget: the same restarts
    # a stagnation of 2 % of 20,000 iterations happens on 120 clients: the run takes another path
    assert a != plain


def test_restart_heat_one_is_a_plain_return_to_the_best():
    inst = instance(4)
    hot = routes(inst, sisr_restart_share=0.02, sisr_restart_heat=50.0)
    cold = routes(inst, sisr_restart_share=0.02, sisr_restart_heat=1.0)
    assert hot != cold  # the re-heat, not only the return to the best, changes the path


def test_restart_parameters_are_validated():
    inst = instance(n=10)
    with pytest.raises(InputError, match="sisr_restart_share"):
        lc.solve(inst, max_iterations=10, sisr_restart_share=1.5)
    with pytest.raises(InputError, match="sisr_restart_heat"):
        lc.solve(inst, max_iterations=10, sisr_restart_heat=0.5)
