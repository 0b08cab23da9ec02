"""Time windows, service and release times, shift windows: model validation, the independent
checker against the C++ evaluation, the VRPTW reader (PyVRP dialect, DIMACS rounding) and the
solver end to end."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core import _core
from lastmile_core.check import check
from lastmile_core.errors import FormatError, InfeasibleError, InputError
from lastmile_core.instance import Instance, VehicleSpec
from lastmile_core.io import read_solution_with_cost, read_vrplib

from .conftest import shared_file


def line_instance(
    time_window: list[list[float | str]] | None = None,
    release: list[float] | None = None,
    spec: VehicleSpec | None = None,
) -> Instance:
    """Depot at 0 and clients at 10 and 20 on a line (unit speed), service 5."""
    return Instance.from_arrays(
        [[0, 0], [10, 0], [20, 0]],
        [0, 1, 1],
        [spec or VehicleSpec(capacity=10)],
        service_time=[0, 5, 5],
        distance="euclidean_rounded",
        time_window=time_window,
        release_time=release,
    )


def windowed(n: int = 40, seed: int = 0, num_available: int | None = None) -> Instance:
    """Random clients on a 100 x 100 square with windows of width 60..200 inside [0, 1000],
    a release time for a quarter of them and a shift window."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n + 1, 2))
    xy[0] = 50
    tw = np.zeros((n + 1, 2))
    tw[0] = (0, 1000)
    opens = rng.uniform(0, 700, n)
    tw[1:, 0] = opens
    tw[1:, 1] = opens + rng.uniform(60, 200, n)
    rel = np.where(rng.uniform(size=n + 1) < 0.25, rng.uniform(0, 200, n + 1), 0.0)
    rel[0] = 0
    return Instance.from_arrays(
        xy,
        np.r_[0, rng.integers(1, 10, n)],
        [VehicleSpec(capacity=40, num_available=num_available, latest_end=1000)],
        service_time=np.r_[0, rng.uniform(0, 10, n)],
        time_window=tw,
        release_time=rel,
    )


# -- model ---------------------------------------------------------------------------------------


def test_no_windows_means_no_time_data() -> None:
    inst = line_instance()
    assert not inst.data.has_time_windows
    assert inst.data.tw_late[1] == _core.UNLIMITED


def test_windows_and_clock_times_are_stored_in_internal_units() -> None:
    inst = line_instance([[0, "01:00"], ["00:00:40", 60], [0, 200]], [0, 0, 30])
    assert inst.data.has_time_windows
    assert list(inst.data.tw_early) == [0, 40, 0]
    assert list(inst.data.tw_late) == [3600, 60, 200]
    assert list(inst.data.release_time) == [0, 0, 30]


@pytest.mark.parametrize(
    ("tw", "release", "message"),
    [
        ([[0, 100], [50, 40], [0, 100]], None, "time_window: client 1 opens at 50 after it closes"),
        ([[0, 100], [float("nan"), 40], [0, 100]], None, "time_window: client 1 has a non-finite"),
        ([[0, 100], [-1, 40], [0, 100]], None, "time_window: client 1 has a negative time"),
        ([[0, 100], [0, 40]], None, "time_window: expected shape (3, 2)"),
        ([[0, 100], [0, 5], [0, 100]], None, "time_window: client 1 cannot be reached"),
        ([[0, 100], [0, 100], [0, 100]], [0, 0, 150], "release_time: client 2 is released at 150"),
        (None, [0, -3, 0], "release_time: client 1 has a negative time"),
        ([[0, 100], ["25:99", 40], [0, 100]], None, "time_window: '25:99' is not a valid"),
    ],
)
def test_bad_time_data_is_refused_naming_field_and_client(
    tw: list[list[float | str]] | None, release: list[float] | None, message: str
) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        line_instance(tw, release)


def test_bad_shift_window_is_refused() -> None:
    with pytest.raises(InputError, match=r"vehicle_types\[0\].latest_end: 40 is before"):
        line_instance(spec=VehicleSpec(capacity=10, earliest_start=50, latest_end=40))
    with pytest.raises(InputError, match=r"vehicle_types\[0\].earliest_start"):
        line_instance(spec=VehicleSpec(capacity=10, earliest_start=float("nan")))


# -- checker vs C++ evaluation -------------------------------------------------------------------


def test_checker_waiting_and_duration_hand_example() -> None:
    # Client 1 closes at 12, client 2 opens at 40: depart at 2, wait 13, back at 65.
    inst = line_instance([[0, 1000], [0, 12], [40, 60]])
    rep = check(inst, [[1, 2]])
    assert rep.feasible
    assert rep.duration == 63
    sol = inst.solution([[1, 2]])
    assert sol.routes[0].duration == 63
    assert sol.routes[0].waiting == 13
    assert sol.routes[0].start_time == 2


