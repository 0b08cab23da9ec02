"""EV energy model: vehicles, drive-trace simulation and closed-form per-arc / route energy.

Units are in the names: ``*_kg``, ``*_m``, ``*_mps`` (m/s), ``*_mps2``, ``*_s``, ``*_c`` (deg C),
``*_w``, ``*_kw``, ``*_kwh``. The heavy lifting is in C++ (``cpp/energy``) with the GIL released.

* :class:`Vehicle` -- explicit parameters, validated (``InputError`` names the field), with the
  presets ``"midvan68"`` (the FASTSim reference van), ``"small_van"`` and ``"large_van"``.
* :func:`simulate_trace` -- integrates a speed trace (any time step); ``mode="fastsim"``
  reproduces FASTSim 3.1's conventions, ``mode="physics"`` is the realistic variant.
* :func:`arc_energy_coefficients` -- closed-form chemical energy of arcs driven as
  accelerate / cruise / brake to a stop / dwell, linear in payload: ``E = a + b * payload_kg``.
* :func:`route_energy` (one route; :func:`route_arc_lengths_m` turns ``(lon, lat)`` or planar
  coordinates into arcs), :func:`route_energy_batch` (many routes, CSR over arcs) and
  :func:`evaluate_routes` (from precomputed ``a, b``): energy per arc, SoC, reserve feasibility.
* :func:`solution_arcs` / :func:`solution_energy`: the arcs and the energy table of a solved
  instance's routes.

Energies reported for routes are *chemical* (drawn from the cells, battery losses included), so
``soc = initial_soc - cumulative_energy_kwh / battery_usable_kwh``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from .energy_trace import (
    DEFAULT_ACCEL_MPS2,
    DEFAULT_CRUISE_SPEED_MPS,
    DEFAULT_DECEL_MPS2,
    FloatArray,
    _per_stop,
    read_cycle_csv,
    simulate_trace,
    stop_and_go_trace,
)
from .errors import InputError
from .geo import haversine_km

Vehicle = _core.EnergyVehicle
TraceResult = _core.TraceResult

REGEN_RULES: tuple[str, ...] = ("none", "linear", "fiori", "full")


def route_arc_lengths_m(
    coords: npt.ArrayLike, metric: str = "haversine", circuity: float = 1.0
) -> FloatArray:
    """Arc lengths (m) of the closed tour depot -> stops -> depot from node coordinates.

    ``coords`` has one row per node, depot first: ``(lon, lat)`` in degrees for
    ``metric="haversine"`` (the order used everywhere in lastmile_core) or planar ``(x, y)`` in
    metres for ``metric="euclidean"``. Lengths are
    multiplied by ``circuity`` (road distance / straight line). Returns n + 1 values for n stops,
    ready for :func:`route_energy`.
    """
    xy = np.asarray(coords, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2 or len(xy) < 1:
        raise InputError(f"coords: expected shape (n + 1, 2), got {xy.shape}")
    if not np.all(np.isfinite(xy)):
        raise InputError("coords: values must be finite")
    if not (np.isfinite(circuity) and circuity >= 1.0):
        raise InputError(f"circuity: must be >= 1, got {circuity}")
    a = xy
    b = np.roll(xy, -1, axis=0)  # next node, the depot after the last stop
    if metric == "euclidean":
        d = np.hypot(b[:, 0] - a[:, 0], b[:, 1] - a[:, 1])
    elif metric == "haversine":
        if np.any(np.abs(xy[:, 0]) > 180.0) or np.any(np.abs(xy[:, 1]) > 90.0):
            raise InputError("coords: expected (lon, lat) in degrees (|lon| <= 180, |lat| <= 90)")
        d = haversine_km(a[:, 0], a[:, 1], b[:, 0], b[:, 1]) * 1000.0
    else:
        raise InputError(f"metric: unknown metric '{metric}' (expected haversine or euclidean)")
    return np.asarray(d * circuity, dtype=np.float64)


def arc_energy_coefficients(
    vehicle: Vehicle,
    distance_m: npt.ArrayLike,
    elevation_diff_m: npt.ArrayLike = 0.0,
    dwell_s: npt.ArrayLike = 0.0,
    *,
    ambient_c: float = 20.0,
    cruise_speed_mps: npt.ArrayLike = DEFAULT_CRUISE_SPEED_MPS,
    accel_mps2: float = DEFAULT_ACCEL_MPS2,
    decel_mps2: float = DEFAULT_DECEL_MPS2,
    regen: str | None = None,
    reference_payload_kg: float | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Per-arc chemical energy ``E = a_kwh + b_kwh_per_kg * payload_kg`` for arcs started and
    ended at a stop (accelerate, cruise, brake), followed by ``dwell_s`` of service time.

    Scalars broadcast over the arcs. Efficiencies and traction/regen regimes are fixed at
    ``reference_payload_kg`` (default: half the vehicle's max payload), which makes E exactly
    linear in payload. Returns ``(a_kwh, b_kwh_per_kg)``.
    """
    a, b = _core.energy_arc_coefficients(
        vehicle,
        np.atleast_1d(np.asarray(distance_m, dtype=np.float64)),
        elevation_diff_m,
        cruise_speed_mps,
        dwell_s,
        ambient_c,
        accel_mps2,
        decel_mps2,
        regen,
        reference_payload_kg,
    )
    return a, b


