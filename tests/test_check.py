"""The independent numpy checker: reference .sol costs, agreement with C++, violation detection."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import numpy as np
import pytest

import lastmile_core as lm
from lastmile_core import check
from lastmile_core.errors import IndexOutOfRangeError, InputError
from lastmile_core.io import read_solution_with_cost, read_vrplib

from .conftest import shared_file


def _sol_files(data_dir: Path) -> list[tuple[str, Path, float]]:
    table = shared_file(data_dir, "cvrplib", "bks.csv")
    rows = []
    with open(table, newline="") as fh:
        for row in csv.DictReader(fh):
            if row["sol_file"]:
                rows.append((row["instance"], Path(row["sol_file"]), float(row["sol_cost"])))
    return rows


def test_checker_reproduces_every_reference_solution_cost(data_dir: Path) -> None:
    """Every .sol under cvrplib is feasible and costs exactly its Cost line and bks sol_cost."""
    rows = _sol_files(data_dir)
    on_disk = sorted(
        p.relative_to(data_dir / "cvrplib") for p in (data_dir / "cvrplib").glob("*/*.sol")
    )
    assert sorted(r[1] for r in rows) == on_disk  # bks.csv lists every .sol file
    timings = {}
    for name, rel, sol_cost in rows:
        sol_path = shared_file(data_dir, "cvrplib", str(rel))
        inst = read_vrplib(sol_path.with_suffix(".vrp"))
        assert inst.name == name
        routes, stated = read_solution_with_cost(sol_path)
        t0 = time.perf_counter()
        report = check(inst, routes)
        timings[name] = time.perf_counter() - t0
        assert report.violations == (), (name, report.summary())
        assert report.cost == stated == sol_cost, name
        assert report.distance_internal == int(sol_cost)
        assert report.num_routes == len(routes)
        if name.split("-")[0] in ("A", "B", "E", "F", "M", "P"):
            assert inst.vehicle_specs[0].num_available == len(routes)  # exact-fleet sets
    print(
        f"\n{len(rows)} .sol files reproduced; Flanders1 check {timings['Flanders1'] * 1e3:.1f} ms"
    )
    assert len(rows) == 200


def test_checker_agrees_with_cpp_on_reference_solutions(data_dir: Path) -> None:
    """The C++ Solution and the checker give the same cost and distance on every .sol."""
    for name, rel, _ in _sol_files(data_dir):
        sol_path = shared_file(data_dir, "cvrplib", str(rel))
        inst = read_vrplib(sol_path.with_suffix(".vrp"))
        sol = inst.solution(read_solution_with_cost(sol_path)[0])
        report = check(inst, sol)
        assert (sol.cost, sol.distance, sol.duration) == (
            report.cost,
            report.distance_internal,
            report.duration_internal,
        ), name
        assert sol.feasible and report.feasible


# -- random instances: checker vs C++ ------------------------------------------------------------


def _random_routes(
    rng: np.random.Generator, n: int, k_types: int, max_len: int
) -> tuple[list[list[int]], list[int]]:
    perm = rng.permutation(np.arange(1, n + 1))
    cuts = np.sort(
        rng.choice(np.arange(1, n), size=min(n - 1, n // max(1, max_len // 2)), replace=False)
    )
    routes = [list(map(int, part)) for part in np.split(perm, cuts)]
    routes.append([])  # an empty route is allowed and costs nothing
    return routes, [int(rng.integers(0, k_types)) for _ in routes]


def _case(kind: str, seed: int) -> lm.Instance:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 60))
    dims = 3 if kind == "multidim" else 1
    demand = rng.integers(0, 20, size=(n + 1, dims))
    service = None
    geographic = False
    kwargs: dict = {}
    if kind == "geographic":
        coords = np.column_stack([rng.uniform(4.2, 4.6, n + 1), rng.uniform(50.7, 51.0, n + 1)])
        geographic = True
        service = rng.uniform(30, 300, n + 1)
        kwargs["speed"] = float(rng.uniform(15, 40))
    else:
        coords = rng.uniform(-50, 150, size=(n + 1, 2))
        if kind in ("rounded", "multidim"):
            coords = np.rint(coords)
            kwargs["distance"] = "euclidean_rounded"
        elif kind == "matrix":
            kwargs["distance_matrix"] = rng.uniform(0, 100, size=(n + 1, n + 1)).round(2)
        elif kind == "service":
            service = rng.uniform(0, 10, n + 1)
            kwargs["speed"] = 2.5
    specs = [
        lm.VehicleSpec(
            capacity=[60] * dims,
            num_available=int(rng.integers(3, 25)),
            fixed_cost=float(rng.uniform(0, 50)),
            cost_per_distance=float(rng.uniform(0.5, 2)),
            cost_per_duration=float(rng.uniform(0, 0.1)),
            max_duration=(
                float(rng.uniform(200, 600))
                if kind == "service"
                else float(rng.uniform(3000, 15000))
                if kind == "geographic"
                else None
            ),
            max_distance=float(rng.uniform(200, 800)) if kind != "geographic" else 60.0,
        ),
        lm.VehicleSpec(capacity=[90] * dims, fixed_cost=10.0),
    ]
    return lm.Instance.from_arrays(
        coords, demand, specs, service_time=service, geographic=geographic, **kwargs
    )


KINDS = ["rounded", "unrounded", "geographic", "matrix", "multidim", "service"]


@pytest.mark.parametrize("kind", KINDS)
def test_checker_agrees_with_cpp_on_random_instances(kind: str) -> None:
    """Cost, distance, duration, loads and violation kinds match the C++ evaluation."""
    seen: set[str] = set()
    for seed in range(15):
        inst = _case("unrounded" if kind == "unrounded" else kind, seed)
        rng = np.random.default_rng(1000 + seed)
        routes, types = _random_routes(rng, inst.num_clients, 2, 8)
        if seed % 3 == 0:  # type 1 (unlimited, no limits) with <= 3 stops: feasible
            perm = [int(c) for c in rng.permutation(np.arange(1, inst.num_clients + 1))]
            routes = [perm[i : i + 3] for i in range(0, len(perm), 3)]
            types = [1] * len(routes)
        if seed % 3 == 1:
            routes[0] = routes[0] + routes[-2][:1]  # a duplicate visit
        if seed % 3 == 2 and len(routes) > 2:
            routes.pop(1)  # missing clients
            types.pop(1)
        sol = inst.solution(routes, types)
        rep = check(inst, routes, types)
        assert rep.distance_internal == sol.distance
        assert rep.duration_internal == sol.duration
        assert rep.cost == pytest.approx(sol.cost, rel=1e-12, abs=1e-9)
        for rr, cr in zip(rep.routes, sol.routes, strict=True):
            assert (rr.distance_internal, rr.duration_internal, list(rr.load)) == (
                cr.distance,
                cr.duration,
                cr.load,
            )
            assert rr.cost == pytest.approx(cr.cost, rel=1e-12, abs=1e-9)
        assert sorted(_cpp_kind(v) for v in sol.violations) == sorted(
            v.kind for v in rep.violations
        )
        assert rep.feasible == sol.feasible
        seen.update(v.kind for v in rep.violations)
        seen.add("feasible" if rep.feasible else "infeasible")
    if kind in ("service", "geographic"):
        assert "duration" in seen
    assert {"feasible", "infeasible", "duplicate", "missing", "distance"} <= seen, seen


def _cpp_kind(message: str) -> str:
    """The checker's violation kind for a C++ violation message."""
    for needle, kind in (
        ("load", "capacity"),
        ("max_duration", "duration"),
        ("max_distance", "distance"),
        ("vehicles", "fleet"),
        ("not visited", "missing"),
        ("is visited", "duplicate"),
    ):
        if needle in message:
            return kind
    raise AssertionError(message)


