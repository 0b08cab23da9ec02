"""A small self-contained route builder for SPR fixtures and validation when the routing engine
(``lastmile_core.solve``) is not importable. Test/bench code only: it is NOT the product router.

Sweep around the depot (starting at the widest angular gap), cheapest insertion into the open
route while capacity (every demand dimension) and the shift (driving + service) allow, 2-opt on
the open route before giving up on a stop, then close the route and open a new one. Every route
is finally polished by 2-opt. Deterministic.
"""

from __future__ import annotations

import numpy as np


def _two_opt(tour: list[int], T: np.ndarray) -> list[int]:
    """2-opt on a closed tour depot -> tour -> depot (depot = node 0), first improvement."""
    path = np.array([0, *tour, 0])
    improved = True
    while improved and len(path) > 4:
        improved = False
        n = len(path)
        for i in range(1, n - 2):
            a, b = path[i - 1], path[i]
            js = np.arange(i + 1, n - 1)
            c, d = path[js], path[js + 1]
            gain = T[a, b] + T[c, d] - T[a, c] - T[b, d]
            k = int(np.argmax(gain))
            if gain[k] > 0:
                j = js[k]
                path[i : j + 1] = path[i : j + 1][::-1].copy()
                improved = True
    return [int(x) for x in path[1:-1]]


def _tour_time(tour: list[int], T: np.ndarray) -> float:
    p = [0, *tour, 0]
    return float(sum(T[p[i], p[i + 1]] for i in range(len(p) - 1)))


def build_routes(instance, vehicle_type: int = 0) -> list[list[int]]:
    """Routes (lists of client indices) for ``instance`` using one vehicle type."""
    data = instance.data
    T = data.duration_matrix().astype(float)
    svc = np.asarray(data.service_time, dtype=float)
    dem = np.asarray(data.demand, dtype=float)
    vt = data.vehicle_types[vehicle_type]
    cap = np.asarray(vt.capacity, dtype=float)
    maxdur = float(vt.max_duration) if vt.max_duration is not None else np.inf
    xy = np.asarray(data.coords, dtype=float)
    ang = np.arctan2(xy[1:, 1] - xy[0, 1], (xy[1:, 0] - xy[0, 0]) * np.cos(np.radians(xy[0, 1])))
    order = np.argsort(ang, kind="stable")
    sa = ang[order]
    gaps = np.diff(np.concatenate([sa, [sa[0] + 2 * np.pi]]))
    start = (int(np.argmax(gaps)) + 1) % len(order)
    order = np.roll(order, -start) + 1
    routes: list[list[int]] = []
    tour: list[int] = []
    load = np.zeros_like(cap)
    drive = 0.0
    service = 0.0

    def cheapest(t: list[int], c: int) -> tuple[float, int]:
        p = np.array([0, *t, 0])
        delta = T[p[:-1], c] + T[c, p[1:]] - T[p[:-1], p[1:]]
        k = int(np.argmin(delta))
        return float(delta[k]), k

    for c in order:
        c = int(c)
        if np.any(dem[c] > cap) or T[0, c] + T[c, 0] + svc[c] > maxdur:
            raise ValueError(f"client {c} cannot be served by vehicle type {vehicle_type}")
        fits_cap = np.all(load + dem[c] <= cap)
        if fits_cap:
            d, k = cheapest(tour, c)
            if drive + d + service + svc[c] > maxdur and len(tour) > 3:
                tour = _two_opt(tour, T)
                drive = _tour_time(tour, T)
                d, k = cheapest(tour, c)
            if drive + d + service + svc[c] <= maxdur:
                tour.insert(k, c)
                load += dem[c]
                drive += d
                service += svc[c]
                continue
        routes.append(_two_opt(tour, T))
        tour, load, drive, service = [c], dem[c].copy(), T[0, c] + T[c, 0], svc[c]
    if tour:
        routes.append(_two_opt(tour, T))
    return routes
