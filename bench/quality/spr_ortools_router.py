"""OR-Tools routing as a second, independent route generator for SPR validation (bench only).

Capacities in all demand dimensions, the shift as a time dimension (driving + service), a
fixed cost per used vehicle so the number of routes is minimised first; savings construction
then guided local search for ``time_limit`` seconds. Matrices are registered in C++
(``RegisterTransitMatrix``), so no Python callbacks run during the search.
"""

from __future__ import annotations

import math

import numpy as np


def build_routes_ortools(
    instance, time_limit: float = 2.0, vehicle_type: int = 0
) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    data = instance.data
    D = data.distance_matrix().astype(np.int64)
    T = data.duration_matrix().astype(np.int64)
    svc = np.asarray(data.service_time, dtype=np.int64)
    dem = np.asarray(data.demand, dtype=np.int64)
    vt = data.vehicle_types[vehicle_type]
    cap = [int(c) for c in vt.capacity]
    n = data.num_nodes
    lb = max(math.ceil(dem[1:, k].sum() / cap[k]) for k in range(len(cap)) if cap[k] > 0)
    n_veh = int(lb * 1.6) + 4
    manager = pywrapcp.RoutingIndexManager(n, n_veh, 0)
    routing = pywrapcp.RoutingModel(manager)
    dist_cb = routing.RegisterTransitMatrix(D.tolist())
    routing.SetArcCostEvaluatorOfAllVehicles(dist_cb)
    routing.SetFixedCostOfAllVehicles(200_000)  # 200 km of driving per extra route
    for k, c in enumerate(cap):
        cb = routing.RegisterUnaryTransitVector(dem[:, k].tolist())
        routing.AddDimension(cb, 0, c, True, f"cap{k}")
    time_cb = routing.RegisterTransitMatrix((T + svc[:, None]).tolist())
    shift = int(vt.max_duration) if vt.max_duration is not None else 10**9
    routing.AddDimension(time_cb, 0, shift, True, "time")
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.SAVINGS
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    # the savings construction alone needs ~n/400 s on large instances; GLS gets the rest
    params.time_limit.FromMilliseconds(int((time_limit + n / 400.0) * 1000))
    sol = routing.SolveWithParameters(params)
    if sol is None:
        raise RuntimeError(f"OR-Tools found no solution for {instance.name}")
    routes = []
    for v in range(n_veh):
        idx = routing.Start(v)
        r = []
        while not routing.IsEnd(idx):
            node = manager.IndexToNode(idx)
            if node != 0:
                r.append(node)
            idx = sol.Value(routing.NextVar(idx))
        if r:
            routes.append(r)
    return routes
