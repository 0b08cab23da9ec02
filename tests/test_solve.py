"""Routing: lastmile_core.solve on generated instances, checked by an independent numpy checker."""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core import _core
from lastmile_core.errors import InfeasibleError, InputError


def make_data(
    seed: int = 0,
    n: int = 40,
    dims: int = 1,
    cap: int = 40,
    service: bool = False,
    types: list[lc.VehicleType] | None = None,
    dense_limit: int = 4000,
) -> lc.ProblemData:
    """Random planar instance (rounded Euclidean distances, durations = distances)."""
    rng = np.random.default_rng(seed)
    coords = rng.uniform(0, 100, size=(n + 1, 2))
    demand = rng.integers(1, 10, size=(n + 1, dims))
    svc = rng.integers(1, 15, size=n + 1) if service else np.zeros(n + 1, dtype=np.int64)
    types = types or [lc.VehicleType([cap] * dims)]
    return lc.ProblemData(coords, demand, svc, types, dense_limit=dense_limit)


def check(data: lc.ProblemData, solution: lc.Solution) -> float:
    """Independent feasibility check; returns the cost recomputed from the coordinates."""
    coords, demand, service = data.coords, data.demand, data.service_time
    types = data.vehicle_types
    seen = np.zeros(data.num_nodes, dtype=int)
    used = np.zeros(len(types), dtype=int)
    total = 0.0
    for r in solution.routes:
        visits = list(r.visits)
        if not visits:
            continue
        vt = types[r.vehicle_type]
        used[r.vehicle_type] += 1
        seen[visits] += 1
        path = np.array([0, *visits, 0])
        seg = coords[path[1:]] - coords[path[:-1]]
        edges = np.floor(np.hypot(seg[:, 0], seg[:, 1]) + 0.5)  # EUC_2D nint per edge
        dist = edges.sum()
        dur = np.floor(edges * data.duration_per_distance + 0.5).sum() + service[visits].sum()
        load = demand[visits].sum(axis=0)
        assert np.all(load <= np.array(vt.capacity)), f"capacity: {load} > {vt.capacity}"
        if vt.max_duration is not None:
            assert dur <= vt.max_duration, f"duration {dur} > {vt.max_duration}"
        if vt.max_distance is not None:
            assert dist <= vt.max_distance, f"distance {dist} > {vt.max_distance}"
        total += vt.fixed_cost + vt.cost_per_distance * dist + vt.cost_per_duration * dur
    assert np.all(seen[1:] == 1), "every client exactly once"
    for k, vt in enumerate(types):
        if vt.num_available is not None:
            assert used[k] <= vt.num_available, f"type {k}: {used[k]} > {vt.num_available}"
    assert solution.cost == pytest.approx(total, rel=1e-9, abs=1e-6)
    return total


def routes_of(res: lc.Result) -> list[tuple[int, tuple[int, ...]]]:
    return [(r.vehicle_type, tuple(r.visits)) for r in res.solution.routes]


@pytest.mark.parametrize("algorithm", ["auto", "hgs", "sisr"])
def test_solve_returns_feasible_solution_on_random_cvrp(algorithm):
    """Each engine (auto, HGS, SISR) returns a checked feasible solution better than savings."""
    data = make_data(1, n=50)
    res = lc.solve(
        data, time_limit=5, max_iterations=300 if algorithm == "hgs" else 20000, algorithm=algorithm
    )
    assert res.feasible
    cost = check(data, res.solution)
    assert cost == pytest.approx(res.cost)
    assert cost <= _core.savings(data).cost
    assert res.iterations > 0 and res.runtime_s > 0
    assert res.history and res.history[-1][1] == pytest.approx(res.cost)
    assert all(b[1] < a[1] for a, b in zip(res.history, res.history[1:], strict=False))


def test_multi_dimensional_capacity_is_respected():
    """Two capacity dimensions are both enforced."""
    data = make_data(2, n=60, dims=2, cap=35)
    res = lc.solve(data, time_limit=5, max_iterations=20000)
    check(data, res.solution)
    assert res.solution.num_routes >= math.ceil(data.demand[:, 1].sum() / 35)


