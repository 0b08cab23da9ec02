"""Independent solution checker in pure Python/numpy.

Shares no code with the C++ evaluation (``cpp/core/solution.cpp``): every edge is recomputed from
the instance's coordinates with its distance convention, then loads, durations, limits, fleet
counts and coverage are verified. Use it to validate solver output and reference solutions.

Edge conventions (internal units, ``scale = instance.distance_scale``), rounding half away
from zero like TSPLIB ``nint``:

* ``euclidean_rounded`` / ``euclidean``: ``round(scale * sqrt(dx^2 + dy^2))``;
* ``haversine``: ``round(scale * circuity * 2 R asin(sqrt(a)))`` with R = 6371.0088 km;
* ``matrix``: the instance's explicit matrix.

Pickups (instances with ``pickup`` amounts): a route leaves the depot with all its deliveries on
board; after each visit the load falls by the delivery and rises by the pickup, and it must stay
within the capacity after every visit (``pickup_load``).

An edge's driving duration is ``round(distance * duration_per_distance)`` unless a duration
matrix is given. Route duration = driving + service at the visited clients (+ the depots'
loading time before each trip, :mod:`lastmile_core.depots`).

Time windows (instances with windows, release times or shift windows): the route departs at the
earliest at max(depot opening, shift start, latest release of its clients) and is simulated
forward (waiting until a window opens; arriving after it closes is a ``time_window``
violation; returning after the depot closes or the shift ends too; a release after the latest
departure is a ``release`` violation). The duration is then the earliest return minus the latest
departure that still achieves it (a backward pass), so it includes waiting.

Reloads (vehicle types with ``reload_depots``): a depot node among a route's visits is a reload;
capacity holds per trip, the times over the whole route (see :mod:`lastmile_core.check_reload`).

Driver breaks (vehicle types with ``break_duration``): the schedule with the route's break, its
window and position (see :mod:`lastmile_core.check_break`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from .check_break import break_route_time
from .check_reload import is_depot_node, reload_violations, stop_times
from .errors import IndexOutOfRangeError, InputError
from .instance import Instance

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)


class Violation(str):
    """One constraint violation: a message string (like ``Solution.violations``) that also
    carries ``kind`` (missing, duplicate, capacity, pickup_load, duration, distance, fleet, ...)
    and ``route`` (index of the offending route, None for global violations)."""

    kind: str
    route: int | None

    def __new__(cls, kind: str, message: str, route: int | None = None) -> Violation:
        obj = super().__new__(cls, message)
        obj.kind = kind
        obj.route = route
        return obj

    @property
    def message(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"Violation({self.kind!r}, {str(self)!r}, route={self.route!r})"


@dataclass(frozen=True)
class RouteReport:
    """Figures of one route, in user units (``*_internal``: integer internal units)."""

    index: int
    vehicle_type: int
    visits: tuple[int, ...]
    distance: float
    duration: float
    service: float
    load: tuple[int, ...]
    cost: float
    distance_internal: int
    duration_internal: int


@dataclass(frozen=True)
class CheckReport:
    """Result of :func:`check`. Costs, distances and durations are in user units."""

    cost: float
    distance: float
    duration: float
    distance_internal: int
    duration_internal: int
    num_routes: int  #: non-empty routes
    routes: tuple[RouteReport, ...]
    violations: tuple[Violation, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations

    def summary(self) -> str:
        state = "feasible" if self.feasible else f"{len(self.violations)} violation(s)"
        lines = [
            f"cost {self.cost:.6g}, distance {self.distance:.6g}, {self.num_routes} routes, {state}"
        ]
        lines += [f"  {v.kind}: {v.message}" for v in self.violations[:20]]
        if len(self.violations) > 20:
            lines.append(f"  ... and {len(self.violations) - 20} more")
        return "\n".join(lines)


def round_half_away(x: npt.NDArray[np.floating[Any]]) -> npt.NDArray[np.int64]:
    """Round non-negative values to the nearest integer, halves up (TSPLIB ``nint``)."""
    f = np.floor(x)
    out: npt.NDArray[np.int64] = (f + (x - f >= 0.5)).astype(np.int64)
    return out


def edge_distances(
    instance: Instance, frm: npt.NDArray[np.int64], to: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """Internal distances of the edges ``frm[k] -> to[k]`` recomputed from the instance data."""
    data = instance.data
    kind = data.distance_kind
    scale = float(data.distance_scale)
    if kind == "matrix":
        return np.asarray(data.distance_matrix(), dtype=np.int64)[frm, to]
    xy = np.asarray(data.coords, dtype=np.float64)
    if kind in ("euclidean_rounded", "euclidean"):
        dx = xy[frm, 0] - xy[to, 0]
        dy = xy[frm, 1] - xy[to, 1]
        return round_half_away(np.sqrt(dx * dx + dy * dy) * scale)
    if kind == "haversine":
        lon = np.radians(xy[:, 0])
        lat = np.radians(xy[:, 1])
        s_lat = np.sin((lat[to] - lat[frm]) / 2)
        s_lon = np.sin((lon[to] - lon[frm]) / 2)
        a = s_lat * s_lat + np.cos(lat[frm]) * np.cos(lat[to]) * s_lon * s_lon
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        return round_half_away(km * float(data.circuity) * scale)
    raise InputError(f"instance.data.distance_kind: unknown kind {kind!r}")


def _route_time(
    r: int,
    vis: npt.NDArray[np.int64],
    drive: npt.NDArray[np.int64],
    stops_tw: tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]],
    releases: tuple[int, npt.NDArray[np.int64], npt.NDArray[np.int64]],
    depot: tuple[int, int, int, int],
    tscale: float,
    num_clients: int,
    load0: int = 0,
) -> tuple[int, int, list[Violation]]:
    """Duration (with waiting) and waiting of one non-empty route, and its time violations.
    ``drive[k]``: driving time of the route's k-th edge (depot first, depot last). ``stops_tw``:
    per stop the earliest and latest service start and the service time (reloads: see
    :mod:`lastmile_core.check_reload`); ``releases``: the release bounding the departure, the
    release each reload waits for, the release of every node. ``depot``: opening and closing of
    the start depot, then of the end depot (shift window included). ``load0``: the start
    depot's loading time (the route starts with it; a release bounds its start)."""
    lo, hi, svc = stops_tw
    rel, waits, release = releases
    d_open, d_close, e_open, e_close = depot
    out: list[Violation] = []
    stops = [int(c) for c in vis]
    legs = [int(x) for x in drive]
    if rel > d_close:
        c = next(c for c in stops if int(release[c]) == rel)
        out.append(
            Violation(
                "release",
                f"route {r}: client {c} is released at {rel / tscale:g} after the latest "
                f"departure {d_close / tscale:g}",
                r,
            )
        )
    t = max(d_open, rel) + load0
    for k, c in enumerate(stops):
        t += legs[k]
        reload = c == 0 or c > num_clients
        if reload and int(lo[k]) > int(hi[k]):
            out.append(
                Violation(
                    "release",
                    f"route {r}: a trip released at {int(waits[k]) / tscale:g} leaves after "
                    f"the reload at node {c}, which closes at {int(hi[k]) / tscale:g}",
                    r,
                )
            )
        elif t > int(hi[k]):
            what = f"the reload at node {c}" if reload else f"client {c}"
            out.append(
                Violation(
                    "time_window",
                    f"route {r}: {what} is reached at {t / tscale:g} after its window "
                    f"closes at {int(hi[k]) / tscale:g}",
                    r,
                )
            )
        t = max(t, int(lo[k])) + int(svc[k])
    end = max(t + legs[-1], e_open)  # waits at an end depot that is not open yet
    if end > e_close:
        out.append(
            Violation(
                "time_window",
                f"route {r}: returns to the depot at {end / tscale:g} after it closes / the "
                f"shift ends at {e_close / tscale:g}",
                r,
            )
        )
    # Backward: latest service starts that still return at `end`, then the latest departure.
    latest = end - legs[-1]
    for k in range(len(stops) - 1, -1, -1):
        latest = min(int(hi[k]), latest - int(svc[k]))
        latest -= legs[k]
    depart = max(min(latest - load0, d_close), max(d_open, rel))  # the loading's start
    duration = end - depart
    waiting = duration - sum(legs) - int(np.sum(svc)) - load0
    return duration, waiting, out