def test_checker_names_late_client_release_and_shift() -> None:
    late = check(line_instance([[0, 1000], [40, 60], [0, 200]]), [[2, 1]])
    assert late.feasible  # depart at 5: on time everywhere
    shifted = line_instance(
        [[0, 1000], [40, 60], [0, 200]], spec=VehicleSpec(capacity=10, earliest_start=30)
    )
    rep = check(shifted, [[2, 1]])
    assert [v.kind for v in rep.violations] == ["time_window"]
    assert "client 1 is reached at 65" in rep.violations[0]
    assert not shifted.solution([[2, 1]]).feasible
    rel = check(line_instance([[0, 1000], [0, 60], [0, 200]], [0, 0, 55]), [[1, 2]])
    assert "time_window" in {v.kind for v in rel.violations}
    closes = check(line_instance([[0, 45], [0, 60], [0, 200]]), [[1, 2]])
    assert any("returns to the depot" in v for v in closes.violations)


def test_checker_agrees_with_the_engine_on_random_routes() -> None:
    inst = windowed(30, seed=3)
    rng = np.random.default_rng(1)
    for _ in range(30):
        perm = rng.permutation(np.arange(1, 31))
        cuts = np.sort(rng.choice(np.arange(1, 30), 5, replace=False))
        routes = [list(map(int, p)) for p in np.split(perm, cuts)]
        rep = check(inst, routes)
        sol = inst.solution(routes)
        assert rep.feasible == sol.feasible
        if rep.feasible:  # durations include waiting, computed independently
            assert [r.duration_internal for r in rep.routes] == [r.duration for r in sol.routes]
            assert rep.cost == pytest.approx(sol.cost)


# -- solver ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["sisr", "hgs"])
def test_solve_respects_windows_releases_and_shift(algorithm: str) -> None:
    inst = windowed(40, seed=2)
    res = lc.solve(inst, time_limit=30, seed=4, max_iterations=300, algorithm=algorithm)
    rep = check(inst, res.solution)
    assert rep.feasible, rep.summary()
    assert rep.cost == pytest.approx(res.cost)
    durations = [r.duration for r in res.solution.routes if r.visits]
    assert [r.duration_internal for r in rep.routes if r.visits] == durations
    rel = inst.data.release_time
    for r in res.solution.routes:
        if r.visits:
            assert r.start_time >= max(rel[c] for c in r.visits)
            assert r.end_time <= 1000 * inst.time_scale


def test_solve_is_deterministic_with_windows() -> None:
    inst = windowed(30, seed=5)
    a = lc.solve(inst, time_limit=30, seed=9, max_iterations=200)
    b = lc.solve(inst, time_limit=30, seed=9, max_iterations=200)
    assert [r.visits for r in a.solution.routes] == [r.visits for r in b.solution.routes]


def test_infeasible_windows_name_the_constraint() -> None:
    # One vehicle cannot serve both clients: 1 closes at 12, 2 opens at 900 with a shift ending
    # at 100.
    inst = line_instance(
        [[0, 1000], [0, 12], [0, 40]],
        spec=VehicleSpec(capacity=10, num_available=1, latest_end=45),
    )
    with pytest.raises(InfeasibleError, match="time window"):
        lc.solve(inst, time_limit=5, seed=1, max_iterations=50)


# -- VRPTW files (PyVRP dialect) -----------------------------------------------------------------

VRPTW = ["C1_10_1", "C2_10_1", "R1_10_1", "R2_10_1", "RC1_10_1", "RC2_10_1"]


@pytest.mark.parametrize("name", VRPTW)
def test_checker_reproduces_the_shipped_vrptw_solution_costs(data_dir: Path, name: str) -> None:
    root = data_dir
    inst = read_vrplib(shared_file(root, "pyvrp_instances", "VRPTW", f"{name}.vrp"))
    routes, cost = read_solution_with_cost(
        shared_file(root, "pyvrp_instances", "VRPTW", f"{name}.sol")
    )
    assert inst.data.has_time_windows
    rep = check(inst, routes)
    assert rep.feasible, rep.summary()
    assert cost is not None
    assert rep.distance_internal == round(cost * 10)  # one decimal, exactly
    assert round(rep.cost, 1) == cost
    assert inst.solution(routes).feasible


def test_vrptw_distances_are_truncated_to_one_decimal(data_dir: Path) -> None:
    root = data_dir
    path = shared_file(root, "pyvrp_instances", "VRPTW", "R1_10_1.vrp")
    inst = read_vrplib(path)
    xy = inst.data.coords
    rng = np.random.default_rng(0)
    for i, j in rng.integers(0, inst.num_nodes, (200, 2)):
        e = float(np.hypot(*(xy[i] - xy[j])))
        assert inst.data.dist(int(i), int(j)) == int(np.floor(10 * e))
        assert inst.data.duration(int(i), int(j)) == int(np.floor(10 * e))
    assert inst.data.service_time[1] == 10 * 10  # SERVICE_TIME 10, scaled by 10


