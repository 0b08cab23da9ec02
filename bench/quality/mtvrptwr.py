"""MTVRPTWR quality bench: lastmile_core vs PyVRP vs the OR-Tools reference on the multi-trip
VRPTW instances with release times of Yang (2023/2024) shipped in
``$LASTMILE_DATA/pyvrp_instances/MTVRPTWR`` (Solomon / Gehring-Homberger based, 100 and 200
clients, reloads at the depot), same run, same budget, one thread each, gap to the costs of the
``.sol`` files (DIMACS convention: distances and times truncated to one decimal; cost = total
distance, reported in the files' units divided by 10).

All three read the same file with the same rounding (PyVRP: ``read(path, round_func="dimacs")``;
lastmile and OR-Tools: ``io.read_vrplib``); every solution is re-evaluated and checked by the
independent checker (``lastmile_core.check``, reload visits included), whose cost is the one
reported. A solver that refuses the instance with an InputError (lastmile's search before it
plans reloads) is reported as "refused: <message>". OR-Tools' time is its search time limit;
its model build (with the greedy start of :mod:`lastmile_core.reference.ortools_reload`) comes
on top and is stored as ``ortools_build_s``.

Usage: python bench/quality/mtvrptwr.py [--time 10] [--seed 1] [--solvers lastmile,pyvrp,ortools]
           [names] > f.json
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
from lastmile_core.errors import InputError
from lastmile_core.io import read_vrplib
from lastmile_core.io.vrplib_mt import read_mt_solution

#: Across the C2 / R2 / RC2 families, release shares 0.25 / 0.5 / 0.75 and both sizes, fixed
#: before any run.
DEFAULT = [
    "C201R0.25",
    "C205R0.5",
    "R201R0.5",
    "R205R0.75",
    "RC202R0.25",
    "RC206R0.5",
    "C2_2_02R0.25",
    "R2_2_03R0.5",
]
SOLVERS = ("lastmile", "pyvrp", "ortools")


def folder() -> Path:
    return data_folder("MTVRPTWR")


def run_pyvrp(path: Path, num_clients: int, t: float, seed: int) -> tuple[list[list[int]], float]:
    """PyVRP's best routes as our node indices: clients 1..n, a reload at depot d as its node
    (0, or n + d)."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="dimacs")
    t0 = time.perf_counter()
    res = pyvrp.solve(data, stop=MaxRuntime(t), seed=seed, display=False)
    el = time.perf_counter() - t0
    routes: list[list[int]] = []
    for rt in res.best.routes():
        acts = list(rt)  # pyvrp 0.14: scheduled activities, depots at both ends and at reloads
        visits: list[int] = []
        for p, a in enumerate(acts):
            if a.is_client():
                visits.append(int(a.idx) + 1)  # idx: 0-based client index
            elif 0 < p < len(acts) - 1:  # a reload visit
                d = int(a.idx)
                visits.append(0 if d == 0 else num_clients + d)
        if any(1 <= v <= num_clients for v in visits):
            routes.append(visits)
    return routes, el


def one(name: str, t: float, seed: int, solvers: tuple[str, ...]) -> dict[str, Any]:
    d = folder()
    inst = read_vrplib(d / f"{name}.vrp")
    _, sol_cost = read_mt_solution(d / f"{name}.sol")
    bks = None if sol_cost is None else sol_cost / 10.0
    row: dict[str, Any] = {"instance": name, "bks": bks, "time": t, "seed": seed}
    for key in solvers:
        t0 = time.perf_counter()
        try:
            if key == "lastmile":
                res = solve(inst, time_limit=t, seed=seed)
                kept = [r for r in res.solution.routes if r.visits]
                routes, types = [list(r.visits) for r in kept], [r.vehicle_type for r in kept]
                row["lastmile_iterations"] = res.iterations
            elif key == "pyvrp":
                routes, el = run_pyvrp(d / f"{name}.vrp", inst.num_clients, t, seed)
                types = [0] * len(routes)
            else:
                from lastmile_core.reference import solve_ortools

                ref = solve_ortools(inst, time_limit=t)
                routes, types = ref.routes, ref.vehicle_types
                row["ortools_build_s"] = round(ref.build_s, 2)
                row["ortools_status"] = ref.status
                row["ortools_objective"] = ref.objective
                if ref.solution is None:
                    row["ortools_error"] = f"no solution ({ref.status})"
                    continue
        except InputError as exc:
            row[f"{key}_error"] = f"refused: {exc}"
            continue
        except Exception as exc:  # reported in the table, never silently dropped
            row[f"{key}_error"] = f"{type(exc).__name__}: {exc}"
            continue
        finally:
            row[f"{key}_s"] = round(time.perf_counter() - t0, 2)
        rep = check(inst, routes, types)
        record_check(row, key, rep, 1)
        row[f"{key}_reloads"] = sum(1 for r in routes for c in r if c == 0 or c > inst.num_clients)
    print(json.dumps(row), flush=True)
    return row


def table(files: list[str]) -> str:
    def missing(r: dict[str, Any], s: str) -> str:
        if f"{s}_error" not in r:  # not asked for in that run (--solvers)
            return "not run"
        err = str(r.get(f"{s}_error", "error"))
        return err if err.startswith("refused") or err.startswith("no solution") else "error"

    return gap_table(read_rows(files, DEFAULT), 1, missing_cell=missing, solvers=SOLVERS)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--time", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--solvers", default=",".join(SOLVERS))
    ap.add_argument("--table", action="store_true", help="names are JSON-lines result files")
    args = ap.parse_args()
    if args.table:
        print(table(args.names))
        return 0
    solvers = tuple(s for s in args.solvers.split(",") if s)
    unknown = [s for s in solvers if s not in SOLVERS]
    if unknown:
        ap.error(f"--solvers: unknown {unknown} (expected some of {', '.join(SOLVERS)})")
    for name in args.names or DEFAULT:
        one(name, args.time, args.seed, solvers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
