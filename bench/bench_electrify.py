"""Wall time of the electrification plan at network scale (synthetic example stations).

For each station count: the per-station route fit (the parallel stage: energy API on every
route at every month's temperature, per EV type) on the serial backend, a local process pool
and a Dask LocalCluster, each checked equal to the serial table; then the whole plan (route
fit + the network-wide integer program, which is one serial SCIP solve) once, serially.

    python bench/bench_electrify.py --stations 50 500 --workers 2 [--routes 30]

Prints a Markdown table (bench/ELECTRIFY_RESULTS.md holds a recorded run).
"""

from __future__ import annotations

import argparse
import time

import pandas as pd

from lastmile_core.fleet.electrify import fit_routes, plan_electrification
from lastmile_core.fleet.electrify_example import example_inputs
from lastmile_core.fleet.electrify_inputs import station_months
from lastmile_core.fleet.ev_fit import validate_arcs


def _fit_times(n: int, routes: int, workers: int) -> dict[str, float]:
    import distributed

    ex = example_inputs(n_stations=n, routes_per_station=routes)
    sm = station_months(ex.forecast, ex.stations, ex.temperatures, ex.network, ex.upgrades)
    arcs = validate_arcs(ex.routes)
    out: dict[str, float] = {}
    t = time.perf_counter()
    ref = fit_routes(sm, arcs, ex.network, backend="serial")
    out["serial"] = time.perf_counter() - t
    t = time.perf_counter()
    loc = fit_routes(sm, arcs, ex.network, backend="local", max_workers=workers)
    out["local"] = time.perf_counter() - t
    pd.testing.assert_frame_equal(ref, loc)
    with (
        distributed.LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        t = time.perf_counter()
        dsk = fit_routes(sm, arcs, ex.network, backend="dask", client=client)
        out["dask"] = time.perf_counter() - t
    pd.testing.assert_frame_equal(ref, dsk)
    return out


def _plan_time(n: int, routes: int) -> dict[str, float | str]:
    import dataclasses

    ex = example_inputs(n_stations=n, routes_per_station=routes)
    net = dataclasses.replace(ex.network, time_limit_s=900.0)
    t = time.perf_counter()
    plan = plan_electrification(
        ex.forecast, ex.stations, ex.temperatures, ex.routes, net, upgrades=ex.upgrades
    )
    total = time.perf_counter() - t
    return {
        "total": total,
        "fit": plan.timings_s["route_fit"],
        "mip": plan.timings_s["mip"],
        "status": plan.status,
        "evs": float(plan.table.groupby("month")["evs"].sum().iloc[-1]),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, nargs="+", default=[50, 500])
    ap.add_argument("--routes", type=int, default=30, help="observed routes per station")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    print(
        "| stations | route fit serial s | local pool s | Dask LocalCluster s "
        "| whole plan (serial) s | of which MIP s | status | EVs at end |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    for n in args.stations:
        f = _fit_times(n, args.routes, args.workers)
        print(f"route fit at {n} stations: {f}", flush=True)
        p = _plan_time(n, args.routes)
        print(
            f"| {n} | {f['serial']:.1f} | {f['local']:.1f} | {f['dask']:.1f} "
            f"| {p['total']:.1f} | {p['mip']:.1f} | {p['status']} | {p['evs']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
