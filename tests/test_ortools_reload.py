"""The OR-Tools reference with reloads (multi-trip routes, issue 10): copies of the reload depot
as optional visits. Its routes are feasible by the independent checker, its objective equals the
C++ evaluation of the same routes, max_reloads and the reload depots hold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lastmile_core import Instance, VehicleSpec
from lastmile_core.check import check
from lastmile_core.errors import InputError
from lastmile_core.io import read_vrplib
from lastmile_core.io.vrplib_mt import read_mt_solution

from .conftest import shared_file

pytest.importorskip("ortools")
from lastmile_core.reference import ReferenceResult, solve_ortools  # noqa: E402


def instance(seed: int, n: int = 24, timed: bool = False, **spec: object) -> Instance:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n + 1, 2))
    demand = np.r_[0, rng.integers(1, 10, n)]
    kw: dict[str, object] = {"capacity": 30, "num_available": 2, "reload_depots": (0,)}
    kw.update(spec)
    extra: dict[str, object] = {"service_time": np.r_[0, np.full(n, 4.0)]}
    if timed:
        early = rng.uniform(0, 400, n)
        extra["time_window"] = np.r_[[[0, 3000]], np.c_[early, early + 900]]
        extra["release_time"] = np.r_[0, np.where(rng.random(n) < 0.3, rng.uniform(0, 600, n), 0)]
    return Instance.from_arrays(xy, demand, [VehicleSpec(**kw)], **extra)  # type: ignore[arg-type]


def reloads(route: list[int], inst: Instance) -> int:
    return sum(1 for c in route if c == 0 or c > inst.num_clients)


def agrees(inst: Instance, res: ReferenceResult) -> None:
    """Feasible by the checker; OR-Tools' objective = the C++ cost = the checker's cost."""
    assert res.solution is not None, res.status
    assert res.feasible, res.solution.violations
    rep = check(inst, res.routes, vehicle_types=res.vehicle_types)
    assert rep.feasible, rep.violations
    again = inst.solution(res.routes, res.vehicle_types)
    assert res.exact_cost_scale
    assert res.objective == pytest.approx(again.cost, rel=1e-12, abs=1e-9)
    assert rep.cost == pytest.approx(again.cost, rel=1e-12, abs=1e-9)
    served = sorted(c for r in res.routes for c in r if 1 <= c <= inst.num_clients)
    assert served == list(range(1, inst.num_clients + 1))


@pytest.mark.parametrize("max_reloads", [2, None])
def test_two_vans_reload_to_carry_more_than_their_capacity(max_reloads: int | None) -> None:
    inst = instance(1, reload_time=6, max_reloads=max_reloads)
    total = int(np.asarray(inst.data.demand).sum())
    assert total > 2 * 30  # two single trips cannot carry it
    res = solve_ortools(inst, time_limit=1.0)
    agrees(inst, res)
    assert sum(reloads(r, inst) for r in res.routes) >= 1
    # Free reload copies (at a route's end: no time is priced here) are not reported.
    assert all(r[-1] != 0 and r[0] != 0 for r in res.routes)
    if max_reloads is not None:
        assert all(reloads(r, inst) <= max_reloads for r in res.routes)


def test_time_windows_releases_and_duration_cost_with_reloads() -> None:
    inst = instance(2, timed=True, reload_time=10, cost_per_duration=0.5, max_reloads=3)
    res = solve_ortools(inst, time_limit=1.5)
    agrees(inst, res)
    assert all(reloads(r, inst) <= 3 for r in res.routes)


def test_reloads_only_at_the_types_reload_depot() -> None:
    # Depot 1 (far away at (50, 300)) is the only reload depot: reload visits are its node.
    rng = np.random.default_rng(3)
    n = 16
    xy = rng.uniform(0, 100, (n + 1, 2))
    demand = np.r_[0, rng.integers(1, 10, n)]
    van = VehicleSpec(capacity=30, num_available=1, reload_depots=(1,))
    inst = Instance.from_arrays(xy, demand, [van], depots=[[50.0, 300.0]])
    res = solve_ortools(inst, time_limit=1.0)
    agrees(inst, res)
    visits = [c for r in res.routes for c in r if c == 0 or c > n]
    assert visits and set(visits) == {n + 1}


def test_a_given_start_is_kept_or_improved() -> None:
    inst = instance(4, reload_time=3)
    demand = np.asarray(inst.data.demand)[:, 0]
    route: list[int] = []
    load = 0
    for c in range(1, inst.num_clients + 1):  # one van, a reload whenever the next one is over
        if load + demand[c] > 30:
            route.append(0)
            load = 0
        route.append(c)
        load += int(demand[c])
    start = inst.solution([route], [0])
    assert start.feasible, start.violations
    res = solve_ortools(inst, time_limit=0.5, initial_solution=start)
    assert not res.status.endswith("(initial rejected)")
    agrees(inst, res)
    assert res.cost <= start.cost + 1e-9


def test_pickups_with_reloads_and_bad_reload_copies_are_input_errors() -> None:
    xy = np.array([[0, 0], [10, 0], [0, 10]], dtype=float)
    van = VehicleSpec(capacity=10, reload_depots=(0,))
    inst = Instance.from_arrays(xy, [0, 6, 6], [van], pickup=[0, 1, 0])
    with pytest.raises(InputError, match="reload_depots"):
        solve_ortools(inst, time_limit=0.2)
    with pytest.raises(InputError, match="reload_copies"):
        solve_ortools(instance(5), time_limit=0.2, reload_copies=-1)


@pytest.mark.parametrize("name", ["C201R0.25", "R201R0.5", "RC202R0.25"])
def test_mtvrptwr_shipped_solution_is_feasible_in_the_model_and_the_search_agrees(
    data_dir: Path, name: str
) -> None:
    root = shared_file(data_dir, "pyvrp_instances", "MTVRPTWR")
    inst = read_vrplib(shared_file(root, f"{name}.vrp"))
    routes, cost = read_mt_solution(shared_file(root, f"{name}.sol"))
    best = inst.solution(routes)
    assert best.distance == cost
    # The proven-optimal routes are a feasible assignment of the OR-Tools model.
    kept = solve_ortools(inst, time_limit=0.5, initial_solution=best, reload_copies=20)
    assert not kept.status.endswith("(initial rejected)")
    agrees(inst, kept)
    assert kept.cost == pytest.approx(best.cost, rel=1e-12)  # optimal: nothing to improve
    res = solve_ortools(inst, time_limit=2.0)
    agrees(inst, res)
    assert res.cost >= best.cost - 1e-9
