"""OR-Tools reference adapter: OR-Tools and our C++ evaluation agree on the cost of the same routes."""

from __future__ import annotations

import csv
import math
import os
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("ortools")

import lastmile_core as lm  # noqa: E402
from lastmile_core import reference  # noqa: E402
from lastmile_core.errors import InputError  # noqa: E402
from lastmile_core.reference import ortools as ref_ortools  # noqa: E402
from lastmile_core.reference import solve_ortools  # noqa: E402

TIME = 1.0


def _rng_instance(
    n: int,
    seed: int,
    *,
    dims: int = 1,
    specs: list[lm.VehicleSpec] | None = None,
    service: float = 0.0,
    **kwargs: object,
) -> lm.Instance:
    rng = np.random.default_rng(seed)
    coords = rng.uniform(0, 100, size=(n + 1, 2))
    demand = rng.integers(1, 10, size=(n + 1, dims))
    demand[0] = 0
    if specs is None:
        specs = [lm.VehicleSpec([30] * dims)]
    svc = np.full(n + 1, service)
    svc[0] = 0
    return lm.Instance.from_arrays(coords, demand, specs, service_time=svc, **kwargs)  # type: ignore[arg-type]


def _assert_consistent(inst: lm.Instance, res: reference.ReferenceResult) -> None:
    assert res.solution is not None, res.status
    assert res.feasible, res.solution.violations
    visited = sorted(c for r in res.routes for c in r)
    assert visited == list(range(1, inst.num_clients + 1))
    # Same routes re-evaluated from scratch by the C++ Solution.
    again = inst.solution(res.routes, res.vehicle_types)
    assert again.cost == pytest.approx(res.cost, rel=1e-12, abs=1e-9)
    if res.exact_cost_scale:
        assert res.cost == pytest.approx(res.objective, rel=1e-9, abs=1e-6)
    else:
        arcs = sum(len(r) + 1 for r in res.routes)
        assert abs(res.cost - res.objective) <= arcs * 0.5 / res.cost_scale + 1e-6


def test_planar_euclidean_costs_agree() -> None:
    """Unrounded planar distances (scale 1000): OR-Tools objective equals the C++ cost."""
    inst = _rng_instance(40, 1)
    res = solve_ortools(inst, time_limit=TIME)
    _assert_consistent(inst, res)
    assert res.exact_cost_scale and res.cost_scale == 1000
    assert res.status in ("SUCCESS", "FAIL_TIMEOUT", "OPTIMAL")


def test_multi_dimensional_capacity_is_respected() -> None:
    """Three demand dimensions each get their own capacity dimension."""
    specs = [lm.VehicleSpec([25, 40, 18])]
    inst = _rng_instance(35, 2, dims=3, specs=specs, distance="euclidean_rounded")
    res = solve_ortools(inst, time_limit=TIME)
    _assert_consistent(inst, res)
    assert res.solution is not None
    for route in res.solution.routes:
        assert all(load <= cap for load, cap in zip(route.load, [25, 40, 18], strict=True))


def test_service_times_and_duration_limit_with_time_cost() -> None:
    """Service time counts in route duration and cost; max_duration holds on every route."""
    specs = [lm.VehicleSpec(60, max_duration=260.0, cost_per_duration=0.5)]
    inst = _rng_instance(30, 3, specs=specs, service=12.0)
    res = solve_ortools(inst, time_limit=TIME)
    _assert_consistent(inst, res)
    assert res.solution is not None
    limit = round(260.0 * inst.time_scale)
    assert all(r.duration <= limit for r in res.solution.routes)
    assert all(r.service == round(12.0 * inst.time_scale) * len(r) for r in res.solution.routes)


