"""VRPB quality bench: lastmile_core vs PyVRP on the VRP-with-backhauls instances of Queiroga et
al. (2020) shipped in ``$LASTMILE_DATA/pyvrp_instances/VRPB`` (X-derived, 523-1,000 customers,
50/66/80 % linehauls), same run, same budget, one thread each, gap to the BKS of the ``.sol``
files (TSPLIB ``nint`` distances; cost = total distance).

Both solvers read the same file (PyVRP: ``read(path, round_func="round")``, which forbids the
arcs depot -> backhaul and backhaul -> linehaul with huge distances; lastmile: ``io.read_vrplib``,
the same order as a 0/1 duration matrix with max_duration 0, see ``io.vrplib_vrpb``); every
solution of both is re-evaluated and checked by the independent checker (``lastmile_core.check``:
capacity after every pickup, the linehaul-before-backhaul order), whose cost is the one reported.

Usage: python bench/quality/vrpb.py [--time 10] [--seed 1] [--algorithm auto] [--shard 0/1]
           [names] > f.json
       python bench/quality/vrpb.py --table f1.json f2.json ...
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

#: A handful across sizes and linehaul shares (50/66/80 %), fixed before any run.
DEFAULT = [
    "X-n524-66-k129",
    "X-n548-50-k25",
    "X-n573-80-k27",
    "X-n627-80-k35",
    "X-n701-66-k30",
    "X-n801-50-k20",
    "X-n916-66-k136",
]


def folder() -> Path:
    return data_folder("VRPB")


def run_pyvrp(path: Path, t: float, seed: int) -> tuple[list[list[int]], float]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="round")
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


def one(name: str, t: float, seed: int, algorithm: str = "auto") -> dict[str, Any]:
    d = folder()
    inst = read_vrplib(d / f"{name}.vrp")
    _, bks = read_solution_with_cost(d / f"{name}.sol")
    row: dict[str, Any] = {"instance": name, "bks": bks, "time": t, "seed": seed}
    row["algorithm"] = algorithm
    t0 = time.perf_counter()
    lm_routes: list[list[int]] | None = None
    try:
        res = solve(inst, time_limit=t, seed=seed, algorithm=algorithm)
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
    print(json.dumps(row), flush=True)
    return row


def table(files: list[str]) -> str:
    return gap_table(read_rows(files, DEFAULT), 0)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--time", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--algorithm", default="auto", help="lastmile algorithm: auto, sisr, hgs")
    ap.add_argument("--shard", default="0/1", help="k/m: run every m-th instance from the k-th")
    ap.add_argument("--table", action="store_true", help="names are JSON-lines result files")
    args = ap.parse_args()
    if args.table:
        print(table(args.names))
        return 0
    k, m = (int(x) for x in args.shard.split("/"))
    names = (args.names or DEFAULT)[k::m]
    for name in names:
        one(name, args.time, args.seed, args.algorithm)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
