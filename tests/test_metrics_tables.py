"""Route metrics from stop tables and from solved instances (lastmile_core.metrics)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pytest

from lastmile_core import _core
from lastmile_core.errors import IndexOutOfRangeError, InputError
from lastmile_core.metrics import batch_metrics, from_table, route_metrics
from lastmile_core.metrics_cli import main_metrics, run_metrics_cli

from .test_metrics import SCALAR_FIELDS, random_routes

R_KM = 6371.0088


def make_table(rng, num_routes=40):
    x, y, off, depot, pk, sv, el = random_routes(rng, num_routes, geographic=True, spread=0.02)
    route_of_stop = np.repeat(np.arange(num_routes), np.diff(off))
    labels = np.array([f"R{r:03d}" for r in range(num_routes)])
    seq = np.concatenate([np.arange(k) * 10 + 3 for k in np.diff(off)])
    df = pd.DataFrame(
        dict(
            route_id=labels[route_of_stop], seq=seq, lon=x, lat=y, packages=pk, service=sv, elev=el
        )
    )
    return df, (x, y, off, depot, pk, sv, el), labels


def test_from_table_round_trip_with_shuffled_rows():
    """A shuffled stop table gives the same metrics as the CSR arrays it came from."""
    rng = np.random.default_rng(11)
    df, (x, y, off, depot, pk, sv, el), labels = make_table(rng)
    shuffled = df.sample(frac=1.0, random_state=3)
    m = from_table(
        shuffled,
        packages="packages",
        service_s="service",
        elevation_m="elev",
        depot=depot,
        speed_kmh=20.0,
    )
    expected = batch_metrics(
        x, y, off, depot, geographic=True, packages=pk, service_s=sv, elevation_m=el, speed_kmh=20.0
    )
    present = labels[np.diff(off) > 0]  # routes with 0 stops have no rows in the table
    assert m.route_id.tolist() == present.tolist()
    keep = np.diff(off) > 0
    for f in (*SCALAR_FIELDS, "climb_m"):
        np.testing.assert_array_equal(getattr(m, f), getattr(expected, f)[keep], err_msg=f)
    frame = m.to_frame()
    assert frame.index.name == "route_id" and frame.index.tolist() == present.tolist()


def test_from_table_depot_rows_and_planar_columns():
    """Depot rows flagged per route supply that route's depot; x/y columns mean planar."""
    df = pd.DataFrame(
        dict(
            rid=[2, 1, 1, 2, 1, 3],
            k=[0, 2, 1, 1, 0, 0],
            px=[0.0, 3.0, 1.0, 5.0, 10.0, 7.0],
            py=[0.0, 0.0, 0.0, 0.0, 0.0, 7.0],
            is_depot=[True, False, False, False, True, True],
            cap=[10, 4, 4, 10, 4, 1],
            pk=[0, 1, 1, 5, 0, 0],
        )
    )
    m = from_table(
        df,
        route="rid",
        order="k",
        x="px",
        y="py",
        depot_flag="is_depot",
        packages="pk",
        capacity="cap",
    )
    assert m.route_id.tolist() == [1, 2, 3]
    assert m.n_stops.tolist() == [2, 1, 0]
    np.testing.assert_allclose(m.intra_route_km, [2.0, 0.0, 0.0])
    np.testing.assert_allclose(m.line_haul_km, [9.0 + 7.0, 10.0, 0.0])
    np.testing.assert_allclose(m.load_factor[:, 0], [0.5, 0.5, 0.0])


def test_from_table_errors_name_the_argument_and_row():
    """Bad table values raise InputError naming the from_table argument and the row label."""
    df = pd.DataFrame(
        dict(route_id=[1, 1, 2], seq=[0, 1, 0], lon=[13.0, 13.1, 13.2], lat=[52.0, np.nan, 52.1])
    )
    df.index = ["a", "b", "c"]
    with pytest.raises(InputError, match=r"^lat: .*index label 'b'"):
        from_table(df)
    with pytest.raises(InputError, match=r"^order: column 'when'"):
        from_table(df, order="when")


