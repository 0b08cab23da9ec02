"""Instance construction: unit conversion, distance conventions and the C++ evaluation."""

from __future__ import annotations

import math

import numpy as np
import pytest

import lastmile_core as lm
from lastmile_core.errors import InputError

from .conftest import random_instance


def test_rounded_euclidean_uses_nearest_integer_per_edge():
    """TSPLIB EUC_2D: every edge is rounded before summing."""
    inst = lm.Instance.from_arrays(
        [[0, 0], [1, 1], [2, 2]], [0, 1, 1], [lm.VehicleSpec(5)], distance="euclidean_rounded"
    )
    assert inst.data.dist(0, 1) == 1  # sqrt(2) = 1.414 -> 1
    assert inst.data.dist(0, 2) == 3  # sqrt(8) = 2.83 -> 3
    sol = inst.solution([[1, 2]])
    assert sol.distance == 1 + 1 + 3


def test_unrounded_euclidean_keeps_three_decimals():
    """Planar unrounded distances are stored in thousandths of the user unit."""
    inst = lm.Instance.from_arrays(
        [[0, 0], [1, 1]], [0, 1], [lm.VehicleSpec(5)], distance="euclidean"
    )
    assert inst.data.dist(0, 1) == round(1000 * math.sqrt(2))
    assert inst.to_user_distance(inst.data.dist(0, 1)) == pytest.approx(math.sqrt(2), abs=1e-3)


def test_geographic_distances_are_haversine_km_times_circuity():
    """One degree of latitude is ~111.2 km; circuity scales it."""
    inst = lm.Instance.from_arrays(
        [[4.0, 50.0], [4.0, 51.0]],
        [0, 1],
        [lm.VehicleSpec(5)],
        geographic=True,
        circuity=1.0,
        speed=36.0,
    )
    km = inst.to_user_distance(inst.data.dist(0, 1))
    assert km == pytest.approx(111.195, abs=0.01)
    # 36 km/h = 10 m/s -> 11119.5 s
    assert inst.data.duration(0, 1) == pytest.approx(11119.5, abs=1)
    inst13 = lm.Instance.from_arrays(
        [[4.0, 50.0], [4.0, 51.0]], [0, 1], [lm.VehicleSpec(5)], geographic=True, circuity=1.3
    )
    assert inst13.to_user_distance(inst13.data.dist(0, 1)) == pytest.approx(1.3 * 111.195, abs=0.02)


def test_explicit_matrix_is_used_as_given():
    """distance_matrix overrides coordinates."""
    m = np.array([[0, 7, 9], [7, 0, 4], [9, 4, 0]], dtype=float)
    inst = lm.Instance.from_arrays(
        np.zeros((3, 2)), [0, 1, 1], [lm.VehicleSpec(5)], distance_matrix=m, distance_scale=1
    )
    assert inst.data.distance_kind == "matrix"
    assert inst.solution([[1, 2]]).distance == 7 + 4 + 9


def test_large_instances_compute_distances_on_the_fly():
    """Above the dense limit no n x n matrix is kept, and distances are unchanged."""
    rng = np.random.default_rng(3)
    coords = rng.uniform(0, 1000, size=(lm.instance.DENSE_LIMIT + 10, 2))
    demand = np.ones(len(coords), dtype=int)
    inst = lm.Instance.from_arrays(
        coords, demand, [lm.VehicleSpec(100)], distance="euclidean_rounded"
    )
    assert not inst.data.dense
    for i, j in [(0, 1), (5, 4000), (4009, 17)]:
        d = np.hypot(*(coords[i] - coords[j]))
        assert inst.data.dist(i, j) == int(np.floor(d + 0.5))


def test_euclidean_instances_above_their_lower_limit_compute_distances_on_the_fly():
    """Euclidean kinds keep no matrix above EUCLIDEAN_DENSE_LIMIT (a square root is cheaper than
    a cache miss); the same coordinates in degrees (haversine) keep one up to DENSE_LIMIT."""
    n = lm.instance.EUCLIDEAN_DENSE_LIMIT + 10
    assert n <= lm.instance.DENSE_LIMIT
    rng = np.random.default_rng(4)
    coords = rng.uniform(0, 1, size=(n, 2))
    demand = np.ones(n, dtype=int)
    for kind in ("euclidean", "euclidean_rounded"):
        inst = lm.Instance.from_arrays(coords * 1000, demand, [lm.VehicleSpec(100)], distance=kind)
        assert not inst.data.dense
    geo = lm.Instance.from_arrays(
        coords + [4.3, 50.8], demand, [lm.VehicleSpec(100)], geographic=True
    )
    assert geo.data.distance_kind == "haversine"
    assert geo.data.dense
    small = lm.Instance.from_arrays(coords[:50] * 1000, demand[:50], [lm.VehicleSpec(100)])
    assert small.data.dense


def test_multi_dimensional_capacity_and_costs():
    """Each dimension is checked; cost = fixed + per-distance + per-duration in user units."""
    spec = lm.VehicleSpec([10, 5], fixed_cost=100, cost_per_distance=2.0, cost_per_duration=0.5)
    inst = lm.Instance.from_arrays(
        [[0, 0], [3, 4], [6, 8]],
        [[0, 0], [4, 3], [4, 3]],
        [spec],
        distance="euclidean_rounded",
        service_time=[0, 1, 1],
    )
    sol = inst.solution([[1, 2]])
    assert not sol.feasible and any("dimension 1" in v for v in sol.violations)
    route = sol.routes[0]
    assert route.load == [8, 6]
    assert sol.cost == pytest.approx(100 + 2.0 * 20 + 0.5 * 22)


