"""Batch route metrics: distances, times, hull area and density, load factors, climb.

Routes are given in CSR form: flat per-stop arrays (coordinates, packages, service time, ...) in
visiting order, plus ``offsets`` (int64, ``routes + 1`` entries) so that route ``r`` is stops
``offsets[r]:offsets[r + 1]``. One call computes every route in C++ (multi-threaded, GIL
released); nothing runs per route in Python.

Units
-----
Every name says its unit (``_km``, ``_km2``, ``_s``, ``_m``, ``stops_per_km2``); the names are
those of the geographic case:

* geographic (``geographic=True``, x = longitude, y = latitude in degrees): haversine
  great-circle distance times ``circuity``, in km; ``hull_area_km2`` in km^2 from a local
  equirectangular projection around the route's mean latitude (longitudes unwrapped relative to
  the first stop, so routes across the antimeridian are handled).
* planar (``geographic=False``): the ``_km`` fields are in coordinate units and the ``_km2``
  ones in units^2; drive time treats one unit as ``unit_km`` km. :meth:`RouteMetrics.to_frame`
  says so in its column names (``total_unit``, ``hull_area_unit2``, ``stops_per_unit2``, ...,
  see :data:`PLANAR_NAMES`).

Per-route fields (one numpy array each, read-only): ``n_stops``, ``packages`` (sum of per-stop
packages; each stop counts 1 when ``packages`` is not given), ``total_km`` (=
``line_haul_km + intra_route_km``), ``line_haul_km`` (depot -> first stop + last stop -> depot;
0 without a depot), ``intra_route_km`` (first -> last stop along the route), ``drive_time_s``
(total distance / speed), ``service_time_s``, ``duration_s`` (drive + service),
``hull_area_km2`` (convex hull of the stops, depot excluded; 0 below 3 stops or when collinear),
``stops_per_km2`` (n_stops / hull area, NaN when the area is 0), ``stops_per_intra_km``
(n_stops / intra distance, NaN when 0), ``mean_inter_stop_km`` (intra / (n_stops - 1), NaN
below 2 stops); with ``demand``: ``load`` (routes x dims); with ``capacity`` also
``load_factor`` (load / capacity, routes x dims; inf or NaN where a capacity is 0); with
``elevation_m``: ``climb_m`` (sum of positive elevation differences along the route, including
the depot legs when ``depot_elevation_m`` is given). With ``hull=False`` the hull fields are NaN
(about 4x faster for planar input).

The names before units were spelled out (``total_distance``, ``line_haul_distance``,
``intra_route_distance``, ``hull_area``, ``mean_inter_stop_distance``; :data:`OLD_NAMES`) still
read as attributes, with a DeprecationWarning.

Accuracy and determinism: every route is computed by one thread in stop order, so the result is
bit-identical for any ``threads``. Great-circle distances of short edges use Taylor polynomials
(exact to double rounding; agreement with numpy's haversine ~1e-15 relative), long edges and
routes far from their first stop the library trigonometry.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from .errors import IndexOutOfRangeError, InputError
from .road import road_metrics
from .station_rows import depot_mask

DEFAULT_SPEED_KMH = 30.0

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: The kernel's (and this module's former) unit-less names -> the names with their unit.
OLD_NAMES: dict[str, str] = {
    "total_distance": "total_km",
    "line_haul_distance": "line_haul_km",
    "intra_route_distance": "intra_route_km",
    "hull_area": "hull_area_km2",
    "mean_inter_stop_distance": "mean_inter_stop_km",
}

#: Column names of a planar :meth:`RouteMetrics.to_frame` (coordinate units, not km).
PLANAR_NAMES: dict[str, str] = {
    "total_km": "total_unit",
    "line_haul_km": "line_haul_unit",
    "intra_route_km": "intra_route_unit",
    "hull_area_km2": "hull_area_unit2",
    "stops_per_km2": "stops_per_unit2",
    "stops_per_intra_km": "stops_per_intra_unit",
    "mean_inter_stop_km": "mean_inter_stop_unit",
}

__all__ = [
    "DEFAULT_SPEED_KMH",
    "OLD_NAMES",
    "PLANAR_NAMES",
    "RouteMetrics",
    "batch_metrics",
    "from_table",
    "route_metrics",
]


@dataclass(frozen=True, eq=False)
class RouteMetrics:
    """Per-route metrics as a struct of read-only numpy arrays (one entry per route)."""

    n_stops: IntArray
    packages: FloatArray
    total_km: FloatArray
    line_haul_km: FloatArray
    intra_route_km: FloatArray
    drive_time_s: FloatArray
    service_time_s: FloatArray
    duration_s: FloatArray
    hull_area_km2: FloatArray
    stops_per_km2: FloatArray
    stops_per_intra_km: FloatArray
    mean_inter_stop_km: FloatArray
    load: FloatArray | None = None
    load_factor: FloatArray | None = None
    climb_m: FloatArray | None = None
    route_id: np.ndarray | None = None
    dim_names: tuple[str, ...] = ()
    geographic: bool = False

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False

    def __len__(self) -> int:
        return int(self.n_stops.shape[0])

    def __repr__(self) -> str:
        extras = [n for n in ("load", "load_factor", "climb_m") if getattr(self, n) is not None]
        kind = "geographic" if self.geographic else "planar"
        return f"RouteMetrics({len(self)} routes, {kind}, stops={int(self.n_stops.sum())}, extras={extras})"

    @property
    def num_routes(self) -> int:
        """Number of routes."""
        return len(self)

    def _old(self, name: str) -> FloatArray:
        warnings.warn(
            f"RouteMetrics.{name} is now RouteMetrics.{OLD_NAMES[name]} (names say their unit)",
            DeprecationWarning,
            stacklevel=3,
        )
        value: FloatArray = getattr(self, OLD_NAMES[name])
        return value

    @property
    def total_distance(self) -> FloatArray:
        """Deprecated name of :attr:`total_km`."""
        return self._old("total_distance")

    @property
    def line_haul_distance(self) -> FloatArray:
        """Deprecated name of :attr:`line_haul_km`."""
        return self._old("line_haul_distance")

    @property
    def intra_route_distance(self) -> FloatArray:
        """Deprecated name of :attr:`intra_route_km`."""
        return self._old("intra_route_distance")

    @property
    def hull_area(self) -> FloatArray:
        """Deprecated name of :attr:`hull_area_km2`."""
        return self._old("hull_area")

    @property
    def mean_inter_stop_distance(self) -> FloatArray:
        """Deprecated name of :attr:`mean_inter_stop_km`."""
        return self._old("mean_inter_stop_distance")

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame with one row per route (index: route_id when known). Column names
        carry their unit: the field names when geographic, :data:`PLANAR_NAMES` (coordinate
        units) when planar."""
        columns: dict[str, np.ndarray] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("route_id", "dim_names", "geographic") or value is None:
                continue
            if value.ndim == 2:
                for d in range(value.shape[1]):
                    name = self.dim_names[d] if d < len(self.dim_names) else str(d)
                    columns[f"{f.name}_{name}"] = value[:, d]
            else:
                columns[f.name if self.geographic else PLANAR_NAMES.get(f.name, f.name)] = value
        index = None
        if self.route_id is not None:
            index = pd.Index(self.route_id, name="route_id")
        return pd.DataFrame(columns, index=index, copy=True)


