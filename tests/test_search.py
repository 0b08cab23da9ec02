"""Routing: constructions and local-search operators (delta evaluation vs. recomputation)."""

from __future__ import annotations

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core import _core
from lastmile_core.errors import InputError


def make_data(
    seed: int,
    n: int = 25,
    dims: int = 1,
    hetero: bool = False,
    limits: bool = False,
    dense_limit: int = 4000,
    asym: bool = False,
) -> lc.ProblemData:
    """Random planar instance (rounded Euclidean), optionally multi-dim / mixed fleet / limits.

    With ``asym`` the distances are an explicit asymmetric matrix (rounded Euclidean plus a random
    0..30 surcharge per directed arc) and the durations another asymmetric matrix.
    """
    rng = np.random.default_rng(seed)
    coords = rng.uniform(0, 100, size=(n + 1, 2))
    demand = rng.integers(1, 10, size=(n + 1, dims))
    service = rng.integers(0, 10, size=n + 1) if limits else np.zeros(n + 1, dtype=np.int64)
    md = 400 if limits else None
    types = [lc.VehicleType([30] * dims, max_duration=md, max_distance=350 if limits else None)]
    if hetero:
        types.append(
            lc.VehicleType(
                [45] * dims,
                num_available=3,
                fixed_cost=25.0,
                cost_per_distance=1.3,
                cost_per_duration=0.2,
                max_duration=md,
            )
        )
    if not asym:
        return lc.ProblemData(coords, demand, service, types, dense_limit=dense_limit)
    euclid = np.hypot(*(coords[:, None, :] - coords[None, :, :]).transpose(2, 0, 1))
    off = 1 - np.eye(n + 1, dtype=np.int64)
    dist = (np.floor(euclid + 0.5).astype(np.int64) + rng.integers(0, 31, size=euclid.shape)) * off
    dur = (
        np.floor(0.8 * euclid + 0.5).astype(np.int64) + rng.integers(0, 31, size=euclid.shape)
    ) * off
    return lc.ProblemData(
        coords,
        demand,
        service,
        types,
        distance="matrix",
        distance_matrix=dist,
        duration_matrix=dur,
        dense_limit=dense_limit,
    )


def penalised_cost(
    data: lc.ProblemData, routes: list[lc.Route], wl: list[float], wt: float, wd: float
) -> float:
    """Independent numpy evaluation of the penalised cost the local search optimises."""
    coords, demand, service = data.coords, data.demand, data.service_time
    matrix = data.distance_kind == "matrix"
    if matrix:  # explicit (possibly asymmetric) matrices: read them arc by arc
        dm, tm = data.distance_matrix(), data.duration_matrix()
    total = 0.0
    for r in routes:
        if not r.visits:
            continue
        vt = data.vehicle_types[r.vehicle_type]
        path = np.array([0, *r.visits, 0])
        if matrix:
            dist = float(dm[path[:-1], path[1:]].sum())
            dur = float(tm[path[:-1], path[1:]].sum()) + service[path[1:-1]].sum()
        else:
            seg = coords[path[1:]] - coords[path[:-1]]
            edges = np.floor(np.hypot(seg[:, 0], seg[:, 1]) + 0.5)
            dist = edges.sum()
            dur = (
                np.floor(edges * data.duration_per_distance + 0.5).sum() + service[path[1:-1]].sum()
            )
        load = demand[list(r.visits)].sum(axis=0)
        cap = np.array(vt.capacity)
        total += vt.fixed_cost + vt.cost_per_distance * dist + vt.cost_per_duration * dur
        total += float(np.dot(wl, np.maximum(load - cap, 0)))
        if vt.max_duration is not None:
            total += wt * max(0.0, dur - vt.max_duration)
        if vt.max_distance is not None:
            total += wd * max(0.0, dist - vt.max_distance)
    return total


def chunked_routes(
    data: lc.ProblemData, seed: int, size: int = 5, types: int = 1
) -> list[lc.Route]:
    rng = np.random.default_rng(seed)
    perm = [int(c) for c in rng.permutation(np.arange(1, data.num_clients + 1))]
    chunks = [perm[i : i + size] for i in range(0, len(perm), size)]
    return [lc.Route(c, (i % types) if i < 3 else 0) for i, c in enumerate(chunks)]


def clients_once(data: lc.ProblemData, routes) -> bool:
    seen = sorted(c for r in routes for c in r.visits)
    return seen == list(range(1, data.num_clients + 1))