@pytest.mark.parametrize("algorithm", ["hgs", "sisr"])
def test_duration_limits_with_service_times_are_respected(algorithm):
    """max_duration (driving + service) binds and is respected."""
    vt = lc.VehicleType([1000], max_duration=260)
    data = make_data(3, n=50, service=True, types=[vt])
    res = lc.solve(
        data, time_limit=5, max_iterations=300 if algorithm == "hgs" else 20000, algorithm=algorithm
    )
    check(data, res.solution)
    assert max(r.duration for r in res.solution.routes) <= 260
    assert res.solution.num_routes > 1


def test_max_distance_is_respected():
    """max_distance binds and is respected."""
    data = make_data(4, n=40, types=[lc.VehicleType([1000], max_distance=250)])
    res = lc.solve(data, time_limit=5, max_iterations=20000)
    check(data, res.solution)
    assert res.solution.num_routes > 1


@pytest.mark.parametrize("algorithm", ["hgs", "sisr"])
def test_heterogeneous_fleet_with_fixed_costs_and_limited_counts(algorithm):
    """Mixed fleet: counts respected, fixed and per-duration costs counted."""
    types = [
        lc.VehicleType([30], num_available=3, fixed_cost=50.0, cost_per_distance=1.0),
        lc.VehicleType(
            [60], num_available=2, fixed_cost=120.0, cost_per_distance=1.5, cost_per_duration=0.1
        ),
        lc.VehicleType([20], fixed_cost=20.0, cost_per_distance=0.8),
    ]
    data = make_data(5, n=60, service=True, types=types)
    res = lc.solve(
        data, time_limit=5, max_iterations=300 if algorithm == "hgs" else 20000, algorithm=algorithm
    )
    check(data, res.solution)


def test_tight_fleet_count_is_met():
    """A fleet with exactly enough vehicles (by total demand) still yields a feasible solution."""
    rng = np.random.default_rng(6)
    n = 30
    demand = rng.integers(1, 10, size=(n + 1, 1))
    demand[0] = 0
    cap = 50
    k = math.ceil(demand.sum() / cap * 1.05)
    data = lc.ProblemData(
        rng.uniform(0, 100, (n + 1, 2)),
        demand,
        np.zeros(n + 1, np.int64),
        [lc.VehicleType([cap], num_available=k)],
    )
    res = lc.solve(data, time_limit=5, max_iterations=2000)
    check(data, res.solution)
    assert res.solution.num_routes <= k


def test_capacity_infeasible_fleet_raises_infeasible_error():
    """Total demand above the whole fleet's capacity names capacity / fleet size."""
    data = make_data(7, n=30, types=[lc.VehicleType([40], num_available=2)])
    with pytest.raises(InfeasibleError, match="fleet size|capacity"):
        lc.solve(data, time_limit=1)


def test_unreachable_duration_raises_infeasible_error_naming_duration():
    """A client whose round trip exceeds max_duration makes the problem infeasible."""
    coords = np.array([[0, 0], [10, 0], [500, 0]], dtype=float)
    data = lc.ProblemData(
        coords,
        np.array([[0], [1], [1]]),
        np.zeros(3, np.int64),
        [lc.VehicleType([10], max_duration=100)],
    )
    with pytest.raises(InfeasibleError, match="duration"):
        lc.solve(data, time_limit=0.5, max_iterations=50)


@pytest.mark.parametrize("algorithm", ["hgs", "sisr"])
def test_same_seed_gives_same_routes_with_one_thread(algorithm):
    """threads=1 is deterministic for a seed (iteration-bounded run)."""
    data = make_data(
        8,
        n=60,
        service=True,
        types=[lc.VehicleType([40], max_duration=400), lc.VehicleType([60], fixed_cost=30)],
    )
    it = 200 if algorithm == "hgs" else 5000
    a = lc.solve(data, time_limit=30, seed=3, max_iterations=it, algorithm=algorithm)
    b = lc.solve(data, time_limit=30, seed=3, max_iterations=it, algorithm=algorithm)
    assert routes_of(a) == routes_of(b)
    assert a.iterations == b.iterations == it


def test_max_iterations_stops_the_search():
    """The iteration budget is honoured exactly."""
    data = make_data(9, n=40)
    res = lc.solve(data, time_limit=30, max_iterations=77)
    assert res.iterations == 77
    check(data, res.solution)


