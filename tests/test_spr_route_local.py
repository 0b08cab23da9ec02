"""The spatial residual correction of route predictions (spr.route_local), on generated routes
whose road network is more circuitous and slower in one district than elsewhere."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from lastmile_core import spr
from lastmile_core.geo import KM_PER_DEG, haversine_km
from lastmile_core.spr.route_local import LOCAL_POINTS, decode, global_keys, route_points

LON0, LAT0 = 10.0, 50.0


def _district_factor(lon: np.ndarray) -> np.ndarray:
    """Road km per straight-line km: 1.9 east of the station, 1.3 west of it."""
    return np.where(lon > LON0, 1.9, 1.3)


def _routes(
    seed: int,
    n_routes: int,
    prefix: str,
    lon0: float = LON0,
    per_route: np.ndarray | None = None,
) -> pd.DataFrame:
    """Routes of 25 stops in a ~1.5 km cluster 3-12 km from a station at (lon0, LAT0), driven
    in angle order, with road legs from the district circuity (or one ``per_route`` circuity
    each) and 30 km/h."""
    rng = np.random.default_rng(seed)
    kx = KM_PER_DEG * np.cos(np.radians(LAT0))
    rows = []
    for r in range(n_routes):
        ang, dist = rng.uniform(0, 2 * np.pi), rng.uniform(3.0, 12.0)
        cx, cy = dist * np.cos(ang), dist * np.sin(ang)
        x, y = cx + rng.normal(0, 0.6, 25), cy + rng.normal(0, 0.6, 25)
        o = np.argsort(np.arctan2(y - cy, x - cx))
        lon = np.r_[lon0, lon0 + x[o] / kx]
        lat = np.r_[LAT0, LAT0 + y[o] / KM_PER_DEG]
        nxt = np.r_[np.arange(1, 26), 0]
        line = haversine_km(lon, lat, lon[nxt], lat[nxt])
        mid = 0.5 * (lon + lon[nxt])
        leg = line * (_district_factor(mid - (lon0 - LON0)) if per_route is None else per_route[r])
        for k in range(26):
            rows.append(
                {
                    "route_id": f"{prefix}{r}",
                    "seq": k,
                    "is_depot": k == 0,
                    "lon": lon[k],
                    "lat": lat[k],
                    "zone": f"z{int(ang * 4 / np.pi)}",
                    "packages": 1.0,
                    "service_s": 0.0,
                    "leg_km": leg[k],
                    "leg_s": leg[k] / 30.0 * 3600.0,
                }
            )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def model() -> spr.SPRModel:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return spr.SPRModel.fit(spr.observe_table(_routes(1, 120, "t")), fit_utilisation=False)


def _mape(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(np.abs(a / b - 1.0)))


def test_route_points_are_stops_and_order_free() -> None:
    tab = _routes(3, 4, "p")
    st = tab[~tab["is_depot"]]
    code = st["route_id"].str[1:].astype(int).to_numpy()
    lon, lat = route_points(code, st["lon"], st["lat"], 5)
    assert lon.shape == (5, LOCAL_POINTS)
    assert np.isnan(lon[4]).all()  # a route without stops
    pairs = set(zip(st["lon"], st["lat"], strict=True))
    assert all((a, b) in pairs for a, b in zip(lon[:4].ravel(), lat[:4].ravel(), strict=True))
    p = np.random.default_rng(0).permutation(len(st))
    lon2, lat2 = route_points(code[p], st["lon"].to_numpy()[p], st["lat"].to_numpy()[p], 5)
    np.testing.assert_array_equal(lon2[:4], lon[:4])
    np.testing.assert_array_equal(lat2[:4], lat[:4])


def test_cross_validation_turns_the_local_model_on_and_it_learns_the_district(
    model: spr.SPRModel,
) -> None:
    f = model.params.routes_fit
    for t in ("km", "s"):
        assert f[f"local.{t}.bandwidth_km"] > 0
        assert f[f"local.{t}.cv_mape"] < f[f"local.{t}.cv_mape_global"]
    test = _routes(2, 40, "h")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        truth = spr.observe_table(test).routes.set_index("route")
        on = model.predict_routes(test).set_index("route_id").loc[truth.index]
        off = model.predict_routes(test, local=False).set_index("route_id").loc[truth.index]
    east = (test[~test["is_depot"]].groupby("route_id")["lon"].mean() > LON0).loc[truth.index]
    assert (on.loc[east, "km_local_factor"] > 1.0).all()
    assert on.loc[~east, "km_local_factor"].median() < 1.0
    assert (off["km_local_factor"] == 1.0).all()
    np.testing.assert_allclose(on["km"], on["station_km"] + on["stop_km"])
    y, ys = truth["distance_km"].to_numpy(), truth["duration_s"].to_numpy()
    assert _mape(on["km"].to_numpy(), y) < 0.6 * _mape(off["km"].to_numpy(), y)
    assert _mape(on["duration_s"].to_numpy(), ys) < 0.6 * _mape(off["duration_s"].to_numpy(), ys)


def test_far_from_every_training_route_the_global_model_applies(model: spr.SPRModel) -> None:
    far = _routes(4, 5, "f", lon0=LON0 + 3.0)  # a station 200 km away
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        on = model.predict_routes(far)
        off = model.predict_routes(far, local=False)
    assert (on["km_local_factor"] == 1.0).all() and (on["driving_local_factor"] == 1.0).all()
    np.testing.assert_array_equal(on["km"].to_numpy(), off["km"].to_numpy())


def test_no_spatial_signal_keeps_the_global_model() -> None:
    """Every route its own random circuity (no district effect): smoothing the residuals over
    space cannot help, and the cross-validation says so."""
    tab = _routes(5, 80, "u", per_route=np.random.default_rng(6).uniform(1.2, 1.8, 80))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = spr.SPRModel.fit(spr.observe_table(tab), fit_utilisation=False)
    f = m.params.routes_fit
    assert f["local.km.bandwidth_km"] == 0.0
    assert f["local.km.cv_mape"] == f["local.km.cv_mape_global"]
    assert decode(f, "km")[2] is None


def test_model_document_round_trips_the_local_model(model: spr.SPRModel) -> None:
    again = spr.SPRModel.from_dict(model.to_dict())
    assert again.params.routes_fit == model.params.routes_fit
    test = _routes(7, 5, "r")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.testing.assert_frame_equal(model.predict_routes(test), again.predict_routes(test))
    g = global_keys(model.params.routes_fit)
    assert "km_tour" in g and "local.km.bandwidth_km" in g
    assert not any(k.startswith("local.km.r.") for k in g)
    # footprints are stored rounded (no exact stop address in the model document)
    lon, _, _, _, _ = decode(model.params.routes_fit, "km")
    np.testing.assert_array_equal(lon, np.round(lon, 3))


def test_hybrid_uses_the_road_physics_when_legs_were_observed(model: spr.SPRModel) -> None:
    from lastmile_core.spr.route_predict import route_physics

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        train = spr.observe_table(_routes(1, 120, "t"))
        test = spr.observe_table(_routes(2, 40, "h")).routes
    hybrid = model.fit_hybrid(train, targets=("km", "duration_s"), seed=0)
    pr = hybrid.predict_routes(test)
    phys = route_physics(model.params, test)
    assert phys is not None
    np.testing.assert_allclose(pr["km_ca"].to_numpy(), phys[0])
    np.testing.assert_allclose(pr["duration_s_ca"].to_numpy(), phys[1] + test["service_s"])
    # a route table without the order-free features: the CA route formulas
    bare = test.drop(columns=["station_est_km", "tour_est_km"])
    assert route_physics(model.params, bare) is None
