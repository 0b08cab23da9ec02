"""Read a route table (the output of ``lastmile solve --out routes.csv|.parquet``) back into an
instance and its routes, so that later steps (energy, metrics) evaluate the routes as solved.

The table has one row per visit: ``route_id``, ``seq``, ``is_depot`` (the station rows at both
ends of each route), coordinates, demand columns and optionally ``service_s``, ``elevation_m``,
``zone``, ``stop_id``, ``station``, ``day``, ``van_type`` and ``capacity_<dim>``
(:func:`~lastmile_core.io.tables.routes_table` writes all of them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from ..errors import FormatError
from ..instance import Instance, VehicleSpec
from .tables import DEFAULT_DEMAND_COLUMNS, PathLike, _load_table, default_vehicle, read_stops

#: Columns a route table must have (besides coordinates and a demand column).
REQUIRED = ("route_id", "seq", "is_depot")


def _bool_column(df: pd.DataFrame, col: str, src: str) -> np.ndarray:
    s = df[col]
    if s.dtype == bool:
        return np.asarray(s.to_numpy(), dtype=bool)
    text = s.astype(str).str.strip().str.lower()
    ok = text.isin(("true", "false", "1", "0", "yes", "no"))
    if not ok.all():
        i = int(np.flatnonzero(~ok.to_numpy())[0])
        raise FormatError(f"{src}: {col}: expected true/false, got {s.iloc[i]!r} in row {i}")
    return np.asarray(text.isin(("true", "1", "yes")).to_numpy(), dtype=bool)


def is_route_table(df: pd.DataFrame) -> bool:
    """True when ``df`` has the route-table columns (rather than being a plain stop table)."""
    return all(c in df.columns for c in REQUIRED)


def _vehicle_specs(
    stops: pd.DataFrame, dims: list[str], geographic: bool
) -> tuple[list[VehicleSpec], dict[str, int]]:
    """One vehicle type per ``van_type`` with the capacities of its ``capacity_<dim>`` columns
    (the default van where the table has none)."""
    base = default_vehicle(dims, geographic)
    if "van_type" not in stops.columns:
        return [base], {}
    specs: list[VehicleSpec] = []
    index: dict[str, int] = {}
    for name, g in stops.groupby("van_type", sort=True):
        cap = []
        for d, dim in enumerate(dims):
            col = f"capacity_{dim}"
            if col in g.columns:
                values = pd.to_numeric(g[col], errors="coerce").unique()
                if len(values) != 1 or not np.isfinite(values[0]):
                    raise FormatError(
                        f"{col}: van type {name!r} needs one finite capacity, got {list(values)}"
                    )
                cap.append(float(values[0]))
            else:
                cap.append(float(np.atleast_1d(base.capacity)[d]))
        index[str(name)] = len(specs)
        specs.append(replace(base, capacity=tuple(cap), name=str(name)))
    return specs, index


def read_route_table(
    path_or_df: PathLike | pd.DataFrame,
    vehicle_types: Sequence[VehicleSpec] | None = None,
    **read_stops_kw: Any,
) -> tuple[Instance, _core.Solution]:
    """The instance (depot + every visited stop, one client per stop row) and the solution the
    route table describes, routes in order of first appearance, stops in ``seq`` order.

    ``vehicle_types`` overrides the types built from ``van_type`` / ``capacity_<dim>``; the table's
    ``van_type`` must then name them. ``read_stops_kw`` go to :func:`read_stops` (speed,
    circuity, ...; by default the table's ``circuity`` and ``speed_kmh`` columns). All depot rows must share one location (one station)."""
    df, src = _load_table(path_or_df)
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise FormatError(f"{src}: {missing[0]}: missing column in the route table")
    depot_flag = _bool_column(df, "is_depot", src)
    ccols = ["lon", "lat"] if {"lon", "lat"} <= set(df.columns) else ["x", "y"]
    if not set(ccols) <= set(df.columns):
        raise FormatError(f"{src}: coordinates: need columns lon/lat or x/y")
    depots = df.loc[depot_flag, ccols].drop_duplicates()
    if len(depots) != 1:
        raise FormatError(
            f"{src}: is_depot: the depot rows must share one location, got {len(depots)}"
        )
    order = pd.to_numeric(df["seq"], errors="coerce")
    if order.isna().any():
        i = int(np.flatnonzero(order.isna().to_numpy())[0])
        raise FormatError(f"{src}: seq: not a number ({df['seq'].iloc[i]!r}) in row {i}")
    stops = df.loc[~depot_flag].assign(_seq=order[~depot_flag])
    if len(stops) == 0:
        raise FormatError(f"{src}: the route table has no stop rows (all rows are depots)")
    first = {rid: k for k, rid in enumerate(pd.unique(df["route_id"]))}
    stops = stops.assign(_route=stops["route_id"].map(first)).sort_values(
        ["_route", "_seq"], kind="stable"
    )
    if stops.duplicated(["_route", "_seq"]).any():
        raise FormatError(f"{src}: seq: repeated within a route")
    depot_row = df.loc[depot_flag].iloc[[0]]
    table = pd.concat([depot_row, stops], ignore_index=True)
    table["is_depot"] = [True] + [False] * len(stops)
    dims = [c for c in DEFAULT_DEMAND_COLUMNS if c in table.columns]
    table.loc[0, dims] = 0
    for col in ("service_s", "service_time"):
        if col in table.columns:
            table.loc[0, col] = 0.0
    keep = [c for c in table.columns if not c.startswith("_")]
    specs, index = _vehicle_specs(stops, dims, ccols == ["lon", "lat"])
    if vehicle_types is not None:
        specs = list(vehicle_types)
        index = {s.name: k for k, s in enumerate(specs)}
    road = {"circuity": "circuity", "speed": "speed_kmh"}
    for kw, col in road.items():
        if col in table.columns and read_stops_kw.get(kw) is None:
            values = pd.to_numeric(table[col], errors="coerce").unique()
            if len(values) != 1 or not np.isfinite(values[0]):
                raise FormatError(f"{src}: {col}: expected one finite value, got {list(values)}")
            read_stops_kw[kw] = float(values[0])
    inst = read_stops(table[keep], specs, **read_stops_kw)
    routes: list[list[int]] = []
    types: list[int] = []
    client = 1
    for _, g in stops.groupby("_route", sort=True):
        routes.append(list(range(client, client + len(g))))
        client += len(g)
        name = str(g["van_type"].iloc[0]) if "van_type" in g.columns else ""
        if index and name not in index:
            raise FormatError(f"{src}: van_type: {name!r} is not one of {sorted(index)}")
        types.append(index.get(name, 0))
    return inst, inst.solution(routes, types)


__all__ = ["is_route_table", "read_route_table"]