def test_shift_limit_violation_is_reported():
    """max_duration includes service times."""
    inst = random_instance(
        1,
        n=5,
        vehicle_types=[lm.VehicleSpec(1000, max_duration=10.0)],
        service_time=np.r_[0, np.full(5, 5.0)],
    )
    sol = inst.solution([[1, 2, 3, 4, 5]])
    assert any("max_duration" in v for v in sol.violations)


def test_fleet_count_violation_is_reported():
    """Using more routes than vehicles available is a violation."""
    inst = random_instance(2, n=4, vehicle_types=[lm.VehicleSpec(1000, num_available=1)])
    sol = inst.solution([[1, 2], [3, 4]])
    assert any("vehicle type 0" in v for v in sol.violations)


def test_zone_labels_and_node_ids_are_kept():
    """Zones are stored as ids with their labels; node ids are the caller's."""
    inst = lm.Instance.from_arrays(
        [[0, 0], [1, 0], [2, 0]],
        [0, 1, 1],
        [lm.VehicleSpec(5)],
        zone=["D", "b", "a"],
        node_ids=["dep", "x", "y"],
    )
    assert inst.zone_names == ("D", "a", "b")
    assert list(inst.data.zone) == [0, 2, 1]
    assert inst.node_ids == ("dep", "x", "y")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"coords": [[0, 0], [np.nan, 1]]}, "coords"),
        ({"demand": [0, -1]}, "demand"),
        ({"demand": [0, 1.5]}, "demand"),
        ({"demand": [0, 99]}, "demand"),
        ({"service_time": [0, -3]}, "service_time"),
        ({"vehicle_types": []}, "vehicle_types"),
        ({"vehicle_types": [lm.VehicleSpec(5, num_available=0)]}, "vehicle_types"),
        ({"distance": "manhattan"}, "distance"),
        ({"speed": 0.0}, "speed"),
    ],
)
def test_bad_arguments_raise_input_error_naming_the_field(kwargs, field):
    """Every bad argument raises InputError whose message starts with the field name."""
    args = {"coords": [[0, 0], [1, 1]], "demand": [0, 1], "vehicle_types": [lm.VehicleSpec(5)]}
    args.update(kwargs)
    with pytest.raises(InputError, match=f"^{field}"):
        lm.Instance.from_arrays(
            args.pop("coords"), args.pop("demand"), args.pop("vehicle_types"), **args
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"capacity": 7.9}, r"VehicleSpec\.capacity: 7\.9 is not an integer"),
        ({"capacity": [10, 2.5]}, r"VehicleSpec\.capacity\[1\]: 2\.5 is not an integer"),
        ({"capacity": -1}, r"VehicleSpec\.capacity"),
        ({"capacity": []}, r"VehicleSpec\.capacity"),
        ({"capacity": "40"}, r"VehicleSpec\.capacity"),
        ({"capacity": [[1, 2]]}, r"VehicleSpec\.capacity"),
        ({"capacity": float("nan")}, r"VehicleSpec\.capacity"),
        ({"capacity": True}, r"VehicleSpec\.capacity"),
        ({"capacity": 2**63}, r"VehicleSpec\.capacity"),
        ({"num_available": 2.5}, r"VehicleSpec\.num_available"),
        ({"num_available": -1}, r"VehicleSpec\.num_available"),
        ({"num_available": "3"}, r"VehicleSpec\.num_available"),
        ({"fixed_cost": float("nan")}, r"VehicleSpec\.fixed_cost"),
        ({"fixed_cost": -1.0}, r"VehicleSpec\.fixed_cost"),
        ({"cost_per_distance": "1"}, r"VehicleSpec\.cost_per_distance"),
        ({"cost_per_duration": float("inf")}, r"VehicleSpec\.cost_per_duration"),
        ({"max_duration": -5.0}, r"VehicleSpec\.max_duration"),
        ({"max_duration": float("nan")}, r"VehicleSpec\.max_duration"),
        ({"max_distance": "far"}, r"VehicleSpec\.max_distance"),
        ({"name": 3}, r"VehicleSpec\.name"),
        ({"battery_kwh": -1.0}, r"VehicleSpec\.battery_kwh"),
        ({"reserve_kwh": float("nan")}, r"VehicleSpec\.reserve_kwh"),
        ({"ambient_c": float("inf")}, r"VehicleSpec\.ambient_c"),
        ({"energy_vehicle": "small_van"}, r"VehicleSpec\.energy_vehicle"),
        ({"payload_dim": 1.5}, r"VehicleSpec\.payload_dim"),
        ({"cruise_speed_mps": float("nan")}, r"VehicleSpec\.cruise_speed_mps"),
        ({"regen": 1}, r"VehicleSpec\.regen"),
    ],
)
def test_vehicle_spec_fields_are_checked_when_it_is_made(kwargs, field):
    """Regression (issue 8): VehicleSpec(capacity=7.9) was floored to 7 silently; every field is
    now checked in the constructor, and the InputError names the field."""
    args = {"capacity": 5}
    args.update(kwargs)
    with pytest.raises(InputError, match=f"^{field}"):
        lm.VehicleSpec(**args)


def test_vehicle_spec_keeps_integral_values_exactly():
    """Integral floats are integers (40.0 -> 40), large capacities are not rounded through a
    float, an infinite limit means no limit."""
    inst = lm.Instance.from_arrays(
        [[0, 0], [1, 0]],
        [0, 1],
        [lm.VehicleSpec(2**60 + 1, max_duration=float("inf")), lm.VehicleSpec(40.0)],
    )
    assert inst.data.vehicle_types[0].capacity == [2**60 + 1]
    assert inst.data.vehicle_types[0].max_duration is None
    assert inst.data.vehicle_types[1].capacity == [40]
    assert lm.VehicleSpec(np.array([3, 4]), num_available=np.int64(2)).num_available == 2
