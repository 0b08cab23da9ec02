"""MDVRPTW quality bench: lastmile_core vs PyVRP on the multi-depot VRPTW instances of Vidal et
al. (2013) shipped in ``$LASTMILE_DATA/pyvrp_instances/MDVRPTW`` (PR11-PR17 A/B, 4 or 6 depots,
vehicles per depot, a maximum route duration), same run, same budget, one thread each, gap to the
BKS of the ``.sol`` files (their cost is the sum of ``round(1000 * euclid)`` per edge: PyVRP's
``round_func="exact"``; reported here divided by 1000).

Both solvers read the same file with the same rounding (PyVRP: ``read(path,
round_func="exact")``; lastmile: ``io.read_vrplib``); every solution of both is re-evaluated and
checked feasible by the independent checker (``lastmile_core.check``) with each route's depot
(its vehicle type), whose cost is the one reported.

Usage: python bench/quality/mdvrptw.py [--time 20] [--seed 1] [--out f.json] [names]
       python bench/quality/mdvrptw.py --table f1.json f2.json ...
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from peer_table import data_folder, gap_table, read_rows, record_check

from lastmile_core import Instance, solve
from lastmile_core.check import check
from lastmile_core.errors import InfeasibleError
from lastmile_core.io import read_vrplib
from lastmile_core.io.vrplib_md import read_md_solution

ALL = [f"PR{i}{v}" for i in range(11, 18) for v in "AB"]
DEFAULT = ["PR11A", "PR11B", "PR12A", "PR12B", "PR17A", "PR17B"]


def folder() -> Path:
    return data_folder("MDVRPTW")


def run_pyvrp(
    path: Path, inst: Instance, t: float, seed: int
) -> tuple[list[list[int]], list[int], float]:
    """PyVRP's best routes as our client indices (file order of the clients, 1-based) and our
    vehicle type of each (the type based at the route's depot)."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="exact")
    t0 = time.perf_counter()
    res = pyvrp.solve(data, stop=MaxRuntime(t), seed=seed, display=False)
    el = time.perf_counter() - t0
    nd = data.num_depots
    type_at = {int(vt.start_depot): k for k, vt in enumerate(inst.data.vehicle_types)}
    routes: list[list[int]] = []
    types: list[int] = []
    for rt in res.best.routes():
        if hasattr(rt, "visits"):  # pyvrp < 0.14: location indices
            visits = [int(v) - nd + 1 for v in rt.visits()]
        else:  # pyvrp 0.14: scheduled activities, client idx = 0-based client index
            visits = [int(a.idx) + 1 for a in rt if a.is_client()]
        if visits:
            routes.append(visits)
            types.append(type_at[int(rt.start_depot())])
    return routes, types, el


def one(name: str, t: float, seed: int) -> dict[str, Any]:
    d = folder()
    inst = read_vrplib(d / f"{name}.vrp")
    _, bks_internal = read_md_solution(d / f"{name}.sol", inst)
    bks = None if bks_internal is None else bks_internal / 1000.0
    row: dict[str, Any] = {"instance": name, "bks": bks, "time": t, "seed": seed}
    t0 = time.perf_counter()
    runs: list[tuple[str, list[list[int]] | None, list[int] | None]] = []
    try:
        res = solve(inst, time_limit=t, seed=seed)
        lm = [r for r in res.solution.routes if r.visits]
        row["lastmile_algorithm"] = res.algorithm
        row["lastmile_iterations"] = res.iterations
        runs.append(("lastmile", [list(r.visits) for r in lm], [r.vehicle_type for r in lm]))
    except InfeasibleError as exc:  # no feasible solution in the budget: reported, not dropped
        row["lastmile_error"] = f"InfeasibleError: {exc}"
    row["lastmile_s"] = time.perf_counter() - t0
    runs.append(("pyvrp", None, None))
    for key, routes, types in runs:
        if routes is None:
            try:
                routes, types, el = run_pyvrp(d / f"{name}.vrp", inst, t, seed)
                row["pyvrp_s"] = el
            except Exception as exc:  # reported in the table, never silently dropped
                row[f"{key}_error"] = f"{type(exc).__name__}: {exc}"
                continue
        rep = check(inst, routes, types)
        record_check(row, key, rep, 3)
    print(json.dumps(row), flush=True)
    return row


def table(files: list[str]) -> str:
    def missing(r: dict[str, Any], s: str) -> str:
        return "no feasible" if "Infeasible" in r.get(f"{s}_error", "") else "error"

    return gap_table(read_rows(files, ALL), 3, missing_cell=missing)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--time", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--table", action="store_true", help="names are JSON-lines result files")
    args = ap.parse_args()
    if args.table:
        print(table(args.names))
        return 0
    for name in args.names or DEFAULT:
        one(name, args.time, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
