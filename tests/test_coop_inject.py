"""threads > 1: SISR threads cooperate by routes (cpp/meta/route_injection.cpp). Every
coop_inject_every iterations a thread publishes its best and copies a few neighbouring routes of
another thread's published best into its current solution (coop_inject_tries attempts, up to
coop_inject_routes routes each). Injections are made very often here (every 20 iterations) on
instances where removing clients from a route can break it (time windows, a duration limit,
pickups, a limited mixed fleet): every result must pass the independent checker and serve every
client once. With one thread the injection is inert."""

from __future__ import annotations

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core.check import check
from lastmile_core.errors import InputError
from lastmile_core.instance import Instance, VehicleSpec


def windows_instance(n: int, seed: int) -> Instance:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n + 1, 2))
    xy[0] = 50
    tw = np.zeros((n + 1, 2))
    tw[0] = (0, 1000)
    opens = rng.uniform(0, 700, n)
    tw[1:, 0] = opens
    tw[1:, 1] = opens + rng.uniform(60, 200, n)
    return Instance.from_arrays(
        xy,
        np.r_[0, rng.integers(1, 10, n)],
        [VehicleSpec(capacity=60, max_duration=600)],
        service_time=np.r_[0, np.full(n, 10.0)],
        time_window=tw,
    )


def pickup_instance(n: int, seed: int) -> Instance:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n + 1, 2))
    demand = np.r_[0, rng.integers(0, 10, n)]
    pickup = np.r_[0, rng.integers(0, 10, n)]
    return Instance.from_arrays(xy, demand, [VehicleSpec(capacity=50)], pickup=pickup)


def mixed_fleet_instance(n: int, seed: int) -> Instance:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n + 1, 2))
    demand = np.r_[0, rng.integers(1, 10, n)]
    total = int(demand.sum())
    return Instance.from_arrays(
        xy,
        demand,
        [
            VehicleSpec(capacity=40, num_available=total // 80 + 1, fixed_cost=50),
            VehicleSpec(capacity=100, num_available=total // 200 + 2, fixed_cost=150),
        ],
    )


CASES = {
    "windows": lambda: windows_instance(120, 1),
    "pickups": lambda: pickup_instance(120, 2),
    "mixed_fleet": lambda: mixed_fleet_instance(150, 3),
}


def served_routes(inst: Instance, res: lc.SolveResult) -> list[list[int]]:
    routes = [[int(c) for c in r.visits] for r in res.solution.routes if len(r.visits)]
    assert sorted(c for r in routes for c in r) == list(range(1, inst.data.num_clients + 1))
    return routes


def vehicle_types(res: lc.SolveResult) -> list[int]:
    return [int(r.vehicle_type) for r in res.solution.routes if len(r.visits)]


@pytest.mark.parametrize("case", sorted(CASES))
def test_two_threads_with_frequent_injections_stay_feasible(case: str) -> None:
    inst = CASES[case]()
    res = lc.solve(
        inst,
        time_limit=1.0,
        threads=2,
        seed=4,
        algorithm="sisr",
        coop_inject_every=20,
        coop_inject_tries=3,
        coop_inject_routes=4,
    )
    rep = check(inst, served_routes(inst, res), vehicle_types(res))
    assert rep.feasible, rep.violations[:3]
    assert rep.cost == pytest.approx(res.cost)


def test_injection_is_inert_with_one_thread() -> None:
    inst = windows_instance(80, 5)
    a = lc.solve(inst, time_limit=60, max_iterations=3000, seed=2, threads=1, algorithm="sisr")
    b = lc.solve(
        inst,
        time_limit=60,
        max_iterations=3000,
        seed=2,
        threads=1,
        algorithm="sisr",
        coop_inject_every=1,
    )
    assert served_routes(inst, a) == served_routes(inst, b)
    assert a.cost == b.cost


@pytest.mark.parametrize(
    ("name", "value"),
    [("coop_inject_every", -1), ("coop_inject_tries", 0), ("coop_inject_routes", 0)],
)
def test_bad_injection_settings_are_refused(name: str, value: int) -> None:
    inst = pickup_instance(20, 6)
    with pytest.raises(InputError, match=name):
        lc.solve(inst, time_limit=1, threads=2, **{name: value})
