"""Reloads (multi-trip routes) in the OR-Tools reference model (:mod:`.ortools`).

Model mapping, in the core's internal integer units:

* **Reload copies.** A reload is a visit to a *copy* of the depot node: optional nodes appended
  after the instance's nodes (``AddDisjunction`` with penalty 0, so using none costs nothing).
  The copies come in pools, one per (reload depot, reload time) among the vehicles' types; a
  pool's copies may be visited only by vehicles whose type may reload at that depot and has that
  reload time (the copy's vehicle variable). Edges to and from a copy are the depot's edges, a
  copy's service time is the reload time plus the depot's loading time (so arc costs, the
  duration dimension and the time dimension count it as the core does). Decoded routes hold
  the depot's node index at a copy; reload visits that change nothing are dropped
  (:func:`tidy_routes`). The search starts from :func:`greedy_routes`.
* **How many copies.** A pool holds ``min(clients, sum over its vehicles of R_v)`` copies, where
  ``R_v`` is the vehicle's ``max_reloads`` when limited and ``H`` otherwise, and never more than
  ``H`` unless ``reload_copies`` is given (then ``H = reload_copies``, an exact bound for every
  pool): ``H = min(clients, ceil(1.3 * T) + 3)`` with ``T = max_d ceil(total demand_d /
  capacity_d)`` over the pool's types (the trips a bin-packing bound needs). So with limited
  ``max_reloads`` (and no more than H of them in a pool) the model is exact; with unlimited
  reloads it offers at most H reloads in all, a heuristic bound like :func:`fleet_upper_bound`.
* **Capacity per trip.** Each ``load{d}`` dimension gets transit ``-M_d`` at a copy (``M_d`` the
  largest capacity of dimension d) and slack up to ``M_d``: after a copy the cumul may restart
  anywhere in ``[0, cumul at the copy]``, i.e. the load since the last reload is what is bounded
  by the capacity.
* **max_reloads.** A ``reloads`` dimension counts copies (transit 1), per-vehicle capacity
  ``max_reloads``.
* **Time.** A copy's time cumul (the start of the reload) lies in the depot's opening window;
  shift and ``max_duration`` hold over the whole route as in the core. Releases hold per trip: a
  ``depart`` dimension (transit 0, slack only at copies) carries the departure time of the
  current trip (the start of its loading): at a vehicle start it equals the start time, after a
  copy ``c`` it equals ``time(c) + reload_time`` (the copy's cumul plus slack), and a client
  released at ``r`` has ``depart >= r``: its trip's loading starts at or after ``r`` (without
  loading time: the trip leaves at or after ``r``), as in the core.
* **Not modelled.** Pickups (returns) together with reloads: refused with an InputError.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _core
from ..errors import InputError

_BIG = 2**60


@dataclass
class ReloadCopies:
    """The reload copies of a model: ``orig[node]`` is the instance node of every model node (the
    identity for the instance's nodes, the depot node for a copy)."""

    orig: np.ndarray
    first: int  # first copy node (= the instance's number of nodes)
    svc: list[int] = field(default_factory=list)  # reload + loading time per copy
    rtime: list[int] = field(default_factory=list)  # reload time per copy
    vehicles: list[list[int]] = field(default_factory=list)  # allowed vehicles per copy
    max_reloads: list[int] = field(default_factory=list)  # per vehicle (_BIG: unlimited)

    @property
    def count(self) -> int:
        return len(self.svc)

    def extend(self, mat: np.ndarray) -> np.ndarray:
        """A node x node matrix over the model's nodes (copies repeat the depot's rows)."""
        return mat if not self.count else mat[np.ix_(self.orig, self.orig)]

    def service(self, svc: np.ndarray) -> np.ndarray:
        """Service time per model node (the reload time at a copy)."""
        return np.concatenate([svc, np.asarray(self.svc, dtype=np.int64)])

    def load_transit(self, demand: np.ndarray, caps: list[int]) -> tuple[list[int], int]:
        """Transit of a load dimension per model node (``-M`` at a copy) and its slack ``M``."""
        big = max(caps) if self.count else 0
        return [int(q) for q in demand] + [-big] * self.count, big


def _unlimited(v: int | None) -> bool:
    return v is None or int(v) >= int(_core.UNLIMITED)


def _trips_bound(data: _core.ProblemData, k: int) -> int:
    vt = data.vehicle_types[k]
    total = np.asarray(data.demand, dtype=np.int64)[1:].sum(axis=0)
    t = 1
    for d, cap in enumerate(vt.capacity):
        if cap > 0 and total[d] > 0:
            t = max(t, math.ceil(int(total[d]) / int(cap)))
    return t


def reload_copies(
    data: _core.ProblemData, vehicle_type_of: list[int], reload_copies: int | None
) -> ReloadCopies:
    """The copies of the model (none without reload depots); see the module docstring."""
    n_nodes, n_clients = int(data.num_nodes), int(data.num_clients)
    out = ReloadCopies(orig=np.arange(n_nodes, dtype=np.int64), first=n_nodes)
    types = list(data.vehicle_types)
    limits = [types[k].max_reloads for k in vehicle_type_of]
    out.max_reloads = [_BIG if m is None or _unlimited(m) else int(m) for m in limits]
    if not data.has_reloads:
        return out
    if data.has_pickups:
        raise InputError(
            "reload_depots: the OR-Tools reference does not model pickups together with "
            "reloads (multi-trip routes with returns)"
        )
    if reload_copies is not None and (
        isinstance(reload_copies, bool) or int(reload_copies) != reload_copies or reload_copies < 0
    ):
        raise InputError(f"reload_copies: must be an integer >= 0 or None, got {reload_copies!r}")
    pools: dict[tuple[int, int], list[int]] = {}
    for v, k in enumerate(vehicle_type_of):
        if out.max_reloads[v] == 0:
            continue
        for depot in types[k].reload_depots:
            key = (0 if depot == 0 else n_clients + int(depot), int(types[k].reload_time))
            pools.setdefault(key, []).append(v)
    nodes: list[int] = []
    for (node, rt), vehicles in sorted(pools.items()):
        if reload_copies is not None:
            h = int(reload_copies)
        else:
            t = max(_trips_bound(data, vehicle_type_of[v]) for v in vehicles)
            h = min(n_clients, math.ceil(1.3 * t) + 3)
        size = min(n_clients, h, sum(min(out.max_reloads[v], h) for v in vehicles))
        nodes += [node] * size
        depot = 0 if node == 0 else node - n_clients
        out.svc += [rt + int(data.depot_loading_time[depot])] * size  # then the loading
        out.rtime += [rt] * size
        out.vehicles += [vehicles] * size
    out.orig = np.concatenate([out.orig, np.asarray(nodes, dtype=np.int64)])
    return out


def add_reloads(
    routing: Any,
    manager: Any,
    data: _core.ProblemData,
    copies: ReloadCopies,
    timed: bool,
) -> None:
    """Copies optional and restricted to their vehicles, the reload count, and with time
    windows the copies' windows and the per-trip releases (see the module docstring)."""
    if not copies.count:
        return
    solver = routing.solver()
    idx = [int(manager.NodeToIndex(copies.first + j)) for j in range(copies.count)]
    nv = int(manager.GetNumberOfVehicles())
    for i, vehicles in zip(idx, copies.vehicles, strict=True):
        routing.AddDisjunction([i], 0)
        if len(vehicles) < nv:  # -1: inactive (SetAllowedVehiclesForIndex's Python binding
            routing.VehicleVar(i).SetValues([-1, *vehicles])  # rejects lists in OR-Tools 9.15)
    if any(m < copies.count for m in copies.max_reloads):
        ones = [0] * copies.first + [1] * copies.count
        cb = int(routing.RegisterUnaryTransitVector(ones))
        caps = [min(m, copies.count) for m in copies.max_reloads]
        routing.AddDimensionWithVehicleCapacity(cb, 0, caps, True, "reloads")
    if not timed:
        return
    time_dim = routing.GetDimensionOrDie("time")
    early = np.asarray(data.tw_early, dtype=np.int64)
    late = np.asarray(data.tw_late, dtype=np.int64)
    for i, node in zip(idx, copies.orig[copies.first :], strict=True):
        cumul = time_dim.CumulVar(i)
        cumul.SetMin(int(early[node]))
        if late[node] < int(_core.UNLIMITED):
            cumul.SetMax(int(late[node]))
    release = np.asarray(data.release_time, dtype=np.int64)
    if not (release[1 : int(data.num_clients) + 1] > 0).any():
        return
    zero = int(routing.RegisterUnaryTransitVector([0] * (copies.first + copies.count)))
    routing.AddDimension(zero, _BIG, _BIG, False, "depart")
    depart = routing.GetDimensionOrDie("depart")
    for v in range(nv):
        start = routing.Start(v)
        depart.SlackVar(start).SetValue(0)
        solver.Add(depart.CumulVar(start) == time_dim.CumulVar(start))
    for c in range(1, int(data.num_clients) + 1):
        i = int(manager.NodeToIndex(c))
        depart.SlackVar(i).SetValue(0)
        if release[c] > 0:
            depart.CumulVar(i).SetMin(int(release[c]))
    for i, rt in zip(idx, copies.rtime, strict=True):  # the loading starts after releases
        solver.Add(depart.CumulVar(i) + depart.SlackVar(i) == time_dim.CumulVar(i) + rt)


def model_routes(
    data: _core.ProblemData,
    copies: ReloadCopies,
    vehicle_type_of: list[int],
    routes: list[list[int]],
    route_types: list[int],
) -> list[list[int]]:
    """``routes`` (instance nodes; a depot node among the visits is a reload) as one list of
    model nodes per OR-Tools vehicle, each reload a free copy of its depot that the vehicle may
    use. InputError (``initial_routes``) when a route has no vehicle or a reload no copy."""
    out: list[list[int]] = [[] for _ in vehicle_type_of]
    free = [True] * copies.count
    used = [False] * len(vehicle_type_of)
    n_clients = int(data.num_clients)
    for r, (route, k) in enumerate(zip(routes, route_types, strict=True)):
        v = next((v for v, t in enumerate(vehicle_type_of) if t == k and not used[v]), None)
        if v is None:
            raise InputError(f"initial_routes[{r}]: no vehicle of type {k} left")
        used[v] = True
        for node in route:
            if 1 <= node <= n_clients:
                out[v].append(int(node))
                continue
            j = next(
                (
                    j
                    for j in range(copies.count)
                    if free[j] and copies.orig[copies.first + j] == node and v in copies.vehicles[j]
                ),
                None,
            )
            if j is None:
                raise InputError(f"initial_routes[{r}]: no reload copy of node {node} left")
            free[j] = False
            out[v].append(copies.first + j)
    return out


def greedy_routes(
    data: _core.ProblemData, copies: ReloadCopies, vehicle_type_of: list[int], near: int = 60
) -> tuple[list[list[int]], list[int]]:
    """A start for the search with reloads (OR-Tools' insertion heuristics never insert a copy,
    whose disjunction penalty is 0): vehicle by vehicle, append the unserved client (among the
    ``near`` nearest) that keeps the route feasible by the C++ evaluation and brings it back
    earliest (with time windows; else the shortest), else
    reload at the nearest reload depot (while the vehicle has copies left) and go on. Clients
    left over stay unserved (OR-Tools then starts from its first-solution strategy)."""
    n_clients = int(data.num_clients)
    timed = bool(data.has_time_windows)
    dist = np.asarray(data.distance_matrix(), dtype=np.float64)
    unserved = set(range(1, n_clients + 1))
    routes: list[list[int]] = []
    route_types: list[int] = []
    left = [0] * len(vehicle_type_of)  # copies each vehicle may still use
    pool_left = {j: True for j in range(copies.count)}

    def end(route: list[int], k: int) -> float:
        """When the route is back (its distance without time windows); inf if infeasible."""
        sol = _core.Solution(data, [_core.Route(route, k)])
        if any(v.kind not in ("missing", "fleet") for v in sol.details):
            return math.inf
        r = sol.routes[0]
        return float(r.end_time if timed else r.distance)

    def take(prev: int, route: list[int], k: int) -> bool:
        order = sorted(unserved, key=lambda c: dist[prev, c])[:near]
        best = min(order, key=lambda c: end([*route, c], k), default=None)
        if best is None or math.isinf(end([*route, best], k)):
            return False
        route.append(best)
        unserved.discard(best)
        return True

    for v, k in enumerate(vehicle_type_of):
        if not unserved:
            break
        left[v] = copies.max_reloads[v]
        route: list[int] = []
        prev = int(data.vehicle_types[k].start_depot)
        prev = 0 if prev == 0 else n_clients + prev
        while unserved:
            if take(prev, route, k):
                prev = route[-1]
                continue
            if not route or left[v] <= 0 or route[-1] > n_clients or route[-1] == 0:
                break
            js = [j for j in pool_left if pool_left[j] and v in copies.vehicles[j]]
            if not js:
                break
            j = min(js, key=lambda j: dist[prev, copies.orig[copies.first + j]])
            depot = int(copies.orig[copies.first + j])
            route.append(depot)
            if not take(depot, route, k):
                route.pop()
                break
            pool_left[j] = False
            left[v] -= 1
            prev = route[-1]
        if route:
            routes.append(route)
            route_types.append(k)
    return routes, route_types


def tidy_routes(
    data: _core.ProblemData, routes: list[list[int]], route_types: list[int]
) -> tuple[list[list[int]], list[int]]:
    """OR-Tools' routes without the reload visits that change nothing: a depot visit at the end
    of a route, or right after the start or another depot visit at the same node, is dropped when
    the route's C++ cost and violations stay exactly the same (free copies OR-Tools has no reason
    to remove: no reload or loading time priced, no distance); a route left without visits
    (it held only such reloads, at cost 0) is dropped with its type."""
    n_clients = int(data.num_clients)
    out: list[list[int]] = []
    types: list[int] = []
    for route, k in zip(routes, route_types, strict=True):

        def key(r: list[int], k: int = k) -> tuple[float, list[str]]:
            sol = _core.Solution(data, [_core.Route(r, k)])
            return float(sol.routes[0].cost), sorted(
                v.kind for v in sol.details if v.kind not in ("missing", "fleet")
            )

        start = int(data.vehicle_types[k].start_depot)
        start = 0 if start == 0 else n_clients + start
        target = key(route)
        r = list(route)
        p = len(r) - 1
        while p >= 0:
            c = r[p]
            if 1 <= c <= n_clients:
                p -= 1
                continue
            prev = r[p - 1] if p > 0 else start
            if p == len(r) - 1 or prev == c:
                trial = r[:p] + r[p + 1 :]
                if key(trial) == target:
                    r = trial
            p -= 1
        if r:
            out.append(r)
            types.append(k)
    return out, types


__all__ = [
    "ReloadCopies",
    "add_reloads",
    "greedy_routes",
    "model_routes",
    "reload_copies",
    "tidy_routes",
]
