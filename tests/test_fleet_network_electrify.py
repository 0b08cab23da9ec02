"""The electrification plan of network scenarios (issue 12): each scenario's re-planned stations
get EVs, chargers and site power from the plan, checked on its own output; per-zone road
speeds are mapped by zone id."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import energy, fleet, spr
from lastmile_core.errors import InputError
from lastmile_core.fleet.electrify_network import ScenarioElectrify, route_arcs
from lastmile_core.fleet.network import DeliveryNetwork
from lastmile_core.fleet.network_scenarios import (
    OpenStation,
    RoadSpeed,
    electrify_network_scenarios,
)
from tests.test_column_units import unitless

FIXTURE = Path(__file__).parent / "data" / "spr_routes.parquet"
S1, S2 = (4.35, 50.85), (4.60, 50.85)
OPEN = OpenStation("s3", 4.35, 50.95)
SITES = pd.DataFrame(
    {
        "station": ["s1", "s2", "s3"],
        "parking": [14, 14, 10],
        "site_kw": [25.0, 200.0, 80.0],  # s1's limit binds
        "window_h": [10.0, 10.0, 10.0],
    }
)


@pytest.fixture(scope="module")
def model() -> spr.SPRModel:
    return spr.SPRModel.fit(pd.read_parquet(FIXTURE))


@pytest.fixture(scope="module")
def network(model: spr.SPRModel) -> DeliveryNetwork:
    return DeliveryNetwork.from_model(model, {"s1": S1, "s2": S2})


def _forecast() -> pd.DataFrame:
    f = fleet.example_forecast(["s1", "s2"], {"s1": 1000.0, "s2": 1100.0}, months=3)
    return f.assign(temperature_c=[-12.0, 0.0, 15.0] * 2)


def _electrify(**kw) -> ScenarioElectrify:  # type: ignore[no-untyped-def]
    return ScenarioElectrify(SITES, fleet.Network(objective="max_share", **kw))


@pytest.fixture(scope="module")
def planned(model, network):  # type: ignore[no-untyped-def]
    grid = fleet.scenario_grid(network=[(), (OPEN,)])
    return electrify_network_scenarios(
        model, network, _forecast(), ["midvan"], grid, electrify=_electrify()
    )


def test_every_constraint_holds_on_the_scenario_plan(planned) -> None:  # type: ignore[no-untyped-def]
    table, plans = planned
    assert set(plans) == {"x1_20C", "open-s3_x1_20C"}
    assert len(table) == 2 * 3 + 3 * 3  # base: 2 stations, open: 3 stations; 3 months
    assert (table["peak_kw"] <= table["site_kw"] + 1e-6).all()
    assert (table["evs_plan"] <= table["vans_plan"]).all()
    assert (table["vans_plan"] <= table["parking"]).all()
    assert (table["vans_plan"] >= table["vans"]).all()  # the SPR van need is served
    for _, g in table.groupby(["scenario", "station"]):
        assert (np.diff(g.sort_values("month")["evs_plan"].to_numpy()) >= 0).all()
    assert table["no_fit_share"].between(0, 1).all()
    # the new station is planned with its own site row
    s3 = table[table["station"] == "s3"]
    assert len(s3) == 3 and (s3["site_kw"] == 80.0).all() and s3["evs_plan"].max() > 0
    # the cold month makes some routes infeasible and says why; the power limit binds at s1
    jan = table[table["month"] == table["month"].min()]
    assert (jan["no_fit_share"] > 0).any()
    assert set(jan.loc[jan["no_fit_share"] > 0, "no_fit_cause"]) <= {"cold", "range"}
    s1 = table[(table["station"] == "s1") & (table["scenario"] == "x1_20C")]
    assert s1["tight"].str.contains("site_kw").any()
    for plan in plans.values():
        t = plan.table
        assert (t["evs_active"] <= t["evs"]).all() and (t["evs_active"] <= t["vans_need"]).all()
        for row in t.itertuples(index=False):
            share = plan.fit.set_index(["station", "month"]).loc[(row.station, row.month)]
            assert row.evs_active <= np.floor(float(share["fit_share"]) * row.vans_need + 1e-9)


def test_routes_marked_electric_fit_by_the_energy_api(planned) -> None:  # type: ignore[no-untyped-def]
    _, plans = planned
    ev = fleet.Network().ev_types[0]
    veh = ev.energy_vehicle()
    for plan in plans.values():
        arcs = plan.arcs
        assert arcs is not None
        r = plan.routes
        sample = pd.concat([r[r["fits"]].head(15), r[~r["fits"]].head(15)])
        assert (~r["fits"]).any() and r["fits"].any()
        for row in sample.itertuples(index=False):
            a = arcs[
                (arcs["station"] == row.station)
                & (arcs["route"] == row.route)
                & (arcs["month"] == row.month)
            ]
            assert len(a) >= 2
            res = energy.route_energy(
                veh,
                a["distance_m"].to_numpy(),
                dwell_s=a["dwell_s"].to_numpy()[1:],
                payload_delivered_kg=a["payload_kg"].to_numpy()[1:],
                reserve_kwh=ev.reserve_kwh,
                ambient_c=row.temperature_c,
            )
            ok = res.feasible and a["payload_kg"].sum() <= veh.max_payload_kg
            assert row.fits == ok or row.cause == "charge_window"


def test_scenario_routes_follow_the_spr_route_prediction(planned) -> None:  # type: ignore[no-untyped-def]
    """The derived routes carry the SPR route's km and payload (one zone, by hand)."""
    shape = {
        "zone": "z",
        "routes": 2.4,
        "stops": 3.6,
        "linehaul_km": 10.0,
        "local_km": 6.0,
        "dwell_s": 90.0,
        "kg_per_stop": 5.0,
    }
    a = route_arcs("s", [shape])
    assert a["route"].nunique() == 2  # round(2.4) routes
    one = a[a["route"] == "z#0"]
    assert len(one) == 4 + 1  # 4 stops: out, 3 local arcs, back
    assert one["distance_m"].sum() == pytest.approx(16000.0)
    assert one["payload_kg"].sum() == pytest.approx(20.0)
    assert one["dwell_s"].iloc[0] == 0.0 and one["payload_kg"].iloc[0] == 0.0


