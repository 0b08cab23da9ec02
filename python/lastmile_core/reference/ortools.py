"""OR-Tools routing reference adapter: the lastmile_core model rebuilt in OR-Tools.

Model mapping (everything in the core's *internal* integer units, so OR-Tools sees exactly the
edge values our C++ evaluation uses):

* **Vehicles.** One OR-Tools vehicle per available vehicle of each type. A type with unlimited
  ``num_available`` gets :func:`fleet_upper_bound` vehicles: ``min(clients, ceil(1.3 * LB) + 3)``
  where ``LB`` is the larger of the bin-packing bound ``max_d ceil(total demand_d / capacity_d)``
  and, when the type has a duration (distance) limit, ``ceil(sum_i (service_i + min incoming
  duration_i) / max_duration)`` (same with distances). ``num_vehicles`` overrides it. Unused
  vehicles cost nothing (OR-Tools charges the fixed cost only for non-empty routes, as the core).
* **Arc cost.** Per vehicle type ``round(S * (cost_per_distance * dist(i, j) + cost_per_duration
  * (duration(i, j) + service(i))))`` and fixed cost ``round(S * fixed_cost)``
  (``SetFixedCostOfVehicle``). ``S`` (``cost_scale``) is the smallest power of ten in 1..1e9
  that makes every per-unit and fixed cost an integer (then the OR-Tools objective divided by
  ``S`` equals the C++ cost exactly); if none does, ``S`` is the largest power of ten keeping the
  objective below ~1e15 and the objective is approximate (``exact_cost_scale`` False). Service
  time is charged on the arc leaving the client, which is exactly the core's route duration
  (driving + service of visited clients; depot service is never counted, a depot's loading
  time is the service of its node as a start and of its reload copies).
* **Capacity.** One ``AddDimensionWithVehicleCapacity`` per demand dimension. With pickups a
  second dimension per demand dimension, ``onboard{d}``, whose cumul tracks the load on board
  (transit pickup - delivery, in [0, capacity], start cumul = the route's delivery total).
* **Duration.** When a type has ``max_duration``: a dimension with transit ``duration(i, j) +
  service(i)``, per-vehicle capacity ``max_duration`` (no slack, start cumul 0).
* **Distance.** When a type has ``max_distance``: a dimension over ``dist(i, j)``.
* **Time windows** (instances with windows, release times or shift windows): a ``time``
  dimension with transit ``duration(i, j) + service(i)`` and slack (waiting) up to the horizon;
  each client's cumul in ``[early, late]``; each vehicle's start and end cumuls inside the
  depot's opening window intersected with its type's shift; a release time r of client i is
  ``start cumul of the vehicle serving i >= r`` (an element constraint on its vehicle variable);
  the duration cost is then the span cost of the time dimension (duration including waiting,
  as the core's) and ``max_duration`` its span upper bound.
* **Driver breaks** (types with ``break_duration``): a break interval per vehicle on the time
  dimension (``SetBreakIntervalsOfVehicle``), see :mod:`lastmile_core.reference.ortools_break`.
* **Several depots.** Every vehicle starts at its type's start depot and ends at its end depot
  (``RoutingIndexManager`` with per-vehicle starts and ends); a depot no type uses is kept out
  of the routes (an inactive disjunction).
* **Reloads** (vehicle types with ``reload_depots``): optional copies of the reload depots,
  a load reset at a copy, a reload count and per-trip releases (:mod:`.ortools_reload`).
* **Matrices.** Up to :data:`MATRIX_NODE_LIMIT` nodes the dense matrices (``data.distance_matrix()``
  / ``data.duration_matrix()``) are handed to OR-Tools with ``RegisterTransitMatrix`` (evaluated in
  C++; the Python list OR-Tools' wrapper requires costs ~40 bytes per entry transiently). Larger
  instances use Python transit callbacks calling ``data.dist(i, j)`` / ``data.duration(i, j)``.
  Up to :data:`CACHE_NODE_LIMIT` nodes OR-Tools caches them (``max_callback_cache_size``): all
  n^2 values are computed once while the model is built (~1 us each, counted in ``build_s``) and
  kept as 8 bytes per entry and callback in C++. Above that they are evaluated lazily: O(n)
  memory, but every evaluation during the search crosses into Python (slow).

``seed`` is accepted for API symmetry only: OR-Tools routing search has no random seed; it is
deterministic for a fixed number of iterations, but a *time* limit makes the result depend on
machine speed and load.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import _core
from ..errors import InputError
from ..instance import Instance, as_problem_data
from .ortools_break import add_breaks
from .ortools_reload import add_reloads, greedy_routes, model_routes, tidy_routes
from .ortools_reload import reload_copies as _reload_copies

#: Above this many nodes the transit values come from Python callbacks instead of dense matrices
#: (a dense matrix handed to OR-Tools costs ~40 bytes per entry transiently in Python).
MATRIX_NODE_LIMIT = 4000
#: Up to this many nodes OR-Tools caches the callbacks' n^2 values in C++ (8 bytes per entry per
#: callback, filled once at model build); above it every evaluation calls into Python.
CACHE_NODE_LIMIT = 12000

#: Stand-in for "no limit" in OR-Tools dimensions (int64 arithmetic saturates above it).
_BIG = 2**60
#: Largest scaled objective we accept for an inexact cost scale (keeps double conversion exact).
_MAX_SCALED = 1e15

_STATUS = {
    0: "NOT_SOLVED",
    1: "SUCCESS",
    2: "PARTIAL_SUCCESS_LOCAL_OPTIMUM_NOT_REACHED",
    3: "FAIL",
    4: "FAIL_TIMEOUT",
    5: "INVALID",
    6: "INFEASIBLE",
    7: "OPTIMAL",
}


@dataclass
class ReferenceResult:
    """Outcome of a reference solver run.

    ``cost`` is the cost of ``routes`` as evaluated by the C++ ``Solution`` (``inf`` when no
    solution was found); ``objective`` is the solver's own reported objective converted to the
    same cost units (``ObjectiveValue / cost_scale`` for OR-Tools). ``routes`` are lists of client
    indices 1..n, ``vehicle_types`` the type index of each route. ``runtime_s`` is the total wall
    time (model build + search), ``build_s`` the model-building part.
    """

    solution: _core.Solution | None
    cost: float
    objective: float
    runtime_s: float
    status: str
    routes: list[list[int]] = field(default_factory=list)
    vehicle_types: list[int] = field(default_factory=list)
    feasible: bool = False
    num_vehicles: int = 0
    cost_scale: int = 1
    exact_cost_scale: bool = True
    build_s: float = 0.0
    solver: str = "ortools"


def _import_ortools() -> tuple[Any, Any]:
    try:
        from ortools.constraint_solver import pywrapcp, routing_enums_pb2
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "lastmile_core.reference.solve_ortools needs Google OR-Tools: "
            "pip install 'ortools>=9.10' (or the 'reference' extra: pip install lastmile_core[reference])"
        ) from exc
    return pywrapcp, routing_enums_pb2


def _unlimited(v: int | None) -> bool:
    return v is None or v >= _core.UNLIMITED


def _limit(v: int | None) -> int:
    """A per-vehicle limit for an OR-Tools dimension (``_BIG`` when unlimited)."""
    return _BIG if v is None or v >= _core.UNLIMITED else int(v)


def _min_incoming(mat: np.ndarray) -> np.ndarray:
    """Smallest incoming edge value per node (excluding self loops)."""
    m = mat.astype(np.float64, copy=True)
    np.fill_diagonal(m, np.inf)
    out: np.ndarray = np.min(m, axis=0)
    return out


def fleet_upper_bound(
    data: _core.ProblemData | Instance,
    type_index: int,
    *,
    min_in_duration: np.ndarray | None = None,
    min_in_distance: np.ndarray | None = None,
) -> int:
    """Number of vehicles offered to OR-Tools for an unlimited vehicle type (see module doc).

    ``min_in_duration`` / ``min_in_distance`` (smallest incoming edge per node) enable the
    duration / distance parts of the lower bound; without them only capacities are used.
    """
    data = as_problem_data(data)
    vt = data.vehicle_types[type_index]
    n_clients = int(data.num_clients)
    demand = np.asarray(data.demand, dtype=np.int64)[1:]
    total = np.maximum(demand.sum(axis=0), np.asarray(data.pickup, dtype=np.int64)[1:].sum(axis=0))
    lb = 1
    for d, cap in enumerate(vt.capacity):
        if cap > 0 and total[d] > 0:
            lb = max(lb, math.ceil(int(total[d]) / int(cap)))
    svc = np.asarray(data.service_time, dtype=np.int64)[1:]
    if not _unlimited(vt.max_duration) and min_in_duration is not None and vt.max_duration:
        work = float(svc.sum() + min_in_duration[1:].sum())
        lb = max(lb, math.ceil(work / vt.max_duration))
    if not _unlimited(vt.max_distance) and min_in_distance is not None and vt.max_distance:
        lb = max(lb, math.ceil(float(min_in_distance[1:].sum()) / vt.max_distance))
    return max(1, min(n_clients, math.ceil(1.3 * lb) + 3))


def _cost_scale(coeffs: Sequence[float], max_unscaled: float) -> tuple[int, bool]:
    """Smallest power of ten making all coefficients integral, else the largest that fits."""
    fits = []
    for k in range(10):
        s = 10**k
        if max_unscaled * s > _MAX_SCALED:
            break
        fits.append(s)
        if all(abs(c * s - round(c * s)) <= 1e-9 * max(1.0, abs(c * s)) for c in coeffs):
            return s, True
    if not fits:
        if max_unscaled > 2**62:
            raise InputError(
                f"instance: costs too large for OR-Tools' int64 objective (bound {max_unscaled:.3g})"
            )
        return 1, False
    return fits[-1], False


def _enum(enum_type: Any, name: str | int, argname: str) -> int:
    if isinstance(name, int):
        return name
    wrapper = enum_type.Value  # protobuf nested enum "Value"
    try:
        return int(wrapper.Value(str(name).upper()))
    except ValueError:
        raise InputError(
            f"{argname}: unknown value {name!r} (expected one of {', '.join(wrapper.keys())})"
        ) from None


def _add_onboard_load(routing: Any, manager: Any, data: Any, d: int, caps: list[int]) -> None:
    """Pickups, dimension d: ``onboard{d}`` has transit pickup - delivery and its cumul is the
    load on board, in [0, capacity] after every visit; its start cumul equals the route's total
    delivery (the end cumul of ``load{d}``, which sums the deliveries)."""
    transit = np.asarray(data.pickup, dtype=np.int64)[:, d] - np.asarray(data.demand)[:, d]
    cb = int(routing.RegisterUnaryTransitVector([int(q) for q in transit]))
    routing.AddDimensionWithVehicleCapacity(cb, 0, caps, False, f"onboard{d}")
    onboard, delivered = (
        routing.GetDimensionOrDie(f"onboard{d}"),
        routing.GetDimensionOrDie(f"load{d}"),
    )
    solver = routing.solver()
    for v in range(manager.GetNumberOfVehicles()):
        solver.Add(onboard.CumulVar(routing.Start(v)) == delivered.CumulVar(routing.End(v)))


def _add_time_windows(
    routing: Any,
    manager: Any,
    data: _core.ProblemData,
    types: list[_core.VehicleType],
    vehicle_type_of: list[int],
    dur_m: np.ndarray | None,
    svc: np.ndarray,
    scale: int,
    node_of: list[int],
    svc_of: list[int],
    releases: bool = True,
) -> None:
    """The time dimension of the time-window model (see the module docstring); ``node_of`` /
    ``svc_of``: instance node and service time per routing index. ``releases`` False: the
    reload model bounds the trips' departures instead (:mod:`.ortools_reload`)."""
    n = int(data.num_clients) + 1  # clients 1..n-1 (several depots: the nodes after them)
    early = np.asarray(data.tw_early, dtype=np.int64)
    late = np.asarray(data.tw_late, dtype=np.int64)
    release = np.asarray(data.release_time, dtype=np.int64)
    unl = int(_core.UNLIMITED)
    horizon = min(_BIG, int(max(int(late[0]), *(int(x) for x in late[1:]))))
    if horizon >= unl:
        horizon = _BIG
    if dur_m is not None:
        cb = int(routing.RegisterTransitMatrix((dur_m + svc[:, None]).tolist()))
    else:
        dur_fn = data.duration
        cb = int(
            routing.RegisterTransitCallback(lambda i, j: dur_fn(node_of[i], node_of[j]) + svc_of[i])
        )
    routing.AddDimension(cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for i in range(1, n):
        hi = horizon if late[i] >= unl else int(late[i])
        time_dim.CumulVar(manager.NodeToIndex(i)).SetRange(int(early[i]), hi)
    solver = routing.solver()
    starts = []
    for v, k in enumerate(vehicle_type_of):
        vt = types[k]
        for var, node in (
            (routing.Start(v), _depot_node(data, vt.start_depot)),
            (routing.End(v), _depot_node(data, vt.end_depot)),
        ):
            lo = max(int(early[node]), int(vt.earliest_start))
            end = min(int(late[node]), unl if vt.latest_end is None else int(vt.latest_end))
            hi = horizon if end >= unl else min(end, horizon)
            time_dim.CumulVar(var).SetRange(lo, hi)
        cpt = int(round(vt.cost_per_duration * scale))
        if cpt:
            time_dim.SetSpanCostCoefficientForVehicle(cpt, v)
        if not _unlimited(vt.max_duration):
            time_dim.SetSpanUpperBoundForVehicle(_limit(vt.max_duration), v)
        starts.append(time_dim.CumulVar(routing.Start(v)))
    for i in range(1, n):
        if releases and release[i] > 0:
            vehicle = routing.VehicleVar(manager.NodeToIndex(i))
            solver.Add(solver.Element(starts, vehicle) >= int(release[i]))
    add_breaks(routing, manager, types, vehicle_type_of, [int(s) for s in svc], horizon)
    for v in range(len(vehicle_type_of)):
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.Start(v)))