def test_checker_agrees_with_cpp_above_the_dense_limit() -> None:
    """On a 5000-client instance (distances on the fly) both evaluations agree."""
    rng = np.random.default_rng(7)
    n = 5000
    inst = lm.Instance.from_arrays(
        rng.uniform(0, 1000, size=(n + 1, 2)),
        rng.integers(1, 5, size=n + 1),
        [lm.VehicleSpec(100)],
    )
    assert not inst.data.dense
    routes, _ = _random_routes(rng, n, 1, 30)
    sol = inst.solution(routes)
    rep = check(inst, sol)
    assert rep.distance_internal == sol.distance
    assert rep.cost == pytest.approx(sol.cost, rel=1e-12)


def test_checker_uses_the_instance_duration_matrix() -> None:
    """With an explicit duration matrix (and an override), checker and C++ agree on durations."""
    rng = np.random.default_rng(11)
    n = 20
    coords = rng.uniform(4.3, 4.5, size=(n + 1, 2))
    coords[:, 1] += 46.5
    durations = rng.uniform(60, 900, size=(n + 1, n + 1)).round()
    spec = lm.VehicleSpec(100, cost_per_duration=0.02, max_duration=3600)
    inst = lm.Instance.from_arrays(
        coords, np.ones(n + 1), [spec], geographic=True, duration_matrix=durations
    )
    assert inst.data.has_duration_matrix
    routes, _ = _random_routes(rng, n, 1, 6)
    sol, rep = inst.solution(routes), check(inst, routes)
    assert rep.duration_internal == sol.duration
    assert rep.cost == pytest.approx(sol.cost, rel=1e-12)
    assert rep.feasible == sol.feasible
    doubled = check(inst, routes, duration_matrix=2 * durations)
    assert doubled.duration == pytest.approx(2 * rep.duration)


