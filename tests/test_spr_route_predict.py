"""Route-level and station-day predictions from stops alone (SPRModel.predict_routes /
predict_day) and the station rows / road defaults of metrics.from_table, on project data."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import Instance, VehicleSpec, examples, from_table, spr
from lastmile_core.errors import InputError
from lastmile_core.geo import local_xy_km
from lastmile_core.road import DEFAULT_ROAD
from lastmile_core.spr.route_geometry import hilbert_key, order_free_features
from lastmile_core.spr.route_predict import day_routes_code, default_route_fit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "quality"))
from spr_fallback_router import build_routes  # noqa: E402

VAN = spr.VanType.from_vehicle_spec(examples.DEFAULT_VAN)


def _stops(seed: int, n: int, day: str) -> tuple[pd.DataFrame, Instance]:
    inst = examples.station(seed, n)
    c = inst.data.coords
    zname = np.array(inst.zone_names)[inst.data.zone]
    rows = []
    for rid, r in enumerate(build_routes(inst)):
        rows.append({"route_id": f"{day}-{rid}", "seq": -1, "is_depot": True,
                     "lon": c[0, 0], "lat": c[0, 1]})  # fmt: skip
        for k, node in enumerate(r):
            rows.append(
                {
                    "route_id": f"{day}-{rid}",
                    "seq": k,
                    "is_depot": False,
                    "lon": c[node, 0],
                    "lat": c[node, 1],
                    "zone": zname[node],
                    "packages": inst.data.demand[node, 0],
                    "weight_kg": inst.data.demand[node, 2],
                    "service_s": inst.data.service_time[node],
                    "day": day,
                    "station": "s1",
                }
            )
    return pd.DataFrame(rows), inst


@pytest.fixture(scope="module")
def fitted() -> tuple[spr.SPRModel, pd.DataFrame, Instance]:
    tabs = [_stops(s, 500, f"d{s}") for s in (1, 2, 3, 4)]
    train = pd.concat([t for t, _ in tabs[:3]], ignore_index=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = spr.SPRModel.fit(spr.observe_table(train, vans=[VAN]))
    return model, tabs[3][0], tabs[3][1]


def test_hilbert_key_is_a_bijection_of_the_grid() -> None:
    g = np.arange(8) / 7.0
    u, v = np.meshgrid(g, g)
    k = hilbert_key(u.ravel(), v.ravel(), order=3)
    assert sorted(k.tolist()) == list(range(64))
    # consecutive cells of the curve are grid neighbours
    xy = np.column_stack([np.rint(u.ravel() * 7), np.rint(v.ravel() * 7)])[np.argsort(k)]
    assert (np.abs(np.diff(xy, axis=0)).sum(axis=1) == 1).all()


def test_order_free_features_of_a_known_square() -> None:
    """Four stops on a unit square 10 km north of the station: the curve path is 3 km and the
    station estimate is nearest stop + centroid distance."""
    x = np.array([0.0, 1.0, 1.0, 0.0])
    y = np.array([10.0, 10.0, 11.0, 11.0])
    f = order_free_features(np.zeros(4, dtype=np.int64), x, y, 1)
    assert f["tour_est_km"][0] == pytest.approx(3.0)
    assert f["station_est_km"][0] == pytest.approx(10.0 + np.hypot(0.5, 10.5))


def test_predict_routes_is_order_free_and_prices_every_route(
    fitted: tuple[spr.SPRModel, pd.DataFrame, Instance],
) -> None:
    model, test, _ = fitted
    a = model.predict_routes(test, van=VAN)
    shuffled = test.sample(frac=1.0, random_state=4).drop(columns="seq")
    b = model.predict_routes(shuffled, van=VAN).set_index("route_id").loc[a["route_id"]]
    np.testing.assert_allclose(b["km"].to_numpy(), a["km"].to_numpy(), rtol=1e-12)
    assert len(a) == test["route_id"].nunique()
    f = model.params.routes_fit
    r0 = test[(test["route_id"] == a["route_id"].iloc[0]) & ~test["is_depot"]]
    dep = test[test["is_depot"]].iloc[0]
    xy = local_xy_km(r0["lon"], r0["lat"], dep["lon"], dep["lat"])
    f0 = order_free_features(np.zeros(len(r0), dtype=np.int64), xy[:, 0], xy[:, 1], 1)
    expected = f["km_station"] * f0["station_est_km"][0] + f["km_tour"] * f0["tour_est_km"][0]
    assert a["km"].iloc[0] == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(a["duration_s"], a["driving_s"] + a["service_s"])
    a_s, b_s = model.coef["station:city/s1"]["service"]
    np.testing.assert_allclose(a["service_s"], a_s * a["stops"] + b_s * a["packages"])
    assert (a["energy_kwh"] > 0).all()
    truth = spr.observe_table(test, vans=[VAN]).routes.set_index("route").loc[a["route_id"]]
    err = np.abs(a["km"].to_numpy() / truth["distance_km"].to_numpy() - 1.0)
    assert err.mean() < 0.25, err
    with pytest.raises(InputError, match="^stops"):
        model.predict_routes(test[test["is_depot"]])


def test_routes_fit_without_legs_uses_the_default_road_factors(
    fitted: tuple[spr.SPRModel, pd.DataFrame, Instance],
) -> None:
    model, _, _ = fitted
    f = model.params.routes_fit
    assert f["station_circuity"] == DEFAULT_ROAD.station_circuity
    assert f["stop_speed_kmh"] == DEFAULT_ROAD.stop_speed_kmh
    assert f["routes"] > 0
    d = default_route_fit()
    assert d["km_tour"] == pytest.approx(DEFAULT_ROAD.stop_circuity * d["tour_scale"])
    again = spr.SPRModel.from_dict(model.to_dict())
    assert again.params.routes_fit == f


def test_predict_day_summarises_without_solving(
    fitted: tuple[spr.SPRModel, pd.DataFrame, Instance],
) -> None:
    model, test, inst = fitted
    day = model.predict_day(inst, VAN, station="s1", city="city")
    assert {"routes", "spr", "km", "duration_s", "binding"} <= set(day)
    zones, _, _ = spr.route_predict.instance_zones(inst)
    direct = model.predict(zones, vans=[VAN], station="s1", city="city")
    st = direct[direct["level"] == "station"].iloc[0]
    assert day["routes"] == st["routes"] and day["binding"] == st["binding"]
    assert day["spr"] == pytest.approx(day["packages"] / day["routes"])
    assert day["km"] > 0 and day["duration_s"] > 0
    with pytest.raises(InputError, match="^van"):
        model.predict_day(inst, "midvan")  # type: ignore[arg-type]
    planar = Instance.from_arrays([[0, 0], [1, 1]], [0, 1], [VehicleSpec(capacity=5)])
    with pytest.raises(InputError, match="^instance: expected a geographic"):
        model.predict_day(planar, VAN)


def test_day_routes_code_balances_and_covers_every_stop() -> None:
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 10, 1000), rng.uniform(0, 10, 1000)
    code = day_routes_code(x, y, 7)
    sizes = np.bincount(code)
    assert len(sizes) == 7 and sizes.sum() == 1000
    assert sizes.min() >= 0.5 * 1000 / 7 - 1 and sizes.max() <= 1.5 * 1000 / 7 + 1


def test_from_table_station_rows_are_not_stops_and_give_station_legs() -> None:
    df = pd.DataFrame(
        {
            "route_id": [1, 1, 1, 2, 2],
            "seq": [0, 1, 2, 0, 1],
            "type": ["Station", "Dropoff", "Dropoff", "Station", "Dropoff"],
            "lon": [4.0, 4.01, 4.02, 4.0, 4.03],
            "lat": [50.0, 50.0, 50.0, 50.0, 50.01],
        }
    )
    with pytest.raises(InputError, match=r"^depot_flag: column 'type' is not boolean"):
        from_table(df, depot_flag="type")
    m = from_table(df, depot_flag=("type", "Station"))
    assert m.n_stops.tolist() == [2, 1]
    assert (m.line_haul_km > 0).all()
    with pytest.warns(UserWarning, match="no depot_flag: every row counts as a stop"):
        open_routes = from_table(df)
    assert open_routes.n_stops.tolist() == [3, 2]
    # default road factors: station legs and between-stop driving apart
    raw = from_table(df, depot_flag=("type", "Station"), circuity=1.0, speed_kmh=np.inf)
    np.testing.assert_allclose(m.line_haul_km, DEFAULT_ROAD.station_circuity * raw.line_haul_km)
    np.testing.assert_allclose(m.intra_route_km, DEFAULT_ROAD.stop_circuity * raw.intra_route_km)
    np.testing.assert_allclose(
        m.drive_time_s,
        3600.0 * (m.line_haul_km / DEFAULT_ROAD.station_speed_kmh
                  + m.intra_route_km / DEFAULT_ROAD.stop_speed_kmh),
    )  # fmt: skip


def test_instance_default_circuity_is_the_road_tour_value() -> None:
    inst = Instance.from_arrays(
        [[4.0, 50.0], [4.01, 50.0]], [0, 1], [VehicleSpec(capacity=5)], geographic=True
    )
    assert inst.data.circuity == pytest.approx(DEFAULT_ROAD.tour_circuity)
