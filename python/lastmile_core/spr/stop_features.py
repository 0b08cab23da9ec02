"""Per-route and per-route x zone features of a canonical stop table, vectorised.

:func:`route_tables` turns a :class:`~.ingest.CanonicalStops` into the two tables of
:class:`~.observations.Observations` (one groupby per quantity, no per-route Python): stop
counts and loads, straight-line station legs and between-stop km, road km and driving time
(observed legs, per-route totals, or the :class:`~lastmile_core.road.RoadFactors`), the zone-day
statistics (stops, packages, area, distance from the station) and the CA features ``r_km``
(stop-weighted mean zone distance) and ``local_x`` (sum over stops of 1 / sqrt(zone stop
density)).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError
from ..geo import KM_PER_DEG, haversine_km, hull_area, local_xy_km
from ..road import DEFAULT_ROAD, RoadFactors
from .ingest import KEY, CanonicalStops, SPRDataWarning
from .observations import ZONE_COLUMNS
from .route_geometry import order_free_features
from .route_local import LAT_COLUMNS, LON_COLUMNS, route_points

#: Smallest zone area (km^2) used for a zone whose stops span no area (fewer than 3 points).
MIN_ZONE_AREA_KM2 = 1e-3


@dataclass(frozen=True)
class Geometry:
    """Per-route straight-line geometry: ``station_line_km`` (depot -> first stop + last stop
    -> depot, in the table's order), ``stop_line_km`` (first -> last stop), ``r_centroid_km``
    (depot to the route's stop centroid), ``r_nearest_km`` (depot to its nearest stop),
    ``bbox_km2`` (the stops' bounding box) and the per-stop local coordinates ``x``/``y`` (km,
    around the route's depot)."""

    station_line_km: np.ndarray
    stop_line_km: np.ndarray
    r_centroid_km: np.ndarray
    r_nearest_km: np.ndarray
    bbox_km2: np.ndarray
    x: np.ndarray
    y: np.ndarray


def geometry(cs: CanonicalStops) -> Geometry:
    """Straight-line geometry of every route (needs every route's depot)."""
    st, routes = cs.stops, cs.routes
    R = len(routes)
    dlon = routes["depot_lon"].to_numpy(float)
    dlat = routes["depot_lat"].to_numpy(float)
    if R and not (np.isfinite(dlon).all() and np.isfinite(dlat).all()):
        i = int(np.flatnonzero(~(np.isfinite(dlon) & np.isfinite(dlat)))[0])
        raise InputError(
            f"depot: route {tuple(routes.loc[i, list(KEY)])!r} has no station row (is_depot), "
            "no depot_lon/depot_lat and no depot=(lon, lat) was given"
        )
    code = st["_route"].to_numpy(np.int64)
    lon, lat = st["lon"].to_numpy(float), st["lat"].to_numpy(float)
    counts = np.bincount(code, minlength=R)
    starts = np.zeros(R + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    first, last = starts[:-1], starts[1:] - 1
    same = np.r_[code[1:] == code[:-1], False]
    hop = np.zeros(len(st))
    if len(st) > 1:
        hop[:-1] = haversine_km(lon[:-1], lat[:-1], lon[1:], lat[1:])
    stop_line = np.bincount(code, weights=np.where(same, hop, 0.0), minlength=R)
    station_line = haversine_km(dlon, dlat, lon[first], lat[first]) + haversine_km(
        lon[last], lat[last], dlon, dlat
    )
    kx = KM_PER_DEG * np.cos(np.radians(dlat))[code]
    x = (lon - dlon[code]) * kx
    y = (lat - dlat[code]) * KM_PER_DEG
    cx = np.bincount(code, weights=x, minlength=R) / counts
    cy = np.bincount(code, weights=y, minlength=R) / counts
    # stops are grouped by route (sorted by the route key): reduce per contiguous block
    present = counts > 0
    at = starts[:-1][present]

    def per_route(ufunc: np.ufunc, v: np.ndarray) -> np.ndarray:
        out = np.full(R, np.nan)
        if len(v):
            out[present] = ufunc.reduceat(v, at)
        return out

    nearest = per_route(np.minimum, np.hypot(x, y))
    span = [per_route(np.maximum, v) - per_route(np.minimum, v) for v in (x, y)]
    return Geometry(station_line, stop_line, np.hypot(cx, cy), nearest, span[0] * span[1], x, y)


def _hull_area(xy: np.ndarray) -> float:
    """:func:`~lastmile_core.geo.hull_area` after discarding the points strictly inside the
    octagon of the 8 extreme points (Akl & Toussaint 1978): same area, far fewer points."""
    if len(xy) < 64:
        return hull_area(xy)
    x, y = xy[:, 0], xy[:, 1]
    idx = [x.argmin(), (x + y).argmin(), y.argmin(), (x - y).argmax()]
    idx += [x.argmax(), (x + y).argmax(), y.argmax(), (x - y).argmin()]
    poly = xy[idx]
    keep = np.r_[True, np.any(poly[1:] != poly[:-1], axis=1)]
    poly = poly[keep]
    if len(poly) > 1 and np.all(poly[0] == poly[-1]):
        poly = poly[:-1]
    if len(poly) < 3:
        return hull_area(xy)
    a, b = poly, np.roll(poly, -1, axis=0)
    cross = (b[:, 0] - a[:, 0])[:, None] * (y[None, :] - a[:, 1:2]) - (b[:, 1] - a[:, 1])[
        :, None
    ] * (x[None, :] - a[:, 0:1])
    inside = (cross > 1e-12).all(axis=0)
    return hull_area(xy[~inside])


def _zone_areas(
    st: pd.DataFrame, cs: CanonicalStops, zone_areas: Mapping[str, float] | None
) -> pd.Series:
    """Area (km^2) per (station, zone): given, else the convex hull of all the zone's stops in
    the table (at least :data:`MIN_ZONE_AREA_KM2`)."""
    given = dict(zone_areas or {})
    out = {}
    lon, lat = st["lon"].to_numpy(float), st["lat"].to_numpy(float)
    for (station, zone), idx in st.groupby(["station", "zone"], sort=True).indices.items():
        if zone in given:
            out[(station, zone)] = float(given[zone])
            continue
        lo, la = lon[idx], lat[idx]
        xy = local_xy_km(lo, la, float(lo.mean()), float(la.mean()))
        out[(station, zone)] = max(_hull_area(xy), MIN_ZONE_AREA_KM2)
    s = pd.Series(out, dtype=float)
    s.index = s.index.set_names(["station", "zone"])
    return s


def _legs(
    cs: CanonicalStops, g: Geometry, road: RoadFactors, circuity: float | None
) -> dict[str, np.ndarray]:
    """Road km and driving seconds of the station legs and between-stop driving per route."""
    st, routes = cs.stops, cs.routes
    R = len(routes)
    code = st["_route"].to_numpy(np.int64)
    counts = np.bincount(code, minlength=R)
    last = np.cumsum(counts) - 1
    c_st = road.station_circuity if circuity is None else float(circuity)
    c_in = road.stop_circuity if circuity is None else float(circuity)
    out: dict[str, np.ndarray] = {}
    est_first_km = c_st * haversine_km(
        routes["depot_lon"].to_numpy(float),
        routes["depot_lat"].to_numpy(float),
        st["lon"].to_numpy(float)[last - counts + 1],
        st["lat"].to_numpy(float)[last - counts + 1],
    )
    observed = "leg_km" in st.columns
    out["legs_observed"] = np.full(R, observed)
    if observed:
        leg = st["leg_km"].to_numpy(float)
        if not np.isfinite(leg).all():
            label = st.index[int(np.flatnonzero(~np.isfinite(leg))[0])]
            raise InputError(f"leg_km: missing value in row {label!r}")
        is_last = np.zeros(len(st), dtype=bool)
        is_last[last] = True
        first_leg = routes["depot_leg_km"].to_numpy(float)
        if np.isnan(first_leg).any():
            warnings.warn(
                f"leg_km: {int(np.isnan(first_leg).sum())} route(s) have no station row with the "
                "station -> first stop leg; it is estimated from the straight line x the "
                "station circuity",
                SPRDataWarning,
                stacklevel=4,
            )
            first_leg = np.where(np.isnan(first_leg), est_first_km, first_leg)
        out["linehaul_km"] = first_leg + np.bincount(
            code, weights=np.where(is_last, leg, 0.0), minlength=R
        )
        out["intra_km"] = np.bincount(code, weights=np.where(is_last, 0.0, leg), minlength=R)
        if "leg_s" in st.columns:
            ls = st["leg_s"].to_numpy(float)
            if not np.isfinite(ls).all():
                label = st.index[int(np.flatnonzero(~np.isfinite(ls))[0])]
                raise InputError(f"leg_s: missing value in row {label!r}")
            first_s = routes["depot_leg_s"].to_numpy(float)
            v_st = road.station_speed_kmh
            first_s = np.where(np.isnan(first_s), 3600.0 * first_leg / v_st, first_s)
            out["linehaul_s"] = first_s + np.bincount(
                code, weights=np.where(is_last, ls, 0.0), minlength=R
            )
            out["intra_s"] = np.bincount(code, weights=np.where(is_last, 0.0, ls), minlength=R)
    else:
        out["linehaul_km"] = c_st * g.station_line_km
        out["intra_km"] = c_in * g.stop_line_km
    if "intra_s" not in out:
        out["linehaul_s"] = 3600.0 * out["linehaul_km"] / road.station_speed_kmh
        out["intra_s"] = 3600.0 * out["intra_km"] / road.stop_speed_kmh
    return out


def route_tables(
    cs: CanonicalStops,
    *,
    zone_areas: Mapping[str, float] | None = None,
    road: RoadFactors | None = None,
    circuity: float | None = None,
    speed_kmh: float | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(route table, zone table) of a canonical stop table; see
    :func:`~lastmile_core.spr.observe_table` for the columns. ``circuity``/``speed_kmh``: one
    factor for all driving (legacy) instead of ``road``'s separate ones."""
    rf = road or DEFAULT_ROAD
    st, routes = cs.stops, cs.routes
    R = len(routes)
    g = geometry(cs)
    code = st["_route"].to_numpy(np.int64)
    legs = _legs(cs, g, rf, circuity)
    # zone-day statistics
    zd_keys = ["station", "day", "zone"]
    st = st.assign(_x=g.x, _y=g.y)
    zday = st.groupby(zd_keys, sort=False).agg(
        zone_packages=("packages", "sum"),
        zone_stops=("packages", "size"),
        _cx=("_x", "mean"),
        _cy=("_y", "mean"),
    )
    zday["area_km2"] = (
        _zone_areas(st, cs, zone_areas)
        .reindex(
            pd.MultiIndex.from_arrays(
                [zday.index.get_level_values("station"), zday.index.get_level_values("zone")]
            )
        )
        .to_numpy()
    )
    zday["r_km"] = np.hypot(zday["_cx"], zday["_cy"])
    has_vol, has_wt = "volume_l" in st.columns, "weight_kg" in st.columns
    agg = {"stops": ("packages", "size"), "packages": ("packages", "sum")}
    if has_vol:
        agg["volume_l"] = ("volume_l", "sum")
    if has_wt:
        agg["weight_kg"] = ("weight_kg", "sum")
    rz = st.groupby(["_route", *zd_keys], sort=True).agg(**agg).reset_index()
    for c, present in (("volume_l", has_vol), ("weight_kg", has_wt)):
        if not present:
            rz[c] = np.nan
    zidx = pd.MultiIndex.from_frame(rz[zd_keys])
    zs = zday.reindex(zidx)
    for c in ("zone_packages", "zone_stops", "area_km2", "r_km"):
        rz[c] = zs[c].to_numpy(float)
    rc = rz["_route"].to_numpy(np.int64)
    n_z = rz["stops"].to_numpy(float)
    local_x = np.bincount(
        rc, weights=n_z / np.sqrt(rz["zone_stops"] / rz["area_km2"]).to_numpy(), minlength=R
    )
    counts = np.bincount(code, minlength=R).astype(float)
    r_mean = np.bincount(rc, weights=n_z * rz["r_km"].to_numpy(), minlength=R) / counts
    # dominant zone: most stops, ties to the first zone in name order
    dom_row = rz.sort_values(["_route", "stops"], ascending=[True, False], kind="stable")
    dom_row = dom_row.drop_duplicates("_route").set_index("_route").reindex(np.arange(R))
    rt = routes[["city", *KEY, "van_type"]].copy()
    rt = rt.rename(columns={"route_id": "route"})
    rt["zone"] = dom_row["zone"].to_numpy()
    rt["stops"] = counts
    rt["packages"] = np.bincount(code, weights=st["packages"].to_numpy(float), minlength=R)
    for c, present in (("volume_l", has_vol), ("weight_kg", has_wt)):
        rt[c] = (
            np.bincount(code, weights=st[c].fillna(0.0).to_numpy(float), minlength=R)
            if present
            else np.nan
        )
    svc = np.bincount(code, weights=st["service_s"].to_numpy(float), minlength=R)
    first = np.r_[0, np.cumsum(counts)[:-1]].astype(np.int64)
    km = legs["linehaul_km"] + legs["intra_km"]
    lh_km = legs["linehaul_km"]
    if "route_km" in st.columns:
        km = st["route_km"].to_numpy(float)[first]
        lh_km = np.minimum(lh_km, km)
    drive = legs["linehaul_s"] + legs["intra_s"]
    if "route_duration_s" in st.columns:
        dur = pd.to_numeric(st["route_duration_s"], errors="coerce").to_numpy(float)[first]
    elif speed_kmh is not None:
        if not (speed_kmh > 0 and math.isfinite(speed_kmh)):
            raise InputError(f"speed_kmh: must be > 0, got {speed_kmh!r}")
        dur = km / speed_kmh * 3600.0 + svc
    else:
        dur = drive * (km / (legs["linehaul_km"] + legs["intra_km"])) + svc
    line = g.station_line_km + g.stop_line_km
    rt["distance_km"] = km
    rt["linehaul_km"] = lh_km
    rt["intra_km"] = km - lh_km
    rt["duration_s"] = dur
    rt["service_s"] = svc
    rt["driving_s"] = dur - svc
    rt["linehaul_s"] = legs["linehaul_s"]
    rt["intra_s"] = legs["intra_s"]
    rt["linehaul_line_km"] = g.station_line_km
    rt["intra_line_km"] = g.stop_line_km
    rt["r_centroid_km"] = g.r_centroid_km
    rt["r_nearest_km"] = g.r_nearest_km
    rt["bbox_km2"] = g.bbox_km2
    for k, v in order_free_features(code, g.x, g.y, R).items():
        rt[k] = v
    p_lon, p_lat = route_points(code, st["lon"].to_numpy(float), st["lat"].to_numpy(float), R)
    for j, (c_lon, c_lat) in enumerate(zip(LON_COLUMNS, LAT_COLUMNS, strict=True)):
        rt[c_lon], rt[c_lat] = p_lon[:, j], p_lat[:, j]
    rt["legs_observed"] = legs["legs_observed"]
    rt["order_known"] = cs.has_seq
    dz = pd.MultiIndex.from_arrays([rt["station"], rt["day"], rt["zone"]])
    dzs = zday.reindex(dz)
    rt["zone_area_km2"] = dzs["area_km2"].to_numpy(float)
    rt["zone_packages"] = dzs["zone_packages"].to_numpy(float)
    rt["zone_stops"] = dzs["zone_stops"].to_numpy(float)
    rt["zone_r_km"] = dzs["r_km"].to_numpy(float)
    rt["r_km"] = r_mean
    rt["local_x"] = local_x
    with np.errstate(divide="ignore", invalid="ignore"):
        rt["circuity"] = np.where(line > 0, km / line, np.nan)
    if "energy_kwh" in st.columns:
        rt["energy_kwh"] = st["energy_kwh"].to_numpy(float)[first]
    else:
        rt["energy_kwh"] = np.nan
    zt = rz.merge(
        routes[[*KEY, "city", "van_type"]].assign(_route=np.arange(R)),
        on=["_route", "station", "day"],
    )
    zt = zt.rename(columns={"route_id": "route"})
    return rt.reset_index(drop=True), zt[list(ZONE_COLUMNS)].reset_index(drop=True)


__all__ = ["MIN_ZONE_AREA_KM2", "Geometry", "geometry", "route_tables"]
