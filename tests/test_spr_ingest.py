"""Ingestion of real-route tables into SPR (spr.observe_table / observe_routes), on project data."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import examples, spr
from lastmile_core.errors import InputError
from lastmile_core.geo import haversine_km
from lastmile_core.road import DEFAULT_ROAD

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "quality"))
from spr_fallback_router import build_routes  # noqa: E402

VAN = spr.VanType.from_vehicle_spec(examples.DEFAULT_VAN)


def _user_table(seed: int = 6, n: int = 300, station_rows: bool = True) -> pd.DataFrame:
    """A station-day of examples.station routed by the fallback builder, as a user would hold it:
    own column names, one 'Station' row first in every route, zones as text."""
    inst = examples.station(seed, n)
    routes = build_routes(inst)
    c = inst.data.coords
    zname = np.array(inst.zone_names)[inst.data.zone]
    rows = []
    for rid, r in enumerate(routes):
        if station_rows:
            rows.append(
                {"Route": f"R{rid}", "order": -1, "kind": "Station", "x": c[0, 0], "y": c[0, 1]}
            )
        for k, node in enumerate(r):
            rows.append(
                {
                    "Route": f"R{rid}",
                    "order": k,
                    "kind": "Dropoff",
                    "x": c[node, 0],
                    "y": c[node, 1],
                    "area": zname[node],
                    "pk": inst.data.demand[node, 0],
                    "svc": inst.data.service_time[node],
                    "when": "d0",
                }
            )
    return pd.DataFrame(rows)


COLS = {
    "Route": "route_id",
    "order": "seq",
    "x": "lon",
    "y": "lat",
    "area": "zone",
    "pk": "packages",
    "svc": "service_s",
    "when": "day",
}


def _observe(tab: pd.DataFrame, **kw: object) -> spr.Observations:
    with warnings.catch_warnings():
        warnings.simplefilter("error", spr.SPRDataWarning)  # a complete table warns about nothing
        return spr.observe_table(tab, columns=COLS, is_depot=("kind", "Station"), **kw)


def test_column_mapping_equals_canonical_names_and_station_rows_equal_a_depot() -> None:
    """Mapped user columns give the same observations as canonical names; station rows give the
    depot (no depot= needed) and are not counted as stops."""
    tab = _user_table()
    obs = _observe(tab)
    canon = tab[tab["kind"] != "Station"].rename(columns=COLS).drop(columns="kind")
    st = tab[tab["kind"] == "Station"].iloc[0]
    ref = spr.observe_table(canon, depot=(st["x"], st["y"]))
    pd.testing.assert_frame_equal(obs.routes, ref.routes)
    pd.testing.assert_frame_equal(obs.zones, ref.zones)
    assert obs.routes["stops"].sum() == (tab["kind"] == "Dropoff").sum()
    # default road factors apply to the straight-line legs, station legs apart
    r = obs.routes
    np.testing.assert_allclose(
        r["linehaul_km"], DEFAULT_ROAD.station_circuity * r["linehaul_line_km"]
    )
    np.testing.assert_allclose(r["intra_km"], DEFAULT_ROAD.stop_circuity * r["intra_line_km"])


def test_unknown_or_absent_mapped_columns_are_named() -> None:
    tab = _user_table()
    with pytest.raises(InputError, match=r"^columns: .*'stop_count'"):
        spr.observe_table(tab, columns={**COLS, "kind": "stop_count"})
    with pytest.raises(InputError, match=r"^columns: \['nosuch'\] not in the table"):
        spr.observe_table(tab, columns={**COLS, "nosuch": "station"})


def test_text_depot_column_is_refused_and_value_spec_works() -> None:
    tab = _user_table()
    with pytest.raises(InputError, match=r"^is_depot: column 'kind' is not boolean"):
        spr.observe_table(tab, columns=COLS, is_depot="kind")
    flagged = tab.assign(is_depot=tab["kind"] == "Station").drop(columns="kind")
    a = spr.observe_table(flagged, columns=COLS)
    b = _observe(tab)
    pd.testing.assert_frame_equal(a.routes, b.routes)
    with pytest.raises(InputError, match=r"^is_depot: no row has kind == 'Depot'"):
        spr.observe_table(tab, columns=COLS, is_depot=("kind", "Depot"))
    with pytest.raises(InputError, match=r"^depot: route"):
        spr.observe_table(tab[tab["kind"] != "Station"], columns=COLS)


def test_missing_zones_become_one_unzoned_zone_counted_consistently() -> None:
    tab = _user_table()
    drop = tab.index[(tab["kind"] == "Dropoff")][::7]
    tab.loc[drop[: len(drop) // 2], "area"] = np.nan
    tab.loc[drop[len(drop) // 2 :], "area"] = "nan"
    with pytest.warns(spr.SPRDataWarning, match=rf"zone: {len(drop)} stop\(s\) .*'unzoned'"):
        obs = spr.observe_table(tab, columns=COLS, is_depot=("kind", "Station"))
    z = obs.zones
    assert z.loc[z["zone"] == spr.UNZONED, "stops"].sum() == len(drop)
    per_route = z.groupby("route")["stops"].sum()
    assert (per_route.loc[obs.routes["route"]].to_numpy() == obs.routes["stops"].to_numpy()).all()


def test_without_day_each_route_is_its_own_day_with_a_warning() -> None:
    tab = _user_table().drop(columns="when")
    with pytest.warns(spr.SPRDataWarning, match="day: no column; every route is taken as its own"):
        obs = spr.observe_table(tab, columns={k: v for k, v in COLS.items() if k != "when"},
                                is_depot=("kind", "Station"))  # fmt: skip
    assert (obs.routes["day"] == obs.routes["route"]).all()
    assert obs.routes["day"].nunique() == len(obs.routes)


def test_capacities_are_optional_and_predictions_then_ask_for_vans() -> None:
    """Without vans the distance/time components fit; route counts need vans at predict time."""
    obs = _observe(_user_table(6, 400))
    assert obs.routes["cap_packages"].isna().all()
    with pytest.warns(UserWarning, match="cap_packages: no capacities"):
        model = spr.SPRModel.fit(obs)
    assert model.coef["global"]["distance"][1] > 0
    assert model.van_types == {}
    zones = pd.DataFrame({"zone": ["a"], "packages": [500.0], "area_km2": [4.0], "r_km": [6.0]})
    with pytest.raises(InputError, match=r"^vans: .*pass vans=\[VanType"):
        model.predict(zones)
    out = model.predict(zones, vans=[VAN])
    assert out.query("level == 'station'")["routes"].iloc[0] >= 1


def test_observed_legs_give_route_km_and_fitted_road_factors() -> None:
    """leg_km / leg_s (this row to the next, station row first) sum to the route km and time;
    the fitted road factors recover the circuities and speeds the legs were made with."""
    tab = _user_table().sort_values(["Route", "order"], kind="stable").reset_index(drop=True)
    nxt = tab.groupby("Route")[["x", "y"]].shift(-1)
    first = tab.groupby("Route")[["x", "y"]].transform("first")  # the station row
    nxt = nxt.fillna(first)
    line = haversine_km(tab["x"], tab["y"], nxt["x"], nxt["y"])
    station_leg = (tab["kind"] == "Station") | tab.groupby("Route")["order"].transform(
        lambda s: s == s.max()
    )
    c = np.where(station_leg, 1.2, 1.7)
    v = np.where(station_leg, 60.0, 25.0)
    tab["km"] = line * c
    tab["secs"] = 3600.0 * tab["km"] / v
    obs = spr.observe_table(
        tab, columns={**COLS, "km": "leg_km", "secs": "leg_s"}, is_depot=("kind", "Station")
    )
    r = obs.routes
    np.testing.assert_allclose(r["distance_km"], tab.groupby("Route")["km"].sum().to_numpy())
    np.testing.assert_allclose(
        r["duration_s"] - r["service_s"], tab.groupby("Route")["secs"].sum().to_numpy()
    )
    fit = spr.route_predict.fit_route_geometry(r)
    np.testing.assert_allclose(
        [fit["station_circuity"], fit["stop_circuity"], fit["station_speed_kmh"],
         fit["stop_speed_kmh"]], [1.2, 1.7, 60.0, 25.0], rtol=1e-9,
    )  # fmt: skip


def test_observe_routes_reads_aggregated_rows() -> None:
    obs = _observe(_user_table(6, 400), vans=[VAN]).routes
    agg = pd.DataFrame(
        {
            "id": obs["route"],
            "n": obs["stops"],
            "P": obs["packages"],
            "A": obs["bbox_km2"],
            "dist": obs["r_centroid_km"],
            "road": obs["distance_km"],
            "time": obs["duration_s"],
            "day": "d0",
        }
    )
    cols = {"id": "route_id", "n": "stops", "P": "packages", "A": "area_km2", "dist": "r_km",
            "road": "km", "time": "duration_s"}  # fmt: skip
    got = spr.observe_routes(agg, columns=cols, vans=[VAN])
    np.testing.assert_allclose(got.routes["local_x"], np.sqrt(obs["stops"] * obs["bbox_km2"]))
    assert got.routes["cap_packages"].eq(VAN.capacity_packages).all()
    assert (got.zones["stops"].to_numpy() == obs["stops"].to_numpy()).all()
    with pytest.raises(InputError, match=r"^columns: unknown canonical"):
        spr.observe_routes(agg, columns={**cols, "day": "weekday"})
    bad = agg.copy()
    bad.loc[bad.index[1], "road"] = np.nan
    with pytest.raises(InputError, match=r"^km: invalid value nan in row 1"):
        spr.observe_routes(bad, columns=cols)
    model = spr.SPRModel.fit(got)
    assert model.coef["global"]["distance"][1] > 0


def test_observe_table_is_vectorised() -> None:
    """Ten times the stops must not take ten times ten the time (no per-route Python)."""
    import time

    base = _user_table(6, 300)
    big = pd.concat(
        [base.assign(Route=base["Route"] + f"_{i}", when=f"d{i % 5}") for i in range(40)],
        ignore_index=True,
    )
    t0 = time.perf_counter()
    obs = _observe(big)
    dt = time.perf_counter() - t0
    assert len(obs) == 40 * base["Route"].nunique()
    assert dt < 20.0, f"observe_table took {dt:.1f} s for {len(big)} rows"
