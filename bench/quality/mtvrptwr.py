"""MTVRPTWR quality bench: lastmile_core vs PyVRP on the multi-trip VRPTW instances with release
dates of Yang (2023/2024) shipped in ``$LASTMILE_DATA/pyvrp_instances/MTVRPTWR`` (Solomon /
Gehring-Homberger based, 100 and 200 clients, reloading at the depot), same run, same budget, one
thread each, gap to the cost of the ``.sol`` files (DIMACS convention: distances and times
truncated to one decimal; cost = total distance).

Both solvers read the same file (PyVRP: ``read(path, round_func="dimacs")``; lastmile:
``io.read_vrplib``); the routes of both, with their reload visits, are re-evaluated and checked by
the independent checker (``lastmile_core.check``: capacity per trip, windows, release times waited
for at the reloads), whose cost is the one reported.

Usage: python bench/quality/mtvrptwr.py [--time 10] [--seed 1] [--shard 0/1] [names] > f.json
       python bench/quality/mtvrptwr.py --table f1.json f2.json ...
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from peer_table import data_folder, gap_table, read_rows, record_check

from lastmile_core import solve
from lastmile_core.check import check
from lastmile_core.io import read_vrplib
from lastmile_core.io.vrplib_mt import read_mt_solution

#: Eight across the C/R/RC families, both sizes and release shares, fixed before any run.
DEFAULT = [
    "C201R0.25",
    "C205R0.5",
    "R201R0.5",
    "R205R0.25",
    "RC201R0.25",
    "RC206R0.5",
    "C2_2_02R0.25",
    "R2_2_03R0.5",
]


def folder() -> Path:
    return data_folder("MTVRPTWR")


def run_pyvrp(path: Path, t: float, seed: int) -> tuple[list[list[int]], float]:
    """PyVRP's best routes as visit lists: clients as our node indices, a reload at depot d as
    its depot node (depot 0 is node 0; the instances have one depot)."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="dimacs")
    t0 = time.perf_counter()
    res = pyvrp.solve(data, stop=MaxRuntime(t), seed=seed, display=False)
    el = time.perf_counter() - t0
    nd = data.num_depots
    routes: list[list[int]] = []
    for rt in res.best.routes():
        acts = list(rt)[1:-1]  # without the start and end depot
        visits = [int(a.idx) + nd if a.is_client() else int(a.idx) for a in acts]
        if visits:
            routes.append(visits)
    return routes, el


def one(name: str, t: float, seed: int) -> dict[str, Any]:
    d = folder()
    inst = read_vrplib(d / f"{name}.vrp")
    _, bks = read_mt_solution(d / f"{name}.sol")
    assert bks is not None
    # The .sol cost is in internal units (tenths); the checker reports instance units.
    row: dict[str, Any] = {"instance": name, "bks": bks / 10.0, "time": t, "seed": seed}
    t0 = time.perf_counter()
    lm_routes: list[list[int]] | None = None
    try:
        res = solve(inst, time_limit=t, seed=seed)
        lm_routes = [list(r.visits) for r in res.solution.routes if r.visits]
        row["lastmile_algorithm"] = res.algorithm
        row["lastmile_iterations"] = res.iterations
    except Exception as exc:  # e.g. InfeasibleError: reported in the table, never dropped
        row["lastmile_error"] = f"{type(exc).__name__}: {exc}"
    row["lastmile_s"] = time.perf_counter() - t0
    for key, routes in (("lastmile", lm_routes), ("pyvrp", None)):
        if key == "lastmile" and routes is None:
            continue
        if routes is None:
            try:
                routes, el = run_pyvrp(d / f"{name}.vrp", t, seed)
                row["pyvrp_s"] = el
            except Exception as exc:  # reported in the table, never silently dropped
                row[f"{key}_error"] = f"{type(exc).__name__}: {exc}"
                continue
        rep = check(inst, routes)
        record_check(row, key, rep, 1)
        row[f"{key}_reloads"] = sum(sum(1 for c in r if c == 0) for r in routes)
    print(json.dumps(row), flush=True)
    return row


def table(files: list[str]) -> str:
    return gap_table(read_rows(files, DEFAULT), 1)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--time", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shard", default="0/1", help="k/m: run every m-th instance from the k-th")
    ap.add_argument("--table", action="store_true", help="names are JSON-lines result files")
    args = ap.parse_args()
    if args.table:
        print(table(args.names))
        return 0
    k, m = (int(x) for x in args.shard.split("/"))
    names = (args.names or DEFAULT)[k::m]
    for name in names:
        one(name, args.time, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
