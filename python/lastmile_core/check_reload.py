"""The independent checker's view of routes with reload visits (multi-trip routes), pure numpy
and sharing no code with the C++ evaluation; used by :func:`lastmile_core.check.check`.

A depot node among a route's visits (node 0, or ``num_clients + d`` for depot d >= 1) is a reload
at that depot. The trips are the runs of clients between depot visits: capacity holds per trip
(and, with pickups, after every visit of the trip, which leaves the depot with all its
deliveries). A reload takes the vehicle type's ``reload_time`` (like a service time) and must
start inside the depot's opening window; the trip after it leaves at the earliest at the latest
release of its clients (so the reload starts at or after that release minus the reload time).
The first trip's releases bound the route's departure as without reloads. A reload at a depot
the type may not reload at, or more reloads than ``max_reloads``, is a ``reload`` violation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]


def is_depot_node(nodes: IntArray, num_clients: int) -> npt.NDArray[np.bool_]:
    """Which of ``nodes`` are depot nodes (0, or above the clients)."""
    out: npt.NDArray[np.bool_] = (nodes == 0) | (nodes > num_clients)
    return out


def stop_times(
    vis: IntArray,
    num_clients: int,
    early: IntArray,
    late: IntArray,
    release: IntArray,
    svc: IntArray,
    reload_time: int,
) -> tuple[IntArray, IntArray, IntArray, int, IntArray]:
    """Per stop of a route: the earliest service start, the latest one, the service time; the
    release that bounds the departure (latest release of the first trip's clients); and per
    stop the release a reload waits for (0 at clients: the latest release of the next trip)."""
    depot = is_depot_node(vis, num_clients)
    lo = early[vis].copy()
    hi = late[vis].copy()
    dur = svc[vis].copy()
    waits = np.zeros(vis.size, dtype=np.int64)
    first = int(np.argmax(depot)) if depot.any() else vis.size
    rel0 = int(release[vis[:first]].max()) if first else 0
    latest = 0
    for p in range(vis.size - 1, -1, -1):
        if depot[p]:
            waits[p] = latest
            lo[p] = max(int(lo[p]), latest - reload_time)
            dur[p] = reload_time
            latest = 0
        else:
            latest = max(latest, int(release[vis[p]]))
    return lo, hi, dur, rel0, waits


def reload_violations(
    make: Callable[[str, str, int], Any],
    r: int,
    vis: IntArray,
    num_clients: int,
    vehicle_type: Any,
    k: int,
    demand: IntArray,
    pickup: IntArray | None,
    dim_names: tuple[str, ...],
) -> list[Any]:
    """``reload`` violations (depots the type may not reload at, too many reloads) and the
    capacity of every trip (``capacity``, or ``pickup_load`` when only the load after a pickup
    exceeds it) of route r; ``make(kind, message, route)`` builds a violation."""
    out: list[Any] = []
    depot = is_depot_node(vis, num_clients)
    allowed = {int(d) for d in vehicle_type.reload_depots}
    for c in vis[depot]:
        d = 0 if int(c) == 0 else int(c) - num_clients
        if d not in allowed:
            out.append(
                make(
                    "reload",
                    f"route {r}: reload at depot {d} (node {int(c)}), where vehicle type {k} "
                    f"may not reload",
                    r,
                )
            )
    n_reloads = int(depot.sum())
    if vehicle_type.max_reloads is not None and n_reloads > vehicle_type.max_reloads:
        out.append(
            make(
                "reload",
                f"route {r}: {n_reloads} reloads exceed max_reloads {vehicle_type.max_reloads}",
                r,
            )
        )
    cap = vehicle_type.capacity
    cuts = np.flatnonzero(depot)
    for t, trip in enumerate(np.split(vis, cuts)):
        trip = trip[~is_depot_node(trip, num_clients)]
        if trip.size == 0:
            continue
        total = demand[trip].sum(axis=0)
        after = (
            total + np.cumsum(pickup[trip] - demand[trip], axis=0) if pickup is not None else None
        )
        for d in range(demand.shape[1]):
            name = dim_names[d] if d < len(dim_names) else f"dim{d}"
            if total[d] > cap[d]:
                out.append(
                    make(
                        "capacity",
                        f"route {r}: trip {t}: load {int(total[d])} exceeds capacity {cap[d]} "
                        f"({name})",
                        r,
                    )
                )
            elif after is not None and after[:, d].max() > cap[d]:
                q = int(np.argmax(after[:, d]))
                out.append(
                    make(
                        "pickup_load",
                        f"route {r}: trip {t}: load {int(after[q, d])} after the pickup at "
                        f"client {int(trip[q])} exceeds capacity {cap[d]} ({name})",
                        r,
                    )
                )
    return out


__all__ = ["is_depot_node", "reload_violations", "stop_times"]
