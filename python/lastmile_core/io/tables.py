"""Stop tables (CSV / Parquet) in and out, and per-stop route tables.

A stop table has one row per node: ``stop_id``, coordinates (``lon``/``lat`` degrees, or ``x``/``y``
planar), one integer column per demand dimension (e.g. ``packages``, ``volume_l``, ``weight_kg``),
optional ``service_s`` (``service_time`` for planar time units), ``elevation_m``, ``zone``,
the time columns ``tw_early``, ``tw_late``, ``release`` (clock times, see
:mod:`lastmile_core.io.stop_times`) and ``pickup_<dimension>`` columns (returns picked up at the
stop, e.g. ``pickup_packages``).
The depot is the row flagged by a boolean ``is_depot`` column, or else the first row.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from ..errors import FormatError, InputError
from ..examples import DEFAULT_VAN
from ..instance import Instance, VehicleSpec
from .geojson import to_geojson
from .stop_times import read_stop_times, stop_time_columns
from .vrplib import write_solution

PathLike = str | os.PathLike[str]
DEFAULT_VAN_CAPACITY = tuple(int(c) for c in np.atleast_1d(DEFAULT_VAN.capacity))

#: Demand columns picked (in this order) when ``demand`` is not given.
DEFAULT_DEMAND_COLUMNS = ("packages", "volume_l", "weight_kg", "demand")
_SERVICE_COLUMNS = ("service_s", "service_time")


#: Table suffixes :func:`read_table` understands.
CSV_SUFFIXES = (".csv", ".txt", ".gz")
PARQUET_SUFFIXES = (".parquet", ".pq")


def read_table(path: PathLike, *, field: str = "path") -> pd.DataFrame:
    """Read a CSV (``.csv``, ``.txt``, ``.csv.gz``) or Parquet (``.parquet``, ``.pq``) table.

    The one table reader of the package. A missing file, an unknown suffix or an unreadable file
    raises :class:`~lastmile_core.errors.FormatError` whose message starts with ``field``."""
    p = Path(path)
    suffix = p.suffix.lower()
    if not p.is_file():
        raise FormatError(f"{field}: file {str(p)!r} not found")
    if suffix not in CSV_SUFFIXES + PARQUET_SUFFIXES:
        raise FormatError(
            f"{field}: unsupported table suffix {p.suffix!r} in {str(p)!r} (use .csv or .parquet)"
        )
    try:
        return pd.read_parquet(p) if suffix in PARQUET_SUFFIXES else pd.read_csv(p)
    except Exception as exc:
        raise FormatError(
            f"{field}: cannot read table {str(p)!r} ({type(exc).__name__}: {exc})"
        ) from None


def _load_table(path_or_df: PathLike | pd.DataFrame) -> tuple[pd.DataFrame, str]:
    if isinstance(path_or_df, pd.DataFrame):
        return path_or_df.reset_index(drop=True), "DataFrame"
    return read_table(path_or_df), str(path_or_df)


def _column(df: pd.DataFrame, src: str, col: str) -> np.ndarray:
    try:
        return np.array(df[col].to_numpy(dtype=float), dtype=float)  # writable copy
    except (TypeError, ValueError):
        raise FormatError(f"{src}: column {col!r} is not numeric") from None


def _pickups(df: pd.DataFrame, src: str, dcols: Sequence[str]) -> np.ndarray | None:
    """The ``pickup_<dimension>`` columns (returns, one per demand column; a missing one is 0)
    as an (n, dims) array, or None without any. A blank depot cell is 0."""
    pcols = [c for c in df.columns if str(c).startswith("pickup_")]
    if not pcols:
        return None
    unknown = [c for c in pcols if str(c)[len("pickup_") :] not in dcols]
    if unknown:
        raise FormatError(
            f"{src}: {unknown[0]}: no demand column {str(unknown[0])[7:]!r} for this pickup "
            f"column (demand columns: {', '.join(dcols)})"
        )
    out = np.zeros((len(df), len(dcols)))
    for d, c in enumerate(dcols):
        if f"pickup_{c}" in df.columns:
            out[:, d] = _column(df, src, f"pickup_{c}")
    out[0] = np.nan_to_num(out[0], nan=0.0)
    return out


def default_vehicle(dim_names: Sequence[str], geographic: bool) -> VehicleSpec:
    """The example mid-size van (:data:`lastmile_core.examples.DEFAULT_VAN`) restricted to the
    given demand columns; planar instances drop its shift limit and time cost (their time unit
    is not seconds). Raises InputError for a column without a default capacity."""
    known = dict(zip(("packages", "volume_l", "weight_kg"), DEFAULT_VAN_CAPACITY, strict=True))
    known["demand"] = known["packages"]
    unknown = [d for d in dim_names if d not in known]
    if unknown:
        raise InputError(
            f"vehicle_types: required, no default capacity for demand column(s) {unknown}"
        )
    van = replace(DEFAULT_VAN, capacity=tuple(known[d] for d in dim_names))
    return van if geographic else replace(van, max_duration=None, cost_per_duration=0.0)


def read_stops(
    path_or_df: PathLike | pd.DataFrame,
    vehicle_types: Sequence[VehicleSpec] | None = None,
    *,
    demand: Sequence[str] | str | None = None,
    id_column: str = "stop_id",
    distance: str | None = None,
    speed: float | None = None,
    circuity: float | None = None,
    distance_scale: float | None = None,
    time_scale: float | None = None,
    name: str = "",
) -> Instance:
    """Build an :class:`Instance` from a stop table (path to .csv/.parquet, or a DataFrame).

    Coordinates: ``lon``/``lat`` make a geographic instance (haversine km unless ``distance``
    says otherwise), ``x``/``y`` a planar one. ``demand`` names the demand columns (default: those
    of :data:`DEFAULT_DEMAND_COLUMNS` present). The depot's demand is ignored (may be empty).
    ``vehicle_types`` defaults to :func:`default_vehicle` (the example van, unlimited).
    Optional ``station`` and ``day`` columns (one value each) go to ``metadata`` and name the
    station-day in the route table (:func:`routes_table`). Other keywords are passed to
    :meth:`Instance.from_arrays`.
    """
    df, src = _load_table(path_or_df)
    if len(df) == 0:
        raise FormatError(f"{src}: the stop table is empty")
    if {"lon", "lat"} <= set(df.columns):
        geographic, ccols = True, ["lon", "lat"]
    elif {"x", "y"} <= set(df.columns):
        geographic, ccols = False, ["x", "y"]
    else:
        raise FormatError(
            f"{src}: coordinates: need columns lon/lat or x/y, got {list(df.columns)}"
        )

    if "is_depot" in df.columns:
        col = df["is_depot"]
        if col.dtype == object:
            col = col.astype(str).str.strip().str.lower().isin(("true", "1", "yes"))
        flag = col.fillna(False).astype(bool).to_numpy()
        if int(flag.sum()) != 1:
            raise FormatError(
                f"{src}: is_depot: expected exactly one depot row, got {int(flag.sum())}"
            )
        d = int(np.flatnonzero(flag)[0])
        order = [d] + [i for i in range(len(df)) if i != d]
        df = df.iloc[order].reset_index(drop=True)
    else:
        order = list(range(len(df)))

    if demand is None:
        dcols = [c for c in DEFAULT_DEMAND_COLUMNS if c in df.columns]
        if not dcols:
            raise FormatError(
                f"{src}: demand: no demand column found (looked for {', '.join(DEFAULT_DEMAND_COLUMNS)}); pass demand=[...]"
            )
    else:
        dcols = [demand] if isinstance(demand, str) else list(demand)
        missing = [c for c in dcols if c not in df.columns]
        if missing or not dcols:
            raise FormatError(f"{src}: demand: column(s) {missing or dcols} not in the table")
    dem = np.column_stack([_column(df, src, c) for c in dcols])
    dem[0] = np.nan_to_num(dem[0], nan=0.0)  # the depot row may be blank

    svc_col = next((c for c in _SERVICE_COLUMNS if c in df.columns), None)
    service = None
    if svc_col is not None:
        service = _column(df, src, svc_col)
        service[0] = 0.0 if np.isnan(service[0]) else service[0]
    elevation = _column(df, src, "elevation_m") if "elevation_m" in df.columns else None
    zone = df["zone"].astype(str).to_numpy() if "zone" in df.columns else None
    ids: list[Any] = (
        [v.item() if isinstance(v, np.generic) else v for v in df[id_column]]
        if id_column in df.columns
        else list(range(len(df)))
    )
    times = read_stop_times(df, ids, order)  # tw_early, tw_late, release columns
    if vehicle_types is None:
        vehicle_types = [default_vehicle(dcols, geographic)]
    metadata: dict[str, Any] = {"source": src, "format": "stops"}
    for col in ("station", "day"):
        if col in df.columns:
            values = df[col].dropna().unique()
            if len(values) != 1:
                raise FormatError(
                    f"{src}: {col}: a stop table is one station-day, got {len(values)} values"
                )
            v = values[0]
            metadata[col] = v.item() if isinstance(v, np.generic) else v
    return Instance.from_arrays(
        np.column_stack([_column(df, src, c) for c in ccols]),
        dem,
        vehicle_types,
        service_time=service,
        geographic=geographic,
        distance=distance,
        speed=speed,
        circuity=circuity,
        distance_scale=distance_scale,
        time_scale=time_scale,
        elevation_m=elevation,
        zone=zone,
        node_ids=ids,
        dim_names=dcols,
        name=name or str(metadata.get("station", "")),
        metadata=metadata,
        time_window=times.get("time_window"),
        release_time=times.get("release_time"),
        pickup=_pickups(df, src, dcols),
    )


def stops_frame(instance: Instance) -> pd.DataFrame:
    """The instance's nodes as a stop table (depot first, flagged by ``is_depot``)."""
    data = instance.data
    xy = data.coords
    ccols = ("lon", "lat") if instance.geographic else ("x", "y")
    cols: dict[str, Any] = {
        "stop_id": list(instance.node_ids) or list(range(instance.num_nodes)),
        ccols[0]: xy[:, 0],
        ccols[1]: xy[:, 1],
    }
    dem = data.demand
    for d, dname in enumerate(instance.dim_names):
        cols[dname] = dem[:, d]
    if data.has_pickups:
        for d, dname in enumerate(instance.dim_names):
            cols[f"pickup_{dname}"] = data.pickup[:, d]
    svc_name = "service_s" if instance.geographic else "service_time"
    cols[svc_name] = data.service_time / instance.time_scale
    if data.elevation is not None:
        cols["elevation_m"] = data.elevation
    if data.zone is not None:
        cols["zone"] = [instance.zone_names[z] for z in data.zone]
    cols.update(stop_time_columns(data, instance.time_scale))
    cols["is_depot"] = np.arange(instance.num_nodes) == 0
    return pd.DataFrame(cols)


