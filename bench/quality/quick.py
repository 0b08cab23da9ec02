"""Quick quality check of lastmile_core.solve on CVRPLIB instances: prints the gap to the BKS.

Usage: python bench/quality/quick.py [--time 10] [--seed 1] [--threads 1] [names...]
Default names: the 10-instance X list. Needs LASTMILE_DATA (e.g. /work/shared/data).
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
import time
from pathlib import Path

import numpy as np
import vrplib

import lastmile_core as lc

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cvrp_instances import DEFAULT as X10  # noqa: E402


def load(root: Path, name: str) -> tuple[lc.ProblemData, str]:
    """Builds ProblemData for a CVRPLIB instance (A/B/P: exactly k vehicles; others unlimited)."""
    sub = name.split("-")[0] if "-" in name else "XXL"
    path = root / "cvrplib" / sub / f"{name}.vrp"
    inst = vrplib.read_instance(str(path), compute_edge_weights=False)
    coords = np.asarray(inst["node_coord"], dtype=float)
    demand = np.asarray(inst["demand"], dtype=np.int64).reshape(-1, 1)
    k = None
    m = re.search(r"-k(\d+)$", name)
    if m and sub in ("A", "B", "P"):
        k = int(m.group(1))
    vt = lc.VehicleType([int(inst["capacity"])], num_available=k)
    dense_limit = 4000
    data = lc.ProblemData(
        coords, demand, np.zeros(len(coords), dtype=np.int64), [vt], dense_limit=dense_limit
    )
    return data, str(path)


def bks_table(root: Path) -> dict[str, float]:
    with open(root / "cvrplib" / "bks.csv") as f:
        return {r["instance"]: float(r["bks"]) for r in csv.DictReader(f)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="*", default=X10)
    ap.add_argument("--time", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--param", action="append", default=[], help="name=value engine parameter")
    args = ap.parse_args()
    root = Path(os.environ.get("LASTMILE_DATA", "/work/shared/data"))
    bks = bks_table(root)
    params = {k: float(v) for k, v in (p.split("=", 1) for p in args.param)}
    gaps = []
    for name in args.names:
        data, _ = load(root, name)
        t0 = time.perf_counter()
        res = lc.solve(data, time_limit=args.time, seed=args.seed, threads=args.threads, **params)
        wall = time.perf_counter() - t0
        gap = 100.0 * (res.cost - bks[name]) / bks[name]
        gaps.append(gap)
        first = res.history[0] if res.history else (float("nan"), float("nan"))
        print(
            f"{name:14s} cost {res.cost:10.0f} bks {bks[name]:10.0f} gap {gap:6.2f}% "
            f"iters {res.iterations:7d} wall {wall:6.2f}s first ({first[0]:.2f}s, {first[1]:.0f}) "
            f"{res.algorithm}",
            flush=True,
        )
    print(f"average gap {np.mean(gaps):.2f}% over {len(gaps)} instances at {args.time:g}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
