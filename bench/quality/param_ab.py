"""Parameter A/B bench, lastmile only: the same instances under several solver settings, run
back to back per instance (so each setting of an instance sees about the same load), gap to the
BKS by the independent checker's cost.

Sets: VRPTW, HFVRP, VRPB (``$LASTMILE_DATA/pyvrp_instances``) and CVRP (CVRPLIB names, X list by
default, XL/DIMACS names from ``cvrplib_more``). Prints one JSON line per run, then per setting
the mean gap and on how many instances it is below the first setting.

Usage: python bench/quality/param_ab.py --set VRPTW --time 30 --seed 1 \\
           --configs '{"off": {"sisr_polish_share": 0}, "on": {"sisr_polish_share": 0.05}}' [names]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from statistics import mean
from typing import Any

import cvrp_instances
import hfvrp
import vrpb
import vrptw

from lastmile_core import solve
from lastmile_core.check import check
from lastmile_core.io import read_solution_with_cost, read_vrplib


def load(kind: str, name: str) -> tuple[Any, float, float]:
    """(instance, BKS in reported units, cost scale)."""
    if kind == "CVRP":
        root = Path(os.environ["LASTMILE_DATA"])
        info = cvrp_instances.resolve_instances([name], [root / "cvrplib", root / "cvrplib_more"])
        if info[0].bks is None:
            raise SystemExit(f"{name}: no BKS")
        return cvrp_instances.load_instance(info[0]), float(info[0].bks), 1.0
    folder = {"VRPTW": vrptw.folder, "HFVRP": hfvrp.folder, "VRPB": vrpb.folder}[kind]()
    inst = read_vrplib(folder / f"{name}.vrp")
    if kind == "HFVRP":
        return inst, hfvrp.bks(inst, folder / f"{name}.sol"), float(inst.metadata["cost_scale"])
    return inst, float(read_solution_with_cost(folder / f"{name}.sol")[1]), 1.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--set", required=True, choices=["VRPTW", "HFVRP", "VRPB", "CVRP"])
    ap.add_argument("--time", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--configs", required=True, help="JSON: {tag: {param: value}}")
    args = ap.parse_args()
    configs: dict[str, dict[str, float]] = json.loads(args.configs)
    default = {
        "VRPTW": vrptw.DEFAULT,
        "HFVRP": hfvrp.DEFAULT,
        "VRPB": vrpb.DEFAULT,
        "CVRP": cvrp_instances.DEFAULT,
    }
    gaps: dict[str, dict[str, float]] = {tag: {} for tag in configs}
    for name in args.names or default[args.set]:
        inst, bks, scale = load(args.set, name)
        for tag, params in configs.items():
            res = solve(inst, time_limit=args.time, seed=args.seed, **params)
            rs = [r for r in res.solution.routes if len(r.visits)]
            rep = check(inst, [list(r.visits) for r in rs], [int(r.vehicle_type) for r in rs])
            if not rep.feasible:
                raise SystemExit(f"{name} {tag}: infeasible: {rep.violations[:3]}")
            cost = rep.cost / scale
            gaps[tag][name] = 100.0 * (cost - bks) / bks
            row = {"set": args.set, "instance": name, "tag": tag, "time": args.time}
            row |= {"seed": args.seed, "cost": cost, "gap": round(gaps[tag][name], 3)}
            print(json.dumps(row | {"routes": len(rs), "iterations": res.iterations}), flush=True)
    first = next(iter(configs))
    for tag, g in gaps.items():
        below = sum(g[n] < gaps[first][n] for n in g)
        print(f"{tag}: mean gap {mean(g.values()):.3f} % over {len(g)}; below {first} on {below}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
