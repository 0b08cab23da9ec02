"""Station-days and solved routes for SPR fixtures and validation (bench/test code only).

A *geometry* is ``examples.station(seed, ...)``: the zone layout depends only on the seed, so a
*day* at volume P is ``station(seed, P + day)`` (a different demand draw on the same zones, the
volume differing by a few packages). Routes come from ``lastmile_core.solve`` ("engine", the
default) or from the fallback builder in ``spr_fallback_router`` (labelled in the output).
"""

from __future__ import annotations

import sys
from pathlib import Path

import lastmile_core as lm
from lastmile_core import examples, spr
from lastmile_core.instance import VehicleSpec

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spr_fallback_router import build_routes  # noqa: E402

VANS = {
    "midvan": examples.DEFAULT_VAN,
    "midvan6h": VehicleSpec(
        capacity=(250, 8000, 1000),
        fixed_cost=100.0,
        cost_per_distance=0.5,
        cost_per_duration=30.0 / 3600.0,
        max_duration=6 * 3600.0,
        name="midvan6h",
    ),
    # never used in training: a larger van with the same 8-h shift
    "largevan": VehicleSpec(
        capacity=(400, 13000, 1600),
        fixed_cost=130.0,
        cost_per_distance=0.6,
        cost_per_duration=30.0 / 3600.0,
        max_duration=8 * 3600.0,
        name="largevan",
    ),
}


ROUTERS = ("auto", "engine", "fallback", "ortools", "truth")
FALLBACK_LABEL = "fallback sweep+insertion+2-opt (bench/quality/spr_fallback_router.py)"
ORTOOLS_LABEL = "OR-Tools savings + guided local search (bench/quality/spr_ortools_router.py)"
TRUTH_LABEL = "better of lastmile_core.solve and PyVRP per station-day (bench/quality/spr_truth.py)"


def _resolve(router: str) -> str:
    if router not in ROUTERS:
        raise ValueError(f"router: unknown {router!r} (expected one of {ROUTERS})")
    if router == "auto":
        return "engine"
    return router


def router_name(router: str = "auto") -> str:
    r = _resolve(router)
    return {
        "engine": "lastmile_core.solve",
        "fallback": FALLBACK_LABEL,
        "ortools": ORTOOLS_LABEL,
        "truth": TRUTH_LABEL,
    }[r]


def station_day(seed: int, packages: int, day: int, van: str):
    return examples.station(seed, packages + day, vehicle_types=[VANS[van]])


def solve_routes(instance, time_limit: float = 2.0, seed: int = 0, router: str = "auto"):
    r = _resolve(router)
    if r == "fallback":
        return instance.solution(build_routes(instance))
    if r == "ortools":
        from spr_ortools_router import build_routes_ortools

        return instance.solution(build_routes_ortools(instance, time_limit))
    result = lm.solve(instance, time_limit=time_limit, seed=seed, threads=1)
    return getattr(result, "solution", result)


def observe_day(
    seed: int, packages: int, day: int, van: str, time_limit: float = 2.0, router: str = "auto"
) -> spr.Observations:
    inst = station_day(seed, packages, day, van)
    sol = solve_routes(inst, time_limit=time_limit, seed=day, router=router)
    obs = spr.observe(inst, sol, station=f"s{seed}", day=f"{packages}-{day}", city="synthetic")
    obs.routes["volume_level"] = packages
    return obs