@dataclass(frozen=True)
class RouteEnergy:
    """Energy along one route depot -> stops -> depot (n stops, n + 1 arcs)."""

    arc_energy_kwh: FloatArray  #: chemical energy per arc (n + 1), dwell at its end included
    cumulative_energy_kwh: FloatArray  #: running total after each arc (n + 1)
    soc: FloatArray  #: state of charge at the start and after each arc (n + 2)
    payload_kg: FloatArray  #: payload on board on each arc (n + 1)
    energy_kwh: float  #: route total
    min_soc: float
    end_soc: float
    reserve_kwh: float
    feasible: bool  #: min_soc * battery_usable_kwh >= reserve_kwh
    distance_km: float
    arc_distance_m: FloatArray  #: arc lengths (n + 1)
    battery_usable_kwh: float


@dataclass(frozen=True)
class BatchRouteEnergy:
    """Energy of many routes given in CSR form over arcs."""

    arc_energy_kwh: FloatArray | None  #: per arc (None unless requested)
    energy_kwh: FloatArray  #: per route
    min_soc: FloatArray  #: per route
    end_soc: FloatArray  #: per route
    feasible: npt.NDArray[np.bool_]  #: per route


def _reserve(vehicle_kwh: float, reserve_fraction: float, reserve_kwh: float | None) -> float:
    if reserve_kwh is not None:
        return float(reserve_kwh)
    if not (0.0 <= reserve_fraction <= 1.0):
        raise InputError(f"reserve_fraction: must be in [0, 1], got {reserve_fraction}")
    return float(reserve_fraction) * vehicle_kwh


