"""VRPLIB, .sol, stop-table, route-table and GeoJSON readers/writers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lastmile_core as lm
from lastmile_core import check, metrics_cli
from lastmile_core.io import (
    read_solution,
    read_solution_with_cost,
    read_stops,
    read_vrplib,
    routes_table,
    to_geojson,
    write_routes,
    write_solution,
    write_stops,
)
from lastmile_core.io.tables import stops_frame

from .conftest import shared_file

TINY_VRP = """NAME : tiny-n5-k2
COMMENT : written by test_io
TYPE : CVRP
DIMENSION : 5
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 15
DISTANCE : 40
SERVICE_TIME : 2
NODE_COORD_SECTION
1 0 0
2 3 4
3 6 8
4 0 10
5 10 0
DEMAND_SECTION
1 0
2 4
3 5
4 3
5 6
DEPOT_SECTION
1
-1
EOF
"""


@pytest.fixture()
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny-n5-k2.vrp"
    path.write_text(TINY_VRP)
    return path


def _geo_instance(seed: int = 3, n: int = 12) -> lm.Instance:
    rng = np.random.default_rng(seed)
    coords = np.column_stack([rng.uniform(4.3, 4.4, n + 1), rng.uniform(50.8, 50.9, n + 1)])
    demand = np.column_stack(
        [rng.integers(1, 4, n + 1), rng.integers(10, 200, n + 1), rng.integers(1, 30, n + 1)]
    )
    return lm.Instance.from_arrays(
        coords,
        demand,
        [
            lm.VehicleSpec(
                [20, 2000, 300],
                num_available=3,
                fixed_cost=50.0,
                cost_per_duration=0.01,
                name="van",
            )
        ],
        service_time=rng.uniform(30, 180, n + 1).round(),
        geographic=True,
        elevation_m=rng.uniform(0, 80, n + 1),
        zone=[f"z{i % 3}" for i in range(n + 1)],
        node_ids=[f"S{i:03d}" for i in range(n + 1)],
        dim_names=["packages", "volume_l", "weight_kg"],
        name="geo",
    )


# -- VRPLIB ------------------------------------------------------------------------------------


def test_tiny_vrplib_file_is_read_with_all_fields(tiny: Path) -> None:
    """A hand-written VRPLIB file gives the expected instance, limits and fleet."""
    inst = read_vrplib(tiny)
    assert inst.name == "tiny-n5-k2"
    assert inst.num_clients == 4
    assert inst.data.distance_kind == "euclidean_rounded"
    assert inst.node_ids == (1, 2, 3, 4, 5)
    assert inst.data.demand[:, 0].tolist() == [0, 4, 5, 3, 6]
    assert inst.data.service_time.tolist() == [0, 2, 2, 2, 2]
    spec = inst.vehicle_specs[0]
    assert (spec.capacity, spec.max_distance, spec.max_duration) == (15, 40.0, 40.0)
    assert spec.num_available is None  # "tiny" is not one of the exact-fleet sets
    assert read_vrplib(tiny, fleet=2).vehicle_specs[0].num_available == 2
    assert inst.data.dist(0, 1) == 5 and inst.data.dist(1, 2) == 5


def test_rounding_option_switches_the_distance_convention(tiny: Path) -> None:
    """rounding=False keeps distances to 1/1000 (CMT style)."""
    inst = read_vrplib(tiny, rounding=False)
    assert inst.data.distance_kind == "euclidean"
    assert inst.data.dist(1, 3) == round(1000 * np.hypot(3, 6))
    assert inst.data.vehicle_types[0].max_duration == 40_000


def test_tiny_solution_round_trips_through_sol(tiny: Path, tmp_path: Path) -> None:
    """write_solution/read_solution round trip routes and cost; the checker agrees."""
    inst = read_vrplib(tiny)
    sol = inst.solution([[1, 2], [3], [4]])
    path = tmp_path / "tiny.sol"
    write_solution(path, sol)
    routes, cost = read_solution_with_cost(path)
    assert routes == [[1, 2], [3], [4]]
    assert cost == sol.cost == check(inst, routes).cost
    write_solution(path, [[4, 3], [], [2, 1]], cost=12.5)
    assert read_solution(path) == [[4, 3], [2, 1]]
    assert read_solution_with_cost(path)[1] == 12.5


def test_distance_limit_bounds_driving_plus_service(tiny: Path) -> None:
    """DISTANCE 40 bounds driving + SERVICE_TIME: 40 driving + 2 service violates duration only."""
    inst = read_vrplib(tiny)
    # depot -> (3,4) -> (6,8) -> (0,10) -> depot: 5 + 5 + 6 + 10 = 26, plus 6 service
    ok = check(inst, [[1, 2, 3], [4]])
    assert ok.routes[0].distance == 26 and ok.routes[0].duration == 32 and ok.feasible
    # depot -> (10,0) -> (6,8) -> (0,10) -> depot: 10 + 9 + 6 + 10 = 35, plus 6 service = 41
    bad = check(inst, [[4, 2, 3], [1]])
    assert bad.routes[0].distance == 35 and bad.routes[0].duration == 41
    assert [v.kind for v in bad.violations] == ["duration"]
    assert not inst.solution([[4, 2, 3], [1]]).feasible


# -- stop tables ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_stop_table_round_trip_keeps_the_instance(tmp_path: Path, suffix: str) -> None:
    """write_stops then read_stops rebuilds identical data (coords, demand, service, zones)."""
    inst = _geo_instance()
    path = tmp_path / f"stops{suffix}"
    write_stops(inst, path)
    back = read_stops(path, list(inst.vehicle_specs), demand=list(inst.dim_names))
    assert back.geographic and back.node_ids == inst.node_ids
    assert back.dim_names == inst.dim_names
    np.testing.assert_array_equal(back.data.coords, inst.data.coords)
    np.testing.assert_array_equal(back.data.demand, inst.data.demand)
    np.testing.assert_array_equal(back.data.service_time, inst.data.service_time)
    np.testing.assert_array_equal(back.data.elevation, inst.data.elevation)
    assert [back.zone_names[z] for z in back.data.zone] == [
        inst.zone_names[z] for z in inst.data.zone
    ]
    np.testing.assert_array_equal(back.data.distance_matrix(), inst.data.distance_matrix())


def test_depot_flag_moves_the_depot_first() -> None:
    """An is_depot row anywhere becomes node 0; default demand columns are found."""
    df = pd.DataFrame(
        {
            "stop_id": ["a", "hub", "b"],
            "x": [1.0, 0.0, 2.0],
            "y": [0.0, 0.0, 0.0],
            "packages": [2, None, 3],
            "weight_kg": [5, 0, 7],
            "is_depot": [False, True, False],
        }
    )
    inst = read_stops(df, [lm.VehicleSpec([10, 100])])
    assert inst.node_ids == ("hub", "a", "b")
    assert inst.dim_names == ("packages", "weight_kg")
    assert inst.data.demand.tolist() == [[0, 0], [2, 5], [3, 7]]
    assert not inst.geographic


def test_stop_table_without_vehicle_types_uses_the_example_van(tmp_path: Path) -> None:
    """read_stops(path) alone gets the example van restricted to the table's demand columns."""
    inst = _geo_instance()
    path = tmp_path / "stops.csv"
    write_stops(inst, path)
    back = read_stops(path)
    assert back.dim_names == ("packages", "volume_l", "weight_kg")
    assert back.data.vehicle_types[0].capacity == [250, 8000, 1000]
    planar = read_stops(pd.DataFrame({"x": [0, 1], "y": [0, 1], "weight_kg": [0, 3]}))
    assert planar.data.vehicle_types[0].capacity == [1000]
    assert planar.vehicle_specs[0].max_duration is None
    with pytest.raises(lm.errors.InputError, match="vehicle_types"):
        read_stops(pd.DataFrame({"x": [0, 1], "y": [0, 1], "pallets": [0, 3]}), demand="pallets")


