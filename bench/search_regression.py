"""Fixed-iteration regression of the routing engine: same seed and iteration budget, one thread,
so the costs must not change when the search is refactored without intended behaviour changes.

Usage: python bench/search_regression.py OUT.json [BEFORE.json]  (compares when BEFORE is given)
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from typing import Any

import numpy as np

import lastmile_core as lc
from lastmile_core import energy, examples, io

X = os.path.join(os.environ.get("LASTMILE_DATA", "/work/shared/data"), "cvrplib", "X")


def cases() -> Iterator[tuple[str, Any, int, dict[str, float]]]:
    """(name, instance, max_iterations, params); algorithm 1 = HGS, 2 = SISR."""
    for name, it, alg in (
        ("X-n101-k25", 300, 1),
        ("X-n256-k16", 150, 1),
        ("X-n502-k39", 60000, 2),
        ("X-n502-k39", 40, 1),
        ("X-n101-k25", 20000, 2),
    ):
        inst = io.read_vrplib(os.path.join(X, name + ".vrp"))
        yield name + ("-hgs" if alg == 1 else "-sisr"), inst, it, {"algorithm": alg}
    rng = np.random.default_rng(5)
    n = 120
    coords = rng.uniform(0, 100, size=(n + 1, 2))
    demand = rng.integers(1, 10, size=(n + 1, 1))
    service = rng.integers(0, 10, size=n + 1)
    types = [
        lc.VehicleType([30], num_available=6, fixed_cost=50.0, cost_per_distance=1.0),
        lc.VehicleType(
            [60], num_available=4, fixed_cost=120.0, cost_per_distance=1.5, cost_per_duration=0.1
        ),
        lc.VehicleType([20], fixed_cost=20.0, cost_per_distance=0.8, max_duration=400),
    ]
    data = lc.ProblemData(coords, demand, service, types)
    yield "hetero-120-hgs", data, 300, {"algorithm": 1}
    yield "hetero-120-sisr", data, 20000, {"algorithm": 2}
    van = energy.Vehicle.preset("small_van")
    spec = lc.VehicleSpec(
        capacity=(250, 8000, 600),  # small_van carries 600 kg
        fixed_cost=100.0,
        cost_per_distance=0.5,
        cost_per_duration=30.0 / 3600.0,
        max_duration=8 * 3600.0,
        name="ev",
        battery_kwh=24.0,
        reserve_kwh=2.0,
        energy_vehicle=van,
        ambient_c=-7.0,
        payload_dim="weight_kg",
    )
    inst = examples.station(3, n_packages=300, vehicle_types=[spec])
    yield "ev-station-300-hgs", inst, 60, {"algorithm": 1}
    yield "ev-station-300-sisr", inst, 8000, {"algorithm": 2}


def main(argv: list[str]) -> int:
    out: dict[str, float] = {}
    for name, inst, it, kw in cases():
        t = time.time()
        r = lc.solve(inst, time_limit=600, seed=3, max_iterations=it, threads=1, **kw)
        out[name] = r.cost
        print(
            f"{name:22s} {r.cost!r:>22} feasible={r.feasible} {time.time() - t:5.1f}s", flush=True
        )
    with open(argv[1], "w") as f:
        json.dump(out, f, indent=1)
    if len(argv) > 2:
        with open(argv[2]) as f:
            before = json.load(f)
        print("\n| case | before | after | |\n|---|---|---|---|")
        for k, v in out.items():
            print(f"| {k} | {before[k]!r} | {v!r} | {'same' if before[k] == v else 'DIFF'} |")
        return 0 if all(before[k] == v for k, v in out.items()) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