def route_energy(
    vehicle: Vehicle,
    distance_m: npt.ArrayLike,
    dwell_s: npt.ArrayLike = 0.0,
    payload_delivered_kg: npt.ArrayLike = 0.0,
    *,
    elevation_m: npt.ArrayLike | None = None,
    elevation_diff_m: npt.ArrayLike | None = None,
    ambient_c: float = 20.0,
    cruise_speed_mps: npt.ArrayLike = DEFAULT_CRUISE_SPEED_MPS,
    accel_mps2: float = DEFAULT_ACCEL_MPS2,
    decel_mps2: float = DEFAULT_DECEL_MPS2,
    regen: str | None = None,
    reference_payload_kg: float | None = None,
    initial_soc: float = 1.0,
    reserve_fraction: float = 0.1,
    reserve_kwh: float | None = None,
    extra_payload_kg: float = 0.0,
) -> RouteEnergy:
    """Energy and SoC along one route depot -> stop 1 -> ... -> stop n -> depot.

    ``distance_m`` holds the n + 1 arc lengths (into each stop, then back to the depot).
    ``dwell_s`` and ``payload_delivered_kg`` are per stop (n values, or n + 1 with the depot
    last, or scalars). Elevation comes from ``elevation_m`` (n + 1 node elevations, depot first;
    the route returns to the depot's elevation) or ``elevation_diff_m`` (n + 1 arc rises); flat
    if both are None. The payload starts as ``extra_payload_kg`` + all deliveries and falls at
    each stop. The reserve is ``reserve_kwh`` if given, else ``reserve_fraction`` of the
    battery's usable energy.
    """
    dist = np.atleast_1d(np.asarray(distance_m, dtype=np.float64))
    if dist.ndim != 1 or len(dist) < 1:
        raise InputError(
            f"distance_m: expected a 1-D array of n + 1 arc lengths, got shape {dist.shape}"
        )
    n_arcs = len(dist)
    n = n_arcs - 1
    dwell = _per_stop(dwell_s, n, "dwell_s")
    deliv = _per_stop(payload_delivered_kg, n, "payload_delivered_kg")
    if elevation_m is not None and elevation_diff_m is not None:
        raise InputError("elevation_m: give elevation_m or elevation_diff_m, not both")
    if elevation_m is not None:
        elev = np.asarray(elevation_m, dtype=np.float64)
        if elev.shape != (n_arcs,):
            raise InputError(
                f"elevation_m: expected {n_arcs} node elevations (depot first), got shape {elev.shape}"
            )
        rise = np.append(np.diff(elev), elev[0] - elev[-1])
    elif elevation_diff_m is not None:
        rise = np.atleast_1d(np.asarray(elevation_diff_m, dtype=np.float64))
        if rise.size == 1:
            rise = np.full(n_arcs, float(rise[0]))
        if rise.shape != (n_arcs,):
            raise InputError(
                f"elevation_diff_m: expected {n_arcs} arc rises, got shape {rise.shape}"
            )
    else:
        rise = np.zeros(n_arcs)
    reserve = _reserve(vehicle.battery_usable_kwh, reserve_fraction, reserve_kwh)
    arc_e, tot, lo, end, feas = _core.energy_route_batch(
        vehicle,
        np.array([0, n_arcs], dtype=np.int64),
        dist,
        rise,
        cruise_speed_mps,
        dwell,
        deliv,
        ambient_c,
        accel_mps2,
        decel_mps2,
        regen,
        reference_payload_kg,
        initial_soc,
        reserve,
        extra_payload_kg,
        True,
    )
    if arc_e is None:  # requested above (return_arc_energy=True)
        raise AssertionError("energy_route_batch returned no per-arc energy")
    cum = np.cumsum(arc_e)
    soc = np.concatenate(([initial_soc], initial_soc - cum / vehicle.battery_usable_kwh))
    payload = extra_payload_kg + (deliv.sum() - np.concatenate(([0.0], np.cumsum(deliv)[:-1])))
    return RouteEnergy(
        arc_energy_kwh=arc_e,
        cumulative_energy_kwh=cum,
        soc=soc,
        payload_kg=payload,
        energy_kwh=float(tot[0]),
        min_soc=float(lo[0]),
        end_soc=float(end[0]),
        reserve_kwh=reserve,
        feasible=bool(feas[0]),
        distance_km=float(dist.sum()) / 1000.0,
        arc_distance_m=dist,
        battery_usable_kwh=vehicle.battery_usable_kwh,
    )


def route_energy_batch(
    vehicle: Vehicle,
    route_offsets: npt.ArrayLike,
    distance_m: npt.ArrayLike,
    elevation_diff_m: npt.ArrayLike = 0.0,
    dwell_s: npt.ArrayLike = 0.0,
    payload_delivered_kg: npt.ArrayLike | None = None,
    *,
    ambient_c: float = 20.0,
    cruise_speed_mps: npt.ArrayLike = DEFAULT_CRUISE_SPEED_MPS,
    accel_mps2: float = DEFAULT_ACCEL_MPS2,
    decel_mps2: float = DEFAULT_DECEL_MPS2,
    regen: str | None = None,
    reference_payload_kg: float | None = None,
    initial_soc: float = 1.0,
    reserve_fraction: float = 0.1,
    reserve_kwh: float | None = None,
    extra_payload_kg: float = 0.0,
    return_arc_energy: bool = False,
) -> BatchRouteEnergy:
    """Energy of many routes in CSR form over arcs (coefficients computed on the fly).

    Route r covers arcs ``route_offsets[r]:route_offsets[r + 1]`` (R + 1 offsets, starting at 0
    and ending at the number of arcs). Per-arc arrays (scalars broadcast): ``distance_m``,
    ``elevation_diff_m``, ``cruise_speed_mps``, ``dwell_s`` (service at the arc's end node) and
    ``payload_delivered_kg`` (delivered at the arc's end node; use 0 on the arc back to the
    depot). Each route starts with ``extra_payload_kg`` + its deliveries on board.
    """
    dist = np.atleast_1d(np.asarray(distance_m, dtype=np.float64))
    deliv = (
        np.zeros(len(dist))
        if payload_delivered_kg is None
        else np.atleast_1d(np.asarray(payload_delivered_kg, dtype=np.float64))
    )
    if deliv.size == 1 and len(dist) != 1:
        deliv = np.full(len(dist), float(deliv[0]))
    reserve = _reserve(vehicle.battery_usable_kwh, reserve_fraction, reserve_kwh)
    arc_e, tot, lo, end, feas = _core.energy_route_batch(
        vehicle,
        route_offsets,
        dist,
        elevation_diff_m,
        cruise_speed_mps,
        dwell_s,
        deliv,
        ambient_c,
        accel_mps2,
        decel_mps2,
        regen,
        reference_payload_kg,
        initial_soc,
        reserve,
        extra_payload_kg,
        return_arc_energy,
    )
    return BatchRouteEnergy(arc_e, tot, lo, end, feas)


