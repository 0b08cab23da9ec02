"""Per-zone road speeds (issue 12): the SPR zones' ``speed_factor`` column travels with its zone
row, so the zone order never changes a prediction, and network scenarios use it by zone id."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import fleet, spr
from lastmile_core.errors import InputError
from lastmile_core.fleet.network import DeliveryNetwork
from lastmile_core.fleet.network_scenarios import RoadSpeed

FIXTURE = Path(__file__).parent / "data" / "spr_routes.parquet"
COLS = ["stops", "routes", "km", "route_duration_s", "duty_s", "linehaul_s", "stop_s"]


@pytest.fixture(scope="module")
def model() -> spr.SPRModel:
    return spr.SPRModel.fit(pd.read_parquet(FIXTURE))


def _zones(model: spr.SPRModel) -> pd.DataFrame:
    z = model.station_zones("s1").copy()
    z["packages"] = 60.0 * np.arange(1, len(z) + 1)
    return z


def _predict(model: spr.SPRModel, zones: pd.DataFrame) -> pd.DataFrame:
    p = model.predict(zones, vans=["midvan"], station="s1")
    return p[p["level"] == "zone"].set_index("zone")[COLS].sort_index()


def test_one_slow_zone_changes_only_that_zones_driving(model) -> None:
    z = _zones(model)
    assert len(z) >= 3
    base = _predict(model, z.assign(speed_factor=1.0))
    pd.testing.assert_frame_equal(base, _predict(model, z))  # factor 1 == no column
    slow = z.assign(speed_factor=1.0)
    target = str(slow["zone"].iloc[1])
    slow.loc[slow.index[1], "speed_factor"] = 0.5
    got = _predict(model, slow)
    assert got.loc[target, "stop_s"] > base.loc[target, "stop_s"]
    assert got.loc[target, "route_duration_s"] > base.loc[target, "route_duration_s"]
    # distance is geometry: unchanged; the other zones' times are unchanged
    assert got.loc[target, "km"] == pytest.approx(base.loc[target, "km"])
    others = [i for i in base.index if i != target]
    pd.testing.assert_series_equal(got.loc[others, "stop_s"], base.loc[others, "stop_s"])


def test_shuffled_zone_order_gives_the_same_prediction(model) -> None:
    z = _zones(model)
    z["speed_factor"] = np.linspace(0.5, 1.2, len(z))
    a = _predict(model, z)
    rng = np.random.default_rng(3)
    b = _predict(model, z.iloc[rng.permutation(len(z))].reset_index(drop=True))
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("bad", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_speed_factor_names_the_column_and_zone(model, bad: float) -> None:
    z = _zones(model).assign(speed_factor=1.0)
    z.loc[z.index[0], "speed_factor"] = bad
    with pytest.raises(InputError, match=rf"speed_factor: .*{z['zone'].iloc[0]}"):
        model.predict(z, vans=["midvan"], station="s1")


def test_network_road_speed_by_zone_id_is_order_free(model) -> None:
    """RoadSpeed on named zones of a network whose zone order is shuffled: the same table."""
    net = DeliveryNetwork.from_model(model, {"s1": (4.35, 50.85), "s2": (4.60, 50.85)})
    rng = np.random.default_rng(5)
    shuffled = DeliveryNetwork(
        tuple(reversed(net.stations)),
        tuple(net.zones[i] for i in rng.permutation(len(net.zones))),
        net.road,
    )
    some = tuple(z.name for z in net.zones if z.station == "s1")[:2]
    grid = fleet.scenario_grid(network=[(RoadSpeed(0.5, zones=some),)])
    fc = fleet.example_forecast(["s1", "s2"], {"s1": 1500.0, "s2": 1100.0}, months=2)

    def run(n: DeliveryNetwork) -> pd.DataFrame:
        out = fleet.run_scenarios(model, n, ["midvan"], grid, forecast=fc)
        return out.set_index(["scenario", "station", "month"]).sort_index()

    a, b = run(net), run(shuffled)
    pd.testing.assert_frame_equal(a, b, check_like=True)
    base = fleet.run_scenarios(
        model, net, ["midvan"], fleet.scenario_grid(network=[()]), forecast=fc
    )
    s1 = base.set_index(["station", "month"]).loc["s1"]
    slowed = a.xs("s1", level="station")
    # the slowed zones carry packages: s1's package-weighted speed factor falls below 1
    assert (slowed["speed_factor"] < 1.0).all() and (s1["speed_factor"] == 1.0).all()