# -- route outputs -------------------------------------------------------------------------------


def test_routes_table_has_cumulative_loads_and_arrivals() -> None:
    """Cumulative load ends at the route load; arrival back at the depot is the route duration;
    depot rows are flagged and every row names its route, station, day, van and capacities."""
    inst = _geo_instance()
    sol = inst.solution([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
    table = routes_table(inst, sol, station="north", day="2026-03-02")
    assert len(table) == 12 + 2 * 3
    for r, route in enumerate(sol.routes):
        rows = table[table.route_id == r]
        assert rows.seq.tolist() == list(range(len(route.visits) + 2))
        assert rows.stop_id.iloc[0] == rows.stop_id.iloc[-1] == "S000"
        assert rows.is_depot.tolist() == [True] + [False] * len(route.visits) + [True]
        last = rows.iloc[-1]
        assert [last[f"load_{d}"] for d in inst.dim_names] == route.load
        assert last.arrival_s == pytest.approx(inst.to_user_duration(route.duration))
        assert last.distance_km == pytest.approx(inst.to_user_distance(route.distance))
        assert rows.arrival_s.is_monotonic_increasing
        vt = inst.data.vehicle_types[route.vehicle_type]
        for d, name in enumerate(inst.dim_names):
            assert (rows[f"capacity_{name}"] == vt.capacity[d]).all()
        assert (rows.van_type == vt.name).all()
    assert (table.station == "north").all() and (table.day == "2026-03-02").all()
    assert {"lon", "lat", "service_s"} <= set(table.columns)
    stops = table[~table.is_depot]
    np.testing.assert_allclose(
        stops.service_s, [inst.to_user_duration(int(t)) for t in inst.data.service_time[stops.node]]
    )


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".sol", ".geojson"])
def test_write_routes_dispatches_on_suffix(tmp_path: Path, suffix: str) -> None:
    """Every supported suffix writes a file that reads back to the same routes."""
    inst = _geo_instance()
    sol = inst.solution([[3, 1, 2], [4, 5, 6, 7, 8], [9, 12, 10, 11]])
    path = tmp_path / f"routes{suffix}"
    write_routes(inst, sol, path)
    expected = [r.visits for r in sol.routes]
    if suffix == ".sol":
        assert read_solution(path) == expected
    elif suffix == ".geojson":
        fc = json.loads(path.read_text())
        lines = [f for f in fc["features"] if f["geometry"]["type"] == "LineString"]
        assert [len(f["geometry"]["coordinates"]) - 2 for f in lines] == [3, 5, 4]
    else:
        df = pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)
        got = [
            g[(g.seq > 0) & (g.seq < g.seq.max())].node.tolist() for _, g in df.groupby("route_id")
        ]
        assert got == expected