def test_run_metrics_cli_reads_csv_and_writes_parquet(tmp_path):
    """The CLI helper turns a CSV stop table into a per-route Parquet file."""
    rng = np.random.default_rng(5)
    df, _, _ = make_table(rng, num_routes=10)
    src = tmp_path / "stops.csv"
    df.to_csv(src, index=False)
    out = tmp_path / "metrics.parquet"
    frame = run_metrics_cli(src, out, packages="packages", depot=(13.4, 52.5))
    back = pd.read_parquet(out)
    assert back.shape == frame.shape and back["route_id"].tolist() == frame["route_id"].tolist()
    assert (
        main_metrics(
            [str(src), str(tmp_path / "m.csv"), "--packages", "packages", "--depot", "13.4,52.5"]
        )
        == 0
    )
    again = pd.read_csv(tmp_path / "m.csv")
    np.testing.assert_allclose(again["total_km"], back["total_km"], rtol=1e-12)


# ---------------------------------------------------------------------------------------------
# solutions of an instance (stand-in for lastmile_core.Instance)
# ---------------------------------------------------------------------------------------------


@dataclass
class StandInInstance:
    data: _core.ProblemData
    geographic: bool
    time_scale: float
    distance_scale: float


@dataclass
class StandInSolution:
    routes: list


def test_route_metrics_of_a_geographic_solution_match_problem_distances():
    """route_metrics agrees with ProblemData's haversine distances, service and capacities."""
    coords = np.array(
        [[13.40, 52.50], [13.41, 52.50], [13.42, 52.51], [13.38, 52.49], [13.39, 52.52]]
    )
    demand = np.array([[0, 0], [2, 10], [3, 5], [1, 1], [4, 0]])
    service = np.array([0, 60, 120, 30, 90]) * 10  # internal units: 10 per second
    elevation = np.array([30.0, 35.0, 32.0, 40.0, 31.0])
    types = [_core.VehicleType([10, 20]), _core.VehicleType([5, 100])]
    # internal distance unit: metre (1000 per km); 0.2 duration units per metre at 10 per second
    # = 20 s per km = 180 km/h
    data = _core.ProblemData(
        coords, demand, service, types, distance="haversine", distance_scale=1000.0,
        duration_per_distance=0.2, elevation=elevation, circuity=1.2,
    )  # fmt: skip
    inst = StandInInstance(data=data, geographic=True, time_scale=10.0, distance_scale=1000.0)
    sol = StandInSolution([_core.Route([1, 2], 0), _core.Route([3, 4], 1), _core.Route([], 0)])
    m = route_metrics(inst, sol)
    for i, r in enumerate(sol.routes):
        nodes = [0, *r.visits, 0] if r.visits else []
        metres = sum(data.dist(a, b) for a, b in zip(nodes, nodes[1:], strict=False))
        assert m.total_km[i] * 1000 == pytest.approx(metres, abs=0.5 * max(1, len(nodes)))
        assert m.drive_time_s[i] == pytest.approx(m.total_km[i] * 20.0, rel=1e-12)
    np.testing.assert_allclose(m.service_time_s, [180.0, 120.0, 0.0])
    np.testing.assert_allclose(m.packages, [5, 5, 0])
    np.testing.assert_allclose(m.load_factor, [[0.5, 0.75], [1.0, 0.01], [0.0, 0.0]])
    np.testing.assert_allclose(m.climb_m, [5 + 0 + 0, 10 + 0 + 0, 0.0])
    assert list(m.to_frame().columns).count("load_factor_packages") == 1


