"""Wall time of a fixed number of search iterations (threads=1, seed 1, best of 3).

Usage: PYTHONPATH=<dir holding a lastmile_core build> python bench/iteration_time.py
Run it once per build, alternating, on a quiet machine; the costs must agree between builds
(same seed and iterations -> same search). Needs LASTMILE_DATA.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import vrplib

import lastmile_core as lc

CASES = [
    ("X-n101-k25", 400_000, "sisr"),
    ("X-n502-k39", 400_000, "sisr"),
    ("X-n1001-k43", 400_000, "sisr"),
    ("X-n101-k25", 300, "hgs"),
    ("X-n502-k39", 100, "hgs"),
]
ALGORITHM_CODE = {"hgs": 1, "sisr": 2}  # builds before the redesign took the algorithm as a number


def run(data: lc.ProblemData, iters: int, algorithm: str) -> float:
    try:
        return float(lc.solve(data, 600, 1, max_iterations=iters, algorithm=algorithm).cost)
    except lc.errors.InputError:
        return float(
            lc.solve(data, 600, 1, max_iterations=iters, algorithm=ALGORITHM_CODE[algorithm]).cost
        )


def main() -> None:
    root = Path(os.environ["LASTMILE_DATA"]) / "cvrplib" / "X"
    print(f"build: {lc.__file__}")
    for name, iters, algorithm in CASES:
        inst = vrplib.read_instance(str(root / f"{name}.vrp"), compute_edge_weights=False)
        coords = np.asarray(inst["node_coord"], float)
        demand = np.asarray(inst["demand"], np.int64).reshape(-1, 1)
        vt = lc.VehicleType([int(inst["capacity"])])
        data = lc.ProblemData(coords, demand, np.zeros(len(coords), np.int64), [vt])
        times, cost = [], 0.0
        for _ in range(3):
            t = time.perf_counter()
            cost = run(data, iters, algorithm)
            times.append(time.perf_counter() - t)
        print(
            f"{name} {algorithm} iterations={iters} best_of_3={min(times):.3f}s cost={cost}",
            flush=True,
        )


if __name__ == "__main__":
    main()
