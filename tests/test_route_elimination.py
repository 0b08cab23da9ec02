"""SISR route elimination (cpp/meta/route_elimination.cpp): fewer vans on capacity-bound days."""

from __future__ import annotations

import dataclasses
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


def _no_fixed_cost(seed: int, packages: int) -> Any:
    spec = examples.station(seed, 10).vehicle_specs[0]
    return examples.station(seed, packages, vehicle_types=[dataclasses.replace(spec, fixed_cost=0)])


def test_gate_skips_elimination_while_routes_are_within_the_margin_of_the_bound():
    # No fixed cost and a margin no start reaches: every slot is skipped, so the search is the
    # one without elimination (same seed and iterations give the same routes).
    inst = _no_fixed_cost(2, 600)
    off = solve(inst, 2, sisr_elim_share=0.0)
    gated = solve(inst, 2, sisr_elim_margin=1e6)
    assert gated == off
    assert len(off) > capacity_bound(inst)  # elimination would have had work to do
    ungated = solve(inst, 2, sisr_elim_margin=1e6, sisr_elim_gate=0)
    assert len(ungated) < len(off)


def test_gate_keeps_eliminating_when_vans_have_a_fixed_cost():
    inst = examples.station(2, 600)  # the van has a fixed cost
    assert inst.vehicle_specs[0].fixed_cost > 0
    off = solve(inst, 2, sisr_elim_share=0.0)
    gated = solve(inst, 2, sisr_elim_margin=1e6)
    assert len(gated) < len(off)
    assert check(inst, gated).cost < check(inst, off).cost


def test_default_policy_reaches_the_bound_margin_without_fixed_costs():
    inst = _no_fixed_cost(1, 600)
    res = lc.solve(inst, time_limit=60, max_iterations=4000, seed=1, threads=1)
    assert res.algorithm == "sisr"
    routes = routes_of(res)
    assert check(inst, routes).feasible
    assert len(routes) <= math.floor(1.1 * capacity_bound(inst)) + 1


def test_elimination_parameters_are_validated():
    inst = examples.station(1, 100)
    with pytest.raises(InputError, match="sisr_elim_share"):
        lc.solve(inst, max_iterations=10, sisr_elim_share=2.0)
    with pytest.raises(InputError, match="sisr_elim_tries"):
        lc.solve(inst, max_iterations=10, sisr_elim_tries=0)
    with pytest.raises(InputError, match="sisr_elim_gate"):
        lc.solve(inst, max_iterations=10, sisr_elim_gate=2)
    with pytest.raises(InputError, match="sisr_elim_margin"):
        lc.solve(inst, max_iterations=10, sisr_elim_margin=0.5)