def test_new_station_without_a_site_row_names_the_field(model, network) -> None:
    grid = fleet.scenario_grid(network=[(OPEN,)])
    el = ScenarioElectrify(SITES[SITES["station"] != "s3"], fleet.Network())
    with pytest.raises(InputError, match=r"^site_kw: station 's3'"):
        fleet.run_scenarios(model, network, ["midvan"], grid, forecast=_forecast(), electrify=el)
    with pytest.raises(InputError, match=r"^parking: missing column"):
        ScenarioElectrify(SITES.drop(columns=["parking"]))
    with pytest.raises(InputError, match=r"^electrify:"):
        fleet.run_scenarios(
            model,
            network,
            ["midvan"],
            grid,
            forecast=_forecast(),
            electrify="x",  # type: ignore[arg-type]
        )


def test_run_scenarios_with_electrify_gives_the_plan_columns(model, network, planned) -> None:  # type: ignore[no-untyped-def]
    grid = fleet.scenario_grid(network=[(), (OPEN,)])
    t = fleet.run_scenarios(
        model, network, ["midvan"], grid, forecast=_forecast(), electrify=_electrify()
    )
    pd.testing.assert_frame_equal(t, planned[0])
    assert "_routes" not in t.columns and unitless(t) == []
    plain = fleet.run_scenarios(model, network, ["midvan"], grid, forecast=_forecast())
    assert "vans_plan" not in plain.columns and "peak_kw" not in plain.columns
    pd.testing.assert_frame_equal(t[plain.columns], plain)


def test_serial_and_dask_cluster_give_the_same_scenario_plans(model, network, planned) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("distributed")
    grid = fleet.scenario_grid(network=[(), (OPEN,)])
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote, plans = electrify_network_scenarios(
            model,
            network,
            _forecast(),
            ["midvan"],
            grid,
            electrify=_electrify(),
            backend="dask",
            client=client,
        )
    pd.testing.assert_frame_equal(planned[0], remote)
    for name, plan in planned[1].items():
        pd.testing.assert_frame_equal(plan.table, plans[name].table)
        pd.testing.assert_frame_equal(plan.routes, plans[name].routes)


def test_zone_speed_factors_map_by_zone_id_not_row_order(model, network) -> None:
    """Per-zone road speeds on a shuffled network (zone order permuted) give the same
    rows, and differ from the unshuffled run with the factors on other zones."""
    s1 = [z.name for z in network.zones if z.station == "s1"]
    slow = RoadSpeed(0.5, zones=tuple(s1[:3]))
    grid = fleet.scenario_grid(network=[(slow,)])
    zones = list(network.zones)
    random.Random(3).shuffle(zones)
    shuffled = replace(network, zones=tuple(zones))
    assert [z.name for z in shuffled.zones] != [z.name for z in network.zones]
    kw = {"forecast": _forecast()}
    a = fleet.run_scenarios(model, network, ["midvan"], grid, **kw)
    b = fleet.run_scenarios(model, shuffled, ["midvan"], grid, **kw)
    pd.testing.assert_frame_equal(a, b)
    other = fleet.scenario_grid(network=[(RoadSpeed(0.5, zones=tuple(s1[-3:])),)])
    c = fleet.run_scenarios(model, network, ["midvan"], other, **kw)
    key = ["station", "month"]
    av = a.set_index(key)["km_per_day"]
    cv = c.set_index(key)["km_per_day"]
    assert not np.allclose(
        a.set_index(key).loc["s1", "routes_fractional_per_day"],
        c.set_index(key).loc["s1", "routes_fractional_per_day"],
    )
    pd.testing.assert_series_equal(av.loc["s2"], cv.loc["s2"])


def test_cli_scenarios_with_sites_plans_every_station(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from lastmile_core import cli

    sites = tmp_path / "sites.csv"
    pd.DataFrame(
        {"station": ["north"], "parking": [60], "site_kw": [150.0], "window_h": [10.0]}
    ).to_csv(sites, index=False)
    # the example opens north-2, which has no site row: a one-line error naming the field
    assert cli.main(["fleet", "scenarios", "--example", "--sites", str(sites)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lastmile: error: site_kw: station 'north-2'") and err.count("\n") == 1
    pd.DataFrame(
        {
            "station": ["north", "north-2"],
            "parking": [60, 40],
            "site_kw": [150.0, 60.0],
            "window_h": [10.0, 10.0],
        }
    ).to_csv(sites, index=False)
    out = tmp_path / "scenarios.csv"
    config = tmp_path / "network.json"
    config.write_text('{"objective": "max_share"}')
    argv = ["fleet", "scenarios", "--example", "--sites", str(sites), "--config", str(config)]
    argv += ["--out", str(out)]
    assert cli.main(argv) == 0
    t = pd.read_csv(out)
    assert unitless(t) == []
    assert (t["peak_kw"] <= t["site_kw"] + 1e-6).all()
    assert (t["evs_plan"] <= t["vans_plan"]).all() and (t["vans_plan"] <= t["parking"]).all()
    assert set(t["station"]) == {"north", "north-2"} and t["evs_plan"].max() > 0