def test_callback_returning_true_stops_early():
    """The callback sees (elapsed, best) about every 100 ms and can stop the search."""
    data = make_data(10, n=80)
    calls: list[tuple[float, float]] = []

    def cb(elapsed: float, best: float) -> bool:
        calls.append((elapsed, best))
        return len(calls) >= 3

    res = lc.solve(data, time_limit=20, callback=cb)
    assert len(calls) == 3
    assert res.runtime_s < 10
    assert not res.interrupted
    check(data, res.solution)
    assert all(b >= a for (a, _), (b, _) in zip(calls, calls[1:], strict=False))


def test_callback_exception_propagates():
    """An exception raised in the callback is re-raised by solve."""
    data = make_data(11, n=30)

    def cb(elapsed: float, best: float) -> bool:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        lc.solve(data, time_limit=5, callback=cb)


def test_initial_solution_is_used_and_not_worsened():
    """A given initial solution is accepted; the result is at least as good."""
    data = make_data(12, n=60)
    start = _core.savings(data)
    res = lc.solve(data, time_limit=5, max_iterations=10, initial_solution=start)
    assert res.cost <= start.cost
    res2 = lc.solve(
        data,
        time_limit=5,
        max_iterations=10,
        initial_solution=[list(r.visits) for r in start.routes],
    )
    assert res2.cost <= start.cost
    check(data, res2.solution)


def test_invalid_initial_solution_is_rejected():
    """Duplicated clients in the initial solution raise InputError."""
    data = make_data(13, n=10)
    with pytest.raises(InputError, match="initial_solution"):
        lc.solve(data, time_limit=1, initial_solution=[[1, 2, 3], [3, 4]])


def test_bad_arguments_raise_input_error_naming_them():
    """Unknown params, non-positive or NaN time limits are rejected with their names."""
    data = make_data(14, n=10)
    with pytest.raises(InputError, match="frobnicate"):
        lc.solve(data, time_limit=1, frobnicate=3)
    for tl in (0, -1, float("nan"), float("inf")):
        with pytest.raises(InputError, match="time_limit"):
            lc.solve(data, time_limit=tl)
    with pytest.raises(InputError, match="population_size"):
        lc.solve(data, time_limit=1, population_size=0.5)
    with pytest.raises(InputError, match="instance"):
        lc.solve(object(), time_limit=1)


def test_objects_with_a_data_attribute_are_accepted():
    """solve() takes any object with a .data ProblemData (e.g. lastmile_core.Instance)."""

    class Holder:
        def __init__(self, data: lc.ProblemData) -> None:
            self.data = data

    data = make_data(15, n=20)
    res = lc.solve(Holder(data), time_limit=2, max_iterations=1000)
    check(data, res.solution)


def test_two_threads_return_a_feasible_solution():
    """threads=2 runs two searches that exchange their best; result is feasible."""
    data = make_data(16, n=80)
    res = lc.solve(data, time_limit=1.0, threads=2)
    check(data, res.solution)
    assert 0.5 < res.runtime_s < 3


def test_time_limit_is_held():
    """The search stops close to the time limit."""
    data = make_data(17, n=100)
    res = lc.solve(data, time_limit=0.5)
    assert res.runtime_s < 1.5


def test_large_non_dense_instance_runs_with_bounded_structures():
    """5k clients computed on the fly: a first feasible solution comes within the budget."""
    rng = np.random.default_rng(18)
    n = 5000
    coords = rng.uniform(0, 10_000, size=(n + 1, 2))
    demand = rng.integers(1, 10, size=(n + 1, 1))
    data = lc.ProblemData(
        coords, demand, np.zeros(n + 1, np.int64), [lc.VehicleType([150])], dense_limit=1000
    )
    assert not data.dense
    res = lc.solve(data, time_limit=3.0)
    check(data, res.solution)
    assert res.history[0][0] < 3.0


# ---------------------------------------------------------------------------------------------
# Shared CVRPLIB data (LASTMILE_DATA)
# ---------------------------------------------------------------------------------------------


def shared_dir() -> Path:
    value = os.environ.get("LASTMILE_DATA")
    if not value:
        pytest.skip("LASTMILE_DATA is not set")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"LASTMILE_DATA={value} is not a directory")
    return path