def _normalise(
    instance: Instance, routes: Any, vehicle_types: Sequence[int] | None
) -> tuple[list[np.ndarray], list[int]]:
    if isinstance(routes, _core.Solution):
        routes = routes.routes
    routes = list(routes)
    if vehicle_types is not None and len(vehicle_types) != len(routes):
        raise InputError(
            f"vehicle_types: expected {len(routes)} entries (one per route), got {len(vehicle_types)}"
        )
    n = instance.num_clients + 1  # clients 1..n-1 (depots 1.. are the nodes after them)
    reloads = any(len(t.reload_depots) > 0 for t in instance.data.vehicle_types)
    k_types = len(instance.data.vehicle_types)
    visits: list[np.ndarray] = []
    vtypes: list[int] = []
    for r, route in enumerate(routes):
        if isinstance(route, _core.Route):
            seq: Any = route.visits
            vt = route.vehicle_type if vehicle_types is None else vehicle_types[r]
        else:
            seq = route
            vt = 0 if vehicle_types is None else vehicle_types[r]
        arr = np.asarray(seq)
        if arr.size == 0:
            arr = arr.astype(np.int64)
        if arr.ndim != 1 or arr.dtype.kind not in "iu":
            if arr.ndim == 1 and arr.dtype.kind == "f" and np.all(arr == np.rint(arr)):
                arr = arr.astype(np.int64)
            else:
                raise InputError(f"routes[{r}]: expected a 1-D sequence of integer client indices")
        arr = arr.astype(np.int64)
        if reloads:  # depot nodes 0 and n.. are reload visits
            if arr.size and (arr.min() < 0 or arr.max() >= instance.num_nodes):
                bad = int(arr[(arr < 0) | (arr >= instance.num_nodes)][0])
                raise IndexOutOfRangeError(
                    f"routes[{r}]: {bad} is neither a client in [1, {n - 1}] nor a depot node"
                )
        elif arr.size and (arr.min() < 1 or arr.max() > n - 1):
            bad = int(arr[(arr < 1) | (arr > n - 1)][0])
            raise IndexOutOfRangeError(f"routes[{r}]: client {bad} is not in [1, {n - 1}]")
        if isinstance(vt, bool) or int(vt) != vt:
            raise InputError(f"vehicle_types[{r}]: expected an integer, got {vt!r}")
        if not 0 <= int(vt) < k_types:
            raise IndexOutOfRangeError(
                f"vehicle_types[{r}]: vehicle type {vt} is not in [0, {k_types})"
            )
        visits.append(arr)
        vtypes.append(int(vt))
    return visits, vtypes


