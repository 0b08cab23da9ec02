"""Solved station-days that are not solver noise: the better of two independent routers.

Each station-day (``spr_data.station_day``) is solved by ``lastmile_core.solve`` and by PyVRP
(built from the same integer distance / duration matrices, demands, service times, capacities,
shift limit and cost weights as our Instance), each at the same budget on one thread. Both
solutions are checked with :func:`lastmile_core.check.check`; the feasible one with the lower
cost (the engine's objective, evaluated by the checker for both) is the truth. The record keeps
the winner, both costs and route counts and the gap between them.

The cold solves of a large station-day on a loaded machine can leave near-empty routes (a
route with 3 % of the van's packages next to half-full ones: the search ran out of time before
eliminating it). So the winner is then polished: a deterministic route-elimination pass
(:func:`eliminate_routes`: the least-loaded route's stops reinserted at their cheapest feasible
positions in the other routes, accepted when the total cost falls), then PyVRP warm-started from
the result for half the budget, then lastmile_core warm-started from the best so far for the
full budget (every station-day gets every stage, whatever the model predicts). The truth is
the cheapest checked solution of all stages, and the record names the stage that produced it.

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

#: the solution stages of a truth record, in the order they run
STAGES = ("engine", "pyvrp", "eliminate", "pyvrp_warm", "engine_warm")


def _engine(
    inst: Any, budget: float, seed: int, start: list[list[int]] | None = None
) -> list[list[int]]:
    init = None if start is None else inst.solution(start)
    res = lm.solve(inst, time_limit=budget, seed=seed, threads=1, initial_solution=init)
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


def _pyvrp_warm(inst: Any, budget: float, seed: int, start: list[list[int]]) -> list[list[int]]:
    import pyvrp
    from pyvrp.stop import MaxRuntime

    data = pyvrp_data(inst)
    init = pyvrp.Solution(data, [[c - 1 for c in r] for r in start])
    params = pyvrp.SolveParams(penalty=pyvrp.PenaltyParams(max_penalty=1e8))
    res = pyvrp.solve(
        data,
        stop=MaxRuntime(budget),
        seed=seed,
        display=False,
        params=params,
        initial_solution=init,
    )
    return [[int(a.idx) + 1 for a in rt if a.is_client()] for rt in res.best.routes() if len(rt)]


def eliminate_routes(inst: Any, routes: list[list[int]]) -> list[list[int]]:
    """Remove routes while that lowers the cost: the least-loaded route first, each of its stops
    (largest first) inserted at its cheapest feasible position (all capacity dimensions and the
    duration limit) among the other routes; accepted when the insertions cost less than the
    route (its fixed cost, distance and duration). Deterministic."""
    d = inst.data
    dist = np.asarray(d.distance_matrix(), dtype=np.int64)
    dur = (
        np.asarray(d.duration_matrix(), dtype=np.int64)
        if d.has_duration_matrix
        else round_half_away(dist.astype(float) * float(d.duration_per_distance))
    )
    demand = np.asarray(d.demand, dtype=np.int64)
    svc = np.asarray(d.service_time, dtype=np.int64)
    vt = d.vehicle_types[0]
    cap = np.asarray(vt.capacity, dtype=np.int64)
    max_dur = int(vt.max_duration) if vt.max_duration is not None else 2**62
    spec = inst.vehicle_specs[0]
    w_d = float(spec.cost_per_distance) / float(inst.distance_scale)
    w_t = float(spec.cost_per_duration) / float(inst.time_scale)
    fixed = float(spec.fixed_cost)

    def route_cost(r: list[int]) -> float:
        path = [0, *r, 0]
        dd = int(dist[path[:-1], path[1:]].sum())
        tt = int(dur[path[:-1], path[1:]].sum() + svc[r].sum())
        return fixed + w_d * dd + w_t * tt

    def route_dur(r: list[int]) -> int:
        path = [0, *r, 0]
        return int(dur[path[:-1], path[1:]].sum() + svc[r].sum())

    routes = [list(r) for r in routes if r]
    tried: set[tuple[int, ...]] = set()
    while len(routes) > 1:
        order = sorted(range(len(routes)), key=lambda i: (int(demand[routes[i]].sum()), i))
        cand = next((i for i in order if tuple(routes[i]) not in tried), None)
        if cand is None:
            break
        victim = routes[cand]
        tried.add(tuple(victim))
        others = [list(r) for j, r in enumerate(routes) if j != cand]
        loads = [demand[r].sum(axis=0) for r in others]
        durs = [route_dur(r) for r in others]
        added = 0.0
        ok = True
        for c in sorted(victim, key=lambda c: (-int(demand[c, 0]), c)):
            best: tuple[float, int, int, int] | None = None
            for j, r in enumerate(others):
                if np.any(loads[j] + demand[c] > cap):
                    continue
                prev = np.array([0, *r])
                nxt = np.array([*r, 0])
                dd = dist[prev, c] + dist[c, nxt] - dist[prev, nxt]
                dt = dur[prev, c] + dur[c, nxt] - dur[prev, nxt] + svc[c]
                feas = durs[j] + dt <= max_dur
                if not feas.any():
                    continue
                cost = np.where(feas, w_d * dd + w_t * dt, np.inf)
                k = int(np.argmin(cost))
                if best is None or cost[k] < best[0]:
                    best = (float(cost[k]), j, k, int(dt[k]))
            if best is None:
                ok = False
                break
            added += best[0]
            _, j, k, dt_k = best
            others[j].insert(k, c)
            loads[j] = loads[j] + demand[c]
            durs[j] += dt_k
        if ok and added < route_cost(victim) - 1e-9:
            routes = others
            tried.clear()
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
    rec: dict[str, Any] = {}
    if cache is not None:
        path = cache / f"s{seed}_p{packages}_d{day}_{van}_b{budget:g}.json"
        if path.exists():
            rec = dict(json.loads(path.read_text()))
            if "engine_warm" in rec:
                return rec
    inst = station_day(seed, packages, day, van)
    if not rec:
        rec = {"seed": seed, "packages": packages, "day": day, "van": van, "budget_s": budget}
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
    if "pyvrp_warm" not in rec:
        t0 = time.process_time()
        rec["eliminate"] = _checked(inst, eliminate_routes(inst, rec[win]["visits"]))
        rec["eliminate"]["cpu_s"] = time.process_time() - t0
        start = rec["eliminate"] if rec["eliminate"]["feasible"] else rec[win]
        t0 = time.process_time()
        rec["pyvrp_warm"] = _checked(inst, _pyvrp_warm(inst, 0.5 * budget, day, start["visits"]))
        rec["pyvrp_warm"]["cpu_s"] = time.process_time() - t0
    best = min(STAGES[:4], key=lambda k: (rec[k]["cost"], STAGES.index(k)))
    t0 = time.process_time()
    rec["engine_warm"] = _checked(inst, _engine(inst, budget, day, rec[best]["visits"]))
    rec["engine_warm"]["cpu_s"] = time.process_time() - t0
    rec["truth"] = min(STAGES, key=lambda k: (rec[k]["cost"], STAGES.index(k)))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(rec))
    return rec


def observe_truth(
    seed: int,
    packages: int,
    day: int,
    van: str,
    budget: float,
    cache: Path | None,
    stage: str = "truth",
) -> tuple[spr.Observations, dict[str, Any]]:
    """Observations of the truth routes of one station-day and a summary of its source;
    ``stage`` = one of :data:`STAGES` observes that stage's routes instead (e.g. ``"engine"``,
    the cold lastmile_core solve alone, to compare with the truth)."""
    rec = truth(seed, packages, day, van, budget, cache)
    inst = station_day(seed, packages, day, van)
    if stage != "truth" and stage not in STAGES:
        raise ValueError(f"stage: expected 'truth' or one of {STAGES}, got {stage!r}")
    sol = inst.solution(rec[rec["truth"] if stage == "truth" else stage]["visits"])
    obs = spr.observe(inst, sol, station=f"s{seed}", day=f"{packages}-{day}", city="synthetic")
    obs.routes["volume_level"] = packages
    src = {
        "station": f"s{seed}",
        "day": f"{packages}-{day}",
        "van_type": van,
        "winner": rec["winner"],
        "gap": rec["gap"],
        "truth": rec["truth"],
        "routes_truth": rec[rec["truth"]]["routes"],
        "polish_gain": (rec[rec["winner"]]["cost"] - rec[rec["truth"]]["cost"])
        / rec[rec["truth"]]["cost"],
        "route_gap": rec["route_gap"],
        "routes_engine": rec["engine"]["routes"],
        "routes_pyvrp": rec["pyvrp"]["routes"],
        "cpu_s": sum(rec[k]["cpu_s"] for k in STAGES),
    }
    return obs, src
