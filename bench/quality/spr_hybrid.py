"""The physics + ML hybrid against pure CA and pure ML, and the SPR quantile coverage.

Synthetic station-days (``examples.station``, routed by ``lastmile_core.solve``):

* training: seeds 1..S, volumes 800 and 1200, days 0-2, vans midvan (8 h) and midvan6h (6 h);
* held-out in range: the same geometries, volumes and vans, days 3-4;
* out of range: 2x volume (2400 packages, day 0) and a farther station (depot offset 18 km
  instead of 6, 1000 packages, day 0), both vans.

The CA model (:meth:`SPRModel.fit`), the hybrid (:meth:`SPRModel.fit_hybrid`) and a pure-ML
baseline (the same gradient boosting on log target without physics, monotone where physics says
so: :class:`lastmile_core.spr.residual.DirectML`) are fitted on the training days; errors are
MAPE of route km and route duration (per route, from the route's own geometry) and of
station-day SPR. The SPR distribution (:meth:`SPRModel.fit_distribution`) is calibrated on the
training days and its coverage (share of routes at or below the predicted P10/P50/P90) measured
on the held-out days. Last, :meth:`SPRModel.update` re-calibrates on the held-out days as "the
next month" (rolling window of 4 day labels) and prints the drift of the global parameters.

    python bench/quality/spr_hybrid.py [--seeds 4] [--time-limit 1] [--cache DIR]

``--austin`` (needs ``LASTMILE_DATA``; skipped without it) runs the route-level comparison on
the 98 real Austin routes of ``amazon_lmrc`` instead: route km and OSM driving time from each
route's geometry (station distance ``r_km`` to the stops' centroid, ``local_x = sqrt(n A)`` with
``A`` the convex hull of its stops; no package counts in the data, so packages = stops and no
service time), (a) random 70/30 splits of the routes (in range) and (b) train on the 70 % of
routes nearest their station, test on the farthest 30 % (out of range).

Solved station-days are cached in ``--cache`` (default /tmp/lastmile_spr_hybrid), keyed by seeds
and time limit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spr_data import VANS, observe_day, router_name, solve_routes  # noqa: E402

from lastmile_core import examples, spr  # noqa: E402
from lastmile_core.spr.observed_ca import DAY_FEATURES, ROUTE_FEATURES, route_ca  # noqa: E402
from lastmile_core.spr.residual import DirectML  # noqa: E402

VAN_NAMES = ("midvan", "midvan6h")
GEOMETRY_COLUMNS = ("station_est_km", "tour_est_km", "linehaul_line_km", "intra_line_km",
                    "linehaul_km", "intra_km", "linehaul_s", "intra_s", "order_known",
                    "legs_observed")  # fmt: skip
GEOMETRY_PREFIXES = ("local_lon_", "local_lat_")
# monotone constraints of the pure-ML baseline (features of ROUTE_FEATURES / DAY_FEATURES)
ROUTE_MONO = [1, 1, 1, 1, 0]
DAY_MONO = [1, -1, 0, -1, 1, 1]


def far_day(seed: int, packages: int, day: int, van: str, time_limit: float) -> spr.Observations:
    inst = examples.station(
        seed, packages + day, depot_offset_km=(18.0, -6.0), vehicle_types=[VANS[van]]
    )
    sol = solve_routes(inst, time_limit=time_limit, seed=day)
    return spr.observe(inst, sol, station=f"far{seed}", day=f"{packages}-{day}", city="synthetic")


def build(args: argparse.Namespace) -> dict[str, spr.Observations]:
    seeds = range(1, args.seeds + 1)
    plan: dict[str, list[tuple[str, int, int, int, str]]] = {
        "train": [
            ("near", s, p, d, v) for s in seeds for p in (800, 1200) for d in (0, 1, 2) for v in VAN_NAMES
        ],
        "heldout_days": [
            ("near", s, p, d, v) for s in seeds for p in (800, 1200) for d in (3, 4) for v in VAN_NAMES
        ],
        "volume_x2": [("near", s, 2400, 0, v) for s in seeds for v in VAN_NAMES],
        "far_station": [("far", s, 1000, 0, v) for s in seeds for v in VAN_NAMES],
    }  # fmt: skip
    out: dict[str, spr.Observations] = {}
    for name, items in plan.items():
        path = Path(args.cache) / f"{name}_s{args.seeds}_t{args.time_limit:g}.parquet"
        if path.is_file():
            out[name] = spr.Observations.read(path)
            continue
        frames = [
            observe_day(s, p, d, v, args.time_limit)
            if kind == "near"
            else far_day(s, p, d, v, args.time_limit)
            for kind, s, p, d, v in items
        ]
        out[name] = spr.Observations.concat(frames)
        path.parent.mkdir(parents=True, exist_ok=True)
        out[name].write(path)
    return out


def austin_routes(root: Path) -> pd.DataFrame:
    """The Austin routes as a route observation table (see the module docstring)."""
    from lastmile_core.geo import haversine_km, hull_area, local_xy_km

    stops = pd.read_csv(root / "austin_stops.csv", keep_default_na=False)
    legs = pd.read_csv(root / "austin_driving_distances_osm.csv", keep_default_na=False)
    drive = legs.groupby("route").agg(
        km=("distance_to_next_stop(km)", "sum"), minutes=("duration(min)", "sum")
    )
    rows = []
    for i, (rid, g) in enumerate(stops.groupby("Route_ID", sort=True)):
        st = g[g["type"] == "Station"].iloc[0]
        d = g[g["type"] != "Station"]
        lon, lat = d["lon"].to_numpy(float), d["lat"].to_numpy(float)
        n = float(len(d))
        area = max(hull_area(local_xy_km(lon, lat, float(st["lon"]), float(st["lat"]))), 1e-3)
        r = float(haversine_km(st["lon"], st["lat"], lon.mean(), lat.mean()))
        station = "{:.2f},{:.2f}".format(float(st["lat"]), float(st["lon"]))  # Amazon station
        rows.append(
            {
                "route_id": rid,
                "city": "austin", "station": station, "day": f"r{i}", "van_type": "van",
                "route": 0, "zone": f"route{i}", "stops": n, "packages": n,
                "distance_km": float(drive.loc[rid, "km"]),
                "duration_s": 60.0 * float(drive.loc[rid, "minutes"]), "service_s": 0.0,
                "r_km": r, "local_x": float(np.sqrt(n * area)), "cap_packages": 1000.0,
                "shift_s": 12 * 3600.0, "zone_packages": n, "zone_stops": n,
                "zone_area_km2": area, "zone_r_km": r,
            }
        )  # fmt: skip
    out = pd.DataFrame(rows)
    # the order-free features and observed legs of observe_table (the road physics of the
    # hybrid: SPRModel.fit learns its circuities and speeds from them)
    from spr_austin import load_austin, observe

    obs = observe(load_austin(root), None).routes.set_index("route")
    keep = [c for c in obs.columns if c.startswith(GEOMETRY_PREFIXES)] + list(GEOMETRY_COLUMNS)
    return out.join(obs[keep], on="route_id").drop(columns="route_id")


def austin(args: argparse.Namespace) -> None:
    import os

    if not os.environ.get("LASTMILE_DATA"):
        print("austin: LASTMILE_DATA is not set, skipped")
        return
    root = Path(os.environ["LASTMILE_DATA"]) / "amazon_lmrc"
    routes = austin_routes(root)
    print(f"Austin: {len(routes)} routes, {routes['station'].nunique()} stations")
    n = len(routes)
    splits: list[tuple[str, np.ndarray]] = []
    for k in range(args.splits):
        perm = np.random.default_rng(k).permutation(n)
        splits.append((f"random70/30 #{k}", perm))
    splits.append(("nearest70->farthest30", np.argsort(routes["r_km"].to_numpy(), kind="stable")))
    res: dict[str, list[list[float]]] = {}
    labels: dict[str, list[int]] = {}
    for name, order in splits:
        cut = int(round(0.7 * n))
        tr, te = routes.iloc[order[:cut]], routes.iloc[order[cut:]]
        model = spr.SPRModel.fit(tr.reset_index(drop=True), fit_utilisation=False)
        hyb = model.fit_hybrid(tr, targets=("km", "duration_s"), seed=args.seed)
        Xtr = route_ca(model.params, tr)[list(ROUTE_FEATURES)].to_numpy(float)
        Xte = route_ca(model.params, te)[list(ROUTE_FEATURES)].to_numpy(float)
        pr = hyb.predict_routes(te)
        formulas = route_ca(model.params, te)  # the CA route formulas (r_km, local_x) alone
        group = "in range" if name.startswith("random") else "out of range"
        for t, col in (("km", "distance_km"), ("duration_s", "duration_s")):
            ml = DirectML.fit(Xtr, tr[col].to_numpy(float), ROUTE_FEATURES,
                              seed=args.seed, monotone=ROUTE_MONO)  # fmt: skip
            y = te[col].to_numpy(float)
            e = [mape(y, pr[f"{t}_ca"].to_numpy(float)), mape(y, ml.predict(Xte)),
                 mape(y, pr[t].to_numpy(float)), hyb.corrections[t].alpha,
                 hyb.corrections[t].beta, mape(y, formulas[t].to_numpy(float))]  # fmt: skip
            res.setdefault(f"{group:12s} {t}", []).append(e)
            c = pr[f"{t}_correction"].value_counts()
            lab = labels.setdefault(f"{group:12s} {t}", [0, 0, 0])
            for j, key in enumerate(("hybrid", "faded", "ca")):
                lab[j] += int(c.get(key, 0))
    print(f"{'Austin split':25s} {'n':>3s} | {'CA %':>6s} {'ML %':>6s} {'hybrid %':>8s} alpha beta"
          " | CA formulas %")  # fmt: skip
    for key, vals in res.items():
        m = np.mean(np.array(vals), axis=0)
        hb, fd, ca = labels[key]
        print(f"{key:25s} {len(vals):3d} | {m[0]:6.2f} {m[1]:6.2f} {m[2]:8.2f} {m[3]:.2f} {m[4]:.2f}"
              f" | {m[5]:6.2f}  rows hybrid/faded/ca {hb}/{fd}/{ca}")  # fmt: skip


def mape(y: np.ndarray, yhat: np.ndarray) -> float:
    return float(100.0 * np.mean(np.abs(yhat - y) / y))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--time-limit", type=float, default=1.0)
    ap.add_argument("--cache", default="/tmp/lastmile_spr_hybrid")
    ap.add_argument("--seed", type=int, default=0, help="seed of the boosters / CV folds")
    ap.add_argument("--austin", action="store_true", help="the Austin routes instead")
    ap.add_argument("--splits", type=int, default=10, help="Austin: random 70/30 splits")
    args = ap.parse_args(argv)
    if args.austin:
        austin(args)
        return
    t0 = time.time()
    data = build(args)
    print(f"route generator: {router_name()}, time limit {args.time_limit:g} s per station-day")
    print("routes per set:", {k: len(v) for k, v in data.items()}, f"({time.time() - t0:.1f} s)")
    train = data["train"]
    model = spr.SPRModel.fit(train)
    hybrid = model.fit_hybrid(train, seed=args.seed)
    print("shrinkage alpha, beta:", {k: (c.alpha, c.beta) for k, c in hybrid.corrections.items()})
    ca_tr = route_ca(model.params, train.routes)
    Xr = ca_tr[list(ROUTE_FEATURES)].to_numpy(float)
    ml = {
        t: DirectML.fit(Xr, train.routes[col].to_numpy(float), ROUTE_FEATURES,
                        seed=args.seed, monotone=ROUTE_MONO)
        for t, col in (("km", "distance_km"), ("duration_s", "duration_s"))
    }  # fmt: skip
    d_tr = hybrid.predict_station_days(train)
    Xd = d_tr[[f"f_{f}" for f in DAY_FEATURES]].to_numpy(float)
    ml["spr"] = DirectML.fit(
        Xd, d_tr["spr_observed"].to_numpy(float), DAY_FEATURES, seed=args.seed, monotone=DAY_MONO
    )
    head = f"{'set':14s} {'target':10s} {'n':>4s} | {'CA %':>6s} {'ML %':>6s} {'hybrid %':>8s}"
    print(head + " | hybrid/faded/ca rows")
    print("-" * (len(head) + 24))
    for name in ("heldout_days", "volume_x2", "far_station"):
        obs = data[name]
        pr = hybrid.predict_routes(obs.routes)
        X = route_ca(model.params, obs.routes)[list(ROUTE_FEATURES)].to_numpy(float)
        for t, col in (("km", "distance_km"), ("duration_s", "duration_s")):
            y = obs.routes[col].to_numpy(float)
            _row(name, t, y, pr[f"{t}_ca"], ml[t].predict(X), pr[t], pr[f"{t}_correction"])
        d = hybrid.predict_station_days(obs)
        Xs = d[[f"f_{f}" for f in DAY_FEATURES]].to_numpy(float)
        y = d["spr_observed"].to_numpy(float)
        _row(name, "spr", y, d["spr_ca"], ml["spr"].predict(Xs), d["spr"], d["spr_correction"])
    dist = model.fit_distribution(train)
    q = dist.ratio_quantiles()
    print(f"route-SPR ratio quantiles (P10/P50/P90 of packages / predicted SPR): {np.round(q, 3)}")
    for name in ("train", "heldout_days", "volume_x2", "far_station"):
        cov = dist.coverage(model.params, data[name])
        print(
            f"coverage {name:13s}: "
            + ", ".join(f"P{100 * k:g} {100 * v:.1f} %" for k, v in cov.items())
        )
    # monthly re-calibration: the held-out days as the next month, rolling window of 4 days
    new_model, drift = model.update(data["heldout_days"], history=train, window=4)
    from lastmile_core.spr.update import format_drift

    glob = drift[drift["parameter"].str.startswith(("coef.global", "utilisation.", "rho.global"))]
    print("update (window = the 4 held-out day labels):", format_drift(drift).splitlines()[0])
    print(
        glob[["parameter", "previous", "new", "rel_change", "se", "flagged"]].to_string(index=False)
    )
    print(f"total time {time.time() - t0:.1f} s")  # fmt: skip


def _row(
    name: str, t: str, y: np.ndarray, ca: pd.Series, ml: np.ndarray, hy: pd.Series, lab: pd.Series
) -> None:
    c = lab.value_counts()
    print(
        f"{name:14s} {t:10s} {len(y):4d} | {mape(y, ca.to_numpy(float)):6.2f} {mape(y, ml):6.2f} "
        f"{mape(y, hy.to_numpy(float)):8.2f} | {c.get('hybrid', 0)}/{c.get('faded', 0)}/{c.get('ca', 0)}"
    )


if __name__ == "__main__":
    main()