def load_vrplib(root: Path, name: str) -> tuple[lc.ProblemData, float]:
    vrplib = pytest.importorskip("vrplib")
    sub = name.split("-")[0]
    path = root / "cvrplib" / sub / f"{name}.vrp"
    bks_path = root / "cvrplib" / "bks.csv"
    for p in (path, bks_path):
        if not p.exists():
            pytest.fail(f"missing shared data file {p}")
    inst = vrplib.read_instance(str(path), compute_edge_weights=False)
    k = int(re.search(r"-k(\d+)$", name).group(1))
    coords = np.asarray(inst["node_coord"], dtype=float)
    data = lc.ProblemData(
        coords,
        np.asarray(inst["demand"], dtype=np.int64).reshape(-1, 1),
        np.zeros(len(coords), np.int64),
        [lc.VehicleType([int(inst["capacity"])], num_available=k)],
    )
    with open(bks_path) as f:
        bks = {r["instance"]: float(r["bks"]) for r in csv.DictReader(f)}
    return data, bks[name]


@pytest.mark.parametrize("name", ["A-n32-k5", "P-n16-k8", "B-n31-k5"])
def test_small_cvrplib_instances_reach_best_known_value(name):
    """A/B/P instances with exactly k vehicles: the BKS (optimum) is reached within seconds."""
    data, bks = load_vrplib(shared_dir(), name)
    res = lc.solve(data, time_limit=3.0, seed=1)
    check(data, res.solution)
    assert res.cost <= bks * 1.01
    assert res.cost >= bks - 1e-9


def test_ctrl_c_returns_best_so_far_marked_interrupted():
    """A KeyboardInterrupt during the search stops it and returns the best solution so far."""
    import _thread
    import signal
    import threading

    data = make_data(19, n=80)
    # Ctrl-C as a user's Python has it: interrupt_main does nothing when an earlier test (or a
    # library it started) left SIGINT on SIG_IGN / SIG_DFL, so the default handler is put back.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.4, _thread.interrupt_main)
    timer.start()
    try:
        res = lc.solve(data, time_limit=20)
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)
    assert res.interrupted
    assert res.runtime_s < 10
    check(data, res.solution)


def test_auto_mode_keeps_long_delivery_routes_near_the_capacity_bound():
    """Station-days (capacity-bound 100+ stop routes): auto keeps SISR, whose route elimination
    (gated on the capacity bound, see params.h sisr_elim_gate) closes the savings start's extra
    vans. An iteration budget (not a wall-clock one), so the outcome does not depend on the load
    or on a sanitizer build."""
    from lastmile_core import examples

    inst = examples.station(seed=2, n_packages=1200)
    bound = int(np.ceil(inst.data.demand[:, 0].sum() / 250))
    res = lc.solve(inst, time_limit=600.0, max_iterations=6000, seed=1)
    assert res.algorithm == "sisr"
    assert res.solution.num_routes <= bound + 1
    assert lc.check(inst, res.solution).feasible


def test_auto_mode_without_route_elimination_hands_over_to_hgs():
    """sisr_elim_share=0 restores the hand-over rule (start far above the capacity bound)."""
    from lastmile_core import examples

    inst = examples.station(seed=2, n_packages=1200)
    bound = int(np.ceil(inst.data.demand[:, 0].sum() / 250))
    res = lc.solve(inst, time_limit=600.0, max_iterations=10, seed=1, sisr_elim_share=0.0)
    assert res.algorithm == "hgs"
    assert res.solution.num_routes <= bound + 1
    assert lc.check(inst, res.solution).feasible


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"seed": 2**70}, "seed"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
        ({"seed": "1"}, "seed"),
        ({"seed": True}, "seed"),
        ({"threads": 0}, "threads"),
        ({"threads": 2**40}, "threads"),
        ({"threads": 1.5}, "threads"),
        ({"time_limit": "ten"}, "time_limit"),
        ({"time_limit": True}, "time_limit"),
        ({"max_iterations": 0}, "max_iterations"),
        ({"max_iterations": 2**64}, "max_iterations"),
        ({"max_iterations": 2.5}, "max_iterations"),
        ({"callback": 3}, "callback"),
        ({"granular": "x"}, "granular"),
        ({"algorithm": "tabu"}, "algorithm"),
        ({"algorithm": 7}, "algorithm"),
        ({"algorithm": None}, "algorithm"),
    ],
)
def test_solve_arguments_are_checked_in_python(kwargs, field):
    """Regression (issue 8): seed=2**70 gave a raw pybind TypeError; every argument is checked
    before the engine runs and the InputError names it."""
    data = make_data(14, n=10)
    args = {"time_limit": 1, **kwargs}
    with pytest.raises(InputError, match=f"^{field}:"):
        lc.solve(data, **args)