def test_heterogeneous_fleet_with_fixed_costs_and_counts() -> None:
    """Vehicle counts per type are honoured and fixed costs enter both objectives alike."""
    specs = [
        lm.VehicleSpec(40, num_available=2, fixed_cost=80.0, cost_per_distance=1.0),
        lm.VehicleSpec(20, num_available=3, fixed_cost=25.0, cost_per_distance=0.7),
        lm.VehicleSpec(
            15, num_available=None, fixed_cost=60.0, cost_per_distance=1.5, max_distance=250.0
        ),
    ]
    inst = _rng_instance(30, 4, specs=specs, distance="euclidean_rounded")
    res = solve_ortools(inst, time_limit=TIME)
    _assert_consistent(inst, res)
    counts = np.bincount(res.vehicle_types, minlength=3)
    assert counts[0] <= 2 and counts[1] <= 3
    assert res.solution is not None
    fixed = sum(specs[t].fixed_cost for t in res.vehicle_types)
    assert res.cost >= fixed
    for route in res.solution.routes:
        if route.vehicle_type == 2:
            assert route.distance <= 250


def test_geographic_instance_with_km_and_second_costs() -> None:
    """Haversine km/s units: per-km and per-second costs scale to integers exactly."""
    rng = np.random.default_rng(5)
    n = 25
    coords = np.column_stack(
        [4.70 + rng.uniform(0, 0.05, n + 1), 50.87 + rng.uniform(0, 0.04, n + 1)]
    )
    demand = rng.integers(1, 5, n + 1)
    specs = [lm.VehicleSpec(25, fixed_cost=40.0, cost_per_distance=0.35, cost_per_duration=0.01)]
    svc = np.full(n + 1, 120.0)
    inst = lm.Instance.from_arrays(coords, demand, specs, geographic=True, service_time=svc)
    res = solve_ortools(inst, time_limit=TIME)
    assert res.exact_cost_scale and res.cost_scale == 100_000
    _assert_consistent(inst, res)


def test_inexact_cost_scale_stays_within_rounding() -> None:
    """A per-unit cost with no finite decimal form gives an objective within arc rounding."""
    specs = [lm.VehicleSpec(30, cost_per_distance=1 / 3, fixed_cost=10.0)]
    inst = _rng_instance(20, 6, specs=specs)
    res = solve_ortools(inst, time_limit=TIME)
    assert not res.exact_cost_scale
    _assert_consistent(inst, res)


@pytest.mark.parametrize("cache_limit", [10, 10_000])
def test_callback_mode_matches_matrix_mode(
    monkeypatch: pytest.MonkeyPatch, cache_limit: int
) -> None:
    """Above MATRIX_NODE_LIMIT Python callbacks (cached or lazy) give the same model and costs."""
    specs = [lm.VehicleSpec([40, 30], max_duration=400.0, cost_per_duration=0.25, fixed_cost=5.0)]
    inst = _rng_instance(20, 7, dims=2, specs=specs, service=5.0)
    monkeypatch.setattr(ref_ortools, "MATRIX_NODE_LIMIT", 10)
    monkeypatch.setattr(ref_ortools, "CACHE_NODE_LIMIT", cache_limit)
    res = solve_ortools(inst, time_limit=TIME)
    _assert_consistent(inst, res)


def test_fleet_upper_bound_is_bin_packing_based() -> None:
    """Unlimited types get min(clients, ceil(1.3 * LB) + 3) vehicles."""
    inst = _rng_instance(50, 8, specs=[lm.VehicleSpec(30)])
    total = int(np.asarray(inst.data.demand)[1:].sum())
    lb = math.ceil(total / 30)
    assert reference.fleet_upper_bound(inst, 0) == min(50, math.ceil(1.3 * lb) + 3)
    res = solve_ortools(inst, time_limit=0.3, num_vehicles=lb + 2)
    assert res.num_vehicles == lb + 2
    _assert_consistent(inst, res)


