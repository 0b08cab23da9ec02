"""SISR route elimination (cpp/meta/route_elimination.cpp): fewer vans on capacity-bound days."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core import examples
from lastmile_core.check import check
from lastmile_core.errors import InputError


def routes_of(res: Any) -> list[list[int]]:
    sol = getattr(res, "solution", res)
    return [[int(c) for c in r.visits] for r in sol.routes if len(r.visits)]


def capacity_bound(inst: Any) -> int:
    """Lower bound on the vans: the fullest demand dimension over the van's capacity."""
    d = inst.data
    demand = np.asarray(d.demand, dtype=np.int64).sum(axis=0)
    cap = np.asarray(d.vehicle_types[0].capacity, dtype=np.int64)
    return max(math.ceil(int(q) / int(c)) for q, c in zip(demand, cap, strict=True) if c > 0)


def solve(inst: Any, seed: int = 1, **params: float) -> list[list[int]]:
    params = {"sisr_elim_share": 0.01, **params}
    res = lc.solve(
        inst, time_limit=60, max_iterations=4000, seed=seed, threads=1, algorithm="sisr", **params
    )
    routes = routes_of(res)
    rep = check(inst, routes)
    assert rep.feasible, rep.violations[:3]
    return routes


@pytest.mark.parametrize("seed", [1, 2])
def test_elimination_reaches_the_capacity_bound_where_plain_sisr_keeps_extra_vans(seed: int):
    # Long, capacity-bound station routes: the savings start opens more vans than needed and
    # SISR's neighbour-limited reinsertion alone does not close them.
    inst = examples.station(seed, 600)
    bound = capacity_bound(inst)
    plain = solve(inst, seed, sisr_elim_share=0.0)
    elim = solve(inst, seed)
    assert len(plain) > bound  # the instance needs the move
    assert len(elim) == bound
    assert check(inst, elim).cost < check(inst, plain).cost  # fixed cost per van: cheaper


def test_elimination_is_deterministic_with_seed_and_max_iterations():
    inst = examples.station(3, 400)
    assert solve(inst, 5) == solve(inst, 5)


def test_elimination_parameters_are_validated():
    inst = examples.station(1, 100)
    with pytest.raises(InputError, match="sisr_elim_share"):
        lc.solve(inst, max_iterations=10, sisr_elim_share=2.0)
    with pytest.raises(InputError, match="sisr_elim_tries"):
        lc.solve(inst, max_iterations=10, sisr_elim_tries=0)
