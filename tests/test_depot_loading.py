"""Per-depot loading time (issue 10: "per depot: location, opening window, service/loading
time"): spent at the depot before every trip leaves it (a route's start and each reload), in the
C++ evaluation, the independent checker, the search, the OR-Tools reference and the API."""

from __future__ import annotations

import numpy as np
import pytest

from lastmile_core import Instance, VehicleSpec
from lastmile_core.check import check
from lastmile_core.errors import InputError
from lastmile_core.solve import solve

# A depot at the origin and four clients at distance 10 on the axes (demand 6 each).
XY = np.array([[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]], dtype=float)
DEMAND = [0, 6, 6, 6, 6]


def square(loading: object = None, **kw: object) -> Instance:
    spec = VehicleSpec(capacity=12, reload_depots=(0,), reload_time=3)
    return Instance.from_arrays(XY, DEMAND, [spec], depot_loading_time=loading, **kw)  # type: ignore[arg-type]


def agree(inst: Instance, routes: list[list[int]], types: list[int] | None = None) -> None:
    """The C++ evaluation and the checker: same cost, durations, waiting and violation kinds."""
    sol = inst.solution(routes, types)
    rep = check(inst, routes, vehicle_types=types)
    assert rep.cost == pytest.approx(sol.cost, abs=1e-9)
    assert [r.duration_internal for r in rep.routes] == [r.duration for r in sol.routes]
    assert sorted(v.kind for v in rep.violations) == sorted(v.kind for v in sol.details)


def test_loading_before_the_first_trip_and_after_each_reload() -> None:
    plain, loaded = square(), square(5)
    for routes in ([[1, 2, 0, 3, 4]], [[1, 0, 2, 0, 3, 4]], [[1, 2], [3, 4]]):
        base = [r.duration for r in plain.solution(routes).routes]
        trips = [1 + sum(1 for c in r if c == 0) for r in routes]
        got = [r.duration for r in loaded.solution(routes).routes]
        assert got == [b + 5000 * t for b, t in zip(base, trips, strict=True)]  # scale 1000
        agree(loaded, routes)
    assert loaded.data.has_time_windows  # evaluated (and searched) with time segments
    assert list(loaded.data.depot_loading_time) == [5000]


def test_zero_loading_is_exactly_no_loading() -> None:
    plain, zero = square(), square([0.0])
    assert not zero.data.has_time_windows and not plain.data.has_time_windows
    assert list(zero.data.depot_loading_time) == [0]
    spec = VehicleSpec(capacity=12, num_available=3)
    a = Instance.from_arrays(XY, DEMAND, [spec])
    b = Instance.from_arrays(XY, DEMAND, [spec], depot_loading_time=0)
    ra = solve(a, time_limit=1, seed=3, max_iterations=200)
    rb = solve(b, time_limit=1, seed=3, max_iterations=200)
    assert [list(r.visits) for r in ra.solution.routes] == [
        list(r.visits) for r in rb.solution.routes
    ]
    assert ra.cost == rb.cost


def test_loading_delays_the_departure_after_the_opening_and_the_release() -> None:
    tw = [[100, 1000]] + [[0, 1000]] * 4
    inst = square(20, time_window=tw, release_time=[0, 0, 0, 300, 0])
    sol = inst.solution([[1, 2, 0, 3, 4]])
    assert sol.feasible, sol.violations
    r = sol.routes[0]
    d = inst.data
    trip1 = d.dist(0, 1) + d.dist(1, 2) + d.dist(2, 0)
    trip2 = d.dist(0, 3) + d.dist(3, 4) + d.dist(4, 0)
    # Second trip: the reload (3) ends at or after 300, the loading (20) after it.
    assert r.end_time == 300_000 + 20_000 + trip2
    assert r.duration == 2 * 20_000 + 3_000 + trip1 + trip2
    agree(inst, [[1, 2, 0, 3, 4]])
    # Client 3 in the first trip: the loading starts at its release.
    first = inst.solution([[3, 4, 0, 1, 2]])
    assert first.routes[0].start_time == 300_000
    agree(inst, [[3, 4, 0, 1, 2]])
    # Client 2 closes at 35: reached at 24.1 after client 1, at 39.1 after 15 of loading.
    tight = [[0, 1000]] * 2 + [[0, 35]] + [[0, 1000]] * 2
    for loading, feasible in ((None, True), (15, False)):
        t = square(loading, time_window=tight)
        assert t.solution([[1, 2], [3, 4]]).feasible is feasible
        assert check(t, [[1, 2], [3, 4]]).feasible is feasible
        agree(t, [[1, 2], [3, 4]])
    # A client that cannot be reached at all after the loading is refused up front.
    with pytest.raises(InputError, match="client 1 cannot be reached"):
        square(60, time_window=[[0, 1000]] + [[0, 50]] + [[0, 1000]] * 3)