def test_exact_halves_round_up_like_tsplib_nint() -> None:
    """An edge of exactly 2.5 internal units rounds to 3 (half up), in the checker and in C++."""
    inst = lm.Instance.from_arrays(
        [[0, 0], [1.25, 0]], [0, 1], [lm.VehicleSpec(5)], distance="euclidean", distance_scale=2.0
    )
    assert inst.data.dist(0, 1) == 3
    assert check(inst, [[1]]).distance_internal == 6 == inst.solution([[1]]).distance


def test_haversine_edge_matches_a_known_distance() -> None:
    """Brussels -> Antwerp is about 41.1 km great-circle; circuity multiplies it."""
    coords = [[4.3517, 50.8503], [4.4025, 51.2194]]
    inst = lm.Instance.from_arrays(
        coords, [0, 1], [lm.VehicleSpec(5)], geographic=True, circuity=1.0
    )
    rep = check(inst, [[1]])
    assert rep.distance == pytest.approx(2 * 41.2, abs=0.4)


# -- violations on hand-made routes ------------------------------------------------------------


@pytest.fixture()
def small() -> lm.Instance:
    coords = [[0, 0], [3, 4], [6, 8], [0, 10], [10, 0]]
    demand = [[0, 0], [4, 1], [4, 1], [4, 5], [1, 1]]
    specs = [
        lm.VehicleSpec([10, 5], num_available=2, max_distance=25, max_duration=30),
        lm.VehicleSpec([20, 20], num_available=1, fixed_cost=100.0),
    ]
    return lm.Instance.from_arrays(
        coords, demand, specs, service_time=[0, 2, 2, 2, 2], distance="euclidean_rounded"
    )


def _kinds(rep: lm.CheckReport) -> list[str]:
    return sorted(v.kind for v in rep.violations)


def test_feasible_routes_have_no_violations(small: lm.Instance) -> None:
    """A valid plan is feasible and its cost is fixed + distance."""
    rep = check(small, [[1, 2], [3], [4]], [0, 0, 1])
    assert rep.feasible
    assert rep.routes[0].distance == 20 and rep.routes[0].duration == 24
    assert rep.cost == 20 + 20 + 100 + 20


def test_missing_client_is_reported(small: lm.Instance) -> None:
    """A client on no route is a 'missing' violation (a message string with a kind)."""
    rep = check(small, [[1, 2], [3]], [0, 0])
    assert _kinds(rep) == ["missing"] and "client 4" in rep.violations[0].message
    assert "; ".join(rep.violations) == "client 4 is not visited"