def evaluate_routes(
    route_offsets: npt.ArrayLike,
    a_kwh: npt.ArrayLike,
    b_kwh_per_kg: npt.ArrayLike,
    payload_delivered_kg: npt.ArrayLike,
    *,
    battery_usable_kwh: float,
    initial_soc: float = 1.0,
    reserve_kwh: float = 0.0,
    extra_payload_kg: float = 0.0,
    return_arc_energy: bool = False,
) -> BatchRouteEnergy:
    """Route energies from precomputed per-arc coefficients (see :func:`arc_energy_coefficients`);
    O(1) per arc, so re-evaluating after payload changes is cheap. CSR layout as in
    :func:`route_energy_batch`."""
    arc_e, tot, lo, end, feas = _core.energy_evaluate_routes(
        route_offsets,
        a_kwh,
        b_kwh_per_kg,
        payload_delivered_kg,
        battery_usable_kwh,
        initial_soc,
        reserve_kwh,
        extra_payload_kg,
        return_arc_energy,
    )
    return BatchRouteEnergy(arc_e, tot, lo, end, feas)


def _nonempty_routes(routes: Any) -> tuple[npt.NDArray[np.int64], list[npt.NDArray[np.int64]]]:
    """(positions in ``routes``, visits) of the non-empty routes of a solution or route list."""
    route_list = routes.routes if hasattr(routes, "routes") else routes
    all_visits = [np.asarray(getattr(r, "visits", r), dtype=np.int64) for r in route_list]
    kept = [k for k, v in enumerate(all_visits) if len(v)]
    return np.asarray(kept, dtype=np.int64), [all_visits[k] for k in kept]