def _depot_node(data: _core.ProblemData, depot: int) -> int:
    """Node of depot ``depot``: 0, or the nodes after the clients (lastmile_core.depots)."""
    return 0 if depot == 0 else int(data.num_clients) + int(depot)


def solve_ortools(
    instance: Instance | _core.ProblemData,
    time_limit: float = 10.0,
    seed: int | None = None,
    first_solution: str | int | None = None,
    metaheuristic: str | int = "GUIDED_LOCAL_SEARCH",
    num_vehicles: int | None = None,
    log: bool = False,
    reload_copies: int | None = None,
    initial_solution: _core.Solution | None = None,
) -> ReferenceResult:
    """Solve ``instance`` with OR-Tools routing (see the module docstring for the model).

    ``time_limit`` (s) bounds the search; model building comes on top and is reported in
    ``build_s``. ``first_solution`` / ``metaheuristic`` are names of OR-Tools'
    ``FirstSolutionStrategy`` / ``LocalSearchMetaheuristic`` enums (``first_solution`` default:
    "PATH_CHEAPEST_ARC", with pickups or driver breaks "LOCAL_CHEAPEST_INSERTION": path
    extension often fails to close routes under the on-board load constraint or the breaks;
    with reloads "PARALLEL_CHEAPEST_INSERTION"). ``num_vehicles`` replaces
    :func:`fleet_upper_bound` as the vehicle count of every unlimited type. ``seed`` is unused
    (OR-Tools routing has no seed). ``log`` turns on OR-Tools' search log (stderr).
    ``reload_copies`` bounds the reload visits offered per reload depot (instances with reload
    depots; default: a bound from demand and capacity, see :mod:`.ortools_reload`).
    ``initial_solution`` starts the search from its routes (OR-Tools' first-solution strategy
    when it rejects them: ``status`` then ends in "(initial rejected)"); with reloads and no
    initial solution the search starts from :func:`.ortools_reload.greedy_routes`.
    """
    pywrapcp, enums = _import_ortools()
    t0 = time.perf_counter()
    data = as_problem_data(instance)
    if not (isinstance(time_limit, int | float) and math.isfinite(time_limit) and time_limit > 0):
        raise InputError(f"time_limit: must be a finite number of seconds > 0, got {time_limit!r}")
    if num_vehicles is not None and (int(num_vehicles) != num_vehicles or num_vehicles < 1):
        raise InputError(f"num_vehicles: must be a positive integer or None, got {num_vehicles!r}")
    if first_solution is None:  # reloads: path extension cannot place the optional copies
        first_solution = (
            "PARALLEL_CHEAPEST_INSERTION"
            if data.has_reloads
            else "LOCAL_CHEAPEST_INSERTION"
            if data.has_pickups or any(int(t.break_duration) > 0 for t in data.vehicle_types)
            else "PATH_CHEAPEST_ARC"
        )
    fs = _enum(enums.FirstSolutionStrategy, first_solution, "first_solution")
    mh = _enum(enums.LocalSearchMetaheuristic, metaheuristic, "metaheuristic")
    del seed  # OR-Tools routing has no random seed.

    n = int(data.num_nodes)
    dims = int(data.num_dims)
    types = list(data.vehicle_types)
    dense = n <= MATRIX_NODE_LIMIT
    svc = np.asarray(data.service_time, dtype=np.int64).copy()
    loading = np.asarray(data.depot_loading_time, dtype=np.int64)
    svc[0], svc[int(data.num_clients) + 1 :] = loading[0], loading[1:]
    demand = np.asarray(data.demand, dtype=np.int64)
    any_duration = any(not _unlimited(vt.max_duration) for vt in types)
    any_distance = any(not _unlimited(vt.max_distance) for vt in types)
    any_time_cost = any(vt.cost_per_duration > 0 for vt in types)
    timed = bool(data.has_time_windows)

    dist_m = data.distance_matrix() if dense else None
    dur_m = data.duration_matrix() if dense and (any_duration or any_time_cost) else None
    min_in_dur = min_in_dist = None
    if dense:
        if any_duration:
            assert dur_m is not None
            min_in_dur = _min_incoming(dur_m)
        if any_distance:
            assert dist_m is not None
            min_in_dist = _min_incoming(dist_m)

    # Vehicles: type of each OR-Tools vehicle.
    vehicle_type_of: list[int] = []
    for k, vt in enumerate(types):
        if _unlimited(vt.num_available):
            count = (
                int(num_vehicles)
                if num_vehicles is not None
                else fleet_upper_bound(
                    data, k, min_in_duration=min_in_dur, min_in_distance=min_in_dist
                )
            )
        else:
            count = min(_limit(vt.num_available), int(data.num_clients))
        vehicle_type_of.extend([k] * count)
    nv = len(vehicle_type_of)
    if nv == 0:
        raise InputError("instance: no vehicle available (every type has num_available=0)")
    # Reloads: copies of the reload depots after the nodes (model nodes n .. n_model - 1).
    copies = _reload_copies(data, vehicle_type_of, reload_copies)
    n_model = n + copies.count
    if copies.count:
        dist_m = None if dist_m is None else copies.extend(dist_m)
        dur_m = None if dur_m is None else copies.extend(dur_m)
        svc = copies.service(svc)

    # Cost scale: integral arc costs and fixed costs.
    used_types = sorted(set(vehicle_type_of))
    coeffs = [
        c
        for k in used_types
        for c in (types[k].cost_per_distance, types[k].cost_per_duration, types[k].fixed_cost)
    ]
    if dense:
        assert dist_m is not None
        max_d = float(dist_m.max())
        max_t = float(dur_m.max() + svc.max()) if dur_m is not None else 0.0
    else:  # triangle-inequality bound via the depot (computed distances are metric up to
        # rounding); only used to size the cost scale
        max_d = 2.0 * max(float(data.dist(0, j)) for j in range(n)) + 2.0
        max_t = 2.0 * max(float(data.duration(0, j)) for j in range(n)) + 2.0 + float(svc.max())
    max_arc = max(
        types[k].cost_per_distance * max_d + types[k].cost_per_duration * max_t for k in used_types
    )
    max_obj = max_arc * (n_model + nv) + sum(types[k].fixed_cost for k in vehicle_type_of)
    scale, exact = _cost_scale(coeffs, max(max_obj, 1.0))

    # Several depots: every vehicle starts and ends at its type's depots.
    v_starts = [_depot_node(data, types[k].start_depot) for k in vehicle_type_of]
    v_ends = [_depot_node(data, types[k].end_depot) for k in vehicle_type_of]
    manager = pywrapcp.RoutingIndexManager(n_model, nv, v_starts, v_ends)
    model_params = pywrapcp.DefaultRoutingModelParameters()
    if not dense and n <= CACHE_NODE_LIMIT:
        model_params.max_callback_cache_size = int(manager.GetNumberOfIndices()) + 1
    routing = pywrapcp.RoutingModel(manager, model_params)
    for depot in range(1, int(data.num_depots)):  # a depot no vehicle uses is not a visit
        node = _depot_node(data, depot)
        if node not in v_starts and node not in v_ends:
            idx = manager.NodeToIndex(node)
            routing.AddDisjunction([idx], 0)
            routing.solver().Add(routing.ActiveVar(idx) == 0)
    num_indices = int(manager.GetNumberOfIndices())
    node_of = [int(copies.orig[manager.IndexToNode(i)]) for i in range(num_indices)]
    svc_of = [int(svc[manager.IndexToNode(i)]) for i in range(num_indices)]

    dist_fn: Callable[[int, int], int] = data.dist
    dur_fn: Callable[[int, int], int] = data.duration

    def register_matrix(mat: np.ndarray) -> int:
        return int(routing.RegisterTransitMatrix(mat.tolist()))

    dist_cb: int | None = None

    def distance_callback() -> int:
        nonlocal dist_cb
        if dist_cb is None:
            if dense:
                assert dist_m is not None
                dist_cb = register_matrix(dist_m)
            else:
                dist_cb = int(
                    routing.RegisterTransitCallback(lambda i, j: dist_fn(node_of[i], node_of[j]))
                )
        return dist_cb

    # Arc costs, one evaluator per distinct (cost_per_distance, cost_per_duration).
    arc_cb: dict[tuple[float, float], int] = {}
    for k in used_types:
        key = (types[k].cost_per_distance, types[k].cost_per_duration)
        if key in arc_cb:
            continue
        cpd, cpt = key[0] * scale, key[1] * scale
        if timed:
            cpt = 0.0  # priced as the span of the time dimension (with waiting)
        if cpt == 0 and cpd == 1:
            arc_cb[key] = distance_callback()
        elif dense:
            assert dist_m is not None
            arc = cpd * dist_m.astype(np.float64)
            if cpt:
                assert dur_m is not None
                arc += cpt * (dur_m + svc[:, None]).astype(np.float64)
            arc_cb[key] = register_matrix(np.rint(arc).astype(np.int64))
        else:

            def arc_cost(i: int, j: int, cpd: float = cpd, cpt: float = cpt) -> int:
                a, b = node_of[i], node_of[j]
                c = cpd * dist_fn(a, b)
                if cpt:
                    c += cpt * (dur_fn(a, b) + svc_of[i])
                return int(round(c))

            arc_cb[key] = int(routing.RegisterTransitCallback(arc_cost))
    for v, k in enumerate(vehicle_type_of):
        routing.SetArcCostEvaluatorOfVehicle(
            arc_cb[(types[k].cost_per_distance, types[k].cost_per_duration)], v
        )
        fixed = int(round(types[k].fixed_cost * scale))
        if fixed:
            routing.SetFixedCostOfVehicle(fixed, v)

    # Capacity dimensions.
    for d in range(dims):
        caps = [int(types[k].capacity[d]) for k in vehicle_type_of]
        transit, slack = copies.load_transit(demand[:, d], caps)  # reloads reset the load
        cb = int(routing.RegisterUnaryTransitVector(transit))
        routing.AddDimensionWithVehicleCapacity(cb, slack, caps, True, f"load{d}")
        if data.has_pickups:  # the load on board: starts at the route's deliveries
            _add_onboard_load(routing, manager, data, d, caps)

    if timed:
        _add_time_windows(
            routing,
            manager,
            data,
            types,
            vehicle_type_of,
            dur_m,
            svc,
            scale,
            node_of,
            svc_of,
            releases=not copies.count,
        )
    # Duration dimension (driving + service of the node left).
    if any_duration and not timed:
        if dense:
            assert dur_m is not None
            dur_cb = register_matrix(dur_m + svc[:, None])
        else:
            dur_cb = int(
                routing.RegisterTransitCallback(
                    lambda i, j: dur_fn(node_of[i], node_of[j]) + svc_of[i]
                )
            )
        caps = [_limit(types[k].max_duration) for k in vehicle_type_of]
        routing.AddDimensionWithVehicleCapacity(dur_cb, 0, caps, True, "duration")

    if any_distance:
        caps = [_limit(types[k].max_distance) for k in vehicle_type_of]
        routing.AddDimensionWithVehicleCapacity(distance_callback(), 0, caps, True, "distance")

    add_reloads(routing, manager, data, copies, timed)

    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = fs
    params.local_search_metaheuristic = mh
    params.time_limit.FromMilliseconds(max(1, int(round(time_limit * 1000))))
    params.log_search = bool(log)

    start, rejected = None, ""
    if initial_solution is not None or copies.count:
        start_routes, start_types = (
            greedy_routes(data, copies, vehicle_type_of)
            if initial_solution is None
            else (
                [list(r.visits) for r in initial_solution.routes],
                [int(r.vehicle_type) for r in initial_solution.routes],
            )
        )
        routing.CloseModelWithParameters(params)
        start = routing.ReadAssignmentFromRoutes(
            model_routes(data, copies, vehicle_type_of, start_routes, start_types), True
        )
        rejected = " (initial rejected)" if start is None and initial_solution else ""
    build_s = time.perf_counter() - t0
    if start is not None:
        assignment = routing.SolveFromAssignmentWithParameters(start, params)
    else:
        assignment = routing.SolveWithParameters(params)
    status = _STATUS.get(int(routing.status()), str(routing.status())) + rejected
    runtime = time.perf_counter() - t0
    if assignment is None:
        return ReferenceResult(
            solution=None,
            cost=math.inf,
            objective=math.inf,
            runtime_s=runtime,
            status=status,
            num_vehicles=nv,
            cost_scale=scale,
            exact_cost_scale=exact,
            build_s=build_s,
        )

    routes: list[list[int]] = []
    route_types: list[int] = []
    for v in range(nv):
        idx = routing.Start(v)
        visits: list[int] = []
        idx = assignment.Value(routing.NextVar(idx))
        while not routing.IsEnd(idx):
            visits.append(node_of[idx])
            idx = assignment.Value(routing.NextVar(idx))
        if visits:
            routes.append(visits)
            route_types.append(vehicle_type_of[v])
    if copies.count:  # free reload visits OR-Tools keeps (the same cost without them)
        routes, route_types = tidy_routes(data, routes, route_types)
    solution = _core.Solution(
        data, [_core.Route(r, t) for r, t in zip(routes, route_types, strict=True)]
    )
    return ReferenceResult(
        solution=solution,
        cost=float(solution.cost),
        objective=float(assignment.ObjectiveValue()) / scale,
        runtime_s=runtime,
        status=status,
        routes=routes,
        vehicle_types=route_types,
        feasible=bool(solution.feasible),
        num_vehicles=nv,
        cost_scale=scale,
        exact_cost_scale=exact,
        build_s=build_s,
    )
