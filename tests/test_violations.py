"""Constraint violations as data (issue 8): Solution.details and InfeasibleError.details carry
the kind, route / vehicle type / client / dimension, measured value and limit (internal units),
and lastmile_core.units rewrites them in the user's units from those numbers alone."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core import energy, examples
from lastmile_core.errors import InfeasibleError
from lastmile_core.units import Units, translate_infeasible, violation_message


def test_solution_details_match_the_violation_strings_and_the_route_numbers() -> None:
    inst = lc.Instance.from_arrays(
        [[0, 0], [3, 4], [6, 8]],
        [[0, 0], [4, 1], [3, 7]],
        [lc.VehicleSpec((5, 7), max_distance=15.0, max_duration=12.5, num_available=1)],
        distance="euclidean",
        dim_names=("packages", "volume_l"),
    )
    sol = inst.solution([[1, 2], [1]])
    details = sol.details
    assert [d.message for d in details] == list(sol.violations)
    kinds = [d.kind for d in details]
    assert kinds == ["capacity", "capacity", "duration", "distance", "fleet", "duplicate"]
    route = sol.routes[0]
    cap, vol, dur, dist, fleet, dup = details
    assert (cap.route, cap.dimension, cap.vehicle_type) == (0, 0, 0)
    assert (cap.value, cap.limit) == (route.load[0], 5)
    assert (vol.dimension, vol.value, vol.limit) == (1, route.load[1], 7)
    vt = inst.data.vehicle_types[0]
    assert (dur.value, dur.limit) == (route.duration, vt.max_duration)
    assert (dist.value, dist.limit) == (route.distance, vt.max_distance)
    assert (fleet.route, fleet.vehicle_type, fleet.value, fleet.limit) == (None, 0, 2, 1)
    assert (dup.client, dup.value, dup.route) == (1, 2, None)
    # The user-unit messages come from these numbers (distance_scale 1000 -> coordinate units).
    assert violation_message(Units.of(inst), dist) == "route 0: distance 20 exceeds max_distance 15"


def test_infeasible_error_carries_the_violations_of_the_best_routes() -> None:
    coords = np.array([[0, 0], [10, 0], [500, 0]], dtype=float)
    inst = lc.Instance.from_arrays(
        coords, [0, 1, 1], [lc.VehicleSpec(10, max_distance=100.0)], distance="euclidean"
    )
    with pytest.raises(InfeasibleError) as err:
        lc.solve(inst, time_limit=0.5, max_iterations=50)
    details = err.value.details
    dist = [d for d in details if d.kind == "distance"]
    assert dist, details
    assert all(d.value > d.limit == 100 * inst.distance_scale for d in dist)
    # The message quotes the first one in user units, not in thousandths.
    first = violation_message(Units.of(inst), details[0])
    assert first in str(err.value)
    assert details[0].message not in str(err.value)


def test_fleet_capacity_error_names_the_dimension_and_the_totals() -> None:
    inst = lc.Instance.from_arrays(
        [[0, 0], [1, 0], [2, 0]],
        [[0, 5], [0, 30], [0, 30]],
        [lc.VehicleSpec((10, 40), num_available=1)],
        dim_names=("packages", "volume_l"),
    )
    with pytest.raises(InfeasibleError) as err:
        lc.solve(inst, time_limit=0.5)
    (d,) = err.value.details
    assert (d.kind, d.dimension, d.value, d.limit) == ("fleet_capacity", 1, 60, 40)
    assert str(err.value) == (
        "fleet size: total demand 60 in dimension 1 (volume_l) exceeds the capacity 40 of all "
        "available vehicles (capacity)"
    )


def test_unreachable_client_error_names_the_client_and_the_energy() -> None:
    van = energy.Vehicle.preset("small_van")
    spec = lc.VehicleSpec(
        (250, 8000, 600),
        battery_kwh=3.0,
        reserve_kwh=0.5,
        energy_vehicle=van,
        ambient_c=-7.0,
        payload_dim="weight_kg",
    )
    inst = examples.station(3, n_packages=100, vehicle_types=[spec])
    with pytest.raises(InfeasibleError, match="battery/energy") as err:
        lc.solve(inst, time_limit=1.0)
    (d,) = err.value.details
    assert d.kind == "energy_reach" and d.client is not None and d.client >= 1
    assert d.limit == pytest.approx(2.5 - 1e-9) and d.value > d.limit
    assert f"client {d.client} needs" in str(err.value)


def test_translation_replaces_only_the_quoted_details() -> None:
    """No parsing of the engine's text: a number that only looks like a violation stays."""
    units = Units(distance_scale=1000.0, distance_unit="km")
    detail = SimpleNamespace(
        kind="distance",
        route=2,
        vehicle_type=0,
        client=None,
        dimension=None,
        value=1500.0,
        limit=1000.0,
        message="route 2: distance 1500 exceeds max_distance 1000",
    )
    text = (
        "no feasible solution found; violated constraint(s): distance (e.g. route 2: distance "
        "1500 exceeds max_distance 1000); not a detail: route 3: distance 7000 exceeds "
        "max_distance 1000"
    )
    out = translate_infeasible(units, text, [detail])  # type: ignore[list-item]
    assert out == (
        "no feasible solution found; violated constraint(s): distance (e.g. route 2: distance "
        "1.50 km exceeds max_distance 1.00 km); not a detail: route 3: distance 7000 exceeds "
        "max_distance 1000"
    )