def solution_arcs(
    instance: Any,
    routes: Any,
    *,
    payload_dim: str | int = "weight_kg",
    metres_per_unit: float | None = None,
) -> dict[str, np.ndarray]:
    """Per-arc arrays (CSR over routes) of a solution: the input of :func:`route_energy_batch`.

    Each route depot -> stops -> depot gives one arc per stop plus the return arc. Distances come
    from the instance's own edge distances (km for geographic instances; planar instances need
    ``metres_per_unit``), elevation differences from ``instance.data.elevation``, dwell from the
    service times (seconds) and the payload delivered at each stop from demand dimension
    ``payload_dim`` (kg; a name from ``instance.dim_names`` or an index). Empty routes have no
    arcs and are left out (see :func:`solution_energy` for the route numbering).
    """
    data = instance.data
    if instance.geographic:
        m_per_internal = 1000.0 / instance.distance_scale
        s_per_internal = 1.0 / instance.time_scale
    else:
        if metres_per_unit is None or not np.isfinite(metres_per_unit) or metres_per_unit <= 0:
            raise InputError(
                "metres_per_unit: planar instances need the length of one unit in metres (> 0)"
            )
        m_per_internal = metres_per_unit / instance.distance_scale
        s_per_internal = 1.0 / instance.time_scale
    if isinstance(payload_dim, str):
        if payload_dim not in instance.dim_names:
            raise InputError(
                f"payload_dim: {payload_dim!r} is not a demand dimension ({', '.join(instance.dim_names)})"
            )
        dim = instance.dim_names.index(payload_dim)
    else:
        dim = int(payload_dim)
        if not 0 <= dim < data.num_dims:
            raise InputError(f"payload_dim: index {dim} outside [0, {data.num_dims})")
    _, visits = _nonempty_routes(routes)
    offsets = np.zeros(len(visits) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum([len(v) + 1 for v in visits])
    frm = np.concatenate([np.r_[0, v] for v in visits]) if visits else np.zeros(0, dtype=np.int64)
    to = np.concatenate([np.r_[v, 0] for v in visits]) if visits else np.zeros(0, dtype=np.int64)
    dist = (
        np.array(
            [data.dist(int(i), int(j)) for i, j in zip(frm, to, strict=True)], dtype=np.float64
        )
        * m_per_internal
    )
    elev = data.elevation
    delev = (elev[to] - elev[frm]) if elev is not None else np.zeros(len(frm))
    dwell = data.service_time[to].astype(np.float64) * s_per_internal
    payload = data.demand[to, dim].astype(np.float64)
    payload[to == 0] = 0.0
    return {
        "route_offsets": offsets,
        "distance_m": dist,
        "elevation_diff_m": delev,
        "dwell_s": dwell,
        "payload_delivered_kg": payload,
    }


def solution_energy(
    instance: Any,
    routes: Any,
    vehicle: Vehicle,
    *,
    payload_dim: str | int = "weight_kg",
    metres_per_unit: float | None = None,
    ambient_c: float = 20.0,
    cruise_speed_mps: float | None = None,
    regen: str | None = None,
    initial_soc: float = 1.0,
    reserve_fraction: float = 0.1,
    reserve_kwh: float | None = None,
) -> Any:
    """Energy and state of charge of every route of a solution, as a pandas DataFrame.

    One row per non-empty route. Columns: route (its position in ``solution.routes`` / the
    ``routes`` list, empty routes included in the numbering), stops, distance_km, payload_kg (at
    departure), energy_kwh (chemical), kwh_per_km, min_soc, end_soc, energy_ok (minimum charge
    stays above the reserve), payload_ok (payload at departure within the vehicle's
    ``max_payload_kg``; always true when that is 0, i.e. unknown), feasible (both) and binding
    (``""``, ``"battery"``, ``"payload"`` or ``"battery+payload"``).
    ``cruise_speed_mps`` defaults to the instance speed for geographic instances.
    """
    import pandas as pd

    arcs = solution_arcs(instance, routes, payload_dim=payload_dim, metres_per_unit=metres_per_unit)
    if cruise_speed_mps is None:
        speed_kmh = instance.metadata.get("speed_kmh") if instance.geographic else None
        cruise_speed_mps = float(speed_kmh) / 3.6 if speed_kmh else DEFAULT_CRUISE_SPEED_MPS
    res = route_energy_batch(
        vehicle,
        arcs["route_offsets"],
        arcs["distance_m"],
        arcs["elevation_diff_m"],
        arcs["dwell_s"],
        arcs["payload_delivered_kg"],
        ambient_c=ambient_c,
        cruise_speed_mps=cruise_speed_mps,
        regen=regen,
        initial_soc=initial_soc,
        reserve_fraction=reserve_fraction,
        reserve_kwh=reserve_kwh,
    )
    off = arcs["route_offsets"]
    km = np.add.reduceat(arcs["distance_m"], off[:-1]) / 1000.0 if len(off) > 1 else np.zeros(0)
    payload = (
        np.add.reduceat(arcs["payload_delivered_kg"], off[:-1]) if len(off) > 1 else np.zeros(0)
    )
    energy = np.asarray(res.energy_kwh)
    energy_ok = np.asarray(res.feasible, dtype=bool)
    max_payload = float(vehicle.max_payload_kg)
    payload_ok = payload <= max_payload + 1e-9 if max_payload > 0 else np.ones(len(payload), bool)
    binding = np.where(
        ~energy_ok & ~payload_ok,
        "battery+payload",
        np.where(~energy_ok, "battery", np.where(~payload_ok, "payload", "")),
    )
    return pd.DataFrame(
        {
            "route": _nonempty_routes(routes)[0],
            "stops": np.diff(off) - 1,
            "distance_km": km,
            "payload_kg": payload,
            "energy_kwh": energy,
            "kwh_per_km": np.divide(energy, km, out=np.full_like(energy, np.nan), where=km > 0),
            "min_soc": np.asarray(res.min_soc),
            "end_soc": np.asarray(res.end_soc),
            "energy_ok": energy_ok,
            "payload_ok": payload_ok,
            "feasible": energy_ok & payload_ok,
            "binding": binding,
        }
    )


__all__ = [
    "DEFAULT_ACCEL_MPS2",
    "DEFAULT_CRUISE_SPEED_MPS",
    "DEFAULT_DECEL_MPS2",
    "REGEN_RULES",
    "BatchRouteEnergy",
    "RouteEnergy",
    "TraceResult",
    "Vehicle",
    "arc_energy_coefficients",
    "evaluate_routes",
    "read_cycle_csv",
    "route_arc_lengths_m",
    "route_energy",
    "route_energy_batch",
    "simulate_trace",
    "solution_arcs",
    "solution_energy",
    "stop_and_go_trace",
]
