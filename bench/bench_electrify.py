"""Wall and CPU time of the electrification plan at network scale (synthetic example stations).

For each station count: the per-station route fit (the parallel stage: energy API on every
route at every month's temperature, per EV type) on the serial backend, then on a local process
pool and on a Dask LocalCluster with each worker count of ``--workers``, each checked equal to
the serial table; then the whole plan (route fit + the network-wide integer program, one
serial SCIP solve) once serially with the solver's defaults and, with ``--solver-params``, once
more with those parameters (checked to reach the same optimum).

Every measurement records the wall time, the CPU time of the work (this process; plus the
pool's worker processes via ``getrusage(RUSAGE_CHILDREN)``, or the Dask workers' own
``getrusage(RUSAGE_SELF)`` read before and after through ``client.run``) and the load average
before and after, so the per-worker scaling can be read from CPU time against wall time even
on a loaded machine: ``busy = CPU / wall`` is the number of cores the backend kept busy.

    python bench/bench_electrify.py --stations 50 500 --workers 1 2 [--routes 30]
        [--solver-params "lp/pricing = d"]

Prints Markdown tables and one JSON line per measurement (bench/ELECTRIFY_RESULTS.md holds
recorded runs).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from lastmile_core.fleet.electrify import fit_routes, plan_electrification
from lastmile_core.fleet.electrify_example import ExampleInputs, example_inputs
from lastmile_core.fleet.electrify_inputs import station_months
from lastmile_core.fleet.ev_fit import validate_arcs


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return float(r.ru_utime + r.ru_stime)


def _worker_cpu_s() -> float:
    """CPU seconds of the calling process (run on each Dask worker)."""
    return _cpu(resource.RUSAGE_SELF)


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def _measure(fn: Callable[[], Any], extra_cpu: Callable[[], float] | None = None) -> dict[str, Any]:
    """Run ``fn``: wall s, CPU s of this process + its reaped children (+ ``extra_cpu()``
    difference), load before and after."""
    load0 = _load()
    c0 = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    e0 = extra_cpu() if extra_cpu else 0.0
    t0 = time.perf_counter()
    value = fn()
    wall = time.perf_counter() - t0
    c1 = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
    e1 = extra_cpu() if extra_cpu else 0.0
    cpu = (c1 - c0) + (e1 - e0)
    return {
        "value": value,
        "wall_s": wall,
        "cpu_s": cpu,
        "load_before": load0,
        "load_after": _load(),
    }


def _fit_rows(ex: ExampleInputs, n: int, workers: list[int]) -> list[dict[str, Any]]:
    import distributed

    sm = station_months(ex.forecast, ex.stations, ex.temperatures, ex.network, ex.upgrades)
    arcs = validate_arcs(ex.routes)
    rows = []
    ref = _measure(lambda: fit_routes(sm, arcs, ex.network, backend="serial"))
    rows.append({"stations": n, "backend": "serial", "workers": 1, **ref})
    for w in workers:
        loc = _measure(lambda w=w: fit_routes(sm, arcs, ex.network, backend="local", max_workers=w))
        pd.testing.assert_frame_equal(ref["value"], loc["value"])
        rows.append({"stations": n, "backend": "local pool", "workers": w, **loc})
        t0 = time.perf_counter()
        with (
            distributed.LocalCluster(
                n_workers=w, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster,
            distributed.Client(cluster) as client,
        ):
            start_s = time.perf_counter() - t0

            def workers_cpu(client: Any = client) -> float:
                return float(sum(client.run(_worker_cpu_s).values()))

            dsk = _measure(
                lambda client=client: fit_routes(
                    sm, arcs, ex.network, backend="dask", client=client
                ),
                extra_cpu=workers_cpu,
            )
        pd.testing.assert_frame_equal(ref["value"], dsk["value"])
        rows.append(
            {"stations": n, "backend": "Dask LocalCluster", "workers": w, "start_s": start_s, **dsk}
        )
    for r in rows:
        r["speedup"] = rows[0]["wall_s"] / r["wall_s"]
        r["busy"] = r["cpu_s"] / r["wall_s"]
        r["cpu_vs_serial"] = r["cpu_s"] / rows[0]["cpu_s"]
        del r["value"]
    return rows


def _plan_row(ex: ExampleInputs, n: int, solver_params: str) -> dict[str, Any]:
    net = dataclasses.replace(ex.network, time_limit_s=1800.0, solver_params=solver_params)
    m = _measure(
        lambda: plan_electrification(
            ex.forecast, ex.stations, ex.temperatures, ex.routes, net, upgrades=ex.upgrades
        )
    )
    plan = m.pop("value")
    return {
        "stations": n,
        "solver_params": solver_params or "(defaults)",
        **m,
        "fit_s": plan.timings_s["route_fit"],
        "mip_s": plan.timings_s["mip"],
        "mip_cpu_s": plan.cpu_s["mip"],
        "status": plan.status,
        "cost": plan.cost,
        "evs_end": float(plan.table.groupby("month")["evs"].sum().iloc[-1]),
        "ev_route_days": float(plan.table["evs_active"].sum()),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, nargs="+", default=[50, 500])
    ap.add_argument("--routes", type=int, default=30, help="observed routes per station")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--solver-params", default="", help="also plan with these SCIP parameters")
    ap.add_argument("--plans-only", action="store_true", help="skip the backend comparison")
    ap.add_argument(
        "--params-first", action="store_true", help="plan with --solver-params before the defaults"
    )
    args = ap.parse_args()
    fits, plans = [], []
    for n in args.stations:
        ex = example_inputs(n_stations=n, routes_per_station=args.routes)
        for r in [] if args.plans_only else _fit_rows(ex, n, args.workers):
            print(json.dumps(r), flush=True)
            fits.append(r)
        order = [""] + ([args.solver_params] if args.solver_params else [])
        for sp in order[::-1] if args.params_first else order:
            r = _plan_row(ex, n, sp)
            print(json.dumps(r), flush=True)
            plans.append(r)
        if len(plans) >= 2 and plans[-1]["stations"] == plans[-2]["stations"] == n:
            a, b = plans[-2], plans[-1]
            assert abs(a["cost"] - b["cost"]) <= 1e-6 * max(1.0, abs(a["cost"])), (a, b)
    print()
    print(
        "| stations | backend | workers | wall s | CPU s | busy cores (CPU/wall) "
        "| speed-up vs serial | CPU vs serial | load before | load after |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---|---|")
    for r in fits:
        start = f" (+{r['start_s']:.1f} s start)" if "start_s" in r else ""
        print(
            f"| {r['stations']} | {r['backend']} | {r['workers']} | {r['wall_s']:.1f}{start} "
            f"| {r['cpu_s']:.1f} | {r['busy']:.2f} | x{r['speedup']:.2f} | x{r['cpu_vs_serial']:.2f} "
            f"| {r['load_before']} | {r['load_after']} |"
        )
    print()
    print(
        "| stations | solver params | whole plan wall s | CPU s | route fit s | MIP s | MIP CPU s "
        "| status | cost | EVs at end | EV route-days | load before | load after |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---|")
    for r in plans:
        print(
            f"| {r['stations']} | {r['solver_params']} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} "
            f"| {r['fit_s']:.1f} | {r['mip_s']:.1f} | {r.get('mip_cpu_s', float('nan')):.1f} "
            f"| {r['status']} | {r['cost']:,.0f} "
            f"| {r['evs_end']:.0f} | {r['ev_route_days']:.0f} | {r['load_before']} | {r['load_after']} |"
        )


if __name__ == "__main__":
    main()