def _write_frame(df: pd.DataFrame, path: PathLike) -> None:
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        df.to_csv(path, index=False)
    elif suffix in (".parquet", ".pq"):
        df.to_parquet(path, index=False)
    else:
        raise InputError(f"path: unsupported suffix {suffix!r} (use .csv or .parquet)")


def write_stops(instance: Instance, path: PathLike) -> None:
    """Write the instance's stop table to ``.csv`` or ``.parquet`` (coordinates only: an
    explicit distance matrix is not stored)."""
    _write_frame(stops_frame(instance), path)


def _as_solution(instance: Instance, solution: Any) -> _core.Solution:
    if isinstance(solution, _core.Solution):
        return solution
    return instance.solution(solution)


def routes_table(
    instance: Instance, solution: Any, *, station: str | None = None, day: Any = None
) -> pd.DataFrame:
    """One row per visit, depot rows at both ends of every non-empty route (``is_depot`` True).

    The table every later step reads unchanged (``lastmile metrics``, ``energy``, ``spr fit``):
    ``route_id``, ``station`` (``station`` or the instance's ``metadata["station"]`` or name),
    ``day`` (``day`` or ``metadata["day"]`` or 0), ``van_type`` (the vehicle type's name) and its
    capacities ``capacity_<dim>``, the road model of geographic instances without a matrix
    (``circuity``, ``speed_kmh``), ``seq`` (0 = leaving the depot), ``is_depot``, ``node``
    (internal index), ``stop_id``, coordinates, ``zone`` and ``elevation_m`` (when the instance
    has them), demand
    per dimension, ``service_s`` (geographic; ``service_time`` planar), ``load_<dim>`` (cumulative
    demand delivered so far), cumulative ``distance_km`` and ``arrival_s`` since the route start
    (planar instances: ``distance`` and ``arrival`` in their own units; service times of earlier
    stops included).
    """
    sol = _as_solution(instance, solution)
    data = instance.data
    xy = data.coords
    dem = data.demand
    svc = data.service_time
    types = data.vehicle_types
    ids = instance.node_ids or tuple(range(instance.num_nodes))
    geo = instance.geographic
    ccols = ("lon", "lat") if geo else ("x", "y")
    dist_col, time_col, svc_col = (
        ("distance_km", "arrival_s", "service_s")
        if geo
        else ("distance", "arrival", "service_time")
    )
    meta = instance.metadata or {}
    st = str(station if station is not None else meta.get("station", instance.name or "station"))
    dy = day if day is not None else meta.get("day", 0)
    zones = np.asarray(data.zone) if instance.zone_names else None
    elev = None if data.elevation is None else np.asarray(data.elevation)
    dims = instance.dim_names
    road: dict[str, float] = {}
    if geo and data.distance_kind != "matrix" and data.duration_per_distance > 0:
        # the instance's road model, so that reading the table back gives the same km and s
        speed = instance.time_scale / (data.duration_per_distance * instance.distance_scale)
        road = {"circuity": float(data.circuity), "speed_kmh": float(speed) * 3600.0}
    rows: list[dict[str, Any]] = []
    for r, route in enumerate(sol.routes):
        if not route.visits:
            continue
        vt = types[route.vehicle_type]
        nc = data.num_clients  # several depots: the route's depots (nodes after the clients)
        a, b = (0 if d == 0 else nc + d for d in (vt.start_depot, vt.end_depot))
        nodes = [a, *route.visits, b]
        load = np.zeros(data.num_dims, dtype=np.int64)
        dist = 0
        time = 0
        prev = a
        for seq, node in enumerate(nodes):
            if seq > 0:
                dist += data.dist(prev, node)
                time += (int(svc[prev]) if prev else 0) + data.duration(prev, node)
            if seq < len(nodes) - 1:
                load += dem[node]
            row: dict[str, Any] = {
                "route_id": r,
                "station": st,
                "day": dy,
                "van_type": vt.name,
            }
            for d, dname in enumerate(dims):
                row[f"capacity_{dname}"] = int(vt.capacity[d])
            row.update(road)
            row.update(
                {
                    "seq": seq,
                    "is_depot": seq in (0, len(nodes) - 1),
                    "node": node,
                    "stop_id": ids[node],
                    ccols[0]: float(xy[node, 0]),
                    ccols[1]: float(xy[node, 1]),
                }
            )
            if zones is not None:
                row["zone"] = instance.zone_names[int(zones[node])]
            if elev is not None:
                row["elevation_m"] = float(elev[node])
            for d, dname in enumerate(dims):
                row[dname] = int(dem[node, d])
            row[svc_col] = instance.to_user_duration(int(svc[node])) if node else 0.0
            for d, dname in enumerate(dims):
                row[f"load_{dname}"] = int(load[d])
            row[dist_col] = instance.to_user_distance(dist)
            row[time_col] = instance.to_user_duration(time)
            rows.append(row)
            prev = node
    columns = [
        "route_id", "station", "day", "van_type", *(f"capacity_{d}" for d in dims), *road, "seq",
        "is_depot", "node", "stop_id", *ccols, *(["zone"] if zones is not None else []),
        *(["elevation_m"] if elev is not None else []), *dims,
        svc_col, *(f"load_{d}" for d in dims), dist_col, time_col,
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def write_routes(instance: Instance, solution: Any, path: PathLike) -> None:
    """Write routes by suffix: ``.csv``/``.parquet`` (:func:`routes_table`), ``.sol`` (VRPLIB,
    with the cost) or ``.geojson`` (:func:`to_geojson`)."""
    suffix = Path(path).suffix.lower()
    sol = _as_solution(instance, solution)
    if suffix == ".sol":
        write_solution(path, sol, cost=sol.cost)
    elif suffix in (".geojson", ".json"):
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(to_geojson(instance, sol), fh)
    elif suffix in (".csv", ".parquet", ".pq"):
        _write_frame(routes_table(instance, sol), path)
    else:
        raise InputError(
            f"path: unsupported suffix {suffix!r} (use .csv, .parquet, .sol or .geojson)"
        )


__all__ = [
    "default_vehicle",
    "read_stops",
    "routes_table",
    "stops_frame",
    "write_routes",
    "write_stops",
]