def _float_array(name: str, value: Any, ndim: tuple[int, ...] = (1,)) -> FloatArray:
    try:
        a = np.ascontiguousarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: cannot convert to float64 ({exc})") from None
    if a.ndim not in ndim:
        raise InputError(
            f"{name}: expected {' or '.join(f'{d}-D' for d in ndim)} array, got shape {a.shape}"
        )
    return a


def _int_offsets(offsets: Any) -> IntArray:
    a = np.asarray(offsets)
    if a.dtype.kind not in "iu":
        raise InputError(f"offsets: expected an integer array, got dtype {a.dtype}")
    if a.ndim != 1:
        raise InputError(f"offsets: expected a 1-D array, got shape {a.shape}")
    if a.dtype.kind == "u" and a.size and int(a.max()) > np.iinfo(np.int64).max:
        raise InputError("offsets: value exceeds int64")
    return np.ascontiguousarray(a, dtype=np.int64)


def _per_route(name: str, value: Any) -> FloatArray:
    a = _float_array(name, value, ndim=(0, 1))
    return a.reshape(-1)


def batch_metrics(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    offsets: npt.ArrayLike,
    depot: npt.ArrayLike | None = None,
    *,
    geographic: bool = False,
    packages: npt.ArrayLike | None = None,
    service_s: npt.ArrayLike | None = None,
    elevation_m: npt.ArrayLike | None = None,
    depot_elevation_m: npt.ArrayLike | None = None,
    demand: npt.ArrayLike | None = None,
    capacity: npt.ArrayLike | None = None,
    dim_names: Sequence[str] | None = None,
    speed_kmh: float | npt.ArrayLike | None = None,
    circuity: float | None = None,
    unit_km: float = 1.0,
    hull: bool = True,
    threads: int | None = None,
) -> RouteMetrics:
    """Metrics of every route in CSR form, computed in one multi-threaded C++ pass.

    Args:
        x, y: per-stop coordinates in visiting order (planar, or longitude/latitude in degrees
            when ``geographic``).
        offsets: int64, ``routes + 1`` entries, 0 first, ``len(x)`` last.
        depot: ``(x, y)`` for one depot shared by all routes, an array ``(routes, 2)`` for one
            per route, or None for open routes (no line-haul legs).
        packages, service_s, elevation_m: optional per-stop values (packages and service >= 0).
        depot_elevation_m: depot elevation (scalar or per route) adding the depot legs to
            ``climb_m``.
        demand: per-stop loads ``(stops, dims)`` (or ``(stops,)``).
        capacity: ``(dims,)`` or ``(routes, dims)`` giving ``load_factor``. With capacity but no
            demand, ``packages`` is used as the single demand dimension.
        speed_kmh, circuity: scalar or per-route driving speed (> 0; ``inf``: no drive time)
            and the multiplier on straight-line distances; None = the road default
            (geographic: the station-leg and between-stop values of
            :data:`~lastmile_core.road.DEFAULT_ROAD` apart; planar: :data:`DEFAULT_SPEED_KMH`
            and 1).
        unit_km: km per planar unit (drive time only).
        hull: compute the convex-hull metrics.
        threads: worker threads (None = all cores); the result does not depend on it.

    Raises lastmile_core.errors.InputError naming the argument for NaN/inf coordinates,
    negative packages/service/demand, bad offsets and wrong lengths.
    """
    xs = _float_array("x", x)
    ys = _float_array("y", y)
    offs = _int_offsets(offsets)
    dx = dy = None
    if depot is not None:
        d = _float_array("depot", depot, ndim=(1, 2))
        if d.ndim == 1:
            if d.shape != (2,):
                raise InputError(
                    f"depot: expected (x, y) or shape (routes, 2), got shape {d.shape}"
                )
            d = d.reshape(1, 2)
        elif d.shape[1] != 2:
            raise InputError(f"depot: expected shape (routes, 2), got shape {d.shape}")
        dx = np.ascontiguousarray(d[:, 0])
        dy = np.ascontiguousarray(d[:, 1])
    pk = None if packages is None else _float_array("packages", packages)
    sv = None if service_s is None else _float_array("service_s", service_s)
    el = None if elevation_m is None else _float_array("elevation_m", elevation_m)
    de = None if depot_elevation_m is None else _per_route("depot_elevation_m", depot_elevation_m)
    dm = None if demand is None else _float_array("demand", demand, ndim=(1, 2))
    cap = None if capacity is None else _float_array("capacity", capacity, ndim=(1, 2))
    if cap is not None and dm is None and pk is not None:
        dm = pk
    if dm is not None and dm.ndim == 1:
        dm = dm.reshape(-1, 1)
    road = bool(geographic) and (circuity is None or speed_kmh is None)
    if circuity is None and not geographic:
        circuity = 1.0
    sp = _per_route("speed_kmh", np.inf if road or speed_kmh is None else speed_kmh)
    if not road and speed_kmh is None:
        sp = _per_route("speed_kmh", DEFAULT_SPEED_KMH)
    result: dict[str, Any] = _core.batch_route_metrics(
        xs, ys, offs, dx, dy,
        geographic=bool(geographic), packages=pk, service_s=sv, elevation_m=el,
        depot_elevation_m=de, demand=dm, capacity=cap, speed_kmh=sp,
        circuity=1.0 if circuity is None else float(circuity), unit_km=float(unit_km),
        hull=bool(hull), threads=threads,
    )  # fmt: skip
    if road:  # the kernel ran without drive time, at circuity 1 or the given one
        road_metrics(result, circuity, None if speed_kmh is None else sp)
    result = {OLD_NAMES.get(k, k): v for k, v in result.items()}  # the kernel's names
    names: tuple[str, ...] = ()
    if dm is not None:
        dims = dm.shape[1]
        names = tuple(dim_names) if dim_names is not None else tuple(str(i) for i in range(dims))
        if len(names) != dims:
            raise InputError(f"dim_names: expected {dims} names, got {len(names)}")
    return RouteMetrics(**result, dim_names=names, geographic=bool(geographic))