def test_each_depot_has_its_own_loading_time() -> None:
    specs = [VehicleSpec(capacity=24), VehicleSpec(capacity=24, start_depot=1, end_depot=1)]
    inst = Instance.from_arrays(XY, DEMAND, specs, depots=[[0.0, 20.0]], depot_loading_time=[7, 2])
    plain = Instance.from_arrays(XY, DEMAND, specs, depots=[[0.0, 20.0]])
    routes, types = [[1, 2], [3, 4]], [0, 1]
    got = [r.duration for r in inst.solution(routes, types).routes]
    base = [r.duration for r in plain.solution(routes, types).routes]
    assert got == [base[0] + 7000, base[1] + 2000]
    agree(inst, routes, types)


def test_the_search_keeps_max_duration_with_the_loading() -> None:
    rng = np.random.default_rng(5)
    xy = rng.uniform(0, 100, (31, 2))
    demand = np.r_[0, rng.integers(1, 5, 30)]
    van = VehicleSpec(capacity=40, max_duration=400, cost_per_duration=0.1)
    inst = Instance.from_arrays(xy, demand, [van], depot_loading_time=60)
    res = solve(inst, time_limit=2, seed=1, max_iterations=300)
    rep = check(inst, res.solution)
    assert rep.feasible, rep.violations
    assert all(r.duration_internal <= 400_000 for r in rep.routes)
    assert rep.cost == pytest.approx(res.solution.cost, rel=1e-12)


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (float("nan"), "depot_loading_time: depot 0"),
        (-1.0, "depot_loading_time: depot 0"),
        (float("inf"), "depot_loading_time: depot 0"),
        ([1.0, 2.0], "depot_loading_time: expected one value or 1"),
        ("soon", "depot_loading_time"),
    ],
)
def test_bad_loading_times_are_input_errors_naming_the_field(value: object, match: str) -> None:
    with pytest.raises(InputError, match=match):
        square(value)


def test_driver_breaks_with_loading_times_are_refused_naming_the_field() -> None:
    spec = VehicleSpec(capacity=12, break_duration=5.0)
    with pytest.raises(InputError, match="depot_loading_time: vehicle_types.0. has a driver break"):
        Instance.from_arrays(XY, DEMAND, [spec], depot_loading_time=2.0)
    Instance.from_arrays(XY, DEMAND, [spec], depot_loading_time=0.0)  # zero loading is fine


def test_ortools_reference_counts_the_loading() -> None:
    pytest.importorskip("ortools")
    from lastmile_core.reference import solve_ortools

    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 100, (21, 2))
    demand = np.r_[0, rng.integers(1, 8, 20)]
    for spec, kw in (
        (VehicleSpec(capacity=30, cost_per_duration=0.5, fixed_cost=10), {}),
        (
            VehicleSpec(
                capacity=30,
                num_available=2,
                reload_depots=(0,),
                reload_time=4,
                cost_per_duration=0.5,
            ),
            {
                "time_window": [[0, 5000]] * 21,
                "release_time": np.r_[0, np.where(rng.random(20) < 0.4, 150.0, 0.0)],
            },
        ),
    ):
        inst = Instance.from_arrays(xy, demand, [spec], depot_loading_time=15, **kw)  # type: ignore[arg-type]
        res = solve_ortools(inst, time_limit=1.0)
        assert res.solution is not None and res.feasible, res.status
        rep = check(inst, res.routes, vehicle_types=res.vehicle_types)
        assert rep.feasible, rep.violations
        assert res.objective == pytest.approx(res.cost, rel=1e-12)
        assert rep.cost == pytest.approx(res.cost, rel=1e-12)


@pytest.mark.parametrize(("release", "feasible"), [(45.0, True), (60.0, False)])
def test_ortools_model_starts_the_loading_after_the_release_like_the_core(
    release: float, feasible: bool
) -> None:
    # Reload depot 1 closes at 50, reload time 3, then 20 of loading there: a trip released at
    # 60 needs the reload to start at 57 (too late), one released at 45 at 42 (in time).
    pytest.importorskip("ortools")
    from lastmile_core.reference import solve_ortools

    inst = Instance.from_arrays(
        XY,
        DEMAND,
        [VehicleSpec(capacity=12, num_available=1, reload_depots=(1,), reload_time=3)],
        time_window=[[0, 1000]] * 5,
        release_time=[0, 0, 0, release, 0],
        depots=[[0.0, 5.0]],
        depot_time_window=[[0, 50]],
        depot_loading_time=[0, 20],
    )
    start = inst.solution([[1, 2, inst.num_clients + 1, 3, 4]])
    assert start.feasible is feasible, start.violations
    res = solve_ortools(inst, time_limit=0.3, initial_solution=start)
    assert res.status.endswith("(initial rejected)") is not feasible
    if feasible:
        assert res.feasible and res.objective == pytest.approx(res.cost, rel=1e-12)