def test_write_routes_rejects_unknown_suffix(tmp_path: Path) -> None:
    """An unknown suffix raises InputError naming path."""
    inst = _geo_instance()
    with pytest.raises(lm.errors.InputError, match="path"):
        write_routes(inst, [[i] for i in range(1, 13)], tmp_path / "routes.xlsx")


def test_geojson_is_valid_and_complete() -> None:
    """A serialisable FeatureCollection: a LineString per route, a Point per stop."""
    inst = _geo_instance()
    sol = inst.solution([[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11, 12], []])
    fc = json.loads(json.dumps(to_geojson(inst, sol)))
    assert fc["type"] == "FeatureCollection"
    lines = [f for f in fc["features"] if f["geometry"]["type"] == "LineString"]
    points = [f for f in fc["features"] if f["geometry"]["type"] == "Point"]
    assert len(lines) == 2 and len(points) == 1 + 12
    depot = [float(v) for v in inst.data.coords[0]]
    for f, route in zip(lines, sol.routes[:2], strict=True):
        coords = f["geometry"]["coordinates"]
        assert len(coords) == len(route.visits) + 2
        assert coords[0] == coords[-1] == depot
        assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in coords)
        assert f["properties"]["distance"] == pytest.approx(inst.to_user_distance(route.distance))
        assert f["properties"]["load"] == dict(zip(inst.dim_names, route.load, strict=True))
    assert {p["properties"]["stop_id"] for p in points} == set(inst.node_ids)
    assert "crs_note" not in fc["lastmile"]


def test_geojson_marks_planar_coordinates(tiny: Path) -> None:
    """Planar instances keep x/y and say so."""
    inst = read_vrplib(tiny)
    fc = to_geojson(inst, [[1, 2], [3, 4]])
    assert "planar" in fc["lastmile"]["crs_note"]
    assert len(json.dumps(fc)) > 100


# -- every shared instance -------------------------------------------------------------------------


def _header(path: Path) -> dict[str, str]:
    out = {}
    with open(path) as fh:
        for line in fh:
            if "_SECTION" in line:
                break
            if ":" in line:
                k, v = line.split(":", 1)
                out[k.strip().upper()] = v.strip()
    return out


def test_every_shared_instance_is_read(data_dir: Path) -> None:
    """All 214 cvrplib .vrp files read; size, capacity, distance kind, fleet and limits match."""
    files = sorted((data_dir / "cvrplib").glob("*/*.vrp"))
    with open(shared_file(data_dir, "cvrplib", "bks.csv"), newline="") as fh:
        bks = {r["instance"]: r for r in csv.DictReader(fh)}
    assert len(files) == len(bks) == 214
    want_kind = {
        "EUC_2D_rounded": "euclidean_rounded",
        "EUC_2D_real": "euclidean",
        "EXPLICIT": "matrix",
    }
    for path in files:
        head = _header(path)
        inst = read_vrplib(path)
        row = bks[inst.name]
        assert inst.num_clients == int(head["DIMENSION"]) - 1 == int(row["n_customers"]), path
        cap = inst.data.vehicle_types[0].capacity
        assert cap == [int(head["CAPACITY"])] == [int(row["capacity"])], path
        assert inst.data.distance_kind == want_kind[row["distance"]], path
        fleet = inst.vehicle_specs[0].num_available
        if row["set"] in ("X", "XXL", "CMT"):
            assert fleet is None, path
        else:
            assert fleet == int(inst.name.rsplit("-k", 1)[1]), path
        if inst.num_nodes > lm.instance.DENSE_LIMIT:
            assert not inst.data.dense  # XXL: O(n) memory, no dense matrix
        limit = head.get("DISTANCE")
        spec = inst.vehicle_specs[0]
        if limit is None:
            assert spec.max_duration is None and spec.max_distance is None
        else:
            assert spec.max_duration == spec.max_distance == float(limit)


