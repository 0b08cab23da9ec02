"""DeliveryNetwork scenarios bottom-up from zones (issue 12): a new station takes zones, a station's
hours change, roads get slower; every station re-planned month by month."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import fleet, spr
from lastmile_core.errors import InputError
from lastmile_core.fleet.network import DeliveryNetwork, Station, Zone, network_from_stops
from lastmile_core.fleet.network_scenarios import (
    OpenStation,
    RoadSpeed,
    ShiftChange,
    apply_changes,
)
from tests.test_column_units import unitless

FIXTURE = Path(__file__).parent / "data" / "spr_routes.parquet"
EV = spr.VanType("ev", 250, 8000, 1000, shift_s=8 * 3600, battery_kwh=40.0, reserve_kwh=4.0)
S1, S2 = (4.35, 50.85), (4.60, 50.85)


@pytest.fixture(scope="module")
def model() -> spr.SPRModel:
    return spr.SPRModel.fit(pd.read_parquet(FIXTURE))


@pytest.fixture(scope="module")
def network(model: spr.SPRModel) -> DeliveryNetwork:
    return DeliveryNetwork.from_model(model, {"s1": S1, "s2": S2})


def _forecast(months: int = 2) -> pd.DataFrame:
    return fleet.example_forecast(["s1", "s2"], {"s1": 1000.0, "s2": 1100.0}, months=months)


def _run(model, network, changes, **kw) -> pd.DataFrame:
    grid = fleet.scenario_grid(network=changes, **kw.pop("grid", {}))
    out = fleet.run_scenarios(model, network, ["midvan"], grid, forecast=_forecast(), ev=EV, **kw)
    return out.set_index(["scenario", "station", "month"]).sort_index()


def _rows(table: pd.DataFrame, scenario: str) -> pd.DataFrame:
    return table.xs(scenario, level="scenario")


def test_base_network_gives_the_horizon_van_mix(model, network) -> None:
    """Unchanged, the network model feeds the SPR the zones plan_horizon does: same vans."""
    base = _run(model, network, [()])
    horizon = fleet.plan_horizon(
        model, _forecast(), ["midvan"], monte_carlo=fleet.MonteCarlo(n_draws=2), backend="serial"
    ).set_index(["station", "month"])
    got = _rows(base, "x1_20C")["vans"]
    want = horizon["vans_mix"].reindex(got.index)
    assert got.tolist() == want.tolist() and got.min() >= 1


def test_zone_layout_keeps_the_fitted_distance(model, network) -> None:
    zt = network.zone_table()
    prof = model.station_zones("s1").set_index("zone")
    mine = zt[zt["station"] == "s1"].set_index("model_zone")
    np.testing.assert_allclose(mine["r_km"], prof.loc[mine.index, "r_km"], rtol=1e-9)
    np.testing.assert_allclose(mine["linehaul_road_km"], 2 * 1.28 * mine["r_km"], rtol=1e-2)


def test_open_station_takes_nearer_zones_and_relieves_the_old_station(model, network) -> None:
    """A station opened next to some of s1's zones: those zones' line-haul falls, s1 needs
    fewer vans, the packages move with the zones (none lost), both stations are planned."""
    new = OpenStation("s3", 4.35, 50.95)
    after = apply_changes(network, [new])
    before_z = network.zone_table().set_index("zone")
    after_z = after.zone_table().set_index("zone")
    moved = after_z.index[after_z["station"] == "s3"]
    assert len(moved) >= 2
    assert (after_z.loc[moved, "linehaul_road_km"] < before_z.loc[moved, "linehaul_road_km"]).all()
    unmoved = after_z.index[after_z["station"] != "s3"]
    np.testing.assert_array_equal(
        after_z.loc[unmoved, "linehaul_road_km"], before_z.loc[unmoved, "linehaul_road_km"]
    )

    t = _run(model, network, [(), (new,)])
    base, opened = _rows(t, "x1_20C"), _rows(t, "open-s3_x1_20C")
    losers = set(before_z.loc[moved, "station"])
    for st in losers:
        assert (opened.loc[st, "vans"] <= base.loc[st, "vans"]).all()
        assert (opened.loc[st, "vans"] < base.loc[st, "vans"]).any()
        assert (opened.loc[st, "zones"] < base.loc[st, "zones"]).all()
    assert (opened.loc["s3", "zones"] == len(moved)).all() and (opened.loc["s3", "vans"] >= 1).all()
    per_month = opened.groupby("month")["packages_per_day"].sum()
    np.testing.assert_allclose(per_month, base.groupby("month")["packages_per_day"].sum())
    # the new network drives fewer line-haul km per route on the moved zones' station
    assert (
        opened.loc["s3", "linehaul_km_per_route"] < base.loc["s1", "linehaul_km_per_route"]
    ).all()


def test_open_station_with_named_zones(model, network) -> None:
    names = ("s1/Z1001", "s1/Z1002")
    after = apply_changes(network, [OpenStation("s9", 4.36, 50.92, zones=names)])
    zt = after.zone_table().set_index("zone")
    assert zt.loc[list(names), "station"].tolist() == ["s9", "s9"]
    assert zt.loc[list(names), "forecast_station"].tolist() == ["s1", "s1"]
    assert after.station("s9").city == "synthetic"


@pytest.mark.parametrize("hours", [7.0, 6.0, 4.5])
def test_shorter_shift_never_lowers_vans(model, network, hours: float) -> None:
    t = _run(model, network, [(), (ShiftChange("s1", hours),)])
    base, short = _rows(t, "x1_20C"), _rows(t, f"s1-{hours:g}h_x1_20C")
    assert (short["vans"] >= base["vans"]).all()
    assert (short.loc["s1", "shift_h"] == hours).all() and (short.loc["s2", "shift_h"] == 8).all()
    # s2 is untouched
    pd.testing.assert_frame_equal(short.loc["s2"], base.loc["s2"])
    if hours <= 4.5:
        assert (short.loc["s1", "vans"] > base.loc["s1", "vans"]).all()


def test_slower_roads_never_lower_vans_nor_raise_spr(model, network) -> None:
    """Per city, on some zones only (one factor per zone) and everywhere: vans never fall and
    SPR never rises against the base, and slowing more zones never helps."""
    some = tuple(z.name for z in network.zones if z.station == "s1")[:5]
    changes = [
        (),
        (RoadSpeed(0.6, zones=some),),
        (RoadSpeed(0.6, city="synthetic"),),
        (RoadSpeed(0.4),),
    ]
    t = _run(model, network, changes)
    names = ["x1_20C", "speed0.6-" + "+".join(some) + "_x1_20C", "speed0.6-synthetic_x1_20C"]
    names.append("speed0.4-all_x1_20C")
    runs = [_rows(t, n) for n in names]
    for slower, faster in zip(runs[1:], runs[:-1], strict=True):
        assert (slower["vans"] >= faster["vans"]).all()
        assert (slower["spr"] <= faster["spr"] + 1e-9).all()
        assert (
            slower["routes_fractional_per_day"] >= faster["routes_fractional_per_day"] - 1e-9
        ).all()
    assert (runs[3]["vans"] > runs[0]["vans"]).any()
    part = runs[1].loc["s1", "speed_factor"]
    assert ((part > 0.6) & (part < 1.0)).all()  # package-weighted over mixed zones
    np.testing.assert_allclose(runs[2]["speed_factor"], 0.6)


def test_network_output_names_its_units(model, network) -> None:
    t = _run(model, network, [(OpenStation("s3", 4.35, 50.95), ShiftChange("s2", 7))])
    assert unitless(t.reset_index()) == []
    assert (t["evs"] <= t["vans"]).all() and t["ev_fit_share"].between(0, 1).all()


def test_serial_and_dask_cluster_give_identical_numbers(model, network) -> None:
    distributed = pytest.importorskip("distributed")
    changes = [(), (OpenStation("s3", 4.35, 50.95), RoadSpeed(0.7, zones=("s1/Z1001",)))]
    grid = fleet.scenario_grid(network=changes, shift_h=[None, 7.0])
    kw = {"forecast": _forecast(), "ev": EV}
    serial = fleet.run_scenarios(model, network, ["midvan"], grid, backend="serial", **kw)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = fleet.run_scenarios(
            model, network, ["midvan"], grid, backend="dask", client=client, **kw
        )
    pd.testing.assert_frame_equal(serial, remote)
    assert len(serial) == 2 * 2 * 2 + 2 * 3 * 2  # scenarios x stations x months


def test_network_from_stops_places_stations_at_their_depots(model) -> None:
    rng = np.random.default_rng(0)
    prof = model.station_zones("s1")
    rows = [{"station": "s1", "zone": "DEPOT", "lon": 4.35, "lat": 50.85, "is_depot": True}]
    for z in prof["zone"]:
        c = rng.uniform([4.30, 50.80], [4.40, 50.90])
        rows += [
            {"station": "s1", "zone": z, "lon": c[0] + d, "lat": c[1] - d, "is_depot": False}
            for d in (-0.001, 0.001)
        ]
    net = network_from_stops(pd.DataFrame(rows), model)
    assert net.station("s1").lon == 4.35 and len(net.zones) == len(prof)
    first = next(r for r in rows if not r["is_depot"])
    assert net.zone(first["zone"]).lon == pytest.approx(first["lon"] + 0.001)


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: ShiftChange("s1", 0.0), "hours"),
        (lambda: ShiftChange("s1", 25.0), "hours"),
        (lambda: ShiftChange("s1", -3.0), "hours"),
        (lambda: RoadSpeed(0.0), "factor"),
        (lambda: RoadSpeed(-1.0, city="synthetic"), "factor"),
        (lambda: RoadSpeed(float("nan")), "factor"),
        (lambda: RoadSpeed(0.9, zones=("a",), city="x"), "city"),
        (lambda: OpenStation("s3", 200.0, 50.0), "lon"),
        (lambda: OpenStation("s3", 4.0, 50.0, shift_h=30.0), "shift_h"),
        (lambda: Station("s", 4.0, 50.0, shift_h=0.0), "shift_h"),
        (lambda: Zone("z", 4.0, 50.0, 0.0, 0.1, "s"), "area_km2"),
        (lambda: Zone("z", 4.0, 50.0, 1.0, 0.1, "s", speed_factor=0.0), "speed_factor"),
    ],
)
def test_bad_changes_name_the_field(make, field: str) -> None:
    with pytest.raises(InputError, match=rf"^{field}:"):
        make()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ([ShiftChange("nowhere", 6.0)], "station"),
        ([OpenStation("s3", 4.3, 50.9, zones=("no-such-zone",))], "zone"),
        ([OpenStation("s1", 4.3, 50.9)], "name"),
        ([RoadSpeed(0.8, zones=("no-such-zone",))], "zone"),
        ([RoadSpeed(0.8, city="atlantis")], "city"),
    ],
)
def test_changes_naming_unknown_things_are_refused(network, changes, field: str) -> None:
    with pytest.raises(InputError, match=rf"^{field}:"):
        apply_changes(network, changes)


def test_bad_network_and_forecast_name_the_field(model, network) -> None:
    with pytest.raises(InputError, match="^station:"):
        DeliveryNetwork((Station("a", 4.0, 50.0),), (Zone("z", 4.0, 50.0, 1.0, 1.0, "b"),))
    with pytest.raises(InputError, match="^zone:"):
        DeliveryNetwork(
            (Station("a", 4.0, 50.0),),
            (Zone("z", 4.0, 50.0, 1.0, 1.0, "a"), Zone("z", 4.1, 50.0, 1.0, 1.0, "a")),
        )
    grid = fleet.scenario_grid()
    with pytest.raises(InputError, match="^forecast:"):
        fleet.run_scenarios(model, network, ["midvan"], grid)
    small = DeliveryNetwork.from_model(model, {"s1": S1})
    with pytest.raises(InputError, match="^station:"):
        fleet.run_scenarios(model, small, ["midvan"], grid, forecast=_forecast())
    with pytest.raises(InputError, match="^ev:"):
        fleet.run_scenarios(model, network, ["midvan"], grid, forecast=_forecast(), ev="midvan")
    hot = _forecast().assign(temperature_c=99.0)
    with pytest.raises(InputError, match="^temperature_c:"):
        fleet.run_scenarios(model, network, ["midvan"], grid, forecast=hot)
    zones = model.station_zones("s1").assign(packages=100.0)
    with pytest.raises(InputError, match="^network:"):
        fleet.run_scenarios(
            model, zones, ["midvan"], fleet.scenario_grid(network=[(RoadSpeed(0.5),)])
        )


@pytest.mark.slow
def test_cli_scenarios_example_writes_a_table_with_units(tmp_path: Path) -> None:
    from lastmile_core import cli

    out = tmp_path / "scenarios.csv"
    assert cli.main(["fleet", "scenarios", "--example", "--out", str(out)]) == 0
    t = pd.read_csv(out)
    assert unitless(t) == []
    assert t["scenario"].nunique() == 5 and set(t["station"]) == {"north", "north-2"}
    base = t[t["scenario"] == "x1_20C"].set_index("month")["vans"]
    opened = t[t["scenario"].str.startswith("open-") & ~t["scenario"].str.contains("6h")]
    old = opened[opened["station"] == "north"].set_index("month")["vans"]
    assert (old <= base.loc[old.index]).all()


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--shift", "north,30"], "hours"),
        (["--shift", "north"], "--shift"),
        (["--road-speed", "0,city"], "factor"),
        (["--open", "x,abc,1"], "--open"),
        (["--ev-battery-kwh", "0"], "--ev-battery-kwh"),
    ],
)
def test_cli_scenarios_bad_options_are_one_line_errors(argv, field: str, capsys) -> None:
    from lastmile_core import cli

    assert cli.main(["fleet", "scenarios", "--example", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"lastmile: error: {field}:") and err.count("\n") == 1
