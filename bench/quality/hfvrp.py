"""HFVRP quality bench: lastmile_core vs PyVRP on the heterogeneous fleet instances of Pessoa et
al. (2018) shipped in ``$LASTMILE_DATA/pyvrp_instances/HFVRP``, same run, same budget, one
thread each, gap to the BKS of the ``.sol`` files.

Both solvers read the same file with the same rounding (PyVRP: ``read(path,
round_func="exact")``; lastmile: ``io.read_vrplib``, rounding "exact": edges kept to 1/1000,
integer costs, instance cost = PyVRP's objective). Every solution of both is re-evaluated and
checked feasible by the independent checker (``lastmile_core.check``), whose cost is the one
reported, in published units (instance cost / ``metadata["cost_scale"]``). The BKS is the
``Cost`` of the ``.sol`` (two decimals: published; integer: PyVRP's exact objective, divided by
the cost scale).

Default spread: two instances of each type (HVRP, HD: limited fleet; FSMF, FSMD, FSMFD:
unlimited), 120-330 clients.

Usage: python bench/quality/hfvrp.py [--time 10] [--seed 1] [--shard 0/1] [--algorithm auto]
           [--no-peer] [names] > f.json
       python bench/quality/hfvrp.py --table f1.json f2.json ...
"""

from __future__ import annotations

import argparse
import json
import re
import time
from pathlib import Path
from typing import Any

from peer_table import data_folder, gap_table, read_rows, record_check

from lastmile_core import Instance, solve
from lastmile_core.check import check
from lastmile_core.io import read_vrplib

DEFAULT = [
    "X148-HVRP",
    "X247-HVRP",
    "X139-HD",
    "X322-HD",
    "X120-FSMF",
    "X308-FSMF",
    "X134-FSMD",
    "X313-FSMD",
    "X129-FSMFD",
    "X303-FSMFD",
]


def folder() -> Path:
    return data_folder("HFVRP")


def bks(inst: Instance, sol: Path) -> float:
    """The ``.sol`` cost in published units."""
    m = re.search(r"^Cost:\s*(\S+)", sol.read_text(), re.M)
    if m is None:
        raise SystemExit(f"{sol}: no Cost line")
    text = m.group(1)
    return float(text) if "." in text else float(text) / float(inst.metadata["cost_scale"])


def run_pyvrp(
    path: Path, inst: Instance, t: float, seed: int
) -> tuple[list[list[int]], list[int], float]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp.read(str(path), round_func="exact")
    # PyVRP's vehicle types -> ours, by their attributes (capacities scaled by 1000 by "exact").
    ours = {
        (int(s.capacity) * 1000, float(s.fixed_cost), float(s.cost_per_distance) / 1000.0): k  # type: ignore[arg-type]
        for k, s in enumerate(inst.vehicle_specs)
    }
    mapping = [
        ours[(int(vt.capacity[0]), float(vt.fixed_cost), float(vt.unit_distance_cost))]
        for vt in data.vehicle_types()
    ]
    t0 = time.perf_counter()
    res = pyvrp.solve(data, stop=MaxRuntime(t), seed=seed, display=False)
    el = time.perf_counter() - t0
    nd = data.num_depots
    routes: list[list[int]] = []
    types: list[int] = []
    for rt in res.best.routes():
        if hasattr(rt, "visits"):  # pyvrp < 0.14: location indices
            visits = [int(v) for v in rt.visits()]
        else:  # pyvrp 0.14: scheduled activities, client idx = client index - depots
            visits = [int(a.idx) + nd for a in rt if a.is_client()]
        if visits:
            routes.append(visits)
            types.append(mapping[rt.vehicle_type()])
    return routes, types, el


def one(
    name: str, t: float, seed: int, algorithm: str = "auto", peer: bool = True
) -> dict[str, Any]:
    d = folder()
    inst = read_vrplib(d / f"{name}.vrp")
    scale = float(inst.metadata["cost_scale"])
    row: dict[str, Any] = {
        "instance": name,
        "bks": bks(inst, d / f"{name}.sol"),
        "clients": inst.num_clients,
        "types": len(inst.vehicle_specs),
        "time": t,
        "seed": seed,
    }
    t0 = time.perf_counter()
    res = solve(inst, time_limit=t, seed=seed, algorithm=algorithm)
    row["lastmile_s"] = time.perf_counter() - t0
    row["lastmile_algorithm"] = res.algorithm
    lm = [(list(r.visits), int(r.vehicle_type)) for r in res.solution.routes if r.visits]
    sols: dict[str, tuple[list[list[int]], list[int]] | None] = {
        "lastmile": ([v for v, _ in lm], [k for _, k in lm]),
    }
    if peer:
        sols["pyvrp"] = None
    for key, sol in sols.items():
        if sol is None:
            try:
                routes, types, el = run_pyvrp(d / f"{name}.vrp", inst, t, seed)
                sol = (routes, types)
                row["pyvrp_s"] = el
            except Exception as exc:  # reported in the table, never silently dropped
                row[f"{key}_error"] = f"{type(exc).__name__}: {exc}"
                continue
        rep = check(inst, sol[0], sol[1])
        record_check(row, key, rep, 2, scale)
        row[f"{key}_type_use"] = [sol[1].count(k) for k in range(len(inst.vehicle_specs))]
    print(json.dumps(row), flush=True)
    return row


def table(files: list[str]) -> str:
    def missing(r: dict[str, Any], s: str) -> str:
        return "-" if s == "pyvrp" and f"{s}_error" not in r else "error"

    return gap_table(
        read_rows(files, DEFAULT),
        2,
        lead=("n", "types"),
        lead_cells=lambda r: [str(r["clients"]), str(r["types"])],
        missing_cell=missing,
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*")
    ap.add_argument("--time", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shard", default="0/1", help="k/m: run every m-th instance from the k-th")
    ap.add_argument("--table", action="store_true", help="names are JSON-lines result files")
    ap.add_argument("--algorithm", default="auto", help="lastmile's algorithm (auto, sisr, hgs)")
    ap.add_argument("--no-peer", action="store_true", help="lastmile only (no PyVRP run)")
    args = ap.parse_args()
    if args.table:
        print(table(args.names))
        return 0
    k, m = (int(x) for x in args.shard.split("/"))
    names = (args.names or DEFAULT)[k::m]
    for name in names:
        one(name, args.time, args.seed, args.algorithm, not args.no_peer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
