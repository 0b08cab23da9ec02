"""Driver breaks (VehicleSpec.break_duration / break_window): validation, placement by hand
examples, the independent checker against the C++ evaluation, the solver end to end on
station-days with windows, determinism and the OR-Tools reference."""

from __future__ import annotations

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core import examples
from lastmile_core.check import check
from lastmile_core.errors import InfeasibleError, InputError
from lastmile_core.instance import Instance, VehicleSpec


def line(spec: VehicleSpec, tw: list[list[float]] | None = None, n: int = 2) -> Instance:
    """Depot at 0 and clients at 10, 20, ... on a line (unit speed), service 5."""
    xy = [[10.0 * i, 0.0] for i in range(n + 1)]
    return Instance.from_arrays(
        xy,
        [0] + [1] * n,
        [spec],
        service_time=[0] + [5] * n,
        distance="euclidean_rounded",
        time_window=tw,
    )


def van(**kw: object) -> VehicleSpec:
    return VehicleSpec(capacity=10, **kw)  # type: ignore[arg-type]


def windowed(n: int = 30, seed: int = 0, window: tuple[float, float] = (300, 500)) -> Instance:
    """Random clients on a 100 x 100 square, windows for half of them inside [0, 1000], a break
    of 30 in ``window``."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n + 1, 2))
    xy[0] = 50
    tw = np.zeros((n + 1, 2))
    tw[0] = (0, 1000)
    tw[1:, 1] = 1000
    half = rng.uniform(size=n) < 0.5
    opens = rng.uniform(0, 700, n)
    tw[1:, 0] = np.where(half, opens, 0)
    tw[1:, 1] = np.where(half, opens + rng.uniform(80, 200, n), 1000)
    spec = VehicleSpec(
        capacity=40, latest_end=1000, cost_per_duration=0.5, break_duration=30, break_window=window
    )
    return Instance.from_arrays(
        xy,
        np.r_[0, rng.integers(1, 10, n)],
        [spec],
        service_time=np.r_[0, rng.uniform(0, 10, n)],
        time_window=tw,
    )


# -- placement by hand ---------------------------------------------------------------------------


def test_waiting_absorbs_the_break() -> None:
    # Client 1 closes at 20, client 2 opens at 100: 65 of waiting before client 2; a break of 30
    # after client 1 fits in it and the route's duration is that of the route without a break.
    tw = [[0, 1000], [0, 20], [100, 200]]
    plain = line(van(), tw).solution([[1, 2]]).routes[0]
    inst = line(van(break_duration=30, break_window=(0, 1000)), tw)
    r = inst.solution([[1, 2]]).routes[0]
    assert plain.duration == 115 and plain.waiting == 65
    assert r.duration == 115 and r.waiting == 35
    assert r.break_after == 1 and r.break_start == 25 and r.time_warp == 0
    assert plain.break_after is None
    for routes in (inst.solution([[1, 2]]), [[1, 2]]):  # given or placed by the checker
        rep = check(inst, routes)
        assert rep.feasible and rep.duration_internal == 115


def test_route_over_before_the_window_opens_takes_the_break_and_leaves_later() -> None:
    # Without the break: 25 long. The break window opens at 500: the route leaves at 500 after
    # the break at the depot (position 0) and is back at 555.
    inst = line(van(break_duration=30, break_window=(500, 600)), n=1)
    sol = inst.solution([[1]])
    r = sol.routes[0]
    assert sol.feasible
    assert (r.duration, r.break_after, r.break_start) == (55, 0, 500)
    assert (r.start_time, r.end_time, r.waiting) == (500, 555, 0)
    rep = check(inst, sol)
    assert rep.feasible and rep.duration_internal == 55
    assert rep.cost == pytest.approx(sol.cost)


def test_break_at_the_end_depot_when_the_shift_forces_it() -> None:
    # Client 1 closes at 90 and the break only opens at 100: leave at 75, serve at 85, back at
    # 100 and break 100..130 at the depot (55), rather than break after the client (60) or
    # before leaving (too late for the client).
    inst = line(van(break_duration=30, break_window=(100, 200)), [[0, 1000], [80, 90]], n=1)
    r = inst.solution([[1]]).routes[0]
    assert r.break_after == 2 and r.break_start == 100
    assert (r.duration, r.start_time, r.end_time, r.waiting) == (55, 75, 130, 0)
    assert check(inst, [[1]]).duration_internal == 55
    assert check(inst, [r]).feasible


def test_a_break_that_cannot_start_in_its_window_is_a_break_violation() -> None:
    # Client 1 must be served at exactly 10, the break must start by 3 and lasts 30: taking it
    # after the client (at 15) is the least late placement.
    inst = line(van(break_duration=30, break_window=(0, 3)), [[0, 1000], [10, 10]], n=1)
    sol = inst.solution([[1]])
    assert [v.kind for v in sol.details] == ["break"]
    assert sol.routes[0].time_warp == 12 and sol.routes[0].break_after == 1
    assert "break" in {v.kind for v in check(inst, [[1]]).violations}
    with pytest.raises(InfeasibleError, match="break: the break can start at 15 at the earliest"):
        lc.solve(inst, time_limit=5, seed=1, max_iterations=20)


def test_checker_refuses_a_reported_break_outside_its_window() -> None:
    inst = line(van(break_duration=30, break_window=(0, 1000)), [[0, 1000], [0, 20], [100, 200]])
    good = inst.solution([[1, 2]]).routes[0]
    assert check(inst, [good]).feasible
    # The same route placed by the engine under a break window of 40..60: its break starts at 40.
    other = line(
        van(break_duration=30, break_window=(40, 60), latest_end=1000),
        [[0, 1000], [0, 20], [100, 200]],
    )
    r = other.solution([[1, 2]]).routes[0]
    assert r.break_start >= 40
    rep = check(inst, [r])  # same routes, break start 40 inside (0, 1000): still feasible
    assert rep.feasible
    tight = line(van(break_duration=30, break_window=(0, 30)), [[0, 1000], [0, 20], [100, 200]])
    bad = check(tight, [r])  # its break starts at 40 > 30
    assert "break" in {v.kind for v in bad.violations}


# -- checker vs engine ---------------------------------------------------------------------------


def test_checker_agrees_with_the_engine_on_random_routes() -> None:
    inst = windowed(25, seed=4)
    rng = np.random.default_rng(7)
    on_time = 0
    for _ in range(25):
        perm = rng.permutation(np.arange(1, 26))
        cuts = np.sort(rng.choice(np.arange(1, 25), size=9, replace=False))
        routes = [list(map(int, p)) for p in np.split(perm, cuts)]
        sol = inst.solution(routes)
        late = {r for r, x in enumerate(sol.routes) if x.time_warp > 0}
        for given in (sol, routes):  # the engine's break, or placed by the checker
            rep = check(inst, given)
            timed = {"time_window", "break", "release"}
            assert {v.route for v in rep.violations if v.kind in timed} == late
            for r, x in enumerate(sol.routes):
                if x.time_warp == 0:  # durations with waiting and the break, independently
                    assert rep.routes[r].duration_internal == x.duration
                    on_time += 1
        for x in sol.routes:
            assert x.break_after is not None and 0 <= x.break_after <= len(x.visits) + 1
    assert on_time > 50


# -- solver end to end ---------------------------------------------------------------------------


def station_day(seed: int = 2, break_duration: float = 1800.0) -> Instance:
    spec = VehicleSpec(
        capacity=(250, 8000, 1000),
        fixed_cost=100.0,
        cost_per_distance=0.5,
        cost_per_duration=30.0 / 3600.0,
        max_duration=9 * 3600.0,
        name="midvan",
        break_duration=break_duration,
        break_window=("11:00", "13:00") if break_duration else None,
    )
    return examples.station(
        seed=seed, n_packages=220, window_share=0.3, window_hours=2.0, vehicle_types=[spec]
    )


def test_station_day_every_route_takes_its_break_in_the_window() -> None:
    inst = station_day()
    plain = station_day(break_duration=0)
    res = lc.solve(inst, time_limit=60, seed=1, max_iterations=300)
    sol = res.solution
    assert sol.feasible
    ts = float(inst.time_scale)
    bd = round(1800 * ts)
    rep = check(inst, sol)
    assert rep.feasible
    assert rep.cost == pytest.approx(sol.cost, rel=1e-9)
    assert rep.duration_internal == sol.duration
    same = plain.solution([list(r.visits) for r in sol.routes])
    for r, p in zip(sol.routes, same.routes, strict=True):
        assert r.break_after is not None
        assert round(11 * 3600 * ts) <= r.break_start <= round(13 * 3600 * ts)
        assert r.start_time <= r.break_start and r.break_start + bd <= r.end_time
        driving = p.duration - p.waiting - p.service
        assert r.waiting >= 0
        assert r.duration == driving + r.service + r.waiting + bd  # duration includes the break
        assert r.duration >= p.duration


def test_same_seed_same_routes_and_breaks() -> None:
    inst = windowed(30, seed=1)
    a = lc.solve(inst, time_limit=30, seed=5, max_iterations=200).solution
    b = lc.solve(inst, time_limit=30, seed=5, max_iterations=200).solution
    assert [list(r.visits) for r in a.routes] == [list(r.visits) for r in b.routes]
    assert [(r.break_after, r.break_start) for r in a.routes] == [
        (r.break_after, r.break_start) for r in b.routes
    ]
    assert a.cost == b.cost
    assert check(inst, a).feasible


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"break_duration": -1}, r"VehicleSpec.break_duration: must be >= 0"),
        ({"break_duration": float("nan")}, r"VehicleSpec.break_duration: must be a finite"),
        ({"break_duration": 30, "break_window": ("13:00", "11:00")}, r"break_window: opens at"),
        ({"break_duration": 30, "break_window": "11:00"}, r"break_window: expected \(early"),
        ({"break_duration": 30, "break_window": (float("nan"), 5)}, r"break_window: times must"),
        ({"break_window": (0, 10)}, r"break_window: given without a break_duration"),
    ],
)
def test_bad_break_spec_is_refused_naming_the_field(kw: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message):
        van(**kw)


def test_break_window_outside_the_shift_is_refused() -> None:
    with pytest.raises(InputError, match=r"vehicle_types\[0\].break_window: closes at 10 before"):
        line(van(break_duration=30, break_window=(0, 10), earliest_start=50))
    with pytest.raises(InputError, match=r"vehicle_types\[0\].break_window: a break of 30"):
        line(van(break_duration=30, break_window=(90, 95), latest_end=100))


# -- OR-Tools reference --------------------------------------------------------------------------


def test_ortools_objective_equals_our_evaluation_of_its_routes() -> None:
    pytest.importorskip("ortools")
    from lastmile_core.reference import solve_ortools

    # 8 clients: OR-Tools finds its first solution with breaks in ~0.5 s here (15 clients took
    # ~3 s on the loaded test machine), well inside the limit.
    inst = windowed(8, seed=2, window=(0, 1000))
    ref = solve_ortools(inst, time_limit=5)
    assert ref.solution is not None and ref.feasible
    assert ref.objective == pytest.approx(ref.cost, rel=1e-9)
    assert check(inst, ref.solution).feasible
    assert all(r.break_after is not None for r in ref.solution.routes)


@pytest.mark.parametrize("seed", [1, 2])
def test_sisr_insertion_never_makes_the_break_late(seed: int) -> None:
    # A station-day on which SISR's O(1) insertion test (without the break) once accepted
    # insertions that pushed the break past its window: the returned routes were infeasible.
    van = VehicleSpec(
        capacity=(250, 8000, 1000),
        fixed_cost=100.0,
        cost_per_distance=0.5,
        cost_per_duration=30.0 / 3600.0,
        max_duration=9 * 3600.0,
        break_duration=1800.0,
        break_window=("11:00", "13:00"),
    )
    inst = examples.station(seed=2, n_packages=400, window_share=0.2, vehicle_types=[van])
    res = lc.solve(inst, max_iterations=100_000, seed=seed, algorithm="sisr", time_limit=120)
    assert res.solution.feasible, res.solution.violations[:3]
    rep = check(inst, res.solution)
    assert rep.feasible, rep.violations[:3]
