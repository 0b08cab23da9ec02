"""Observations from aggregated route rows (one row per route, no stops): :func:`observe_routes`.

Some sources publish routes only as totals (e.g. the Amazon LMRC Los Angeles table: stops,
packages, bounding box and its area, driving km). Each route then becomes its own zone of area
``A`` (its area, or its bounding box): stop density ``n / A``, so the CA local factor is
``local_x = n / sqrt(n / A) = sqrt(n A)``, and the station distance ``r_km`` is the given one,
else the great circle from the depot to the route's centroid.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import InputError
from ..geo import KM_PER_DEG, haversine_km
from ..road import DEFAULT_ROAD, RoadFactors
from .ingest import SPRDataWarning
from .observations import ZONE_COLUMNS, Observations
from .observe import _fill_ratios
from .vans import VanType

#: Canonical names of an aggregated route row (see :func:`observe_routes`).
ROUTE_ROW_COLUMNS: tuple[str, ...] = (
    "route_id",
    "stops",
    "packages",
    "area_km2",
    "bbox_north",
    "bbox_south",
    "bbox_east",
    "bbox_west",
    "r_km",
    "centroid_lon",
    "centroid_lat",
    "km",
    "line_km",
    "duration_s",
    "service_s",
    "station",
    "city",
    "day",
    "van_type",
    "volume_l",
    "weight_kg",
    "zone",
)


def _num(df: pd.DataFrame, c: str) -> np.ndarray:
    vals = pd.to_numeric(df[c], errors="coerce").to_numpy(float)
    bad = ~np.isfinite(vals) | (vals < 0)
    if c in ("centroid_lon", "centroid_lat"):
        bad = ~np.isfinite(vals)
    if bad.any():
        label = df.index[int(np.flatnonzero(bad)[0])]
        v = df.loc[label, c]
        v = v.item() if isinstance(v, np.generic) else v
        raise InputError(f"{c}: invalid value {v!r} in row {label!r}")
    return np.asarray(vals, dtype=float)


def observe_routes(
    table: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    depot: tuple[float, float] | None = None,
    vans: Mapping[str, VanType] | Sequence[VanType] | None = None,
    road: RoadFactors | None = None,
) -> Observations:
    """Observations (route and zone tables) from one row per route.

    ``columns``: {user column: canonical name} onto :data:`ROUTE_ROW_COLUMNS`; unknown names
    raise InputError. Required: ``route_id``, ``stops``, ``km`` (road km of the whole tour), an
    area (``area_km2``, or the four ``bbox_*`` degrees). Optional: ``packages`` (else 1 per
    stop, warned), ``r_km`` (station -> route, straight line; else from ``centroid_lon`` /
    ``centroid_lat`` and ``depot=(lon, lat)``; without either it is 0 and the line-haul is not
    separable from the local term, warned), ``duration_s`` (else the km at the road default's
    tour speed plus service, warned), ``service_s`` (0), ``station``, ``city``, ``day`` (each
    route its own day, warned), ``van_type``, ``volume_l``, ``weight_kg``, ``zone`` (the
    route's own zone ``route:<id>`` otherwise). Rows that are entirely empty are dropped with a
    warning; a missing value elsewhere raises InputError naming the column and row."""
    if not isinstance(table, pd.DataFrame):
        raise InputError(f"table: expected a pandas DataFrame, got {type(table).__name__}")
    cols = dict(columns or {})
    absent = [u for u in cols if u not in table.columns]
    if absent:
        raise InputError(f"columns: {absent!r} not in the table")
    unknown = [c for c in cols.values() if c not in ROUTE_ROW_COLUMNS]
    if unknown:
        raise InputError(f"columns: unknown canonical name(s) {unknown!r}")
    df = table.rename(columns=cols)
    empty = df.isna().all(axis=1)
    if empty.any():
        warnings.warn(f"table: {int(empty.sum())} empty row(s) dropped", SPRDataWarning, 2)
        df = df[~empty]
    rf = road or DEFAULT_ROAD

    def warn(msg: str) -> None:
        warnings.warn(msg, SPRDataWarning, stacklevel=3)

    for c in ("route_id", "stops", "km"):
        if c not in df.columns:
            raise InputError(f"{c}: missing column in the route table")
    n = _num(df, "stops")
    km = _num(df, "km")
    if "packages" in df.columns:
        pk = _num(df, "packages")
    else:
        warn("packages: no column; taken as 1 per stop")
        pk = n.copy()
    if "area_km2" in df.columns:
        area = _num(df, "area_km2")
    elif all(f"bbox_{s}" in df.columns for s in ("north", "south", "east", "west")):
        no, so = _num(df, "bbox_north"), _num(df, "bbox_south")
        ea, we = _num(df, "bbox_east"), _num(df, "bbox_west")
        kx = KM_PER_DEG * np.cos(np.radians(0.5 * (no + so)))
        area = np.abs(ea - we) * kx * np.abs(no - so) * KM_PER_DEG
    else:
        raise InputError("area_km2: missing column (or give the four bbox_* columns)")
    area = np.maximum(area, 1e-3)
    if "r_km" in df.columns:
        r = _num(df, "r_km")
    elif "centroid_lon" in df.columns and "centroid_lat" in df.columns and depot is not None:
        r = haversine_km(depot[0], depot[1], _num(df, "centroid_lon"), _num(df, "centroid_lat"))
    else:
        warn(
            "r_km: no station distance (r_km, or centroids and depot=); taken as 0, so the "
            "line-haul is not separated from the local term"
        )
        r = np.zeros(len(df))
    svc = _num(df, "service_s") if "service_s" in df.columns else np.zeros(len(df))
    if "duration_s" in df.columns:
        dur = _num(df, "duration_s")
    else:
        warn(
            f"duration_s: no column; estimated as km at {rf.tour_speed_kmh:g} km/h (the road "
            "default) plus service, so the driving-time fit only reproduces that default"
        )
        dur = 3600.0 * km / rf.tour_speed_kmh + svc
    if "day" not in df.columns:
        warn("day: no column; every route is taken as its own day")
    rid = df["route_id"].astype(str).to_numpy()
    text = {
        c: (df[c].astype(str).to_numpy() if c in df.columns else np.full(len(df), d, object))
        for c, d in (("station", "station"), ("city", "city"), ("van_type", "van"))
    }
    day = df["day"].astype(str).to_numpy() if "day" in df.columns else rid
    zone = (
        df["zone"].astype(str).to_numpy()
        if "zone" in df.columns
        else np.array([f"route:{x}" for x in rid], dtype=object)
    )
    vol = _num(df, "volume_l") if "volume_l" in df.columns else np.full(len(df), np.nan)
    wt = _num(df, "weight_kg") if "weight_kg" in df.columns else np.full(len(df), np.nan)
    line = _num(df, "line_km") if "line_km" in df.columns else np.full(len(df), np.nan)
    van_map: dict[str, VanType] = {}
    if vans is not None:
        items = list(vans.values() if isinstance(vans, Mapping) else vans)
        van_map = {v.name: v for v in items}
        if len(items) == 1 and "van_type" not in df.columns:
            text["van_type"] = np.full(len(df), items[0].name, dtype=object)
        missing_v = sorted(set(text["van_type"]) - set(van_map))
        if missing_v:
            raise InputError(f"van_type: unknown van type {missing_v[0]!r} (not in vans)")
    lh = np.minimum(rf.station_circuity * 2.0 * r, km)
    rt = pd.DataFrame(
        {
            "city": text["city"],
            "station": text["station"],
            "day": day,
            "route": rid,
            "van_type": text["van_type"],
            "zone": zone,
            "stops": n,
            "packages": pk,
            "volume_l": vol,
            "weight_kg": wt,
            "distance_km": km,
            "linehaul_km": lh,
            "intra_km": km - lh,
            "duration_s": dur,
            "service_s": svc,
            "driving_s": dur - svc,
            "zone_area_km2": area,
            "zone_packages": pk,
            "zone_stops": n,
            "zone_r_km": r,
            "r_km": r,
            "local_x": np.sqrt(n * area),
            "circuity": np.where(line > 0, km / np.where(line > 0, line, 1.0), np.nan),
            "energy_kwh": np.nan,
        }
    )

    def cap(attr: str, default: float) -> np.ndarray:
        if not van_map:
            return np.full(len(rt), default)
        caps = rt["van_type"].map({k: float(getattr(v, attr)) for k, v in van_map.items()})
        return np.asarray(caps.to_numpy(float), dtype=float)

    for col, attr, default in (
        ("cap_packages", "capacity_packages", math.nan),
        ("cap_volume_l", "capacity_volume_l", math.inf),
        ("cap_weight_kg", "capacity_weight_kg", math.inf),
        ("shift_s", "shift_s", math.inf),
        ("battery_kwh", "battery_kwh", 0.0),
        ("reserve_kwh", "reserve_kwh", 0.0),
    ):
        rt[col] = cap(attr, default)
    _fill_ratios(rt)
    if not van_map:
        rt["binding"] = None
        rt["max_fill"] = np.nan
    zt = rt[["city", "station", "day", "van_type", "route", "zone", "stops", "packages"]].copy()
    zt["volume_l"], zt["weight_kg"] = vol, wt
    zt["zone_packages"], zt["zone_stops"], zt["area_km2"], zt["r_km"] = pk, n, area, r
    return Observations(routes=rt, zones=zt[list(ZONE_COLUMNS)])


__all__ = ["ROUTE_ROW_COLUMNS", "observe_routes"]
