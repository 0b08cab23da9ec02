"""Batch routing of many station-days (fleet.solve_many) on the fleet backends: the routes of a
plain solve, the same on every backend, checked by the independent checker, observed for SPR."""

from __future__ import annotations

from pathlib import Path

import pytest

from lastmile_core import examples, io, solve
from lastmile_core.check import check
from lastmile_core.errors import InputError
from lastmile_core.fleet import StationDay, fit_spr, solve_many

# small station-days on an iteration budget (SISR: fast and bounded, so deterministic)
BUDGET = dict(max_iterations=1500, time_limit=120.0, algorithm="sisr", seed=3)


def _days() -> list[StationDay]:
    return [
        StationDay(f"s{s}", f"d{d}", city="example", build=examples.station, args=(s, 60 + 140 * d))
        for s in (1, 2)
        for d in range(2)
    ]


@pytest.fixture(scope="module")
def serial() -> list:  # type: ignore[type-arg]
    return solve_many(_days(), **BUDGET)  # type: ignore[arg-type]


def _key(solved: list) -> list:  # type: ignore[type-arg]
    return [(s.station, s.day, s.cost, s.routes, s.vehicle_types) for s in solved]


def test_each_day_is_a_plain_solve_and_passes_the_checker(serial) -> None:  # type: ignore[no-untyped-def]
    for day, got in zip(_days(), serial, strict=True):
        assert (got.station, got.day) == (day.station, day.day)
        inst = day.instance()
        ref = solve(inst, **BUDGET)  # type: ignore[arg-type]
        assert got.routes == ref.routes and got.cost == ref.cost
        rep = check(inst, got.routes, got.vehicle_types)
        assert rep.feasible, rep.summary()
        assert rep.cost == pytest.approx(got.cost, rel=1e-9)
        assert sorted(c for r in got.routes for c in r) == list(range(1, inst.num_clients + 1))


def test_observations_feed_one_spr_model(serial) -> None:  # type: ignore[no-untyped-def]
    for s in serial:
        assert s.observations is not None
        r = s.observations.routes
        assert len(r) == s.num_routes and set(r["station"]) == {s.station}
    model = fit_spr(serial)
    zones = model.station_zones("s1")
    assert len(zones) > 0
    with pytest.raises(InputError, match="^solved"):
        fit_spr(solve_many(_days()[:1], observe=False, **BUDGET))  # type: ignore[arg-type]


def test_local_pool_gives_the_serial_routes(serial) -> None:  # type: ignore[no-untyped-def]
    local = solve_many(_days(), backend="local", max_workers=2, **BUDGET)  # type: ignore[arg-type]
    assert _key(local) == _key(serial)


def test_dask_local_cluster_gives_the_serial_routes(serial) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = solve_many(_days(), backend="dask", client=client, **BUDGET)  # type: ignore[arg-type]
    assert _key(remote) == _key(serial)
    assert [len(s.observations.routes) for s in remote] == [s.num_routes for s in serial]


def test_a_stop_table_file_is_a_station_day(tmp_path: Path) -> None:
    inst = examples.station(4, 50)
    path = tmp_path / "s4.csv"
    io.write_stops(inst, path)
    day = StationDay("s4", "d0", stops=str(path), kwargs={"vehicle_types": inst.vehicle_specs})
    (got,) = solve_many([day], **BUDGET)  # type: ignore[arg-type]
    rep = check(day.instance(), got.routes, got.vehicle_types)
    assert rep.feasible, rep.summary()
    assert sum(len(r) for r in got.routes) == inst.num_clients


def test_bad_input_names_the_field() -> None:
    ok = _days()[0]
    with pytest.raises(InputError, match="^days"):
        solve_many([])
    with pytest.raises(InputError, match="^days: station-day s1 d0 is listed twice"):
        solve_many([ok, ok])
    with pytest.raises(InputError, match="^days: item 0"):
        solve_many([examples.station(1, 20)])  # type: ignore[list-item]
    with pytest.raises(InputError, match="^build"):
        StationDay("s", "d")
    with pytest.raises(InputError, match="^build"):
        StationDay("s", "d", build=examples.station, stops="x.csv")
    with pytest.raises(InputError, match="^station"):
        StationDay("", "d", build=examples.station)
    with pytest.raises(InputError, match="^max_iterations"):
        solve_many([ok], max_iterations=0)
    with pytest.raises(InputError, match="^algorithm"):
        solve_many([ok], algorithm="fastest")
    with pytest.raises(InputError, match="^backend"):
        solve_many([ok], backend="threads")
    with pytest.raises(InputError, match="^client"):
        solve_many([ok], backend="dask")
    # an error inside a day keeps its class and says which station-day it came from
    bad = StationDay("s9", "d1", build=examples.station, args=(1, -5))
    with pytest.raises(InputError, match=r"\(station-day s9 d1\)$"):
        solve_many([bad], **BUDGET)  # type: ignore[arg-type]


def test_solved_routes_feed_the_route_fit(serial) -> None:  # type: ignore[no-untyped-def]
    """The routes of a routed day as the plan's arc table (ev_fit.arcs_from_solution): the
    route fit's energy and verdict are the energy API's on the solved routes."""
    import pandas as pd

    from lastmile_core import energy
    from lastmile_core.fleet.ev_fit import EVType, arcs_from_solution, route_fit

    day, got = _days()[-1], serial[-1]
    inst = day.instance()
    sol = inst.solution(got.routes, got.vehicle_types)
    arcs = arcs_from_solution(inst, sol, got.station)
    ev = EVType("ev")  # midvan68: at -15 C one of the day's two routes fits, one does not
    temps = pd.DataFrame({"station": got.station, "month": ["2026-01"], "temperature_c": [-15.0]})
    fit = route_fit(arcs, [ev], temps)
    ref = energy.solution_energy(
        inst,
        sol,
        ev.energy_vehicle(),
        ambient_c=-15.0,
        cruise_speed_mps=energy.DEFAULT_CRUISE_SPEED_MPS,
        reserve_kwh=ev.reserve_kwh,
    )
    assert len(fit) == len(ref) == got.num_routes
    assert fit["energy_kwh"].to_numpy() == pytest.approx(ref["energy_kwh"].to_numpy(), rel=1e-9)
    assert fit["fits"].tolist() == ref["feasible"].tolist()
    assert set(fit["fits"]) == {True, False}  # both verdicts are exercised
    assert fit["km"].to_numpy() == pytest.approx(ref["distance_km"].to_numpy(), rel=1e-9)
