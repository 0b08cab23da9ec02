"""Worker side of the quality bench: run one solver on one instance, return its routes.

Each runner returns plain data (routes, vehicle types, reported cost, runtime, iterations,
status); the parent process re-evaluates the routes itself and never trusts a reported cost.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from cvrp_instances import InstanceInfo, load_instance


class Unavailable(RuntimeError):
    """The solver is not installed or cannot handle this instance."""


def _routes_of_core_solution(sol: Any) -> tuple[list[list[int]], list[int]]:
    routes = [list(r.visits) for r in sol.routes if len(r.visits)]
    types = [int(r.vehicle_type) for r in sol.routes if len(r.visits)]
    return routes, types


def run_lastmile(
    info: InstanceInfo, t: float, seed: int, threads: int, params: dict[str, float] | None = None
) -> dict[str, Any]:
    import lastmile_core as lm

    solve = getattr(lm, "solve", None)
    if solve is None:
        raise Unavailable("lastmile_core.solve is not available in this build")
    inst = load_instance(info)
    res = solve(inst, time_limit=t, seed=seed, threads=threads, **(params or {}))
    routes, types = _routes_of_core_solution(res.solution)
    history = list(getattr(res, "history", []))
    return {
        "routes": routes,
        "vehicle_types": types,
        "reported_cost": float(res.cost),
        "runtime_s": float(res.runtime_s),
        "iterations": int(getattr(res, "iterations", -1)),
        "last_improvement_s": float(history[-1][0]) if history else float("nan"),
        "algorithm": str(getattr(res, "algorithm", "")),
        "symmetric": bool(getattr(inst.data, "symmetric", True)),
        "status": "done",
    }


def _pyvrp_last_improvement(stats: Any) -> float:
    """Seconds until the last iteration that improved PyVRP's best feasible cost."""
    elapsed, last, best = 0.0, float("nan"), float("inf")
    for dt, datum in zip(stats.runtimes, stats.data, strict=False):
        elapsed += dt
        if datum.best_feas and datum.best_cost < best:
            best, last = datum.best_cost, elapsed
    return last


def run_ortools(info: InstanceInfo, t: float, seed: int, threads: int) -> dict[str, Any]:
    try:
        import ortools  # noqa: F401

        from lastmile_core.reference import solve_ortools
    except ImportError as exc:
        raise Unavailable(str(exc)) from None
    inst = load_instance(info)
    res = solve_ortools(inst, time_limit=t, seed=seed)
    return {
        "routes": res.routes,
        "vehicle_types": res.vehicle_types,
        "reported_cost": res.objective,
        "runtime_s": res.runtime_s,
        "iterations": -1,
        "status": res.status,
    }


def run_pyvrp(info: InstanceInfo, t: float, seed: int, threads: int) -> dict[str, Any]:
    try:
        import numpy as np
        import pyvrp
        from pyvrp.stop import MaxRuntime
    except ImportError as exc:
        raise Unavailable(f"pyvrp not installed ({exc})") from None
    if info.distance == "EUC_2D_rounded":
        round_func: Any = "round"
    elif info.distance == "EUC_2D_real":  # our internal scale for unrounded Euclidean

        def round_func(x: Any) -> Any:
            return np.rint(np.asarray(x) * 1000).astype(np.int64)
    else:
        round_func = "none"
    data = pyvrp.read(str(info.path), round_func=round_func)
    if info.fleet is not None:
        data = data.replace(
            vehicle_types=[vt.replace(num_available=info.fleet) for vt in data.vehicle_types()]
        )
    start = time.perf_counter()
    res = pyvrp.solve(data, stop=MaxRuntime(t), seed=seed, display=False)
    runtime = time.perf_counter() - start
    nd = data.num_depots
    routes: list[list[int]] = []
    for rt in res.best.routes():
        if hasattr(rt, "visits"):  # pyvrp < 0.14: location indices
            visits = [int(v) for v in rt.visits()]
        else:  # pyvrp 0.14: scheduled activities; client activity idx is the client index
            visits = [int(a.idx) + nd for a in rt if a.is_client()]
        if visits:
            routes.append(visits)
    return {
        "routes": routes,
        "vehicle_types": [0] * len(routes),
        "reported_cost": float(res.cost()),
        "runtime_s": runtime,
        "iterations": int(res.num_iterations),
        "last_improvement_s": _pyvrp_last_improvement(res.stats),
        "status": "feasible" if res.is_feasible() else "infeasible",
    }


def run_hygese(info: InstanceInfo, t: float, seed: int, threads: int) -> dict[str, Any]:
    try:
        import numpy as np
        import vrplib
        from hygese import AlgorithmParameters, Solver
    except (ImportError, OSError) as exc:
        raise Unavailable(f"hygese not importable ({exc})") from None
    raw = vrplib.read_instance(str(info.path), compute_edge_weights=False)
    if info.distance != "EUC_2D_rounded" or raw.get("distance") is not None:
        raise Unavailable("hygese adapter only handles rounded EUC_2D CVRP here")
    xy = np.asarray(raw["node_coord"], dtype=float)
    data: dict[str, Any] = {
        "x_coordinates": xy[:, 0],
        "y_coordinates": xy[:, 1],
        "demands": np.asarray(raw["demand"], dtype=float),
        "vehicle_capacity": float(raw["capacity"]),
        "depot": 0,
    }
    if info.fleet is not None:
        data["num_vehicles"] = info.fleet
    # nbIter (iterations without improvement) huge so that the time limit governs.
    params = AlgorithmParameters(timeLimit=float(t), seed=int(seed), nbIter=2**30)
    start = time.perf_counter()
    res = Solver(parameters=params, verbose=False).solve_cvrp(data, rounding=True)
    runtime = time.perf_counter() - start
    routes = [[int(c) for c in r] for r in res.routes if len(r)]
    return {
        "routes": routes,
        "vehicle_types": [0] * len(routes),
        "reported_cost": float(res.cost),
        "runtime_s": runtime,
        "iterations": -1,
        "status": "done",
    }


def run_lastmile_two_threads(
    info: InstanceInfo, t: float, seed: int, threads: int
) -> dict[str, Any]:
    """lastmile with threads=2 whatever --threads says (threads=1 vs 2 in the same run)."""
    return run_lastmile(info, t, seed, 2)


def run_lastmile_peer(info: InstanceInfo, t: float, seed: int, threads: int) -> dict[str, Any]:
    """lastmile with the engine parameters of $LASTMILE_PEER_PARAMS (JSON; compare.py
    --peer-params), so that a parameter change runs side by side with the defaults."""
    params = json.loads(os.environ.get("LASTMILE_PEER_PARAMS", "{}"))
    return run_lastmile(info, t, seed, threads, params)


RUNNERS = {
    "peer": run_lastmile_peer,
    "lastmile": run_lastmile,
    "baseline": run_lastmile,  # the same runner on another build (--baseline DIR on PYTHONPATH)
    "lastmile2": run_lastmile_two_threads,
    "baseline2": run_lastmile_two_threads,  # the baseline build with threads=2
    "ortools": run_ortools,
    "pyvrp": run_pyvrp,
    "hygese": run_hygese,
}
