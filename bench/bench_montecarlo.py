"""Monte Carlo of the van need (``fleet.plan_horizon``) at network scale: wall and CPU time at
N stations x 16 months on the serial, local-pool and Dask LocalCluster backends.

The SPR model is fitted on the bundled fixture routes (``tests/data/spr_routes.parquet``, two
stations of the synthetic city); a network of N stations is made by copying those two stations'
fitted profiles (zones, packages per stop, coefficients, utilisation) under new names, with a
base volume drawn per station (seed 11) between 700 and 1,400 packages a day, and the monthly
forecast of ``fleet.example_forecast`` (2 % growth a month, Nov/Dec peak) with a city
temperature cycle. Van types: a combustion van and an EV (battery 60 kWh, 6 kWh reserve).
Every backend's table is compared with the serial one (``assert_frame_equal``). With
``--reference K`` the per-draw pandas path (``montecarlo.simulate_by_predict``) is timed on the
first K tasks and checked equal to the vectorised path.

Usage: python bench/bench_montecarlo.py [--stations 50 500] [--draws 200] [--workers 2]
       [--backends serial local dask] [--reference 4]
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lastmile_core import fleet, spr
from lastmile_core.fleet import montecarlo

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "data" / "spr_routes.parquet"
VANS = [
    spr.VanType("diesel", 250, 8000, 1000, shift_s=8 * 3600, fixed_cost=100.0, cost_per_km=0.5),
    spr.VanType(
        "ev",
        220,
        7000,
        900,
        shift_s=8 * 3600,
        battery_kwh=60.0,
        reserve_kwh=6.0,
        fixed_cost=110.0,
        cost_per_km=0.25,
    ),
]
TEMPERATURE = {1: -8.0, 2: -5.0, 3: 2.0, 4: 8.0, 5: 14.0, 6: 20.0, 7: 27.0, 8: 30.0, 9: 19.0}


def network_model(base: spr.SPRModel, n: int) -> tuple[spr.SPRModel, list[str]]:
    """The fitted model with its two stations copied into ``n`` stations ``st0000``..."""
    d = base.to_dict()
    templates = ["s1", "s2"]
    names = [f"st{i:04d}" for i in range(n)]
    for key in ("coef", "rho", "volume_per_package", "weight_per_package"):
        for i, name in enumerate(names):
            d[key][f"station:synthetic/{name}"] = d[key][f"station:synthetic/{templates[i % 2]}"]
    for i, name in enumerate(names):
        t = templates[i % 2]
        for k, v in list(d["utilisation_station"].items()):
            if k.startswith(f"station:synthetic/{t}|"):
                d["utilisation_station"][k.replace(f"/{t}|", f"/{name}|")] = v
        for k, z in list(d["zones"].items()):
            if z["station"] == t and z["city"] == "synthetic" and k.count("/") == 2:
                zone = k.split("/")[2]
                d["zones"][f"synthetic/{name}/{zone}"] = {**z, "station": name}
    for t in templates:  # the templates themselves are not part of the network
        for key in ("coef", "rho", "volume_per_package", "weight_per_package"):
            d[key].pop(f"station:synthetic/{t}", None)
        d["utilisation_station"] = {
            k: v for k, v in d["utilisation_station"].items() if f"/{t}|" not in k
        }
        d["zones"] = {k: v for k, v in d["zones"].items() if not k.startswith(f"synthetic/{t}/")}
    return spr.SPRModel.from_dict(d), names


def forecast(names: list[str], months: int = 16) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    base = {s: float(rng.uniform(700.0, 1400.0)) for s in names}
    f = fleet.example_forecast(names, base, months=months)
    f["temperature_c"] = [TEMPERATURE.get(int(m[5:]), 12.0) for m in f["month"]]
    return f


def _cpu_self_children() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _worker_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def run(model: spr.SPRModel, f: pd.DataFrame, draws: int, backend: str, **kw: Any) -> Any:
    return fleet.plan_horizon(
        model,
        f,
        VANS,
        monte_carlo=fleet.MonteCarlo(n_draws=draws),
        seed=3,
        backend=backend,
        **kw,
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, nargs="+", default=[50, 500])
    ap.add_argument("--draws", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--backends", nargs="+", default=["serial", "local", "dask"])
    ap.add_argument("--reference", type=int, default=0, help="time the per-draw path on K tasks")
    a = ap.parse_args()
    base = spr.SPRModel.fit(pd.read_parquet(FIXTURE))
    print(f"cores: {os.cpu_count()}, draws per station-month: {a.draws}")
    print("| stations | station-months | backend | wall s | CPU s | busy | load before | after |")
    print("|---:|---:|---|---:|---:|---:|---|---|")
    for n in a.stations:
        model, names = network_model(base, n)
        f = forecast(names)
        serial: pd.DataFrame | None = None
        for backend in a.backends:
            kw: dict[str, Any] = {}
            client = cluster = None
            if backend == "local":
                kw["max_workers"] = a.workers
            if backend == "dask":
                from dask.distributed import Client, LocalCluster

                cluster = LocalCluster(
                    n_workers=a.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
                client = Client(cluster)
                kw["client"] = client
            before = _load()
            c0 = _cpu_self_children()
            w0 = sum(client.run(_worker_cpu).values()) if client is not None else 0.0
            t0 = time.perf_counter()
            table = run(model, f, a.draws, backend, **kw)
            wall = time.perf_counter() - t0
            cpu = _cpu_self_children() - c0  # this process and the pool's (joined) workers
            if client is not None:  # Dask workers: their own counters, read before they stop
                cpu += sum(client.run(_worker_cpu).values()) - w0
                client.close()
                cluster.close()  # type: ignore[union-attr]
            print(
                f"| {n} | {len(f)} | {backend} | {wall:.1f} | {cpu:.1f} | {cpu / wall:.2f} "
                f"| {before} | {_load()} |",
                flush=True,
            )
            if serial is None:
                serial = table
            else:
                pd.testing.assert_frame_equal(table, serial)
        if a.reference:
            _reference(model, f.head(a.reference), a.draws)


def _reference(model: spr.SPRModel, f: pd.DataFrame, draws: int) -> None:
    """Time the per-draw pandas path against the vectorised one on the same tasks."""
    from lastmile_core.fleet import horizon_tasks

    tasks: list[Any] = []
    real = horizon_tasks.simulate

    def record(task: Any) -> Any:
        tasks.append(task)
        return real(task)

    horizon_tasks.simulate = record  # type: ignore[assignment]
    try:
        run(model, f, draws, "serial")
    finally:
        horizon_tasks.simulate = real  # type: ignore[assignment]
    t0 = time.process_time()
    fast = [montecarlo.simulate(t)["draws"] for t in tasks]
    t1 = time.process_time()
    slow = [montecarlo.simulate_by_predict(t)["draws"] for t in tasks]
    t2 = time.process_time()
    same = all(np.array_equal(x, y) for x, y in zip(fast, slow, strict=True))
    print(
        f"\nper-draw reference on {len(tasks)} station-months x {draws} draws: "
        f"vectorised {t1 - t0:.2f} CPU s, per-draw predict {t2 - t1:.2f} CPU s "
        f"(x{(t2 - t1) / max(t1 - t0, 1e-9):.0f}); identical draws: {same}"
    )


if __name__ == "__main__":
    main()