def test_route_metrics_of_a_real_instance_match_its_solution_evaluation():
    """With a lastmile_core.Instance, distances and durations match the C++ evaluation."""
    from lastmile_core import Instance, VehicleSpec

    rng = np.random.default_rng(4)
    n = 30
    coords = np.column_stack([13.4 + rng.normal(0, 0.02, n + 1), 52.5 + rng.normal(0, 0.02, n + 1)])
    demand = np.column_stack([rng.integers(1, 4, n + 1), rng.integers(0, 50, n + 1)])
    inst = Instance.from_arrays(
        coords, demand, [VehicleSpec(capacity=[40, 600]), VehicleSpec(capacity=[20, 300])],
        service_time=rng.uniform(30, 120, n + 1), geographic=True, speed=25.0,
        elevation_m=rng.normal(40, 5, n + 1), dim_names=["packages", "volume"],
    )  # fmt: skip
    routes = [list(range(1, 11)), list(range(11, 26)), list(range(26, 31))]
    sol = inst.solution(routes, vehicle_types=[0, 1, 0])
    m = route_metrics(inst, sol)
    for i, r in enumerate(sol.routes):
        assert m.total_km[i] == pytest.approx(
            inst.to_user_distance(r.distance), abs=(len(r.visits) + 1) / inst.distance_scale
        )
        assert m.duration_s[i] == pytest.approx(
            inst.to_user_duration(r.duration), abs=len(r.visits) + 2
        )
        assert m.service_time_s[i] == pytest.approx(inst.to_user_duration(r.service), abs=1e-6)
    np.testing.assert_allclose(m.drive_time_s, m.total_km / 25.0 * 3600, rtol=1e-9)
    assert m.to_frame().columns[-5:].tolist() == [
        "load_packages", "load_volume", "load_factor_packages", "load_factor_volume", "climb_m",
    ]  # fmt: skip


def test_route_metrics_rejects_out_of_range_visits():
    """A visit outside 1..n raises IndexOutOfRangeError."""
    data = _core.ProblemData(np.array([[0.0, 0.0], [1.0, 1.0]]), np.array([[0], [1]]), np.array([0, 0]),
                             [_core.VehicleType([5])], distance="euclidean")  # fmt: skip
    inst = StandInInstance(data=data, geographic=False, time_scale=1.0, distance_scale=1.0)
    with pytest.raises(IndexOutOfRangeError, match="^solution: visit 2"):
        route_metrics(inst, StandInSolution([_core.Route([1, 2], 0)]))


def test_route_metrics_of_a_planar_solution_use_instance_time_and_distance_scales():
    """Planar distances are in coordinate units and drive time follows the instance's scales."""
    coords = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 8.0], [0.0, 5.0]])
    demand = np.array([[0], [1], [2], [3]])
    data = _core.ProblemData(
        coords, demand, np.array([0, 5000, 0, 2000]), [_core.VehicleType([6])],
        distance="euclidean", distance_scale=1000.0, duration_per_distance=1.0,
    )  # fmt: skip
    # internal units: 1000 per coordinate unit for distance and duration; 1000 duration units = 1 s
    inst = StandInInstance(data=data, geographic=False, time_scale=1000.0, distance_scale=1000.0)
    m = route_metrics(inst, StandInSolution([_core.Route([1, 2], 0), _core.Route([3], 0)]))
    np.testing.assert_allclose(m.total_km, [5 + 5 + 10, 10.0])
    np.testing.assert_allclose(m.drive_time_s, [20.0, 10.0])
    np.testing.assert_allclose(m.service_time_s, [5.0, 2.0])
    np.testing.assert_allclose(m.load_factor[:, 0], [0.5, 0.5])
    assert m.climb_m is None


def test_from_table_without_order_keeps_row_order_within_routes():
    """order=None visits each route's stops in table row order."""
    df = pd.DataFrame(
        dict(route_id=["b", "a", "b", "a"], x=[0.0, 0.0, 3.0, 0.0], y=[0.0, 0.0, 4.0, 2.0])
    )
    m = from_table(df, order=None, x="x", y="y")
    assert m.route_id.tolist() == ["a", "b"]
    np.testing.assert_allclose(m.intra_route_km, [2.0, 5.0])