def test_bad_arguments_raise_input_error() -> None:
    """Unknown strategy names and non-positive limits are rejected with the argument name."""
    inst = _rng_instance(5, 9)
    with pytest.raises(InputError, match="first_solution"):
        solve_ortools(inst, time_limit=0.1, first_solution="NOPE")
    with pytest.raises(InputError, match="metaheuristic"):
        solve_ortools(inst, time_limit=0.1, metaheuristic="NOPE")
    with pytest.raises(InputError, match="time_limit"):
        solve_ortools(inst, time_limit=0)
    with pytest.raises(InputError, match="num_vehicles"):
        solve_ortools(inst, time_limit=0.1, num_vehicles=0)


def test_missing_ortools_gives_clear_import_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without OR-Tools the adapter raises ImportError naming the package to install."""
    monkeypatch.setitem(sys.modules, "ortools.constraint_solver", None)
    with pytest.raises(ImportError, match="pip install"):
        solve_ortools(_rng_instance(5, 10), time_limit=0.1)


# -- shared CVRPLIB data (A/P sets, exact fleet k) -----------------------------------------------

CASES = ["A-n32-k5", "A-n37-k6", "P-n16-k8", "P-n22-k8"]


def _data_dir() -> Path:
    root = os.environ.get("LASTMILE_DATA")
    if not root:
        pytest.skip("LASTMILE_DATA is not set")
    return Path(root) / "cvrplib"


def _load_vrplib(path: Path) -> lm.Instance:
    vrplib = pytest.importorskip("vrplib")
    raw = vrplib.read_instance(str(path))
    k = int(path.stem.rsplit("-k", 1)[1])
    return lm.Instance.from_arrays(
        raw["node_coord"],
        raw["demand"],
        [lm.VehicleSpec(int(raw["capacity"]), num_available=k)],
        distance="euclidean_rounded",
        name=path.stem,
    )


@pytest.mark.parametrize("name", CASES)
def test_cvrplib_exact_fleet_costs_agree(name: str) -> None:
    """On A/P instances OR-Tools' objective equals our evaluation; the shipped BKS evaluates to bks."""
    root = _data_dir()
    path = root / name[0] / f"{name}.vrp"
    sol_path = path.with_suffix(".sol")
    assert path.is_file(), f"missing {path}"
    assert sol_path.is_file(), f"missing {sol_path}"
    inst = _load_vrplib(path)
    with open(root / "bks.csv", newline="") as fh:
        bks = {row["instance"]: float(row["bks"]) for row in csv.DictReader(fh)}
    import vrplib

    best = vrplib.read_solution(str(sol_path))
    assert inst.solution(best["routes"]).cost == bks[name]

    res = solve_ortools(inst, time_limit=TIME)
    _assert_consistent(inst, res)
    assert len(res.routes) <= int(name.rsplit("-k", 1)[1])
    assert res.objective == res.cost
    assert res.cost >= bks[name] * 0.97  # sanity: no solver is far below a proven optimum


def test_quality_bench_runs_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """bench/quality/compare.py re-evaluates OR-Tools' routes and writes the CSV and markdown."""
    root = _data_dir()
    import importlib.util

    script = Path(__file__).resolve().parents[1] / "bench" / "quality" / "compare.py"
    spec = importlib.util.spec_from_file_location("lastmile_bench_compare", script)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, mod)  # dataclasses look the module up
    spec.loader.exec_module(mod)
    argv = ["--time-limit", "0.5", "--instances", "A-n32-k5", "--solvers", "ortools"]
    argv += ["--data", str(root.parent), "--out", str(tmp_path), "--tag", "t"]
    assert mod.main(argv) == 0
    with open(tmp_path / "quality_t.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["solver"] for r in rows] == ["ortools"]
    assert rows[0]["feasible"] == "True"
    assert float(rows[0]["cost"]) == float(rows[0]["reported_cost"]) >= 784
    assert float(rows[0]["peak_rss_mb"]) > 0
    assert "Wins / ties / losses" in (tmp_path / "quality_t.md").read_text()
