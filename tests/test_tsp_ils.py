"""Single-vehicle problems (one van, a TSP): the iterated local search of meta/tsp_ils.h."""

from __future__ import annotations

import itertools

import numpy as np

import lastmile_core as lc


def tsp(n: int, seed: int, vans: int = 1) -> lc.Instance:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 1000, size=(n + 1, 2))
    return lc.Instance.from_arrays(
        xy, np.ones(n + 1), [lc.VehicleSpec(capacity=n, num_available=vans)]
    )


def test_one_van_reaches_the_brute_force_optimum() -> None:
    for seed in (1, 2, 3):
        inst = tsp(8, seed)
        res = lc.solve(inst, time_limit=5, max_iterations=3000, seed=seed)
        best = min(inst.solution([list(p)]).cost for p in itertools.permutations(range(1, 9)))
        assert res.cost == best


def test_same_seed_same_tour_under_an_iteration_budget() -> None:
    inst = tsp(120, 7)
    a = lc.solve(inst, time_limit=30, max_iterations=3000, seed=5)
    b = lc.solve(inst, time_limit=30, max_iterations=3000, seed=5)
    assert a.routes == b.routes
    assert a.cost == b.cost
    assert len(a.routes) == 1


def test_ils_beats_or_equals_the_ruin_recreate_search_at_the_same_iterations() -> None:
    inst = tsp(150, 3)
    ils = lc.solve(inst, time_limit=30, max_iterations=4000, seed=1)
    rr = lc.solve(inst, time_limit=30, max_iterations=4000, seed=1, tsp_ils=0)
    assert sorted(c for r in ils.routes for c in r) == list(range(1, 151))
    assert ils.cost <= rr.cost


def test_order_polish_of_long_routes_is_deterministic_and_feasible() -> None:
    rng = np.random.default_rng(11)
    xy = rng.uniform(0, 1000, size=(201, 2))
    inst = lc.Instance.from_arrays(xy, np.ones(201), [lc.VehicleSpec(capacity=50)])
    kw = {"time_limit": 30, "max_iterations": 20000, "seed": 2, "sisr_order_polish_share": 0.1}
    a = lc.solve(inst, **kw)
    b = lc.solve(inst, **kw)
    assert a.routes == b.routes
    assert a.feasible
    assert sorted(c for r in a.routes for c in r) == list(range(1, 201))
