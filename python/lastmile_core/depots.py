"""Several depots (multi-depot instances) for :meth:`lastmile_core.Instance.from_arrays`.

Depot 0 is row 0 of ``coords`` as always. ``depots`` adds depots 1..D-1 (coordinates in user
units, shape (D-1, 2)), each with an optional opening window (``depot_time_window``, shape
(D-1, 2), clock times in user time units or ``"HH:MM"``; an infinite end: no closing time).
Internally the extra depots are the nodes n+1..n+D-1 after the n clients (so client indices do
not change); a vehicle type leaves from ``VehicleSpec.start_depot`` and returns to
``VehicleSpec.end_depot`` (depot indices, default 0). Explicit matrices, elevations, zones and
node ids then cover all n + D nodes in that order: depot 0, the clients, depots 1..D-1.

``depot_loading_time`` (one value, or one per depot 0..D-1, user time units): the time a vehicle
spends loading at a depot before every trip leaves it, at the start of its route (the route
starts with it, inside the depot's window and the shift; a release time of a first-trip client
bounds the start of the loading) and after each reload there (after the type's ``reload_time``;
the loading starts at or after the latest release of the next trip's clients). It counts in
the route duration like a service time. Omitted or all 0: no loading time (results unchanged).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .timewindows import clock_seconds


def depot_index(field: str, value: Any) -> int:
    """A depot index (an integer >= 0); whether the depot exists is checked with the instance."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < 0:
        raise InputError(f"{field}: expected a depot index (an integer >= 0), got {value!r}")
    return int(value)


def append_depots(
    xy: np.ndarray,
    demand: Any,
    service_time: Any,
    time_window: Any,
    release_time: Any,
    depots: npt.ArrayLike | None,
    depot_time_window: npt.ArrayLike | None,
) -> tuple[np.ndarray, Any, Any, Any, Any, int]:
    """The node arrays with depots 1..D-1 appended after the clients, and D. Demand, service and
    release of the extra depots are 0; their windows come from ``depot_time_window``. The
    per-node inputs are checked for the n given nodes first (messages count the n nodes)."""
    if depots is None:
        if depot_time_window is not None:
            raise InputError("depot_time_window: given without depots")
        return xy, demand, service_time, time_window, release_time, 1
    try:
        extra = np.asarray(depots, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("depots: cannot be read as (x, y) coordinates") from None
    if extra.ndim != 2 or extra.shape[1] != 2 or extra.shape[0] < 1:
        raise InputError(f"depots: expected shape (D - 1, 2) with D - 1 >= 1, got {extra.shape}")
    if not np.all(np.isfinite(extra)):
        raise InputError("depots: coordinates must be finite")
    n, m = xy.shape[0], extra.shape[0]
    dem = np.asarray(demand)
    if dem.ndim not in (1, 2) or dem.shape[0] != n:
        raise InputError(f"demand: expected {n} rows (one per node), got shape {dem.shape}")
    dem = np.concatenate([dem, np.zeros((m, *dem.shape[1:]), dtype=dem.dtype)])
    svc = None
    if service_time is not None:
        s = np.asarray(service_time)
        if s.shape != (n,):
            raise InputError(f"service_time: expected {n} values, got shape {s.shape}")
        svc = np.concatenate([s, np.zeros(m, dtype=s.dtype)])
    rel = None
    if release_time is not None:
        r = np.asarray(release_time, dtype=object)
        if r.shape != (n,):
            raise InputError(f"release_time: expected shape ({n},), got {r.shape}")
        rel = np.concatenate([r, np.zeros(m, dtype=object)])
    tw = None
    if time_window is not None or depot_time_window is not None:
        base = (
            np.array([[0, np.inf]] * n, dtype=object)
            if time_window is None
            else np.asarray(time_window, dtype=object)
        )
        if base.shape != (n, 2):
            raise InputError(f"time_window: expected shape ({n}, 2), got {base.shape}")
        dtw = (
            np.array([[0, np.inf]] * m, dtype=object)
            if depot_time_window is None
            else np.asarray(depot_time_window, dtype=object)
        )
        if dtw.shape != (m, 2):
            raise InputError(f"depot_time_window: expected shape ({m}, 2), got {dtw.shape}")
        for d in range(m):  # named by depot here (the instance's checks count nodes)
            f = f"depot_time_window: depot {d + 1}"
            e = clock_seconds(f, dtw[d, 0])
            late = clock_seconds(f, dtw[d, 1])
            if not (np.isfinite(e) and e >= 0) or np.isnan(late) or late < 0:
                raise InputError(f"{f} has a negative or non-finite time ({e!r}, {late!r})")
            if e > late:
                raise InputError(f"{f} opens at {e:g} after it closes at {late:g} (early > late)")
        tw = np.concatenate([base, dtw])
    return np.concatenate([xy, extra]), dem, svc, tw, rel, m + 1


def pad_depot_rows(name: str, values: Any, num_nodes: int, num_depots: int) -> Any:
    """A per-node input given for the n nodes the caller passed (depot 0 and the clients),
    with zero rows for depots 1..D-1 appended after them (as :func:`append_depots` does for
    demand); inputs with other row counts pass through unchanged for their own validation."""
    if values is None or num_depots <= 1:
        return values
    arr = np.asarray(values)
    extra = num_depots - 1
    if arr.ndim not in (1, 2) or arr.shape[0] != num_nodes - extra:
        return values
    return np.concatenate([arr, np.zeros((extra, *arr.shape[1:]), dtype=arr.dtype)])


def depot_loading(value: Any, num_depots: int) -> np.ndarray | None:
    """``depot_loading_time`` as one float per depot (user time units), None when omitted.
    InputError naming the field (and the depot) for a wrong count, NaN, inf or a negative."""
    if value is None:
        return None
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("depot_loading_time: expected numbers (user time units)") from None
    if arr.ndim == 0:
        arr = np.full(num_depots, float(arr))
    if arr.shape != (num_depots,):
        raise InputError(
            f"depot_loading_time: expected one value or {num_depots} (one per depot), "
            f"got shape {arr.shape}"
        )
    for d, x in enumerate(arr):
        if not (np.isfinite(x) and x >= 0):
            raise InputError(
                f"depot_loading_time: depot {d} has {x!r}; expected a finite time >= 0"
            )
    return arr


__all__ = ["append_depots", "depot_index", "depot_loading", "pad_depot_rows"]
