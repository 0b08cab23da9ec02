"""Driver-break bench: synthetic station-days (``examples.station``, a share of stops with a
2-hour delivery window) solved without and with a 30-min break in 11:00-13:00, lastmile_core vs
the OR-Tools reference (``reference.solve_ortools``, breaks as ``SetBreakIntervalsOfVehicle``),
same run, same budget, one thread each (OR-Tools: first solution LOCAL_CHEAPEST_INSERTION with and
without the break, its default with breaks; PATH_CHEAPEST_ARC found none in 20 s without it). Every solution is re-checked by the independent checker
(``lastmile_core.check``), whose cost is the one reported.

Usage: python bench/quality/breaks.py [--time 20] [--seeds 1 2 3] [--packages 400] > f.json
       python bench/quality/breaks.py --table f.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from lastmile_core import examples, solve
from lastmile_core.check import check
from lastmile_core.instance import VehicleSpec
from lastmile_core.reference import solve_ortools


def van(with_break: bool) -> VehicleSpec:
    return VehicleSpec(
        capacity=(250, 8000, 1000),
        fixed_cost=100.0,
        cost_per_distance=0.5,
        cost_per_duration=30.0 / 3600.0,
        max_duration=9 * 3600.0,
        name="midvan",
        break_duration=1800.0 if with_break else 0.0,
        break_window=("11:00", "13:00") if with_break else None,
    )


def run(seed: int, packages: int, budget: float, with_break: bool) -> list[dict[str, Any]]:
    inst = examples.station(
        seed=seed, n_packages=packages, window_share=0.2, vehicle_types=[van(with_break)]
    )
    rows = []
    t = time.perf_counter()
    res = solve(inst, time_limit=budget, seed=1)
    lm_s = time.perf_counter() - t
    ref = solve_ortools(inst, time_limit=budget, first_solution="LOCAL_CHEAPEST_INSERTION")
    for name, sol, secs, extra in (
        ("lastmile", res.solution, lm_s, {"iterations": res.iterations}),
        ("ortools", ref.solution, ref.runtime_s, {"objective": ref.objective}),
    ):
        row: dict[str, Any] = {
            "seed": seed,
            "clients": inst.num_clients,
            "break": with_break,
            "solver": name,
            "seconds": round(secs, 2),
            **extra,
        }
        if sol is None:
            row.update(cost=None, routes=None, feasible=False)
        else:
            rep = check(inst, sol)
            row.update(cost=rep.cost, routes=rep.num_routes, feasible=rep.feasible)
            if with_break:
                row["routes_with_break"] = sum(r.break_after is not None for r in sol.routes)
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| seed | clients | break | lastmile cost | routes | OR-Tools cost | routes | gap % |",
        "|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    key = {(r["seed"], r["break"], r["solver"]): r for r in rows}
    for seed, brk in sorted({(r["seed"], r["break"]) for r in rows}):
        a, b = key[(seed, brk, "lastmile")], key[(seed, brk, "ortools")]
        gap = "" if b["cost"] is None else f"{100 * (b['cost'] - a['cost']) / a['cost']:.2f}"
        bc = "-" if b["cost"] is None else f"{b['cost']:.2f}"
        out.append(
            f"| {seed} | {a['clients']} | {'30 min' if brk else 'none'} | {a['cost']:.2f} | "
            f"{a['routes']} | {bc} | {b['routes']} | {gap} |"
        )
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time", type=float, default=20.0)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--packages", type=int, default=400)
    ap.add_argument("--table", nargs="*")
    a = ap.parse_args()
    if a.table:
        rows = [r for f in a.table for r in json.load(open(f))]
        print(table(rows))
        return
    rows = []
    for seed in a.seeds:
        for with_break in (False, True):
            rows += run(seed, a.packages, a.time, with_break)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
