"""Reloading at the station (issue 10): the model (VehicleSpec reload_depots / max_reloads /
reload_time), the C++ evaluation of routes with reload visits, the independent checker, PyVRP's
MTVRPTWR files and their .sol files (the search: tests/test_reload_search.py; the OR-Tools
reference: tests/test_ortools_reload.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lastmile_core import Instance, VehicleSpec
from lastmile_core.check import check
from lastmile_core.errors import IndexOutOfRangeError, InputError
from lastmile_core.io import read_vrplib
from lastmile_core.io.vrplib_mt import read_mt_solution, write_mt_solution

from .conftest import shared_file

# A depot at the origin and four clients at distance 10 on the axes (demand 6 each).
XY = np.array([[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]], dtype=float)
DEMAND = [0, 6, 6, 6, 6]


def square(**spec: object) -> Instance:
    kw: dict[str, object] = {"capacity": 12, "reload_depots": (0,)}
    kw.update(spec)
    return Instance.from_arrays(XY, DEMAND, [VehicleSpec(**kw)])  # type: ignore[arg-type]


def kinds(sol: object) -> list[str]:
    return [v.kind for v in sol.details]  # type: ignore[attr-defined]


def agree(inst: Instance, routes: list[list[int]]) -> None:
    """The C++ evaluation and the checker give the same cost, durations and violation kinds."""
    sol = inst.solution(routes)
    rep = check(inst, routes)
    assert rep.cost == pytest.approx(sol.cost, abs=1e-9)
    assert [r.duration_internal for r in rep.routes] == [r.duration for r in sol.routes]
    assert [r.distance_internal for r in rep.routes] == [r.distance for r in sol.routes]
    assert sorted(v.kind for v in rep.violations) == sorted(kinds(sol))


def test_capacity_holds_per_trip_and_a_reload_costs_the_way_back_and_its_time() -> None:
    inst = square(reload_time=3)
    one_trip = inst.solution([[1, 2, 3, 4]])
    assert kinds(one_trip) == ["capacity"]  # 24 > 12 without a reload
    two_trips = inst.solution([[1, 2, 0, 3, 4]])
    assert two_trips.feasible, two_trips.violations
    d = inst.data
    legs = [(0, 1), (1, 2), (2, 0), (0, 3), (3, 4), (4, 0)]
    assert two_trips.routes[0].distance == sum(d.dist(a, b) for a, b in legs)
    assert two_trips.routes[0].duration == two_trips.routes[0].distance + 3 * 1000  # reload time
    assert list(two_trips.routes[0].load) == [24]  # total over the trips
    for routes in ([[1, 2, 3, 4]], [[1, 2, 0, 3, 4]], [[1, 0, 2, 0, 3, 4]], [[0, 1, 2, 3, 4]]):
        agree(inst, routes)


def test_a_trip_over_capacity_is_named() -> None:
    inst = square()
    sol = inst.solution([[1, 0, 2, 3, 4]])  # second trip carries 18 > 12
    assert kinds(sol) == ["capacity"]
    assert "trip 1" in sol.violations[0]
    assert sol.details[0].value == 18
    agree(inst, [[1, 0, 2, 3, 4]])


def test_more_reloads_than_max_reloads_is_a_reload_violation() -> None:
    inst = square(max_reloads=1)
    assert inst.solution([[1, 2, 0, 3, 4]]).feasible
    sol = inst.solution([[1, 0, 2, 0, 3, 4]])
    assert kinds(sol) == ["reload"]
    assert (sol.details[0].value, sol.details[0].limit) == (2, 1)
    agree(inst, [[1, 0, 2, 0, 3, 4]])
    assert kinds(square(max_reloads=0).solution([[1, 2, 0, 3, 4]])) == ["reload"]


def test_a_reload_at_a_depot_the_type_may_not_use_is_a_reload_violation() -> None:
    specs = [
        VehicleSpec(capacity=12, reload_depots=(1,)),
        VehicleSpec(capacity=12),
    ]
    inst = Instance.from_arrays(XY, DEMAND, specs, depots=[[0.0, 20.0]])
    depot1 = inst.num_clients + 1  # node of depot 1
    assert inst.solution([[1, 2, depot1, 3, 4]]).feasible
    for routes, types in (([[1, 2, 0, 3, 4]], [0]), ([[1, 2, depot1, 3, 4]], [1])):
        sol = inst.solution(routes, vehicle_types=types)
        assert kinds(sol) == ["reload"], sol.violations
        rep = check(inst, routes, vehicle_types=types)
        assert [v.kind for v in rep.violations] == ["reload"]


def test_depot_visits_are_index_errors_without_reloads() -> None:
    inst = Instance.from_arrays(XY, DEMAND, [VehicleSpec(capacity=24)])
    with pytest.raises(IndexOutOfRangeError, match="client 0"):
        inst.solution([[1, 2, 0, 3, 4]])
    with pytest.raises(IndexOutOfRangeError, match="client 0"):
        check(inst, [[1, 2, 0, 3, 4]])


def test_a_later_trips_release_bounds_its_reload_not_the_departure() -> None:
    # Client 3 is released at 100: the second trip leaves after it, the first one at 0.
    tw = [[0, 1000]] + [[0, 1000]] * 4
    inst = Instance.from_arrays(
        XY,
        DEMAND,
        [VehicleSpec(capacity=12, reload_depots=(0,))],
        time_window=tw,
        release_time=[0, 0, 0, 100, 0],
    )
    sol = inst.solution([[1, 2, 0, 3, 4]])
    assert sol.feasible, sol.violations
    r = sol.routes[0]
    d = inst.data
    trip1 = d.dist(0, 1) + d.dist(1, 2) + d.dist(2, 0)
    trip2 = d.dist(0, 3) + d.dist(3, 4) + d.dist(4, 0)
    # The first trip runs before the release (leaving as late as possible, no waiting), the
    # second leaves the depot at 100.
    assert r.start_time == 100_000 - trip1
    assert r.end_time == 100_000 + trip2
    assert r.duration == trip1 + trip2 and r.waiting == 0
    agree(inst, [[1, 2, 0, 3, 4]])
    # Served in the first trip, the release holds the whole route back.
    late_first = inst.solution([[3, 4, 0, 1, 2]])
    assert late_first.routes[0].start_time == 100_000
    assert late_first.routes[0].end_time == 100_000 + trip1 + trip2
    agree(inst, [[3, 4, 0, 1, 2]])


def test_time_violations_across_trips() -> None:
    # Reload depot 1 closes at 50: a trip released at 60 cannot leave it.
    inst = Instance.from_arrays(
        XY,
        DEMAND,
        [VehicleSpec(capacity=12, reload_depots=(1,))],
        time_window=[[0, 1000]] * 5,
        release_time=[0, 0, 0, 60, 0],
        depots=[[0.0, 5.0]],
        depot_time_window=[[0, 50]],
    )
    route = [[1, 2, inst.num_clients + 1, 3, 4]]
    sol = inst.solution(route)
    assert kinds(sol) == ["release"]
    assert sol.details[0].client == 3
    assert [v.kind for v in check(inst, route).violations] == ["release"]
    # Without releases but closing at 20, the reload depot is reached too late (at 35.3).
    closing = Instance.from_arrays(
        XY,
        DEMAND,
        [VehicleSpec(capacity=12, reload_depots=(1,))],
        time_window=[[0, 1000]] * 5,
        depots=[[0.0, 5.0]],
        depot_time_window=[[0, 20]],
    )
    late = [[1, 2, closing.num_clients + 1, 3, 4]]
    sol = closing.solution(late)
    assert kinds(sol) == ["time_window"] and sol.details[0].client is None
    assert "reload at depot 1" in closing.violations(sol)[0]
    assert [v.kind for v in check(closing, late).violations] == ["time_window"]
    short = Instance.from_arrays(
        XY,
        DEMAND,
        [VehicleSpec(capacity=12, reload_depots=(0,))],
        time_window=[[0, 30]] + [[0, 1000]] * 4,
    )
    sol = short.solution([[1, 2, 0, 3, 4]])  # back at the depot at 34.1 > 30
    assert not sol.feasible
    assert kinds(sol)[0] == "time_window"
    assert not check(short, [[1, 2, 0, 3, 4]]).feasible


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"reload_depots": (-1,)}, "reload_depots[0]"),
        ({"reload_depots": 0}, "reload_depots"),
        ({"reload_depots": (0, 0)}, "reload_depots"),
        ({"reload_depots": (2,)}, "reload_depots"),
        ({"max_reloads": -1}, "max_reloads"),
        ({"max_reloads": 1.5}, "max_reloads"),
        ({"reload_time": -1.0}, "reload_time"),
        ({"reload_time": float("nan")}, "reload_time"),
    ],
)
def test_bad_reload_fields_are_input_errors_naming_the_field(
    spec: dict[str, object], field: str
) -> None:
    with pytest.raises(InputError, match=field.replace("[", r"\[").replace("]", r"\]")):
        square(**spec)


def test_ortools_reference_plans_reloads_instead_of_dropping_them() -> None:
    pytest.importorskip("ortools")
    from lastmile_core.reference import solve_ortools

    res = solve_ortools(square(max_reloads=1), time_limit=0.5)  # 24 units, capacity 12
    assert res.feasible and sum(r.count(0) for r in res.routes) >= 1


def test_sol_files_with_reload_visits_round_trip(tmp_path: Path) -> None:
    inst = square()
    routes = [[1, 2, 0, 3, 4]]
    path = tmp_path / "x.sol"
    write_mt_solution(path, inst.solution(routes))
    back, cost = read_mt_solution(path)
    assert back == routes
    assert cost == inst.solution(routes).distance


def test_checker_and_engine_reproduce_every_shipped_mtvrptwr_solution(data_dir: Path) -> None:
    root = shared_file(data_dir, "pyvrp_instances", "MTVRPTWR")
    files = sorted(root.glob("*.vrp"))
    assert len(files) == 80
    reloaded = 0
    for vrp in files:
        inst = read_vrplib(vrp)
        assert inst.data.has_reloads
        routes, cost = read_mt_solution(shared_file(root, vrp.stem + ".sol"))
        assert cost is not None
        sol = inst.solution(routes)
        rep = check(inst, routes)
        assert sol.feasible, (vrp.name, sol.violations[:3])
        assert rep.feasible, (vrp.name, rep.violations[:3])
        assert sol.distance == cost  # internal units: the distance to one decimal, truncated
        assert rep.distance_internal == cost
        assert rep.cost == pytest.approx(sol.cost, rel=1e-12)
        assert [r.duration_internal for r in rep.routes] == [r.duration for r in sol.routes]
        reloaded += any(0 in r for r in routes)
    assert reloaded == len(files)  # every shipped solution reloads somewhere
