"""Solved station-days that are not solver noise: the better of two independent routers.

Each station-day (``spr_data.station_day``) is solved by ``lastmile_core.solve`` and by PyVRP
(built from the same integer distance / duration matrices, demands, service times, capacities,
shift limit and cost weights as our Instance), each at the same budget on one thread. Both
solutions are checked with :func:`lastmile_core.check.check`; the feasible one with the lower
cost (the engine's objective, evaluated by the checker for both) is the truth. The record keeps
the winner, both costs and route counts and the gap between them.

Records are cached as JSON under a cache directory (``--cache DIR`` of spr_validation.py; keep it
outside the repository), one file per station-day x budget, so reruns do not solve again.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spr_data import station_day  # noqa: E402

import lastmile_core as lm  # noqa: E402
from lastmile_core import spr  # noqa: E402
from lastmile_core.check import check, round_half_away  # noqa: E402

#: integer cost scale for PyVRP: engine cost weights (per van, per metre, per second) times this,
#: rounded (bench vans: 5 / 6 per m, 83 per s (30/h: 0.4 % low), 1e6 / 1.3e6 per van). Larger
#: scales make arc costs dwarf PyVRP's capacity penalties (it then returns infeasible routes);
#: the truth compares both routers by the checker's cost, not by PyVRP's own objective.
COST_SCALE = 10000.0


def _engine(inst: Any, budget: float, seed: int) -> list[list[int]]:
    res = lm.solve(inst, time_limit=budget, seed=seed, threads=1)
    sol = getattr(res, "solution", res)
    return [[int(c) for c in r.visits] for r in sol.routes if len(r.visits)]


def pyvrp_data(inst: Any) -> Any:
    """A PyVRP ProblemData equal to ``inst`` (one depot, one vehicle type, no time windows)."""
    import pyvrp

    d = inst.data
    if len(d.vehicle_types) != 1 or d.has_time_windows:
        raise ValueError("pyvrp_data: one vehicle type and no time windows expected")
    dist = np.asarray(d.distance_matrix(), dtype=np.int64)
    if d.has_duration_matrix:
        dur = np.asarray(d.duration_matrix(), dtype=np.int64)
    else:  # the checker's rule: duration = round(distance * duration_per_distance)
        dur = round_half_away(dist.astype(float) * float(d.duration_per_distance))
    coords = np.asarray(d.coords, dtype=float)
    n = int(d.num_nodes)
    demand = np.asarray(d.demand, dtype=np.int64)
    svc = np.asarray(d.service_time, dtype=np.int64)
    vt = d.vehicle_types[0]
    spec = inst.vehicle_specs[0]
    # user cost weights: per van, per user distance unit (km), per user time unit (s)
    per_m = COST_SCALE * float(spec.cost_per_distance) / float(inst.distance_scale)
    per_s = COST_SCALE * float(spec.cost_per_duration) / float(inst.time_scale)
    locs = [pyvrp.Location(float(coords[i, 0]), float(coords[i, 1])) for i in range(n)]
    clients = [
        pyvrp.Client(location=i, delivery=[int(x) for x in demand[i]], service_duration=int(svc[i]))
        for i in range(1, n)
    ]
    vtype = pyvrp.VehicleType(
        num_available=n - 1,
        capacity=[int(c) for c in vt.capacity],
        fixed_cost=int(round(COST_SCALE * float(spec.fixed_cost))),
        unit_distance_cost=int(round(per_m)),
        unit_duration_cost=int(round(per_s)),
        shift_duration=int(vt.max_duration) if vt.max_duration is not None else 2**62,
    )
    return pyvrp.ProblemData(
        locations=locs,
        clients=clients,
        depots=[pyvrp.Depot(location=0)],
        vehicle_types=[vtype],
        distance_matrices=[dist],
        duration_matrices=[dur],
    )


def _pyvrp(inst: Any, budget: float, seed: int) -> list[list[int]]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    params = pyvrp.SolveParams(penalty=pyvrp.PenaltyParams(max_penalty=1e8))
    res = pyvrp.solve(
        pyvrp_data(inst), stop=MaxRuntime(budget), seed=seed, display=False, params=params
    )
    routes = []
    for rt in res.best.routes():
        visits = [int(a.idx) + 1 for a in rt if a.is_client()]  # one depot: client i -> node i+1
        if visits:
            routes.append(visits)
    return routes


def _checked(inst: Any, routes: list[list[int]]) -> dict[str, Any]:
    rep = check(inst, routes)
    return {
        "cost": float(rep.cost) if rep.feasible else float("inf"),
        "routes": int(rep.num_routes),
        "feasible": bool(rep.feasible),
        "violations": [str(v) for v in rep.violations[:3]],
        "visits": routes,
    }


def truth(
    seed: int, packages: int, day: int, van: str, budget: float, cache: Path | None
) -> dict[str, Any]:
    """The truth record of one station-day (solved, or read from ``cache``)."""
    path = None
    if cache is not None:
        path = cache / f"s{seed}_p{packages}_d{day}_{van}_b{budget:g}.json"
        if path.exists():
            return dict(json.loads(path.read_text()))
    inst = station_day(seed, packages, day, van)
    rec: dict[str, Any] = {"seed": seed, "packages": packages, "day": day, "van": van}
    rec["budget_s"] = budget
    for name, fn in (("engine", _engine), ("pyvrp", _pyvrp)):
        t0 = time.process_time()
        res = _checked(inst, fn(inst, budget, day))
        res["cpu_s"] = time.process_time() - t0
        rec[name] = res
    e, p = rec["engine"], rec["pyvrp"]
    if not (e["feasible"] or p["feasible"]):
        raise RuntimeError(f"truth: neither router feasible on {rec}")
    win = "engine" if e["cost"] <= p["cost"] else "pyvrp"
    other = "pyvrp" if win == "engine" else "engine"
    rec["winner"] = win
    rec["gap"] = (rec[other]["cost"] - rec[win]["cost"]) / rec[win]["cost"]
    rec["route_gap"] = rec[other]["routes"] - rec[win]["routes"]
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rec))
    return rec


def observe_truth(
    seed: int, packages: int, day: int, van: str, budget: float, cache: Path | None
) -> tuple[spr.Observations, dict[str, Any]]:
    """Observations of the truth routes of one station-day and a summary of its source."""
    rec = truth(seed, packages, day, van, budget, cache)
    inst = station_day(seed, packages, day, van)
    sol = inst.solution(rec[rec["winner"]]["visits"])
    obs = spr.observe(inst, sol, station=f"s{seed}", day=f"{packages}-{day}", city="synthetic")
    obs.routes["volume_level"] = packages
    src = {
        "station": f"s{seed}",
        "day": f"{packages}-{day}",
        "van_type": van,
        "winner": rec["winner"],
        "gap": rec["gap"],
        "route_gap": rec["route_gap"],
        "routes_engine": rec["engine"]["routes"],
        "routes_pyvrp": rec["pyvrp"]["routes"],
        "cpu_s": rec["engine"]["cpu_s"] + rec["pyvrp"]["cpu_s"],
    }
    return obs, src