# --------------------------------------------------------------------------------------------
# Tables of observed routes
# --------------------------------------------------------------------------------------------


def _column(df: pd.DataFrame, arg: str, col: str) -> pd.Series:
    if col not in df.columns:
        raise InputError(f"{arg}: column {col!r} not in the table (columns: {list(df.columns)})")
    return df[col]


def _columns(arg: str, value: str | Sequence[str] | None) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    return list(value)


def from_table(
    df: pd.DataFrame,
    route: str = "route_id",
    order: str | None = "seq",
    lon: str = "lon",
    lat: str = "lat",
    x: str | None = None,
    y: str | None = None,
    packages: str | None = None,
    service_s: str | None = None,
    elevation_m: str | None = None,
    demand: str | Sequence[str] | None = None,
    capacity: str | Sequence[str] | npt.ArrayLike | None = None,
    depot: tuple[float, float] | None = None,
    depot_flag: str | tuple[str, Any] | None = None,
    speed_kmh: float | str | None = None,
    circuity: float | None = None,
    unit_km: float = 1.0,
    hull: bool = True,
    threads: int | None = None,
) -> RouteMetrics:
    """Metrics of observed routes from a table with one row per stop.

    Rows are grouped by ``route`` and sorted by ``order`` (None keeps the row order within a
    route); routes come out sorted by route id (``RouteMetrics.route_id``). Coordinates are the
    ``lon``/``lat`` columns (geographic) unless both ``x`` and ``y`` are given (planar).
    ``packages``, ``service_s`` (seconds), ``elevation_m`` name optional per-stop columns;
    ``demand`` one or more per-stop load columns. ``capacity`` is column name(s) read on each
    route's first row, or an array ``(dims,)`` / ``(routes, dims)``.
    The depot is ``depot=(lon, lat)`` (or ``(x, y)``) for all routes, and/or the station rows
    ``depot_flag``: a boolean column or ``(column, value)``, e.g. ``("type", "Station")`` (one
    place per route, given once or first and last; not counted as a stop; it gives that route's depot, so its station
    legs are included, and its elevation when ``elevation_m`` is given). A text column as
    ``depot_flag`` raises InputError; with neither, a warning says the routes are open.
    Distances and drive times default to the road factors (see :func:`batch_metrics`). ``speed_kmh`` is a number or a column read on
    each route's first row.
    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"df: expected a pandas DataFrame, got {type(df).__name__}")
    planar = x is not None or y is not None
    if planar and (x is None or y is None):
        raise InputError("x: give both x and y columns for planar coordinates, or neither")
    xcol: str = x if x is not None else lon
    ycol: str = y if y is not None else lat
    xarg, yarg = ("x", "y") if planar else ("lon", "lat")
    rid = _column(df, "route", route)
    if rid.isna().any():
        raise InputError(f"route: column {route!r} has missing values")
    codes, uniques = pd.factorize(rid, sort=True)
    codes = codes.astype(np.int64, copy=False)
    num_routes = len(uniques)

    is_depot = np.zeros(len(df), dtype=bool)
    if depot_flag is not None:
        is_depot = depot_mask(df, depot_flag, "depot_flag")
    elif depot is None:
        warnings.warn(
            "depot: no depot=(x, y) and no depot_flag: every row counts as a stop and the "
            "routes are open (no station legs); mark station rows with depot_flag",
            UserWarning,
            stacklevel=2,
        )
    stop_rows = np.flatnonzero(~is_depot)
    stop_codes = codes[stop_rows]
    if order is not None:
        keys = _column(df, "order", order).to_numpy()[stop_rows]
        perm = stop_rows[np.lexsort((keys, stop_codes))]
    else:
        perm = stop_rows[np.argsort(stop_codes, kind="stable")]
    counts = np.bincount(stop_codes, minlength=num_routes)
    offsets = np.zeros(num_routes + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])

    def stop_column(arg: str, col: str) -> FloatArray:
        values: FloatArray = _column(df, arg, col).to_numpy(dtype=np.float64, na_value=np.nan)
        return values[perm]

    def stop_values(arg: str, col: str | None) -> FloatArray | None:
        return None if col is None else stop_column(arg, col)

    xs = stop_column(xarg, xcol)
    ys = stop_column(yarg, ycol)
    elev = stop_values("elevation_m", elevation_m)

    # Depot per route: flagged rows, else the shared depot.
    depot_arg: np.ndarray | tuple[float, float] | None = depot
    depot_elev = None
    if depot_flag is not None and is_depot.any():
        drows = np.flatnonzero(is_depot)
        # a closed tour written out (station first and last): one station row per place
        place = pd.DataFrame(
            {"r": codes[drows], "x": df[xcol].to_numpy()[drows], "y": df[ycol].to_numpy()[drows]}
        )
        drows = drows[~place.duplicated().to_numpy()]
        dcodes = codes[drows]
        per_route = np.bincount(dcodes, minlength=num_routes)
        if (per_route > 1).any():
            bad = uniques[int(np.argmax(per_route > 1))]
            raise InputError(
                f"depot_flag: route {bad!r} has depot rows at {per_route.max()} places (at most 1)"
            )
        dxy = np.full((num_routes, 2), np.nan)
        if depot is not None:
            dxy[:] = _float_array("depot", depot).reshape(1, 2)
        dxy[dcodes, 0] = _column(df, xarg, xcol).to_numpy(dtype=np.float64)[drows]
        dxy[dcodes, 1] = _column(df, yarg, ycol).to_numpy(dtype=np.float64)[drows]
        missing = np.flatnonzero(np.isnan(dxy).any(axis=1))
        if missing.size:
            raise InputError(
                f"depot_flag: route {uniques[int(missing[0])]!r} has no (finite) depot row and no "
                "shared depot=(x, y) was given"
            )
        depot_arg = dxy
        if elevation_m is not None and (per_route == 1).all():
            depot_elev = np.empty(num_routes)
            depot_elev[dcodes] = _column(df, "elevation_m", elevation_m).to_numpy(dtype=np.float64)[
                drows
            ]

    # First row of each route (in original row order), for per-route columns.
    _, first_row = np.unique(codes, return_index=True)

    dcols = _columns("demand", demand)
    dem = None
    if dcols is not None:
        dem = np.column_stack([stop_column("demand", c) for c in dcols]) if dcols else None
    cap: Any = capacity
    if isinstance(capacity, str) or (
        isinstance(capacity, Sequence)
        and len(capacity) > 0
        and all(isinstance(c, str) for c in capacity)
    ):
        ccols = _columns("capacity", capacity)  # type: ignore[arg-type]
        assert ccols is not None
        cap = np.column_stack(
            [_column(df, "capacity", c).to_numpy(dtype=np.float64)[first_row] for c in ccols]
        )
    speed: Any = speed_kmh
    if isinstance(speed_kmh, str):
        speed = _column(df, "speed_kmh", speed_kmh).to_numpy(dtype=np.float64)[first_row]

    try:
        result = batch_metrics(
            xs, ys, offsets, depot_arg,
            geographic=not planar, packages=stop_values("packages", packages),
            service_s=stop_values("service_s", service_s), elevation_m=elev,
            depot_elevation_m=depot_elev, demand=dem, capacity=cap, dim_names=dcols,
            speed_kmh=speed, circuity=circuity, unit_km=unit_km, hull=hull, threads=threads,
        )  # fmt: skip
    except InputError as exc:
        raise _table_error(exc, df, perm, xarg, yarg) from None
    return RouteMetrics(
        **{f.name: getattr(result, f.name) for f in fields(result) if f.name != "route_id"},
        route_id=np.asarray(uniques),
    )


def _table_error(
    exc: InputError, df: pd.DataFrame, perm: np.ndarray, xarg: str, yarg: str
) -> InputError:
    """Re-words a kernel error for a table: argument names and the offending row's index label."""
    msg = str(exc)
    msg = re.sub(r"^x:", f"{xarg}:", msg)
    msg = re.sub(r"^y:", f"{yarg}:", msg)
    m = re.search(r"\bstop (\d+) \(route (\d+)", msg)
    if m:
        i = int(m.group(1))
        if 0 <= i < len(perm):
            msg += f" [table row with index label {df.index[perm[i]]!r}]"
    return InputError(msg)