def test_vrptw_reader_refuses_a_bad_window_section(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "NAME : bad",
            "TYPE : VRPTW",
            "DIMENSION : 3",
            "CAPACITY : 10",
            "EDGE_WEIGHT_TYPE : EUC_2D",
            "NODE_COORD_SECTION",
            "1 0 0",
            "2 10 0",
            "3 20 0",
            "DEMAND_SECTION",
            "1 0",
            "2 1",
            "3 1",
            "TIME_WINDOW_SECTION",
            "1 0 100",
            "2 50 40",
            "3 0 100",
            "DEPOT_SECTION",
            "1",
            "-1",
            "EOF",
        ]
    )
    p = tmp_path / "bad.vrp"
    p.write_text(text)
    with pytest.raises(FormatError, match="time_window: client 1 opens at 50"):
        read_vrplib(p)


# -- OR-Tools reference --------------------------------------------------------------------------


@pytest.mark.parametrize("cost_per_duration", [0.0, 0.5])
def test_ortools_reference_objective_equals_our_evaluation(cost_per_duration: float) -> None:
    pytest.importorskip("ortools")
    from lastmile_core.reference import solve_ortools

    rng = np.random.default_rng(4)
    n = 20
    xy = rng.uniform(0, 100, (n + 1, 2))
    xy[0] = 50
    tw = np.zeros((n + 1, 2))
    tw[0] = (0, 1500)
    opens = rng.uniform(0, 900, n)
    tw[1:, 0] = opens
    tw[1:, 1] = opens + rng.uniform(50, 150, n)
    release = np.r_[0, np.where(rng.uniform(size=n) < 0.3, rng.uniform(0, 300, n), 0)]
    spec = VehicleSpec(
        capacity=40,
        fixed_cost=100,
        cost_per_duration=cost_per_duration,
        earliest_start=10,
        latest_end=1400,
    )
    inst = Instance.from_arrays(
        xy,
        np.r_[0, rng.integers(1, 10, n)],
        [spec],
        service_time=np.r_[0, rng.uniform(0, 10, n)],
        time_window=tw,
        release_time=release,
    )
    ref = solve_ortools(inst, time_limit=2)
    assert ref.feasible and ref.exact_cost_scale
    assert ref.objective == pytest.approx(ref.cost, abs=1e-6)  # C++ evaluation of its routes
    rep = check(inst, ref.routes, ref.vehicle_types)
    assert rep.feasible, rep.summary()
    assert rep.cost == pytest.approx(ref.objective, abs=1e-6)
    # Span-priced: the objective includes waiting, as our duration does.
    durations = [r.duration for r in ref.solution.routes]
    assert [r.duration_internal for r in rep.routes] == durations


def test_time_window_messages_are_in_user_units() -> None:
    # Internal time scale 10: the engine's 650 reads 65 in the instance's units.
    inst = Instance.from_arrays(
        [[0, 0], [10, 0], [20, 0]],
        [0, 1, 1],
        [VehicleSpec(capacity=10, earliest_start=30)],
        service_time=[0, 5, 5],
        time_scale=10.0,
        time_window=[[0, 1000], [40, 60], [0, 200]],
    )
    sol = inst.solution([[2, 1]])
    assert any("reached at 650 " in v for v in sol.violations)
    words = inst.violations(sol)
    assert any("client 1 is reached at 65 after its window closes at 60" in v for v in words)


def test_unreachable_window_message_is_in_user_units() -> None:
    # Planar default time scale 1000: the core's 10000 internal reads 10 time units.
    with pytest.raises(
        InputError, match=r"client 1 cannot be reached .* arrival 10 > window end 5"
    ):
        Instance.from_arrays(
            [[0, 0], [10, 0]],
            [0, 1],
            [VehicleSpec(capacity=10)],
            time_window=[[0, 100], [0, 5]],
        )


def test_time_window_violations_are_structured() -> None:
    """The engine reports a late client, a release after the latest departure and a late return
    as records (kind, route, client, value, limit in internal units), not only as text."""
    inst = Instance.from_arrays(
        [[0, 0], [10, 0], [20, 0]],
        [0, 1, 1],
        [VehicleSpec(capacity=10, earliest_start=30)],
        service_time=[0, 5, 5],
        time_scale=10.0,
        time_window=[[0, 1000], [40, 60], [0, 200]],
    )
    (late,) = [v for v in inst.solution([[2, 1]]).details if v.kind == "time_window"]
    assert (late.route, late.client, late.value, late.limit) == (0, 1, 650.0, 600.0)
    rel = line_instance([[0, 1000], [0, 60], [0, 200]], [0, 0, 55])
    kinds = {v.kind for v in rel.solution([[1, 2]]).details}
    assert "release" in kinds
    closes = line_instance([[0, 45], [0, 60], [0, 200]]).solution([[1, 2]])
    (back,) = [v for v in closes.details if v.kind == "shift_end"]
    assert back.client is None and back.value > back.limit
