"""Single-vehicle quality: the Austin routes of the Amazon LMRC data as TSPs (one van, unlimited
capacity, haversine km with circuity 1, the station as the depot).

For each route: lastmile at ``--time`` s (default 1 s), OR-Tools (guided local search) at the same
budget, lastmile at ``--long`` s, and lastmile at ``--time`` s started from OR-Tools' tour. The
reference of a route is the best tour any of them found; the table gives each method's gap to it.

    LASTMILE_DATA=/work/shared/data python bench/quality/tsp_austin.py --routes 10 --time 1

Data: ``$LASTMILE_DATA/amazon_lmrc/austin_stops.csv`` (CC BY-NC 4.0, non-commercial; read only).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import lastmile_core as lm


def austin_routes(root: Path) -> list[tuple[str, np.ndarray]]:
    """(route id, lon/lat array with the station first) of every Austin route, file order."""
    path = root / "amazon_lmrc" / "austin_stops.csv"
    if not path.is_file():
        raise SystemExit(f"{path} not found (set LASTMILE_DATA)")
    df = pd.read_csv(path, keep_default_na=False)
    out = []
    for rid, g in df.groupby("Route_ID", sort=False):
        station = g[g["type"] == "Station"]
        if len(station) != 1:
            raise SystemExit(f"route {rid}: expected one Station row, got {len(station)}")
        stops = pd.concat([station, g[g["type"] != "Station"]])
        out.append((str(rid), stops[["lon", "lat"]].to_numpy(dtype=float)))
    return out


def tsp_instance(lonlat: np.ndarray) -> Any:
    n = len(lonlat)
    return lm.Instance.from_arrays(
        lonlat,
        np.ones(n),
        [lm.VehicleSpec(capacity=n, num_available=1)],
        geographic=True,
        distance="haversine",
        circuity=1.0,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--routes", type=int, default=10, help="first N routes of the file")
    ap.add_argument("--time", type=float, default=1.0, help="budget of the short runs, s")
    ap.add_argument("--long", type=float, default=10.0, help="budget of the long lastmile run, s")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-ortools", action="store_true")
    ap.add_argument("--param", action="append", default=[], help="name=value engine parameter")
    ap.add_argument(
        "--peer",
        action="append",
        default=[],
        help="name=value: also run lastmile at --time s with this parameter (e.g. tsp_ils=0, the "
        "ruin-recreate search without the iterated local search), in the same reference pool",
    )
    args = ap.parse_args()
    params = {k: float(v) for k, v in (p.split("=", 1) for p in args.param)}
    root = Path(os.environ.get("LASTMILE_DATA", "/work/shared/data"))
    routes = austin_routes(root)[: args.routes]
    methods = [f"lastmile {args.time:g}s", f"lastmile {args.long:g}s"]
    peers = {f"lastmile {args.time:g}s {p}": p.split("=", 1) for p in args.peer}
    methods += list(peers)
    if not args.no_ortools:
        from lastmile_core.reference import solve_ortools

        methods += [f"ortools {args.time:g}s", f"lastmile {args.time:g}s from ortools"]
    rows = []
    for rid, lonlat in routes:
        inst = tsp_instance(lonlat)
        cost: dict[str, float] = {}
        t0 = time.perf_counter()
        res = lm.solve(inst, time_limit=args.time, seed=args.seed, **params)
        wall = time.perf_counter() - t0
        cost[methods[0]] = res.cost
        last = res.history[-1][0] if res.history else float("nan")
        cost[methods[1]] = lm.solve(inst, time_limit=args.long, seed=args.seed, **params).cost
        for m, (k, v) in peers.items():
            peer_params = {**params, k: float(v)}
            cost[m] = lm.solve(inst, time_limit=args.time, seed=args.seed, **peer_params).cost
        if not args.no_ortools:
            ref = solve_ortools(inst, time_limit=args.time)
            cost[f"ortools {args.time:g}s"] = ref.cost
            cost[f"lastmile {args.time:g}s from ortools"] = lm.solve(
                inst, time_limit=args.time, seed=args.seed, initial_solution=ref.routes, **params
            ).cost
        best = min(cost.values())
        gaps = {m: 100.0 * (c - best) / best for m, c in cost.items()}
        rows.append({"route": rid, "stops": len(lonlat) - 1, "best_km": best, **gaps})
        print(
            f"{rid[-12:]} n={len(lonlat) - 1:3d} best {best:8.3f} km  "
            + "  ".join(f"{m}: {g:5.2f}%" for m, g in gaps.items())
            + f"  (short run {wall:.2f} s wall, {res.iterations} it, last impr. {last:.2f} s)",
            flush=True,
        )
    df = pd.DataFrame(rows)
    print(f"\n{len(df)} routes, gap % to the best tour of any method (seed {args.seed}, {params}):")
    for m in methods:
        print(
            f"  {m:28s} mean {df[m].mean():6.3f}  max {df[m].max():6.3f}  "
            f"<= 0.05 %: {(df[m] <= 0.05).sum()}/{len(df)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
