"""Energy of a solved station-day: solution_energy agrees with route_energy route by route."""

from __future__ import annotations

import numpy as np
import pytest

from lastmile_core import energy, examples
from lastmile_core.errors import InputError


@pytest.fixture(scope="module")
def station_routes():
    inst = examples.station(seed=2, n_packages=300)
    rng = np.random.default_rng(0)
    clients = rng.permutation(np.arange(1, inst.num_clients + 1))
    routes = [list(map(int, chunk)) for chunk in np.array_split(clients, 3)]
    return inst, routes


def test_solution_energy_matches_single_route_model(station_routes):
    """Each row equals route_energy on the same arcs, dwell and deliveries."""
    inst, routes = station_routes
    van = energy.Vehicle.preset("midvan68")
    table = energy.solution_energy(inst, routes, van, ambient_c=5.0)
    assert len(table) == 3
    assert list(table["stops"]) == [len(r) for r in routes]
    data = inst.data
    for k, route in enumerate(routes):
        nodes = [0, *route, 0]
        dist_m = [data.dist(i, j) for i, j in zip(nodes[:-1], nodes[1:], strict=True)]
        single = energy.route_energy(
            van,
            np.asarray(dist_m, dtype=float),
            dwell_s=data.service_time[route].astype(float),
            payload_delivered_kg=data.demand[route, 2].astype(float),
            elevation_m=data.elevation[nodes[:-1]],
            ambient_c=5.0,
            cruise_speed_mps=30 / 3.6,
        )
        assert table["energy_kwh"][k] == pytest.approx(single.energy_kwh, rel=1e-9)
        assert table["min_soc"][k] == pytest.approx(single.min_soc, rel=1e-9)
        assert table["payload_kg"][k] == data.demand[route, 2].sum()


def test_cold_weather_raises_energy_and_can_break_the_battery_limit(station_routes):
    """HVAC in the cold costs energy; a small battery then fails the reserve."""
    inst, routes = station_routes
    van = energy.Vehicle.preset("small_van")
    mild = energy.solution_energy(inst, routes, van, ambient_c=20.0)
    cold = energy.solution_energy(inst, routes, van, ambient_c=-7.0)
    assert np.all(cold["energy_kwh"] > mild["energy_kwh"])
    assert np.all((cold["min_soc"] < 0.1) == ~cold["energy_ok"])
    assert np.all(cold["feasible"] == (cold["energy_ok"] & cold["payload_ok"]))


def test_payload_above_the_vehicle_maximum_is_a_violation(station_routes):
    """A route loaded above ``max_payload_kg`` is infeasible with binding "payload", whatever
    its battery says; a vehicle without a known maximum (0) never fails on payload."""
    inst, routes = station_routes
    van = energy.Vehicle.preset("small_van")
    mild = energy.solution_energy(inst, routes, van, ambient_c=20.0)
    heavy = mild["payload_kg"] > van.max_payload_kg
    np.testing.assert_array_equal(mild["payload_ok"], ~heavy)
    assert not mild.loc[heavy, "feasible"].any()
    assert set(mild.loc[heavy & mild["energy_ok"], "binding"]) <= {"payload"}
    light = energy.Vehicle(**{**van.to_dict(), "max_payload_kg": 1.0})
    t = energy.solution_energy(inst, routes, light, ambient_c=20.0)
    assert not t["payload_ok"].any() and (t["binding"].str.contains("payload")).all()
    unknown = energy.Vehicle(**{**van.to_dict(), "max_payload_kg": 0.0})
    assert energy.solution_energy(inst, routes, unknown, ambient_c=20.0)["payload_ok"].all()


def test_solution_energy_rejects_unknown_payload_dimension(station_routes):
    """payload_dim must name a demand dimension."""
    inst, routes = station_routes
    with pytest.raises(InputError, match="^payload_dim"):
        energy.solution_energy(
            inst, routes, energy.Vehicle.preset("midvan68"), payload_dim="pallets"
        )


def test_solution_energy_route_column_is_the_position_in_the_route_list(station_routes):
    """Regression: empty routes are skipped, but ``route`` still indexes ``solution.routes``
    (it used to renumber the remaining rows 0..k-1)."""
    inst, routes = station_routes
    van = energy.Vehicle.preset("midvan68")
    with_empty = [[], routes[0], [], routes[1], routes[2], []]
    table = energy.solution_energy(inst, with_empty, van, ambient_c=5.0)
    assert list(table["route"]) == [1, 3, 4]
    assert list(table["stops"]) == [len(with_empty[k]) for k in (1, 3, 4)]
    plain = energy.solution_energy(inst, routes, van, ambient_c=5.0)
    assert list(plain["route"]) == [0, 1, 2]
    np.testing.assert_array_equal(table["energy_kwh"], plain["energy_kwh"])
    # The same through a Solution object (its routes keep their order).
    sol = inst.solution(with_empty)
    by_solution = energy.solution_energy(inst, sol, van, ambient_c=5.0)
    assert [len(sol.routes[k].visits) for k in by_solution["route"]] == list(table["stops"])