def test_cmt_duration_limits_and_service_times(data_dir: Path) -> None:
    """CMT6 (limit 200, service 10) and CMT13 (720, 50) carry the limit as duration and distance."""
    for name, limit, service in (("CMT6", 200, 10), ("CMT13", 720, 50), ("CMT1", None, 0)):
        inst = read_vrplib(shared_file(data_dir, "cvrplib", "CMT", f"{name}.vrp"))
        vt = inst.data.vehicle_types[0]
        assert inst.data.distance_kind == "euclidean" and inst.distance_scale == 1000
        expect = None if limit is None else limit * 1000
        assert (vt.max_duration, vt.max_distance) == (expect, expect)
        assert inst.data.service_time[0] == 0
        assert set(inst.data.service_time[1:].tolist()) == {service * 1000}
        # one client per route: duration = 2 d(0, 1) + service, in user units
        rep = check(inst, [[i] for i in range(1, inst.num_nodes)])
        d01 = float(np.hypot(*(inst.data.coords[1] - inst.data.coords[0])))
        assert rep.routes[0].duration == pytest.approx(2 * d01 + service, abs=2e-3)


def test_explicit_matrix_instance_e_n13_k4(data_dir: Path) -> None:
    """E-n13-k4 is read as an explicit integer matrix (LOWER_ROW) with 4 vehicles."""
    inst = read_vrplib(shared_file(data_dir, "cvrplib", "E", "E-n13-k4.vrp"))
    assert inst.data.distance_kind == "matrix" and inst.distance_scale == 1
    m = inst.data.distance_matrix()
    assert m.shape == (13, 13) and np.array_equal(m, m.T) and np.all(np.diag(m) == 0)
    assert m[1, 0] == 9 and m[2, 0] == 14 and m[2, 1] == 21  # first rows of EDGE_WEIGHT_SECTION
    assert inst.vehicle_specs[0].num_available == 4
    routes, cost = read_solution_with_cost(shared_file(data_dir, "cvrplib", "E", "E-n13-k4.sol"))
    assert check(inst, routes).cost == cost == 247


def test_stop_table_round_trip_on_a_shared_instance(data_dir: Path, tmp_path: Path) -> None:
    """X-n101-k25 survives write_stops/read_stops with identical distances."""
    inst = read_vrplib(shared_file(data_dir, "cvrplib", "X", "X-n101-k25.vrp"))
    path = tmp_path / "x.parquet"
    write_stops(inst, path)
    back = read_stops(path, list(inst.vehicle_specs), demand="demand", distance="euclidean_rounded")
    np.testing.assert_array_equal(back.data.distance_matrix(), inst.data.distance_matrix())
    assert back.node_ids == inst.node_ids
    assert stops_frame(back).equals(stops_frame(inst))


def test_metrics_cli_reads_tables_with_the_one_table_reader(tmp_path):
    """Regression (issue 8): metrics had its own _read_table; it now uses io.read_table, so a
    missing file or an unknown suffix raises FormatError naming input_path, and CSV and Parquet
    give the same metrics."""
    from lastmile_core import metrics
    from lastmile_core.errors import FormatError

    assert not hasattr(metrics, "_read_table")
    with pytest.raises(FormatError, match="^input_path: file .* not found"):
        metrics_cli.run_metrics_cli(tmp_path / "missing.csv", tmp_path / "out.csv")
    bad = tmp_path / "stops.xlsx"
    bad.write_text("x")
    with pytest.raises(FormatError, match="^input_path: unsupported table suffix"):
        metrics_cli.run_metrics_cli(bad, tmp_path / "out.csv")
    df = pd.DataFrame(
        {
            "route_id": [1, 1, 1, 2, 2],
            "seq": [0, 1, 2, 0, 1],
            "lon": [4.35, 4.36, 4.37, 4.30, 4.31],
            "lat": [50.85, 50.86, 50.85, 50.80, 50.81],
        }
    )
    df.to_csv(tmp_path / "stops.csv", index=False)
    df.to_parquet(tmp_path / "stops.parquet", index=False)
    a = metrics_cli.run_metrics_cli(tmp_path / "stops.csv", tmp_path / "a.csv", depot=(4.3, 50.8))
    b = metrics_cli.run_metrics_cli(
        tmp_path / "stops.parquet", tmp_path / "b.csv", depot=(4.3, 50.8)
    )
    pd.testing.assert_frame_equal(a, b)
    assert list(a["n_stops"]) == [3, 2]