def test_duplicate_client_is_reported(small: lm.Instance) -> None:
    """A client on two routes is a 'duplicate' violation."""
    rep = check(small, [[1, 2], [3, 1], [4]], [0, 0, 1])
    assert "duplicate" in _kinds(rep)
    assert any("client 1 is visited 2 times" in v.message for v in rep.violations)


def test_capacity_violation_names_the_dimension(small: lm.Instance) -> None:
    """Load above capacity in the second dimension only is reported for that dimension."""
    rep = check(small, [[3, 4], [1, 2]], [0, 1])
    assert "capacity" in _kinds(rep)
    cap = [v for v in rep.violations if v.kind == "capacity"]
    assert len(cap) == 1 and cap[0].route == 0 and "dim1" in cap[0].message


def test_distance_limit_violation_is_reported(small: lm.Instance) -> None:
    """A route longer than max_distance is a 'distance' violation."""
    rep = check(small, [[2, 4], [1], [3]], [0, 0, 1])
    assert "distance" in _kinds(rep)
    assert [v.route for v in rep.violations if v.kind == "distance"] == [0]


def test_duration_limit_violation_counts_service(small: lm.Instance) -> None:
    """Driving 20 + service 11 > 30 violates max_duration although distance 20 <= 25."""
    inst = lm.Instance.from_arrays(
        [[0, 0], [3, 4], [6, 8]],
        [0, 1, 1],
        [lm.VehicleSpec(10, max_duration=30, max_distance=25)],
        service_time=[0, 5, 5],
        distance="euclidean_rounded",
    )
    assert check(inst, [[1, 2]]).feasible
    inst2 = lm.Instance.from_arrays(
        [[0, 0], [3, 4], [6, 8]],
        [0, 1, 1],
        [lm.VehicleSpec(10, max_duration=30, max_distance=25)],
        service_time=[0, 5, 6],
        distance="euclidean_rounded",
    )
    rep = check(inst2, [[1, 2]])
    assert _kinds(rep) == ["duration"]


def test_fleet_count_violation_is_reported(small: lm.Instance) -> None:
    """Three routes of a type with two vehicles is a 'fleet' violation."""
    rep = check(small, [[1], [2], [3, 4]], [0, 0, 0])
    assert "fleet" in _kinds(rep)


def test_out_of_range_client_raises(small: lm.Instance) -> None:
    """Client 0 (the depot) or n+1 in a route raises IndexOutOfRangeError naming the route."""
    for bad in ([0, 1], [1, 5], [-1]):
        with pytest.raises(IndexOutOfRangeError, match=r"routes\[0\]"):
            check(small, [bad, [2, 3, 4]])


def test_out_of_range_vehicle_type_raises(small: lm.Instance) -> None:
    """A vehicle type index outside the fleet raises IndexOutOfRangeError."""
    with pytest.raises(IndexOutOfRangeError, match=r"vehicle_types\[1\]"):
        check(small, [[1, 2], [3, 4]], [0, 2])
    with pytest.raises(IndexOutOfRangeError, match="vehicle_types"):
        check(small, [lm.Route([1, 2, 3, 4], -1)])


def test_checker_accepts_solution_routes_and_lists(small: lm.Instance) -> None:
    """A Solution, a list of Route and lists + vehicle_types give the same report."""
    routes, types = [[1, 2], [3], [4]], [0, 0, 1]
    sol = small.solution(routes, types)
    a = check(small, sol)
    b = check(small, list(sol.routes))
    c = check(small, [np.array(r) for r in routes], types)
    assert a == b == c


def test_non_integer_client_ids_are_rejected(small: lm.Instance) -> None:
    """Routes with fractional client ids raise InputError naming the route."""
    with pytest.raises(InputError, match=r"routes\[0\]"):
        check(small, [[1.5, 2]])
    with pytest.raises(InputError, match="vehicle_types"):
        check(small, [[1, 2, 3, 4]], [0, 1])
