"""Pickups (returns) at the user boundary.

``pickup`` has the shape of ``demand``: (n,) or (n, dims) non-negative integers, the goods each
client hands to the vehicle (returns, empties) per capacity dimension; row 0 (the depot) is
ignored. A vehicle leaves the depot with every delivery of its route on board; the load falls
with each delivery and rises with each pickup, and the capacity must hold at every point of the
route (not only for the delivery total). Without ``pickup`` (or all zeros) nothing changes.

Every value is checked here (InputError naming the field and the client): NaN, negative or
fractional amounts, and a client whose pickup (together with its delivery) fits no vehicle type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from .errors import InputError

#: Largest integer accepted for a pickup (the C++ core bounds route sums further).
_MAX_INTERNAL = 2.0**62


def _at(i: int, d: int, dims: int, dim_names: Sequence[str]) -> str:
    where = "depot" if i == 0 else f"client {i}"
    return where if dims == 1 else f"{where}, dimension {dim_names[d]!r}"


def pickup_array(
    pickup: npt.ArrayLike | None,
    demand: npt.NDArray[np.int64],
    vehicle_types: Sequence[_core.VehicleType],
    dim_names: Sequence[str],
) -> dict[str, Any]:
    """Keyword arguments (``pickup=`` int64 (n, dims), or none) of ``_core.ProblemData``.

    ``demand`` is the checked (n, dims) delivery array; a client must fit, delivery and pickup
    at once, in some vehicle type that has vehicles."""
    if pickup is None:
        return {}
    n, dims = demand.shape
    try:
        arr = np.asarray(pickup, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"pickup: cannot be read as numbers ({exc})") from None
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape != (n, dims):
        raise InputError(
            f"pickup: expected the shape of demand ({n},) or ({n}, {dims}), got {np.shape(pickup)}"
        )
    bad = np.argwhere(~np.isfinite(arr))
    if bad.size:
        i, d = (int(b) for b in bad[0])
        raise InputError(
            f"pickup: {_at(i, d, dims, dim_names)}: {float(arr[i, d])!r} is not finite"
        )
    arr = arr.copy()
    arr[0, :] = 0.0  # the depot picks nothing up
    for test, what in (
        (arr < 0, "is negative"),
        (arr > _MAX_INTERNAL, "is too large for the internal integer units"),
        (arr != np.rint(arr), "is not an integer (scale it, e.g. litres or grams)"),
    ):
        bad = np.argwhere(test)
        if bad.size:
            i, d = (int(b) for b in bad[0])
            raise InputError(f"pickup: {_at(i, d, dims, dim_names)}: {float(arr[i, d])!r} {what}")
    out = arr.astype(np.int64)
    if not np.any(out):
        return {}
    capacities = [list(t.capacity) for t in vehicle_types if t.num_available != 0]
    caps = np.asarray(capacities, dtype=np.float64).reshape(-1, dims)
    for i in range(1, n):
        fits = np.all((caps >= out[i]) & (caps >= demand[i]), axis=1)
        if caps.shape[0] and not np.any(fits):
            over = out[i] > caps.max(axis=0)
            d = int(np.argmax(over)) if np.any(over) else 0
            raise InputError(
                f"pickup: {_at(i, d, dims, dim_names)} picks up {int(out[i, d])}, "
                f"more than any vehicle type carries (largest capacity {int(caps[:, d].max())})"
            )
    return {"pickup": out}
