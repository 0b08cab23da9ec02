"""SPR route-level predictions on the real Austin routes (Amazon LMRC 2021, OSM legs).

Reads ``$LASTMILE_DATA/amazon_lmrc`` (never copied into the repository; CC BY-NC 4.0): the 98
Austin routes stop by stop with OSM driving km and minutes leg by leg in the driven order.

    python bench/quality/spr_austin.py [--splits 10] [--road]

``--road`` prints the road factors (circuity and speed of the station legs, of the driving
between stops and of the whole tour: ratio of sums and per-route mean) and the order-free
geometric scales that ``lastmile_core.road.DEFAULT_ROAD`` and
``lastmile_core.spr.route_predict.DEFAULT_*_SCALE`` quote.

Each split draws 70 % of the routes for training (seeded permutation), fits
``SPRModel.fit(observe_table(...))`` on them and predicts the other 30 %:

* ``predict_routes`` on the held-out stops with their order and legs removed (order-free):
  route km and duration MAPE against the OSM km and minutes;
* ``predict_day`` on the held-out stops as one station-day (an Instance, one package per stop):
  station km and route count against the held-out routes' total and count;
* the same without the spatial residual correction (``local=False``: the global order-free
  model alone), and the route count an oracle would give from the test stops and the
  training routes' mean stops per route (what sampling 29 of 98 routes allows);
* in the same run, the 3-term least-squares baseline ``a + b sqrt(n A) + c r`` per target (A =
  convex hull of the route's stops, r = station -> stop centroid, straight line), fitted on the
  same training routes.

The Austin routes carry no dates: the training routes are fitted as one pseudo station-day
(like the held-out ones are predicted as one), so the route count is learnt as the
utilisation of a nominal van (300 packages, one package per stop: the data have no package
counts or service times, so "duration" is the OSM driving time).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from lastmile_core import Instance, VehicleSpec, spr
from lastmile_core.geo import hull_area, local_xy_km
from lastmile_core.spr.route_predict import default_route_fit

VAN = spr.VanType("austin_van", capacity_packages=300, shift_s=12 * 3600.0)
COLUMNS = {"route": "route_id", "zone_id": "zone", "distance_to_next_stop(km)": "leg_km"}


def data_dir() -> Path:
    root = os.environ.get("LASTMILE_DATA")
    if not root:
        raise SystemExit("set LASTMILE_DATA (e.g. /work/shared/data)")
    d = Path(root) / "amazon_lmrc"
    if not (d / "austin_driving_distances_osm.csv").is_file():
        raise SystemExit(f"{d}: austin files missing")
    return d


def load_austin(d: Path) -> pd.DataFrame:
    """The Austin stops in driven order with zone, type and legs (user column names kept)."""
    stops = pd.read_csv(d / "austin_stops.csv", keep_default_na=False)
    drive = pd.read_csv(d / "austin_driving_distances_osm.csv", keep_default_na=False)
    drive["seq"] = drive.groupby("route", sort=False).cumcount()
    m = drive.merge(
        stops[["Route_ID", "stop", "type", "zone_id"]],
        left_on=["route", "stop"],
        right_on=["Route_ID", "stop"],
        how="left",
        validate="one_to_one",
    )
    if m["type"].isna().any():
        raise SystemExit("austin: a driven stop is missing from austin_stops.csv")
    m["leg_s"] = m["duration(min)"] * 60.0
    return m.drop(columns="Route_ID")


def observe(tab: pd.DataFrame, day: str | None) -> spr.Observations:
    t = tab if day is None else tab.assign(day=day)
    return spr.observe_table(t, columns=COLUMNS, is_depot=("type", "Station"), vans=[VAN])


def road_report(obs: spr.Observations) -> None:
    r = obs.routes
    tour_km, tour_line = (
        r["linehaul_km"] + r["intra_km"],
        r["linehaul_line_km"] + r["intra_line_km"],
    )
    tour_s = r["linehaul_s"] + r["intra_s"]
    print("road factors on", len(r), "Austin routes (ratio of sums | per-route mean)")
    for name, km, line in (
        ("station legs", r["linehaul_km"], r["linehaul_line_km"]),
        ("between stops", r["intra_km"], r["intra_line_km"]),
        ("whole tour", tour_km, tour_line),
    ):
        print(f"  circuity {name:14s} {km.sum() / line.sum():.3f} | {(km / line).mean():.3f}")
    for name, km, s in (
        ("station legs", r["linehaul_km"], r["linehaul_s"]),
        ("between stops", r["intra_km"], r["intra_s"]),
        ("whole tour", tour_km, tour_s),
    ):
        ok = s > 0
        print(
            f"  speed km/h {name:12s} {3600 * km.sum() / s.sum():.1f} | "
            f"{(3600 * km[ok] / s[ok]).mean():.1f}"
        )
    print(
        "  scales: station legs / station_est_km "
        f"{r['linehaul_line_km'].sum() / r['station_est_km'].sum():.3f}, "
        f"between-stop km / tour_est_km {r['intra_line_km'].sum() / r['tour_est_km'].sum():.3f}"
    )


def hull_areas(tab: pd.DataFrame) -> pd.Series:
    out = {}
    for rid, g in tab[tab["type"] != "Station"].groupby("route"):
        st = tab[(tab["route"] == rid) & (tab["type"] == "Station")].iloc[0]
        xy = local_xy_km(g["lon"].to_numpy(), g["lat"].to_numpy(), st["lon"], st["lat"])
        out[rid] = hull_area(xy)
    return pd.Series(out)


def baseline(train: pd.DataFrame, test: pd.DataFrame, y: str) -> np.ndarray:
    def X(r: pd.DataFrame) -> np.ndarray:
        return np.column_stack(
            [np.ones(len(r)), np.sqrt(r["stops"] * r["hull_km2"]), r["r_centroid_km"]]
        )

    coef, *_ = np.linalg.lstsq(X(train), train[y].to_numpy(float), rcond=None)
    return np.asarray(X(test) @ coef)


def day_instance(tab: pd.DataFrame) -> Instance:
    """The held-out stops as one station-day instance (one package per stop)."""
    st = tab[tab["type"] == "Station"].iloc[0]
    cl = tab[tab["type"] != "Station"]
    coords = np.vstack([[st["lon"], st["lat"]], cl[["lon", "lat"]].to_numpy()])
    zone = ["depot", *cl["zone_id"].astype(str).replace("nan", "unzoned")]
    return Instance.from_arrays(
        coords,
        np.r_[0, np.ones(len(cl), dtype=int)],
        [VehicleSpec(capacity=int(VAN.capacity_packages), name=VAN.name)],
        geographic=True,
        zone=zone,
        dim_names=["packages"],
    )


def mape(y: np.ndarray, p: np.ndarray) -> float:
    return float(np.mean(np.abs(p - y) / y))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--splits", type=int, default=10)
    ap.add_argument("--train-share", type=float, default=0.7)
    ap.add_argument("--road", action="store_true", help="print the road factors and scales")
    a = ap.parse_args()
    warnings.simplefilter("ignore", spr.SPRDataWarning)
    tab = load_austin(data_dir())
    t0 = time.perf_counter()
    full = observe(tab, None)
    print(f"observe_table: {len(tab)} rows, {len(full)} routes in {time.perf_counter() - t0:.2f} s")
    if a.road:
        road_report(full)
        print("  defaults in use:", default_route_fit())
    areas = hull_areas(tab)
    ids = np.array(sorted(tab["route"].unique()))
    rows = []
    for seed in range(a.splits):
        perm = np.random.default_rng(seed).permutation(len(ids))
        k = int(round(a.train_share * len(ids)))
        tr_ids, te_ids = set(ids[perm[:k]]), set(ids[perm[k:]])
        tr_tab = tab[tab["route"].isin(tr_ids)]
        te_tab = tab[tab["route"].isin(te_ids)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = spr.SPRModel.fit(observe(tr_tab, "train"))
        truth = observe(te_tab, "test").routes.set_index("route")
        blind = te_tab.drop(columns=["seq", "distance_to_next_stop(km)", "duration(min)", "leg_s"])
        pr = model.predict_routes(
            blind, columns={"route": "route_id", "zone_id": "zone"}, is_depot=("type", "Station")
        ).set_index("route_id")
        pr = pr.loc[truth.index]
        pr0 = model.predict_routes(
            blind,
            columns={"route": "route_id", "zone_id": "zone"},
            is_depot=("type", "Station"),
            local=False,
        ).set_index("route_id")
        pr0 = pr0.loc[truth.index]
        f = model.params.routes_fit
        km, dur = truth["distance_km"].to_numpy(), truth["duration_s"].to_numpy()
        trr = (
            full.routes.set_index("route")
            .loc[sorted(tr_ids)]
            .assign(hull_km2=areas.loc[sorted(tr_ids)].to_numpy())
        )
        ter = truth.assign(hull_km2=areas.loc[truth.index].to_numpy())
        day = model.predict_day(day_instance(te_tab), VAN, station="station", city="city")
        rows.append(
            {
                "seed": seed,
                "km_mape": mape(km, pr["km"].to_numpy()),
                "dur_mape": mape(dur, pr["duration_s"].to_numpy()),
                "global_km_mape": mape(km, pr0["km"].to_numpy()),
                "global_dur_mape": mape(dur, pr0["duration_s"].to_numpy()),
                "local_km": (f.get("local.km.bandwidth_km", 0.0), f.get("local.km.kappa", 0.0)),
                "local_s": (f.get("local.s.bandwidth_km", 0.0), f.get("local.s.kappa", 0.0)),
                "oracle_routes_err": (te_tab["type"] != "Station").sum()
                / ((tr_tab["type"] != "Station").sum() / len(tr_ids))
                / len(truth)
                - 1.0,
                "base_km_mape": mape(km, baseline(trr, ter, "distance_km")),
                "base_dur_mape": mape(dur, baseline(trr, ter, "duration_s")),
                "day_km_err": day["km"] / km.sum() - 1.0,
                "day_routes": day["routes"],
                "true_routes": len(truth),
                "day_routes_err": day["routes"] / len(truth) - 1.0,
                "day_km_ca_err": day["km_ca"] / km.sum() - 1.0,
            }
        )
        print(
            f"split {seed}: route km MAPE {rows[-1]['km_mape']:.2%} (no local "
            f"{rows[-1]['global_km_mape']:.2%}, baseline "
            f"{rows[-1]['base_km_mape']:.2%}), duration {rows[-1]['dur_mape']:.2%} (no local "
            f"{rows[-1]['global_dur_mape']:.2%}, baseline "
            f"{rows[-1]['base_dur_mape']:.2%}); day km {rows[-1]['day_km_err']:+.2%}, routes "
            f"{day['routes']} vs {len(truth)}; local (bandwidth km, kappa) km "
            f"{rows[-1]['local_km']}, time {rows[-1]['local_s']}"
        )
    res = pd.DataFrame(rows)
    print(f"\n{a.splits} splits, {a.train_share:.0%} train; mean (sd) [max]:")
    for c in ("km_mape", "dur_mape", "global_km_mape", "global_dur_mape", "base_km_mape",
              "base_dur_mape"):  # fmt: skip
        print(f"  {c:14s} {res[c].mean():.2%} ({res[c].std():.2%}) [{res[c].max():.2%}]")
    for c in ("day_km_err", "day_routes_err", "day_km_ca_err", "oracle_routes_err"):
        v = res[c]
        print(
            f"  {c:14s} mean {v.mean():+.2%}, mean |.| {v.abs().mean():.2%} "
            f"({v.abs().std():.2%}) [max |.| {v.abs().max():.2%}]"
        )


if __name__ == "__main__":
    sys.exit(main())