def _pickup_load(
    instance: Instance,
    r: int,
    vis: npt.NDArray[np.int64],
    demand: npt.NDArray[np.int64],
    pickup: npt.NDArray[np.int64],
    cap: Sequence[int],
) -> list[Violation]:
    """Pickups: the route leaves with all its deliveries, then the load after each visit is
    the previous one minus the delivery plus the pickup; a load above the capacity after a
    pickup is a ``pickup_load`` violation (when the delivery total already exceeds it, the
    ``capacity`` violation reports it)."""
    out: list[Violation] = []
    start = demand[vis].sum(axis=0)
    after = start + np.cumsum(pickup[vis] - demand[vis], axis=0)  # load after each visit
    for d in range(demand.shape[1]):
        if start[d] > cap[d] or after[:, d].max() <= cap[d]:
            continue
        k = int(np.argmax(after[:, d]))
        name = instance.dim_names[d] if d < len(instance.dim_names) else f"dim{d}"
        out.append(
            Violation(
                "pickup_load",
                f"route {r}: load {int(after[k, d])} after the pickup at client {int(vis[k])} "
                f"exceeds capacity {cap[d]} ({name})",
                r,
            )
        )
    return out


def check(
    instance: Instance,
    routes: _core.Solution | Sequence[_core.Route] | Sequence[Sequence[int]],
    vehicle_types: Sequence[int] | None = None,
    *,
    duration_matrix: npt.ArrayLike | None = None,
) -> CheckReport:
    """Check routes against ``instance`` independently of the C++ evaluation.

    ``routes``: a ``Solution``, a list of ``Route``, or lists of client indices 1..n (depot
    implicit) with optional ``vehicle_types`` (one type index per route, default 0).
    Durations come from the instance's own duration matrix when it has one, else from the
    distances; ``duration_matrix`` (n x n, user time units) overrides both. Raises IndexOutOfRangeError for clients or
    vehicle types out of range; every other problem is reported in ``violations``.
    """
    data = instance.data
    n = instance.num_nodes
    nc = instance.num_clients
    dims = int(data.num_dims)
    given: list[Any] = list(routes.routes if isinstance(routes, _core.Solution) else routes)
    placed = [  # driver breaks: the solver's (break_after, break_start) when given
        (int(x.break_after), int(x.break_start))
        if isinstance(x, _core.Route) and x.break_after is not None
        else None
        for x in given
    ]
    visits, vtypes = _normalise(instance, given, vehicle_types)
    types = data.vehicle_types
    specs = instance.vehicle_specs if len(instance.vehicle_specs) == len(types) else None
    dscale, tscale = float(instance.distance_scale), float(instance.time_scale)

    lens = np.array([v.size for v in visits], dtype=np.int64)
    used = np.flatnonzero(lens > 0)
    flat = np.concatenate([visits[r] for r in used]) if used.size else np.zeros(0, np.int64)
    # Path 0 v.. 0 w.. 0 ...: route r (non-empty) owns len(r) + 1 consecutive edges.
    ulens = lens[used]
    starts = np.concatenate(([0], np.cumsum(ulens + 1)))  # depot positions in the path
    path = np.zeros(int(starts[-1]) + 1, dtype=np.int64)
    mask = np.ones(path.size, dtype=bool)
    mask[starts] = False
    path[mask] = flat
    frm, to = path[:-1].copy(), path[1:].copy()
    # Several depots: depot d is node 0 (d = 0) or node nc + d; each route leaves from its
    # type's start depot and returns to its end depot.
    vt_arr = np.asarray(vtypes, dtype=np.int64)
    start_node = np.array([int(t.start_depot) for t in data.vehicle_types], np.int64)
    end_node = np.array([int(t.end_depot) for t in data.vehicle_types], np.int64)
    start_node[start_node > 0] += nc
    end_node[end_node > 0] += nc
    if used.size:
        frm[starts[:-1]] = start_node[vt_arr[used]]
        to[starts[1:] - 1] = end_node[vt_arr[used]]
    dist_e = edge_distances(instance, frm, to)
    if duration_matrix is not None:
        tm = np.asarray(duration_matrix, dtype=np.float64)
        if tm.shape != (n, n):
            raise InputError(f"duration_matrix: expected shape ({n}, {n}), got {tm.shape}")
        dur_e = round_half_away(tm[frm, to] * tscale)
    elif data.has_duration_matrix:
        dur_e = np.asarray(data.duration_matrix(), dtype=np.int64)[frm, to]
    else:
        dur_e = round_half_away(dist_e * float(data.duration_per_distance))

    estarts = starts[:-1]
    svc_nodes = np.asarray(data.service_time, dtype=np.int64)[flat]
    reloads = any(len(t.reload_depots) > 0 for t in types)
    # Depot loading time per node (0 at clients): before every trip leaves a depot.
    loading = np.zeros(n, dtype=np.int64)
    loading[is_depot_node(np.arange(n), nc)] = np.asarray(data.depot_loading_time, np.int64)
    if reloads and flat.size:  # a reload visit: its type's reload_time, then the loading
        owner = np.repeat(vt_arr[used], ulens)
        rtime = np.array([int(t.reload_time) for t in types], dtype=np.int64)
        svc_nodes = np.where(is_depot_node(flat, nc), rtime[owner] + loading[flat], svc_nodes)
    demand = np.asarray(data.demand, dtype=np.int64)
    picks = np.asarray(data.pickup, dtype=np.int64) if data.has_pickups else None
    vstarts = estarts - np.arange(used.size)  # start of each used route within `flat`
    r_dist = np.zeros(len(visits), dtype=np.int64)
    r_drive = np.zeros(len(visits), dtype=np.int64)
    r_svc = np.zeros(len(visits), dtype=np.int64)
    r_load = np.zeros((len(visits), dims), dtype=np.int64)
    if used.size:
        r_dist[used] = np.add.reduceat(dist_e, estarts)
        r_drive[used] = np.add.reduceat(dur_e, estarts)
        r_svc[used] = np.add.reduceat(svc_nodes, vstarts) + loading[start_node[vt_arr[used]]]
        r_load[used] = np.add.reduceat(demand[flat], vstarts, axis=0)
    r_dur = r_drive + r_svc

    violations: list[Violation] = []
    reports: list[RouteReport] = []
    costs: list[float] = []
    timed = bool(data.has_time_windows)
    if timed:
        unl = int(_core.UNLIMITED)
        tw = (
            np.asarray(data.tw_early, dtype=np.int64),
            np.asarray(data.tw_late, dtype=np.int64),
            np.asarray(data.release_time, dtype=np.int64),
        )
        all_svc = np.asarray(data.service_time, dtype=np.int64)
        ends = np.concatenate((estarts, [dur_e.size]))  # edge range of each used route
        upos = {int(u): q for q, u in enumerate(used)}
    for r, (vis, k) in enumerate(zip(visits, vtypes, strict=True)):
        vt = types[k]
        if timed and vis.size:
            q = upos[r]
            a, b = int(start_node[k]), int(end_node[k])
            shift_end = unl if vt.latest_end is None else int(vt.latest_end)
            windows = (
                max(int(tw[0][a]), int(vt.earliest_start)),
                min(int(tw[1][a]), shift_end),
                max(int(tw[0][b]), int(vt.earliest_start)),
                min(int(tw[1][b]), shift_end),
            )
            lo, hi, svc_s, rel0, waits = stop_times(
                vis, nc, tw[0], tw[1], tw[2], all_svc, int(vt.reload_time)
            )
            svc_s = svc_s + np.where(is_depot_node(vis, nc), loading[vis], 0)
            if int(vt.break_duration) > 0:  # see lastmile_core.check_break
                bl = unl if vt.break_late is None else int(vt.break_late)
                brk = (int(vt.break_duration), int(vt.break_early), bl)
                dur_r, tv = break_route_time(
                    Violation, r, vis, dur_e[ends[q] : ends[q + 1]], (lo, hi, svc_s), rel0,
                    windows, brk, placed[r], tscale,
                )  # fmt: skip
            else:
                dur_r, _wait, tv = _route_time(
                    r,
                    vis,
                    dur_e[ends[q] : ends[q + 1]],
                    (lo, hi, svc_s),
                    (rel0, waits, tw[2]),
                    windows,
                    tscale,
                    nc,
                    int(loading[a]),
                )
            r_dur[r] = dur_r
            violations.extend(tv)
        cost = 0.0
        if vis.size:
            if specs is not None:
                s = specs[k]  # exact rational arithmetic, one rounding (HFVRP costs: exact)
                cost = float(
                    Fraction(float(s.fixed_cost))
                    + Fraction(float(s.cost_per_distance)) * int(r_dist[r]) / Fraction(dscale)
                    + Fraction(float(s.cost_per_duration)) * int(r_dur[r]) / Fraction(tscale)
                )
            else:
                cost = (
                    vt.fixed_cost
                    + vt.cost_per_distance * int(r_dist[r])
                    + vt.cost_per_duration * int(r_dur[r])
                )
        costs.append(cost)
        cap = vt.capacity
        trips = reloads and bool(is_depot_node(vis, nc).any())
        if trips:  # capacity per trip, reload depots and counts
            violations.extend(
                reload_violations(
                    Violation, r, vis, nc, vt, k, demand, picks, tuple(instance.dim_names)
                )
            )
        for d in range(dims if not trips else 0):
            if r_load[r, d] > cap[d]:
                name = instance.dim_names[d] if d < len(instance.dim_names) else f"dim{d}"
                violations.append(
                    Violation(
                        "capacity",
                        f"route {r}: load {int(r_load[r, d])} exceeds capacity {cap[d]} ({name})",
                        r,
                    )
                )
        if picks is not None and vis.size and not trips:
            violations.extend(_pickup_load(instance, r, vis, demand, picks, cap))
        if vt.max_duration is not None and r_dur[r] > vt.max_duration:
            violations.append(
                Violation(
                    "duration",
                    f"route {r}: duration {int(r_dur[r]) / tscale:g} exceeds max_duration "
                    f"{vt.max_duration / tscale:g}",
                    r,
                )
            )
        if vt.max_distance is not None and r_dist[r] > vt.max_distance:
            violations.append(
                Violation(
                    "distance",
                    f"route {r}: distance {int(r_dist[r]) / dscale:g} exceeds max_distance "
                    f"{vt.max_distance / dscale:g}",
                    r,
                )
            )
        reports.append(
            RouteReport(
                index=r,
                vehicle_type=k,
                visits=tuple(int(c) for c in vis),
                distance=int(r_dist[r]) / dscale,
                duration=int(r_dur[r]) / tscale,
                service=int(r_svc[r]) / tscale,
                load=tuple(int(x) for x in r_load[r]),
                cost=cost,
                distance_internal=int(r_dist[r]),
                duration_internal=int(r_dur[r]),
            )
        )

    used_types = np.bincount(np.asarray(vtypes, dtype=np.int64)[used], minlength=len(types))
    for k, vt in enumerate(types):
        if vt.num_available is not None and used_types[k] > vt.num_available:
            violations.append(
                Violation(
                    "fleet",
                    f"vehicle type {k} ({vt.name}): {int(used_types[k])} routes but only "
                    f"{vt.num_available} vehicles",
                )
            )
    seen = np.bincount(flat, minlength=nc + 1)[: nc + 1]  # clients (depot nodes: reloads)
    for c in np.flatnonzero(seen[1:] == 0) + 1:
        violations.append(Violation("missing", f"client {int(c)} is not visited"))
    for c in np.flatnonzero(seen[1:] > 1) + 1:
        violations.append(
            Violation("duplicate", f"client {int(c)} is visited {int(seen[c])} times")
        )

    total_dist = int(r_dist.sum())
    total_dur = int(r_dur.sum())
    return CheckReport(
        cost=math.fsum(costs),
        distance=total_dist / dscale,
        duration=total_dur / tscale,
        distance_internal=total_dist,
        duration_internal=total_dur,
        num_routes=int(used.size),
        routes=tuple(reports),
        violations=tuple(violations),
    )


__all__ = ["CheckReport", "RouteReport", "Violation", "check", "edge_distances", "round_half_away"]
