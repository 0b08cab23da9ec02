"""Speed of SPR ingestion on synthetic stop tables (observe_table, predict_routes).

Generates ``--stops`` stops (default 1,000,000) in routes of about 150 stops over 20 stations,
10 days and 100 zones per station, with one station row per route and per-leg road km / s, as a
user table with its own column names; times ``spr.observe_table`` and
``SPRModel.predict_routes`` (wall clock, best of ``--repeat``).

    python bench/quality/spr_ingest_speed.py [--stops 1000000] [--repeat 1]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from lastmile_core import spr

COLUMNS = {
    "rid": "route_id",
    "k": "seq",
    "x": "lon",
    "y": "lat",
    "z": "zone",
    "n": "packages",
    "s": "service_s",
    "st": "station",
    "d": "day",
    "km": "leg_km",
    "sec": "leg_s",
}


def synthetic(n_stops: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    per_route = 150
    R = max(-(-n_stops // per_route), 1)
    route = np.repeat(np.arange(R), per_route)[:n_stops]
    station = route % 20
    day = (route // 20) % 10
    depot_lon, depot_lat = 4.0 + 0.5 * (station % 5), 50.0 + 0.3 * (station // 5)
    zone = rng.integers(0, 100, R)[route]
    zlon = depot_lon + 0.02 * (zone % 10) + rng.normal(0, 0.004, n_stops)
    zlat = depot_lat + 0.02 * (zone // 10) + rng.normal(0, 0.004, n_stops)
    stops = pd.DataFrame(
        {
            "rid": route,
            "k": np.arange(n_stops) - np.searchsorted(route, route),
            "x": zlon,
            "y": zlat,
            "z": [f"Z{s}-{z}" for s, z in zip(station, zone, strict=True)],
            "n": rng.integers(1, 4, n_stops),
            "s": rng.uniform(60, 240, n_stops),
            "st": station.astype(str),
            "d": day.astype(str),
            "type": "Dropoff",
            "km": rng.uniform(0.05, 1.5, n_stops),
            "sec": rng.uniform(10, 200, n_stops),
        }
    )
    rs = np.arange(R)
    depots = pd.DataFrame(
        {
            "rid": rs,
            "k": -1,
            "x": 4.0 + 0.5 * ((rs % 20) % 5),
            "y": 50.0 + 0.3 * ((rs % 20) // 5),
            "st": (rs % 20).astype(str),
            "d": ((rs // 20) % 10).astype(str),
            "type": "Station",
            "km": rng.uniform(3, 15, R),
            "sec": rng.uniform(300, 1200, R),
        }
    )
    return pd.concat([depots, stops], ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stops", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    tab = synthetic(a.stops)
    warnings.simplefilter("ignore", spr.SPRDataWarning)
    best = np.inf
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        obs = spr.observe_table(tab, columns=COLUMNS, is_depot=("type", "Station"))
        best = min(best, time.perf_counter() - t0)
    print(
        f"observe_table: {a.stops:,} stops, {len(obs):,} routes, {len(obs.zones):,} route x zone rows: {best:.2f} s"
    )
    model = spr.SPRModel(spr.SPRParams(coef={"global": {"service": (60.0, 10.0)}}))
    t0 = time.perf_counter()
    pr = model.predict_routes(
        tab.drop(columns=["km", "sec"]),
        columns={k: v for k, v in COLUMNS.items() if k not in ("km", "sec")},
        is_depot=("type", "Station"),
    )
    print(f"predict_routes: {len(pr):,} routes: {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