def test_unknown_algorithm_lists_the_valid_names():
    data = make_data(14, n=10)
    with pytest.raises(InputError, match="'auto', 'hgs', 'sisr'"):
        lc.solve(data, time_limit=1, algorithm="tabu")


def test_algorithm_names_select_the_engine_and_match_the_codes():
    """'hgs'/'sisr' force the engine; the documented codes 1/2 give the very same search."""
    data = make_data(15, n=30)
    hgs = lc.solve(data, time_limit=30, seed=2, max_iterations=60, algorithm="hgs")
    sisr = lc.solve(data, time_limit=30, seed=2, max_iterations=2000, algorithm="SISR")
    assert (hgs.algorithm, sisr.algorithm) == ("hgs", "sisr")
    assert routes_of(hgs) == routes_of(
        lc.solve(data, time_limit=30, seed=2, max_iterations=60, algorithm=1)
    )
    assert routes_of(sisr) == routes_of(
        lc.solve(data, time_limit=30, seed=2, max_iterations=2000, algorithm=2)
    )
    assert lc.solve(data, time_limit=30, seed=2, max_iterations=2000).algorithm == "sisr"


def test_largest_seed_is_accepted():
    data = make_data(16, n=10)
    res = lc.solve(data, time_limit=5, seed=2**64 - 1, max_iterations=100)
    check(data, res.solution)


def test_infeasible_duration_message_speaks_user_units():
    """Regression (issue 8): 'duration 269769 exceeds max_duration 1000' quoted internal units;
    a geographic instance now reads in hours and seconds."""
    rng = np.random.default_rng(3)
    lonlat = np.c_[4.35 + rng.uniform(-0.2, 0.2, 21), 50.85 + rng.uniform(-0.1, 0.1, 21)]
    inst = lc.Instance.from_arrays(
        lonlat,
        np.r_[0, np.ones(20, dtype=int)],
        [lc.VehicleSpec(100, max_duration=1000.0)],
        service_time=np.r_[0, np.full(20, 600.0)],
        geographic=True,
    )
    with pytest.raises(InfeasibleError) as err:
        lc.solve(inst, time_limit=0.5, max_iterations=50)
    msg = str(err.value)
    m = re.search(
        r"duration ([\d.]+) h \(([\d,]+) s\) exceeds max_duration 16\.7 min \(1,000 s\)", msg
    )
    assert m is not None, msg
    seconds = int(m.group(2).replace(",", ""))
    assert float(m.group(1)) == pytest.approx(seconds / 3600, abs=0.006)
    assert seconds > 1000  # the route's duration in seconds exceeds the 1,000 s limit


def test_infeasible_distance_message_speaks_user_units():
    """max_distance of a planar instance with distance_scale 1000: the message quotes the
    coordinates' units, not thousandths."""
    coords = np.array([[0, 0], [10, 0], [500, 0]], dtype=float)
    inst = lc.Instance.from_arrays(
        coords, [0, 1, 1], [lc.VehicleSpec(10, max_distance=100.0)], distance="euclidean"
    )
    assert inst.distance_scale == 1000
    with pytest.raises(InfeasibleError, match=r"distance 1000 exceeds max_distance 100\b"):
        lc.solve(inst, time_limit=0.5, max_iterations=50)


def test_fleet_message_names_the_dimension():
    inst = lc.Instance.from_arrays(
        [[0, 0], [1, 0], [2, 0]],
        [[0, 5], [0, 30], [0, 30]],
        [lc.VehicleSpec((10, 40), num_available=1)],
        dim_names=("packages", "volume_l"),
    )
    with pytest.raises(InfeasibleError, match=r"in dimension 1 \(volume_l\)"):
        lc.solve(inst, time_limit=0.5)
