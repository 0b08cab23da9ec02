"""Result: what a user inspects after lastmile_core.solve, in the instance's units."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lastmile_core as lm
from lastmile_core import examples

from .conftest import random_instance


@pytest.fixture(scope="module")
def station_result() -> tuple[lm.Instance, lm.Result]:
    small = lm.VehicleSpec((120, 8000, 1000), fixed_cost=80, cost_per_distance=0.4, name="small")
    big = lm.VehicleSpec((250, 8000, 1000), fixed_cost=100, cost_per_distance=0.5, name="big")
    inst = examples.station(seed=3, n_packages=400, vehicle_types=[small, big])
    return inst, lm.solve(inst, time_limit=5, seed=1, max_iterations=3000)


def test_to_frame_has_one_row_per_route_in_user_units(station_result):
    """Regression (issue 8): Result.to_frame() gives one row per route of solution.routes, with
    km, seconds, loads per named dimension, cost and feasibility."""
    inst, res = station_result
    frame = res.to_frame()
    routes = res.solution.routes
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == list(range(len(routes))) and frame.index.name == "route"
    assert frame.attrs["units"] == {"distance": "km", "duration": "s"}
    assert list(frame.columns) == [
        "vehicle_type",
        "vehicle_name",
        "n_stops",
        "load_packages",
        "load_volume_l",
        "load_weight_kg",
        "distance_km",
        "duration_s",
        "service_s",
        "cost",
        "feasible",
    ]
    names = {0: "small", 1: "big"}
    for r, route in enumerate(routes):
        row = frame.loc[r]
        assert row["vehicle_type"] == route.vehicle_type
        assert row["vehicle_name"] == names[route.vehicle_type]
        assert row["n_stops"] == len(route.visits)
        load = inst.data.demand[list(route.visits)].sum(axis=0)
        assert [row["load_packages"], row["load_volume_l"], row["load_weight_kg"]] == list(load)
        assert row["distance_km"] == pytest.approx(route.distance / 1000)  # metres -> km
        assert row["duration_s"] == pytest.approx(route.duration)  # seconds
        assert row["cost"] == pytest.approx(route.cost)
    assert frame["feasible"].all()
    assert frame["distance_km"].sum() == pytest.approx(res.distance)
    assert frame["duration_s"].sum() == pytest.approx(res.duration)
    assert frame["cost"].sum() == pytest.approx(res.cost)
    assert res.num_routes == len(frame)
    # The same figures as the independent checker and the metrics module.
    per_route = lm.metrics.route_metrics(inst, res.solution).to_frame()
    np.testing.assert_allclose(frame["distance_km"], per_route["total_km"], rtol=1e-3)


def test_result_reads_in_user_units(station_result):
    inst, res = station_result
    assert res.distance == pytest.approx(inst.to_user_distance(res.solution.distance))
    assert res.duration == pytest.approx(inst.to_user_duration(res.solution.duration))
    assert res.violations == []
    text = repr(res)
    assert " km" in text and " h (" in text


def test_to_frame_planar_flags_infeasible_routes_and_names_units():
    """A planar instance: distances in coordinate units; a route over its limit is flagged and
    its violation reads in those units."""
    inst = lm.Instance.from_arrays(
        [[0, 0], [3, 4], [6, 8], [0, 10]],
        [0, 2, 3, 4],
        [lm.VehicleSpec(5, max_distance=15.0, max_duration=30.0)],
        distance="euclidean",
    )
    sol = inst.solution([[1, 2], [3]])
    res = lm.Result(solution=sol, cost=sol.cost, runtime_s=0.0, iterations=0, feasible=False)
    res.units = lm.units.Units.of(inst)
    res._data = inst.data
    frame = res.to_frame()
    assert list(frame["distance_unit"]) == pytest.approx([20.0, 20.0])
    assert {"duration_unit", "service_unit"} <= set(frame.columns)
    assert list(frame["feasible"]) == [False, False]
    assert frame.attrs["units"] == {"distance": "distance unit", "duration": "time unit"}
    assert res.violations == inst.violations(sol)


def test_instance_violations_speak_user_units():
    """Regression (issue 8): Solution.violations quotes internal integers (metres, thousandths);
    Instance.violations rebuilds each message from the route's numbers in user units, keeping
    the engine's order and the unit-free messages."""
    inst = lm.Instance.from_arrays(
        [[0, 0], [3, 4], [6, 8]],
        [[0, 0], [4, 1], [3, 7]],
        [lm.VehicleSpec((5, 7), max_distance=15.0, max_duration=12.5, num_available=1)],
        distance="euclidean",
        dim_names=("packages", "volume_l"),
    )
    sol = inst.solution([[1, 2], [1]])
    raw = sol.violations
    assert any("20000" in v for v in raw)  # internal units (distance_scale 1000)
    mine = inst.violations(sol)
    assert len(mine) == len(raw)
    assert mine[:5] == [
        "route 0: load 7 exceeds capacity 5 in dimension 0 (packages)",
        "route 0: load 8 exceeds capacity 7 in dimension 1 (volume_l)",
        "route 0: duration 20 exceeds max_duration 12.5",
        "route 0: distance 20 exceeds max_distance 15",
        "vehicle type 0: 2 routes but only 1 vehicles",
    ]
    assert mine[5:] == raw[5:] and any("client 1" in v for v in mine)


def test_feasible_routes_have_no_violations():
    inst = random_instance(1, n=8, cap=1000)
    assert inst.violations(inst.solution([list(range(1, 9))])) == []


def test_geographic_violations_read_in_km_and_hours():
    rng = np.random.default_rng(4)
    lonlat = np.c_[4.35 + rng.uniform(-0.1, 0.1, 6), 50.85 + rng.uniform(-0.1, 0.1, 6)]
    geo = lm.Instance.from_arrays(
        lonlat,
        [0, 1, 1, 1, 1, 1],
        [lm.VehicleSpec(10, max_duration=600.0, max_distance=1.0)],
        service_time=[0, 3600, 3600, 0, 0, 0],
        geographic=True,
    )
    sol = geo.solution([[1, 2, 3, 4, 5]])
    dur_h = sol.routes[0].duration / 3600
    km = sol.routes[0].distance / 1000
    msgs = geo.violations(sol)
    assert msgs[0] == (
        f"route 0: duration {dur_h:.2f} h ({sol.routes[0].duration:,.0f} s) exceeds "
        "max_duration 10.0 min (600 s)"
    )
    assert msgs[1] == f"route 0: distance {km:,.2f} km exceeds max_distance 1.00 km"
