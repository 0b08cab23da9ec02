"""The problem instance: user units outside, the immutable C++ ``ProblemData`` inside.

Units at this boundary (see ``cpp/core/types.h`` for the internal integer units):

* planar coordinates: distances in the coordinates' own unit; durations in "time units" where the
  vehicle covers ``speed`` distance units per time unit (default 1, the VRPLIB convention);
* geographic coordinates (lon, lat in degrees): distances in km (haversine x circuity), durations
  in seconds at ``speed_kmh``.

Internally a distance is ``round(distance_scale * d)`` and a duration ``round(time_scale * t)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from . import validate as V
from .breaks import break_kwargs
from .depots import append_depots, depot_loading, pad_depot_rows
from .errors import InputError
from .pickups import pickup_array
from .road import DEFAULT_ROAD
from .timewindows import shift_window, time_arrays, user_time_errors
from .units import Units, violations
from .vehicle_energy import energy_kwargs
from .vehicle_spec import _MAX_INTERNAL
from .vehicle_spec import VehicleSpec as VehicleSpec  # re-exported: its home until 2026-12

#: Instances up to this many nodes keep a dense distance matrix; larger ones compute distances
#: on the fly from coordinates (O(n) memory).
DENSE_LIMIT = 4000
#: The same limit for the Euclidean kinds: a square root is cheaper than a matrix read that
#: misses the cache (n^2 x 8 bytes), and the search reads distances at random. SISR on
#: XL-n2634-k17 / XL-n3287-k30, 40,000 iterations, same routes either way: 1.39 / 2.18 s CPU
#: dense, 0.64 / 0.89 s computed; X-n1001-k43 0.63 / 0.58 s (bench/quality/RESULTS.md, search9b).
EUCLIDEAN_DENSE_LIMIT = 1000

_DISTANCE_KINDS = ("euclidean_rounded", "euclidean", "haversine", "matrix")


def _core_vehicle_type(k: int, **kwargs: Any) -> _core.VehicleType:
    """``_core.VehicleType(**kwargs)`` for ``vehicle_types[k]``: the C++ validation's InputError
    (its message starts with the field) is re-raised naming the vehicle type."""
    try:
        return _core.VehicleType(**kwargs)
    except InputError as exc:
        raise InputError(f"vehicle_types[{k}].{exc}") from None


def _finite_array(
    name: str, value: Any, ndim: int | tuple[int, ...], dtype: Any = float
) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name}: cannot be read as numbers ({exc})") from None
    ndims = (ndim,) if isinstance(ndim, int) else ndim
    if arr.ndim not in ndims:
        raise InputError(
            f"{name}: expected a {' or '.join(f'{d}-D' for d in ndims)} array, got shape {arr.shape}"
        )
    if arr.dtype.kind == "f" and not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))[0]
        raise InputError(
            f"{name}: non-finite value {arr[tuple(bad)]!r} at index {tuple(int(b) for b in bad)}"
        )
    return arr


def _nonneg(name: str, arr: np.ndarray) -> None:
    if arr.size and np.any(arr < 0):
        bad = np.argwhere(arr < 0)[0]
        raise InputError(
            f"{name}: negative value {arr[tuple(bad)]!r} at index {tuple(int(b) for b in bad)}"
        )


def _to_internal(name: str, arr: np.ndarray, scale: float) -> np.ndarray:
    scaled = np.rint(arr * scale)
    if scaled.size and np.max(np.abs(scaled)) > 2**62:
        raise InputError(f"{name}: value too large for the internal integer units")
    return scaled.astype(np.int64)


#: Largest integer accepted for a capacity, demand or limit (the C++ core bounds sums further).


def _too_large(name: str, arr: np.ndarray) -> None:
    if arr.size and np.max(arr) > _MAX_INTERNAL:
        raise InputError(
            f"{name}: value {np.max(arr)!r} is too large for the internal integer units"
        )


def _optional_limit(name: str, value: float | None, scale: float) -> int | None:
    if value is None or value == float("inf"):
        return None
    v = float(value)
    if not np.isfinite(v) or v < 0:
        raise InputError(f"{name}: must be a finite value >= 0 or None, got {value!r}")
    scaled = v * scale
    if scaled > _MAX_INTERNAL:
        raise InputError(
            f"{name}: {value!r} is too large for the internal units (use None for no limit)"
        )
    return int(round(scaled))


@dataclass(frozen=True, eq=False)
class Instance:
    """A routing instance: ``data`` (the C++ ProblemData) plus names and unit scales."""

    data: _core.ProblemData
    name: str = ""
    geographic: bool = False
    distance_scale: float = 1.0  #: internal distance units per user distance unit
    time_scale: float = 1.0  #: internal duration units per user time unit
    node_ids: tuple[Any, ...] = ()  #: external id per node (depot first)
    dim_names: tuple[str, ...] = ("demand",)
    zone_names: tuple[str, ...] = ()  #: label per zone id (data.zone indexes it)
    vehicle_specs: tuple[VehicleSpec, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)
    metres_per_unit: float | None = None  #: planar unit length in metres (EV energy), if given

    # -- construction --------------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        coords: npt.ArrayLike,
        demand: npt.ArrayLike,
        vehicle_types: Sequence[VehicleSpec],
        *,
        service_time: npt.ArrayLike | None = None,
        geographic: bool = False,
        distance: str | None = None,
        distance_scale: float | None = None,
        time_scale: float | None = None,
        speed: float | None = None,
        circuity: float | None = None,
        distance_matrix: npt.ArrayLike | None = None,
        duration_matrix: npt.ArrayLike | None = None,
        elevation_m: npt.ArrayLike | None = None,
        zone: Sequence[Any] | npt.ArrayLike | None = None,
        node_ids: Sequence[Any] | None = None,
        dim_names: Sequence[str] | None = None,
        name: str = "",
        metadata: dict[str, Any] | None = None,
        metres_per_unit: float | None = None,
        time_window: npt.ArrayLike | None = None,
        release_time: npt.ArrayLike | None = None,
        depots: npt.ArrayLike | None = None,
        depot_time_window: npt.ArrayLike | None = None,
        pickup: npt.ArrayLike | None = None,
        depot_loading_time: npt.ArrayLike | None = None,
    ) -> Instance:
        """Build an instance from numpy-like arrays (node 0 is the depot).

        ``coords`` (n, 2): x/y, or lon/lat degrees when ``geographic``. ``demand`` (n,) or
        (n, dims), non-negative integers (the depot row is ignored). ``service_time`` (n,) in user
        time units. ``distance``: "euclidean_rounded" (TSPLIB nint per edge), "euclidean"
        (unrounded, kept to 1/distance_scale), "haversine" (default for geographic) or "matrix"
        (implied by ``distance_matrix``, user distance units). ``speed``: distance units per time
        unit (planar, default 1) or km/h (geographic, default 30). ``circuity`` multiplies
        haversine distances (default :data:`~lastmile_core.road.DEFAULT_ROAD` ``.tour_circuity``,
        1.39 from the Austin OSM routes; Merchán & Winkenbach 2019 report 1.2-1.5 in cities).
        ``metres_per_unit``: length of one planar distance unit in metres (needed by vehicle
        types with an ``energy_vehicle`` on planar instances; geographic distances are km).
        ``time_window`` (n, 2): ``[early, late]`` clock times per node in user time units (or
        ``"HH:MM"``), row 0 the depot's opening window; ``release_time`` (n,): when each
        client's goods are at the depot (see :mod:`lastmile_core.timewindows`). Route durations
        then include waiting. ``depots`` / ``depot_time_window``: depots 1..D-1 besides row 0
        (see :mod:`lastmile_core.depots`; ``VehicleSpec.start_depot`` / ``end_depot``);
        ``depot_loading_time``: per depot, loading before every trip leaves (the same module).
        ``pickup``: the shape of ``demand``, goods each client hands back
        (returns); capacity then holds at every point of a route (see
        :mod:`lastmile_core.pickups`).
        """
        xy = _finite_array("coords", coords, 2)
        if xy.shape[1:] != (2,):
            raise InputError(f"coords: expected shape (n, 2), got {xy.shape}")
        xy, demand, service_time, time_window, release_time, num_depots = append_depots(
            xy, demand, service_time, time_window, release_time, depots, depot_time_window
        )
        pickup = pad_depot_rows("pickup", pickup, xy.shape[0], num_depots)
        loading = depot_loading(depot_loading_time, num_depots)
        n = xy.shape[0]
        if n < 2:
            raise InputError(f"coords: need a depot and at least one client, got {n} node(s)")
        dem = _finite_array("demand", demand, (1, 2))
        if dem.ndim == 1:
            dem = dem[:, None]
        if dem.shape[0] != n:
            raise InputError(f"demand: expected {n} rows (one per node), got {dem.shape[0]}")
        if dem.shape[1] < 1:
            raise InputError("demand: need at least one capacity dimension")
        _nonneg("demand", dem)
        _too_large("demand", dem)
        if np.any(dem != np.rint(dem)):
            bad = np.argwhere(dem != np.rint(dem))[0]
            raise InputError(
                f"demand: value {dem[tuple(bad)]!r} at index {tuple(int(b) for b in bad)} is not an integer (scale it, e.g. litres or grams)"
            )
        if service_time is None:
            svc = np.zeros(n)
        else:
            svc = _finite_array("service_time", service_time, 1)
            if svc.shape[0] != n:
                raise InputError(f"service_time: expected {n} values, got {svc.shape[0]}")
            _nonneg("service_time", svc)

        if distance_matrix is not None:
            if distance not in (None, "matrix"):
                raise InputError(
                    f"distance: {distance!r} conflicts with an explicit distance_matrix"
                )
            distance = "matrix"
        if distance is None:
            distance = "haversine" if geographic else "euclidean"
        if distance not in _DISTANCE_KINDS:
            raise InputError(
                f"distance: unknown kind {distance!r} (expected one of {', '.join(_DISTANCE_KINDS)})"
            )
        if geographic and distance in ("euclidean", "euclidean_rounded"):
            raise InputError(f"distance: {distance!r} is not meaningful for geographic coordinates")
        if not geographic and distance == "haversine":
            raise InputError("distance: 'haversine' needs geographic=True")
        if geographic:
            if np.any(np.abs(xy[:, 0]) > 180) or np.any(np.abs(xy[:, 1]) > 90):
                raise InputError("coords: geographic coordinates must be (lon, lat) in degrees")

        if distance_scale is None:
            distance_scale = {
                "euclidean_rounded": 1.0,
                "euclidean": 1000.0,
                "haversine": 1000.0,
                "matrix": 1000.0,
            }[distance]
        if not np.isfinite(distance_scale) or distance_scale <= 0:
            raise InputError(f"distance_scale: must be > 0, got {distance_scale!r}")
        if speed is None:
            speed = 30.0 if geographic else 1.0
        if not np.isfinite(speed) or speed <= 0:
            raise InputError(f"speed: must be > 0, got {speed!r}")
        if circuity is None:
            circuity = DEFAULT_ROAD.tour_circuity if geographic else 1.0
        if not np.isfinite(circuity) or circuity <= 0:
            raise InputError(f"circuity: must be > 0, got {circuity!r}")
        if time_scale is None:
            time_scale = 1.0 if geographic else distance_scale
        if not np.isfinite(time_scale) or time_scale <= 0:
            raise InputError(f"time_scale: must be > 0, got {time_scale!r}")
        # duration (internal) per distance (internal): time per user distance unit / scales.
        user_time_per_user_dist = 3600.0 / speed if geographic else 1.0 / speed
        dur_per_dist = user_time_per_user_dist * time_scale / distance_scale

        dmat = None
        if distance_matrix is not None:
            m = _finite_array("distance_matrix", distance_matrix, 2)
            if m.shape != (n, n):
                raise InputError(f"distance_matrix: expected shape ({n}, {n}), got {m.shape}")
            _nonneg("distance_matrix", m)
            dmat = _to_internal("distance_matrix", m, distance_scale)
        tmat = None
        if duration_matrix is not None:
            m = _finite_array("duration_matrix", duration_matrix, 2)
            if m.shape != (n, n):
                raise InputError(f"duration_matrix: expected shape ({n}, {n}), got {m.shape}")
            _nonneg("duration_matrix", m)
            tmat = _to_internal("duration_matrix", m, time_scale)
        elev = None
        if elevation_m is not None:
            elev = _finite_array("elevation_m", elevation_m, 1)
            if elev.shape[0] != n:
                raise InputError(f"elevation_m: expected {n} values, got {elev.shape[0]}")
        zone_ids = None
        zone_names: tuple[str, ...] = ()
        if zone is not None:
            labels = np.asarray(zone, dtype=object)
            if labels.shape != (n,):
                raise InputError(f"zone: expected {n} labels, got shape {labels.shape}")
            names, inv = np.unique(labels.astype(str), return_inverse=True)
            zone_names = tuple(str(z) for z in names)
            zone_ids = inv.astype(np.int32)

        dims = dem.shape[1]
        dims_named = (
            tuple(dim_names)
            if dim_names is not None
            else (("packages",) if dims == 1 else tuple(f"dim{d}" for d in range(dims)))
        )
        if len(dims_named) != dims:
            raise InputError(f"dim_names: expected {dims} names, got {len(dims_named)}")
        if not vehicle_types:
            raise InputError("vehicle_types: at least one vehicle type is required")
        core_types = []
        for k, spec in enumerate(vehicle_types):
            if not isinstance(spec, VehicleSpec):
                raise InputError(
                    f"vehicle_types[{k}]: expected a VehicleSpec, got {type(spec).__name__}"
                )
            cap = _finite_array(f"vehicle_types[{k}].capacity", np.atleast_1d(spec.capacity), 1)
            if cap.shape[0] != dims:
                raise InputError(
                    f"vehicle_types[{k}].capacity: expected {dims} value(s), got {cap.shape[0]}"
                )
            _nonneg(f"vehicle_types[{k}].capacity", cap)
            if spec.break_duration > 0 and loading is not None and np.any(loading > 0):
                raise InputError(
                    f"depot_loading_time: vehicle_types[{k}] has a driver break "
                    "(break_duration); breaks with depot loading times are not modelled yet"
                )
            _too_large(f"vehicle_types[{k}].capacity", cap)
            if spec.num_available is not None and (
                int(spec.num_available) != spec.num_available or spec.num_available < 0
            ):
                raise InputError(
                    f"vehicle_types[{k}].num_available: must be a non-negative integer or None, got {spec.num_available!r}"
                )
            for fname in (
                "fixed_cost",
                "cost_per_distance",
                "cost_per_duration",
                "battery_kwh",
                "reserve_kwh",
            ):
                v = getattr(spec, fname)
                if not np.isfinite(v) or v < 0:
                    raise InputError(
                        f"vehicle_types[{k}].{fname}: must be finite and >= 0, got {v!r}"
                    )
            ev_kwargs = energy_kwargs(
                k,
                spec,
                dims_named,
                geographic,
                float(distance_scale),
                float(time_scale),
                float(speed),
                metres_per_unit,
            )
            core_types.append(
                _core_vehicle_type(
                    k,
                    capacity=list(
                        V.integer_vector(
                            f"vehicle_types[{k}].capacity", spec.capacity, maximum=2**62
                        )
                    ),
                    num_available=None if spec.num_available is None else int(spec.num_available),
                    fixed_cost=float(spec.fixed_cost),
                    cost_per_distance=float(spec.cost_per_distance) / distance_scale,
                    cost_per_duration=float(spec.cost_per_duration) / time_scale,
                    max_duration=_optional_limit(
                        f"vehicle_types[{k}].max_duration", spec.max_duration, time_scale
                    ),
                    max_distance=_optional_limit(
                        f"vehicle_types[{k}].max_distance", spec.max_distance, distance_scale
                    ),
                    name=spec.name or f"type{k}",
                    battery_kwh=float(spec.battery_kwh),
                    reserve_kwh=float(spec.reserve_kwh),
                    **shift_window(k, spec.earliest_start, spec.latest_end, float(time_scale)),
                    **break_kwargs(k, spec, float(time_scale)),
                    start_depot=spec.start_depot,
                    end_depot=spec.end_depot,
                    reload_depots=[int(d) for d in spec.reload_depots],
                    max_reloads=None if spec.max_reloads is None else int(spec.max_reloads),
                    reload_time=int(
                        _to_internal(
                            f"vehicle_types[{k}].reload_time",
                            np.array([spec.reload_time]),
                            time_scale,
                        )[0]
                    ),
                    **ev_kwargs,
                )
            )
        times = time_arrays(n, time_window, release_time, float(time_scale), _core.UNLIMITED)
        picks = pickup_array(pickup, dem.astype(np.int64), core_types, dims_named)
        loads = (  # all 0: as if omitted (bit-identical)
            {"depot_loading_time": _to_internal("depot_loading_time", loading, time_scale)}
            if loading is not None and loading.any()
            else {}
        )
        with user_time_errors(float(time_scale)):  # core time-window messages in user units
            data = _core.ProblemData(
                coords=xy,
                demand=dem.astype(np.int64),
                service_time=_to_internal("service_time", svc, time_scale),
                vehicle_types=core_types,
                distance=distance,
                distance_scale=float(distance_scale),
                duration_per_distance=float(dur_per_dist),
                distance_matrix=dmat,
                duration_matrix=tmat,
                elevation=elev,
                zone=zone_ids,
                circuity=float(circuity),
                dense_limit=(
                    EUCLIDEAN_DENSE_LIMIT
                    if distance in ("euclidean", "euclidean_rounded")
                    else DENSE_LIMIT
                ),
                num_depots=num_depots,
                **times,
                **picks,
                **loads,
            )
        if node_ids is None:
            node_ids = range(n)
        ids = tuple(node_ids)
        if len(ids) != n:
            raise InputError(f"node_ids: expected {n} ids, got {len(ids)}")
        return cls(
            data=data,
            name=name,
            geographic=geographic,
            distance_scale=float(distance_scale),
            time_scale=float(time_scale),
            node_ids=ids,
            dim_names=dims_named,
            zone_names=zone_names,
            vehicle_specs=tuple(vehicle_types),
            metadata=dict(metadata or {}),
            metres_per_unit=None if metres_per_unit is None else float(metres_per_unit),
        )

    # -- conveniences -------------------------------------------------------------------------
    @property
    def num_clients(self) -> int:
        return int(self.data.num_clients)

    @property
    def num_nodes(self) -> int:
        return int(self.data.num_nodes)

    @property
    def distance_unit(self) -> str:
        return "km" if self.geographic else "unit"

    def to_user_distance(self, internal: float) -> float:
        """Internal distance units -> user units (km for geographic instances)."""
        return float(internal) / self.distance_scale

    def to_user_duration(self, internal: float) -> float:
        """Internal duration units -> user time units (s for geographic instances)."""
        return float(internal) / self.time_scale

    def solution(
        self,
        routes: Sequence[Sequence[int] | _core.Route],
        vehicle_types: Sequence[int] | None = None,
    ) -> _core.Solution:
        """Evaluate routes (lists of client indices 1..n, or ``Route`` objects) in C++."""
        core_routes: list[_core.Route] = []
        for r, route in enumerate(routes):
            if isinstance(route, _core.Route):
                core_routes.append(route)
            else:
                vt = 0 if vehicle_types is None else int(vehicle_types[r])
                core_routes.append(_core.Route([int(c) for c in route], vt))
        return _core.Solution(self.data, core_routes)

    def violations(self, solution: _core.Solution) -> list[str]:
        """``solution.violations`` in this instance's units (km, s, dimension names)."""
        return violations(Units.of(self), solution)

    def __repr__(self) -> str:
        kind = "geographic" if self.geographic else "planar"
        return (
            f"Instance(name={self.name!r}, clients={self.num_clients}, dims={self.data.num_dims}, "
            f"vehicle_types={len(self.data.vehicle_types)}, {kind}, distance={self.data.distance_kind})"
        )


def as_problem_data(instance: Instance | _core.ProblemData) -> _core.ProblemData:
    """The ProblemData behind an Instance (or the argument itself)."""
    if isinstance(instance, _core.ProblemData):
        return instance
    data = getattr(instance, "data", None)
    if isinstance(data, _core.ProblemData):
        return data
    raise InputError(
        f"instance: expected an Instance or ProblemData, got {type(instance).__name__}"
    )