# --------------------------------------------------------------------------------------------
# Solutions of an Instance
# --------------------------------------------------------------------------------------------


def route_metrics(
    instance: Any,
    solution: Any,
    *,
    speed_kmh: float | npt.ArrayLike | None = None,
    hull: bool = True,
    threads: int | None = None,
) -> RouteMetrics:
    """Metrics of every route of a solution of a lastmile_core.Instance.

    Uses ``instance.data`` (ProblemData: ``coords`` with node 0 the depot, ``demand`` with
    dimension 0 = packages, ``service_time`` in internal units, ``vehicle_types[k].capacity``,
    ``elevation``, ``duration_per_distance``, ``circuity``), ``instance.geographic``,
    ``instance.time_scale`` (internal duration units per user time unit: per second when
    geographic) and ``instance.distance_scale`` (internal distance units per user distance unit:
    per km when geographic); ``solution.routes[i].visits`` (clients 1..n) and
    ``.vehicle_type``; ``instance.dim_names`` names the load columns when present.

    Distances are in km (geographic, with the instance's circuity) or in the instance's
    coordinate units (planar). Without ``speed_kmh`` the drive time follows the instance's own
    ``duration_per_distance``, so ``drive_time_s`` and ``service_time_s`` are in the instance's
    user time units (seconds when geographic; for planar instances, whatever the instance's time
    unit is, and a given ``speed_kmh`` treats one coordinate unit as one km). A duration matrix,
    if the instance has one, is not used. ``load``/``load_factor`` cover every demand dimension
    against the route's vehicle type.
    """
    data = instance.data
    coords = np.asarray(data.coords, dtype=np.float64)
    num_nodes = coords.shape[0]
    routes = list(solution.routes)
    visits = [np.asarray(r.visits, dtype=np.int64).reshape(-1) for r in routes]
    lengths = np.fromiter((v.size for v in visits), dtype=np.int64, count=len(visits))
    offsets = np.zeros(len(visits) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    idx = np.concatenate(visits) if visits else np.zeros(0, dtype=np.int64)
    if idx.size and (idx.min() < 1 or idx.max() >= num_nodes):
        bad = int(idx[(idx < 1) | (idx >= num_nodes)][0])
        raise IndexOutOfRangeError(
            f"solution: visit {bad} is not a client index (1..{num_nodes - 1})"
        )

    vtypes = list(data.vehicle_types)
    vt = np.fromiter((int(r.vehicle_type) for r in routes), dtype=np.int64, count=len(routes))
    if vt.size and (vt.min() < 0 or vt.max() >= len(vtypes)):
        bad = int(vt[(vt < 0) | (vt >= len(vtypes))][0])
        raise IndexOutOfRangeError(
            f"solution: vehicle_type {bad} out of range (0..{len(vtypes) - 1})"
        )
    caps_by_type = np.array([list(t.capacity) for t in vtypes], dtype=np.float64)
    capacity = caps_by_type[vt] if len(routes) else np.zeros((0, caps_by_type.shape[1]))

    demand = np.asarray(data.demand, dtype=np.float64).reshape(num_nodes, -1)[idx]
    time_scale = float(instance.time_scale)
    service = np.asarray(data.service_time, dtype=np.float64)[idx] / time_scale
    elevation = data.elevation
    elev = dep_elev = None
    if elevation is not None:
        elevation = np.asarray(elevation, dtype=np.float64)
        elev = elevation[idx]
        dep_elev = elevation[0]
    geographic = bool(instance.geographic)
    if speed_kmh is None:
        # Seconds per user distance unit (metre when geographic, coordinate unit otherwise).
        # User time units (s when geographic) per user distance unit (km when geographic).
        t_per_unit = float(instance.distance_scale) * float(data.duration_per_distance) / time_scale
        speed_kmh = np.inf if t_per_unit <= 0 else 3600.0 / t_per_unit
    dims = demand.shape[1]
    names = [str(n) for n in getattr(instance, "dim_names", ())]
    if len(names) != dims:
        names = ["packages"] + [str(d) for d in range(1, dims)]
    return batch_metrics(
        coords[idx, 0], coords[idx, 1], offsets, coords[0],
        geographic=geographic, packages=demand[:, 0], service_s=service, elevation_m=elev,
        depot_elevation_m=dep_elev, demand=demand, capacity=capacity,
        dim_names=names,
        speed_kmh=speed_kmh, circuity=float(data.circuity) if geographic else 1.0,
        hull=hull, threads=threads,
    )  # fmt: skip
