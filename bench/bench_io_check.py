"""Timings of read_vrplib and the independent checker against the C++ evaluation.

Run: LASTMILE_DATA=/work/shared/data python bench/bench_io_check.py [instance ...]
Prints seconds and the checker / C++ Solution time ratio (same process, same routes).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from lastmile_core import check
from lastmile_core.io import read_solution, read_vrplib


def _best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(names: list[str]) -> None:
    root = Path(os.environ.get("LASTMILE_DATA", "")) / "cvrplib"
    if not root.is_dir():
        raise SystemExit("set LASTMILE_DATA to the shared data directory")
    print(f"{'instance':<14}{'clients':>8}{'read s':>9}{'check s':>10}{'C++ s':>9}{'ratio':>7}")
    for name in names:
        vrp = next(root.glob(f"*/{name}.vrp"))
        t_read = _best(lambda v=vrp: read_vrplib(v), repeat=2)
        inst = read_vrplib(vrp)
        routes = read_solution(vrp.with_suffix(".sol"))
        t_check = _best(lambda i=inst, r=routes: check(i, r))
        t_cpp = _best(lambda i=inst, r=routes: i.solution(r))
        print(
            f"{name:<14}{inst.num_clients:>8}{t_read:>9.3f}{t_check:>10.4f}{t_cpp:>9.4f}"
            f"{t_check / t_cpp:>7.1f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["X-n1001-k43", "Leuven1", "Antwerp1", "Ghent1", "Brussels1", "Flanders1"])
