"""VRPTW quality bench: lastmile_core vs PyVRP on the Gehring-Homberger 1,000-customer instances
shipped in ``$LASTMILE_DATA/pyvrp_instances/VRPTW`` (``*_10_1`` .. ``*_10_5``), same run, same
budget, one thread each, gap to the BKS of the ``.sol`` files (DIMACS convention: distances and
times truncated to one decimal; cost = total distance).

Both solvers read the same file with the same rounding (PyVRP: ``read(path, round_func="dimacs")``;
lastmile: ``io.read_vrplib``); every solution of both is re-evaluated and checked feasible by the
independent checker (``lastmile_core.check``), whose cost is the one reported.

Usage: python bench/quality/vrptw.py [--time 30] [--seed 1] [--shard 0/1] [--out f.json] [names]
       python bench/quality/vrptw.py --table f1.json f2.json ...
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
from lastmile_core.io import read_solution_with_cost, read_vrplib

FAMILIES = ("C1", "C2", "R1", "R2", "RC1", "RC2")
DEFAULT = [f"{f}_10_{k}" for f in FAMILIES for k in range(1, 6)]


def folder() -> Path:
    return data_folder("VRPTW")


def run_pyvrp(path: Path, t: float, seed: int) -> tuple[list[list[int]], float]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="dimacs")
    t0 = time.perf_counter()
    res = pyvrp.solve(data, stop=MaxRuntime(t), seed=seed, display=False)
    el = time.perf_counter() - t0
    nd = data.num_depots
    routes: list[list[int]] = []
    for rt in res.best.routes():
        if hasattr(rt, "visits"):  # pyvrp < 0.14: location indices
            visits = [int(v) for v in rt.visits()]
        else:  # pyvrp 0.14: scheduled activities, client idx = client index - depots
            visits = [int(a.idx) + nd for a in rt if a.is_client()]
        if visits:
            routes.append(visits)
    return routes, el


def one(name: str, t: float, seed: int) -> dict[str, Any]:
    d = folder()
    inst = read_vrplib(d / f"{name}.vrp")
    _, bks = read_solution_with_cost(d / f"{name}.sol")
    row: dict[str, Any] = {"instance": name, "bks": bks, "time": t, "seed": seed}
    t0 = time.perf_counter()
    res = solve(inst, time_limit=t, seed=seed)
    lm_routes = [list(r.visits) for r in res.solution.routes if r.visits]
    row["lastmile_s"] = time.perf_counter() - t0
    row["lastmile_algorithm"] = res.algorithm
    row["lastmile_iterations"] = res.iterations
    for key, routes in (("lastmile", lm_routes), ("pyvrp", None)):
        if routes is None:
            try:
                routes, el = run_pyvrp(d / f"{name}.vrp", t, seed)
                row["pyvrp_s"] = el
            except Exception as exc:  # reported in the table, never silently dropped
                row[f"{key}_error"] = f"{type(exc).__name__}: {exc}"
                continue
        rep = check(inst, routes)
        record_check(row, key, rep, 1)
    print(json.dumps(row), flush=True)
    return row


def table(files: list[str]) -> str:
    return gap_table(read_rows(files, DEFAULT), 1)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--time", type=float, default=30.0)
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