@pytest.mark.parametrize("op", _core.LocalSearch.operators)
@pytest.mark.parametrize("case", ["cvrp", "multidim", "limits", "hetero", "asym", "asym_hetero"])
def test_every_operator_delta_matches_recomputed_cost(op, case):
    """The predicted delta of each applied move equals the recomputed penalised cost change."""
    kw = {
        "cvrp": {},
        "multidim": {"dims": 3},
        "limits": {"limits": True},
        "hetero": {"hetero": True, "limits": True},
        "asym": {"asym": True},
        "asym_hetero": {"asym": True, "hetero": True, "limits": True},
    }[case]
    wl_scalar, wt, wd = 3.0, 2.0, 1.5
    for seed in range(3):
        data = make_data(seed, **kw)
        wl = [wl_scalar] * data.num_dims
        routes = chunked_routes(data, seed, types=len(data.vehicle_types))
        ls = _core.LocalSearch(
            data,
            routes,
            granular=10,
            seed=seed,
            load_penalty=wl,
            duration_penalty=wt,
            distance_penalty=wd,
        )
        applied = 0
        for _ in range(60):
            before = penalised_cost(data, ls.routes(), wl, wt, wd)
            delta = ls.improve_once(op)
            after = penalised_cost(data, ls.routes(), wl, wt, wd)
            assert after - before == pytest.approx(delta, abs=1e-6)
            assert ls.penalised_cost() == pytest.approx(after, abs=1e-6)
            if delta == 0.0:
                break
            assert delta < 0
            applied += 1
        assert clients_once(data, ls.routes())
        if op not in ("change_type", "reload") and case in ("cvrp", "asym"):
            assert applied > 0


def test_asymmetric_reversal_with_gain_inside_the_segment_is_found():
    """Asymmetric matrix: a 2-opt whose gain lies inside the reversed segment is found and priced.

    Route [1, 2, 3, 4]: every arc costs 5 except 2->3 (10), 3->2 (1), 1->4 (6) and 2->4, 1->3,
    2->1 (20). Reversing [2, 3, 4] costs 1 more on the boundary and saves 9 inside: cost 30 -> 22.
    """
    d = np.full((5, 5), 5, dtype=np.int64)
    np.fill_diagonal(d, 0)
    d[2, 3], d[3, 2], d[1, 4], d[2, 4], d[1, 3], d[2, 1] = 10, 1, 6, 20, 20, 20
    coords = np.array([[0, 0], [1, 1], [2, 0], [3, 1], [4, 0]], dtype=float)
    data = lc.ProblemData(
        coords,
        np.ones((5, 1), dtype=np.int64),
        np.zeros(5, dtype=np.int64),
        [lc.VehicleType([100])],
        distance="matrix",
        distance_matrix=d,
    )
    ls = _core.LocalSearch(data, [lc.Route([1, 2, 3, 4])])
    assert penalised_cost(data, ls.routes(), [1.0], 1.0, 1.0) == 30.0
    assert ls.improve_once("two_opt") == pytest.approx(-8.0)
    assert [r.visits for r in ls.routes()] == [[1, 4, 3, 2]]
    assert penalised_cost(data, ls.routes(), [1.0], 1.0, 1.0) == 22.0


def test_full_local_search_improves_and_keeps_every_client():
    """run() returns a non-positive change and a permutation of the clients."""
    data = make_data(4, n=60, hetero=True, limits=True)
    routes = chunked_routes(data, 4, types=2)
    ls = _core.LocalSearch(data, routes, load_penalty=[5.0])
    before = ls.penalised_cost()
    change = ls.run()
    assert change < 0
    assert ls.penalised_cost() == pytest.approx(before + change)
    assert ls.recompute_penalised_cost() == pytest.approx(ls.penalised_cost())
    assert clients_once(data, ls.routes())


def test_local_search_respects_fleet_counts_of_limited_types():
    """Routes of a type never exceed its num_available (slots are structural)."""
    data = make_data(5, n=60, hetero=True)
    ls = _core.LocalSearch(data, chunked_routes(data, 5, types=2), load_penalty=[2.0])
    ls.run()
    used = sum(1 for r in ls.routes() if r.vehicle_type == 1)
    assert used <= 3


def test_unknown_operator_is_rejected():
    """Operator names are validated."""
    data = make_data(0)
    ls = _core.LocalSearch(data, chunked_routes(data, 0))
    with pytest.raises(InputError, match="operator"):
        ls.improve_once("three_opt")
    with pytest.raises(InputError, match="operators"):
        ls.run(["nope"])


@pytest.mark.parametrize("build", [_core.savings, _core.sweep, _core.nearest_neighbour])
@pytest.mark.parametrize("dense_limit", [4000, 0])
def test_constructions_visit_every_client_once_and_respect_limits(build, dense_limit):
    """Savings, sweep and nearest neighbour give feasible solutions with an unlimited fleet."""
    for kw in ({}, {"dims": 2}, {"limits": True}):
        data = make_data(7, n=120, dense_limit=dense_limit, **kw)
        sol = build(data)
        assert clients_once(data, sol.routes)
        assert sol.feasible, sol.violations


def test_savings_beats_sweep_and_nearest_neighbour_on_clustered_instance():
    """Savings is the strongest construction on a typical instance."""
    data = make_data(8, n=200)
    assert _core.savings(data).cost < min(
        _core.sweep(data).cost, _core.nearest_neighbour(data).cost
    )


def test_savings_scales_to_ten_thousand_stops_without_a_dense_matrix():
    """Non-dense 10k instance: k-NN savings produces a feasible solution."""
    rng = np.random.default_rng(0)
    n = 10_000
    coords = rng.uniform(0, 10_000, size=(n + 1, 2))
    demand = rng.integers(1, 10, size=(n + 1, 1))
    data = lc.ProblemData(coords, demand, np.zeros(n + 1, dtype=np.int64), [lc.VehicleType([100])])
    assert not data.dense
    sol = _core.savings(data)
    assert sol.feasible
    assert clients_once(data, sol.routes)
