"""Observations of solved routes: :func:`observe` (a solved :class:`~lastmile_core.Instance`)
and :func:`observe_table` (a per-stop table of real routes), both returning
:class:`~lastmile_core.spr.observations.Observations`."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..geo import hull_area, local_xy_km
from ..road import RoadFactors
from .constraints import CONSTRAINTS
from .ingest import canonical_stops
from .observations import ZONE_COLUMNS, Observations
from .stop_features import route_tables
from .vans import VanType


def _add_zone_rows(
    out: list[dict[str, Any]], key: Mapping[str, Any], parts: Sequence[tuple[Any, ...]]
) -> tuple[float, float]:
    """Append one zone-table row per zone of a route; returns the route's stop-weighted sum of
    zone distances and its local factor ``sum_z n_z / sqrt(zone stop density)``."""
    r_sum, local_x = 0.0, 0.0
    for zone, n, pk, vol, wt, zp, zn, za, zr in parts:
        out.append(
            {
                **key,
                "zone": zone,
                "stops": n,
                "packages": pk,
                "volume_l": vol,
                "weight_kg": wt,
                "zone_packages": zp,
                "zone_stops": zn,
                "area_km2": za,
                "r_km": zr,
            }
        )
        r_sum += n * zr
        local_x += n / math.sqrt(zn / za)
    return r_sum, local_x


def _fill_ratios(df: pd.DataFrame) -> None:
    """Add fill_<constraint> columns and the observed binding constraint (max fill)."""
    df["fill_packages"] = df["packages"] / df["cap_packages"]
    df["fill_volume"] = df["volume_l"] / df["cap_volume_l"].replace(0, np.nan)
    df["fill_weight"] = df["weight_kg"] / df["cap_weight_kg"].replace(0, np.nan)
    df["fill_time"] = df["duration_s"] / df["shift_s"]
    if "energy_kwh" in df and "battery_kwh" in df:
        usable = (df["battery_kwh"] - df.get("reserve_kwh", 0.0)).where(df["battery_kwh"] > 0)
        df["fill_energy"] = df["energy_kwh"] / usable
    else:
        df["fill_energy"] = np.nan
    fills = df[[f"fill_{c}" for c in CONSTRAINTS]].to_numpy(dtype=float)
    fills = np.where(np.isfinite(fills), fills, -1.0)
    df["binding"] = [CONSTRAINTS[i] for i in np.argmax(fills, axis=1)]
    df["max_fill"] = fills.max(axis=1)


def observe(
    instance: Any,
    solution: Any,
    *,
    station: str | None = None,
    day: Any = None,
    city: str = "city",
    energy_kwh: Sequence[float] | Callable[[Any], float] | None = None,
) -> Observations:
    """The routes of a solved geographic station-day: one row per (non-empty) route and one row
    per route x zone (:class:`Observations`).

    ``solution``: a ``lastmile_core.Result`` (its ``.solution`` is used), a ``_core.Solution`` or a
    list of client-index lists (evaluated with ``instance.solution``). Zones come from
    ``instance.data.zone`` / ``instance.zone_names`` (one zone ``"ALL"`` when absent), zone areas
    from ``instance.metadata["zone_area_km2"]`` (else the convex hull of the day's stops).
    ``energy_kwh``: observed energy per route (a sequence, or a callable on the route object).

    Columns: city, station, day, route, van_type, zone (dominant by stops), stops, packages,
    volume_l, weight_kg, distance_km, linehaul_km (depot->first + last->depot), intra_km,
    duration_s, service_s, driving_s, zone_area_km2, zone_packages, zone_stops, zone_r_km
    (station -> dominant zone centroid, straight line), r_km (stop-weighted mean zone distance),
    local_x (sum over stops of 1/sqrt(zone stop density), km), circuity, capacities
    (cap_packages, cap_volume_l, cap_weight_kg), shift_s, battery_kwh, reserve_kwh, energy_kwh
    (NaN unless given), fill_<constraint>, binding and max_fill. The zone table has the
    :data:`~lastmile_core.spr.observations.ZONE_COLUMNS`.
    """
    sol = getattr(solution, "solution", solution)
    if isinstance(sol, (list, tuple)):
        sol = instance.solution(sol)
    routes = getattr(sol, "routes", None)
    if routes is None:
        raise InputError(
            f"solution: expected a Solution/Result or route lists, got {type(solution).__name__}"
        )
    data = getattr(instance, "data", None)
    if data is None:
        raise InputError(f"instance: expected an Instance, got {type(instance).__name__}")
    coords = np.asarray(data.coords, dtype=float)
    if getattr(instance, "geographic", False):
        xy = local_xy_km(coords[:, 0], coords[:, 1], coords[0, 0], coords[0, 1])
    else:
        xy = coords - coords[0]
    dem = np.asarray(data.demand, dtype=float)
    dims = list(getattr(instance, "dim_names", ()) or [])

    def dim(name: str, default: int | None) -> np.ndarray:
        if name in dims:
            return dem[:, dims.index(name)]
        if default is not None and default < dem.shape[1]:
            return dem[:, default]
        return np.full(dem.shape[0], np.nan)

    pk, vol, wt = dim("packages", 0), dim("volume_l", None), dim("weight_kg", None)
    zid = data.zone
    if zid is None:
        zid = np.zeros(data.num_nodes, dtype=np.int64)
        znames: tuple[str, ...] = ("ALL",)
    else:
        zid = np.asarray(zid, dtype=np.int64)
        znames = tuple(instance.zone_names) or tuple(str(i) for i in range(int(zid.max()) + 1))
    areas_meta = dict(instance.metadata.get("zone_area_km2", {}) or {})
    clients = np.arange(1, data.num_nodes)
    zone_stats: dict[int, tuple[float, float, float, float]] = {}
    for z in np.unique(zid[clients]):
        members = clients[zid[clients] == z]
        name = znames[z]
        area = areas_meta.get(name)
        if area is None:
            area = max(hull_area(xy[members]), 1e-3)
        centroid = xy[members].mean(axis=0)
        zone_stats[int(z)] = (
            float(pk[members].sum()),
            float(len(members)),
            float(area),
            float(np.hypot(*centroid)),
        )
    ds, ts = float(instance.distance_scale), float(instance.time_scale)
    specs = list(getattr(instance, "vehicle_specs", ()) or [])
    rows = []
    zone_rows: list[dict[str, Any]] = []
    rid = 0
    for r_idx, route in enumerate(routes):
        visits = list(route.visits)
        if not visits:
            continue
        vt = int(route.vehicle_type)
        spec = specs[vt] if vt < len(specs) else None
        core_vt = data.vehicle_types[vt]
        van_name = (spec.name if spec is not None and spec.name else core_vt.name) or f"type{vt}"
        cap = [float(c) for c in core_vt.capacity]
        capd = dict(zip(dims, cap, strict=False)) if dims else {}
        v = np.asarray(visits)
        zs = zid[v]
        uz, counts = np.unique(zs, return_counts=True)
        dom = int(uz[np.argmax(counts)])
        key = {
            "city": city,
            "station": station if station is not None else (instance.name or "station"),
            "day": str(day) if day is not None else str(instance.metadata.get("seed", 0)),
            "van_type": van_name,
            "route": rid,
        }
        parts = []
        for z, c in zip(uz, counts, strict=True):
            m = v[zs == z]
            stats = zone_stats[int(z)]
            parts.append(
                (znames[z], int(c), float(pk[m].sum()), float(np.nansum(vol[m])))
                + (float(np.nansum(wt[m])), *stats)
            )
        r_sum, local_x = _add_zone_rows(zone_rows, key, parts)
        dist = float(route.distance) / ds
        lh = (float(data.dist(0, visits[0])) + float(data.dist(visits[-1], 0))) / ds
        dur = float(route.duration) / ts
        svc = float(route.service) / ts
        zp, zn, za, zr = zone_stats[dom]
        if energy_kwh is None:
            e = np.nan
        elif callable(energy_kwh):
            e = float(energy_kwh(route))
        else:
            e = float(energy_kwh[r_idx])
        rows.append(
            {
                "city": key["city"],
                "station": key["station"],
                "day": key["day"],
                "route": rid,
                "van_type": van_name,
                "zone": znames[dom],
                "stops": len(visits),
                "packages": float(pk[v].sum()),
                "volume_l": float(np.nansum(vol[v])) if "volume_l" in dims else np.nan,
                "weight_kg": float(np.nansum(wt[v])) if "weight_kg" in dims else np.nan,
                "distance_km": dist,
                "linehaul_km": lh,
                "intra_km": dist - lh,
                "duration_s": dur,
                "service_s": svc,
                "driving_s": dur - svc,
                "zone_area_km2": za,
                "zone_packages": zp,
                "zone_stops": zn,
                "zone_r_km": zr,
                "r_km": r_sum / len(visits),
                "local_x": local_x,
                "circuity": float(data.circuity),
                "cap_packages": capd.get("packages", cap[0]),
                "cap_volume_l": capd.get("volume_l", math.inf),
                "cap_weight_kg": capd.get("weight_kg", math.inf),
                "shift_s": (float(core_vt.max_duration) / ts)
                if core_vt.max_duration is not None
                else math.inf,
                "battery_kwh": float(core_vt.battery_kwh),
                "reserve_kwh": float(core_vt.reserve_kwh),
                "energy_kwh": e,
            }
        )
        rid += 1
    df = pd.DataFrame(rows)
    if len(df):
        _fill_ratios(df)
    return Observations(routes=df, zones=pd.DataFrame(zone_rows, columns=list(ZONE_COLUMNS)))


def observe_table(
    stops: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    is_depot: str | tuple[str, Any] | None = None,
    depot: tuple[float, float] | Mapping[str, tuple[float, float]] | None = None,
    zone_areas: Mapping[str, float] | None = None,
    vans: Mapping[str, VanType] | Sequence[VanType] | None = None,
    road: RoadFactors | None = None,
    circuity: float | None = None,
    speed_kmh: float | None = None,
) -> Observations:
    """Observations (:func:`observe`'s two tables) from a table of real routes with one row per
    stop (and optionally one station row per route).

    ``columns``: {user column: canonical name} (see :mod:`~lastmile_core.spr.ingest` for the
    canonical names and the defaults of absent ones: ``route_id``, ``seq``, ``lon``, ``lat``,
    ``zone``, ``packages``, ``service_s``, ``station``, ``day``, ``van_type``, ``volume_l``,
    ``weight_kg``, ``leg_km``, ``leg_s``, ``is_depot``, ...); an unknown name raises InputError.
    ``is_depot``: the station rows, a boolean column or ``(column, value)``, e.g.
    ``("type", "Station")``; they give each route's depot (and, with legs, its first leg), so
    ``depot`` is then not needed. ``depot``: (lon, lat) or {station: (lon, lat)} otherwise.

    Road km and driving time per route: the observed legs (``leg_km`` / ``leg_s``, this row to
    the next in ``seq`` order, the last stop's leg back to the station), else per-route totals
    (``route_km`` / ``route_duration_s``), else the straight line times ``road``'s circuities
    (station legs and between stops apart; default :data:`~lastmile_core.road.DEFAULT_ROAD`)
    at its speeds. ``circuity`` / ``speed_kmh``: one factor for all driving instead (legacy).
    ``zone_areas``: km^2 per zone (else the convex hull of all the zone's stops in the table).
    ``vans``: van types by name for the capacity columns (one van and no ``van_type`` column:
    every route is that van); without them the capacities are NaN
    (distance and time components still fit; route counts then need vans at predict time).

    Route table columns: those of :func:`observe` plus ``linehaul_s`` / ``intra_s`` (driving
    seconds), ``linehaul_line_km`` / ``intra_line_km`` (straight line), ``r_centroid_km``,
    ``r_nearest_km``, ``bbox_km2`` and ``legs_observed``. Vectorised: no Python loop per route.
    """
    van_list = list(vans.values() if isinstance(vans, Mapping) else vans or ())
    mapped = set((columns or {}).values())
    if len(van_list) == 1 and isinstance(stops, pd.DataFrame):
        if "van_type" not in stops.columns and "van_type" not in mapped:
            stops = stops.assign(van_type=van_list[0].name)  # the one van given
    cs = canonical_stops(stops, columns=columns, is_depot=is_depot, depot=depot)
    if not len(cs.stops):
        raise InputError("stops: the table has no stop rows")
    rt, zt = route_tables(
        cs, zone_areas=zone_areas, road=road, circuity=circuity, speed_kmh=speed_kmh
    )
    van_map: dict[str, VanType] = {}
    if vans is not None:
        items = vans.values() if isinstance(vans, Mapping) else vans
        van_map = {v.name: v for v in items}
        unknown = sorted(set(rt["van_type"]) - set(van_map))
        if unknown:
            raise InputError(f"van_type: unknown van type {unknown[0]!r} (not in vans)")
    vt = rt["van_type"]

    def cap(attr: str, default: float) -> np.ndarray:
        if not van_map:
            return np.full(len(rt), default)
        caps = vt.map({k: float(getattr(v, attr)) for k, v in van_map.items()})
        return np.asarray(caps.to_numpy(float), dtype=float)

    rt["cap_packages"] = cap("capacity_packages", np.nan)
    rt["cap_volume_l"] = cap("capacity_volume_l", math.inf)
    rt["cap_weight_kg"] = cap("capacity_weight_kg", math.inf)
    rt["shift_s"] = cap("shift_s", math.inf)
    rt["battery_kwh"] = cap("battery_kwh", 0.0)
    rt["reserve_kwh"] = cap("reserve_kwh", 0.0)
    _fill_ratios(rt)
    if not van_map:  # no capacities, no shift: what binds is unknown
        rt["binding"] = None
        rt["max_fill"] = np.nan
    return Observations(routes=rt, zones=zt)


__all__ = ["observe", "observe_table"]
