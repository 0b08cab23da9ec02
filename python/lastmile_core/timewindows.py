"""Time windows, release times and shift windows at the user boundary.

Times are clock times in the instance's user time unit (seconds for geographic instances), given
as numbers or as ``"HH:MM"`` / ``"HH:MM:SS"`` strings (read as seconds since midnight, so only
meaningful when the time unit is the second). Row 0 of ``time_window`` is the depot's opening
window; rows 1..n are the clients' windows ``[early, late]`` (hard: service starts inside the
window, arriving early means waiting). ``release_time[i]`` is when client i's goods reach the
depot: the route serving it departs at or after it.

Every value is checked here (InputError naming the field and the node); the C++ core then checks
that every client can be served alone within its window (``time_window: client i cannot be
reached ...``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError

_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?\s*$")


def clock_seconds(field: str, value: Any) -> float:
    """A time as a float: numbers as they are, ``"HH:MM[:SS]"`` as seconds since midnight."""
    if isinstance(value, str):
        m = _CLOCK.match(value)
        if m is None:
            raise InputError(f"{field}: {value!r} is not a number or an 'HH:MM[:SS]' clock time")
        h, mi, s = int(m.group(1)), int(m.group(2)), float(m.group(3) or 0.0)
        if mi >= 60 or s >= 60:
            raise InputError(f"{field}: {value!r} is not a valid clock time")
        return h * 3600.0 + mi * 60.0 + s
    if isinstance(value, bool):
        raise InputError(f"{field}: expected a time, got {value!r}")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{field}: expected a time, got {value!r}") from None
    return v


def _node(i: int) -> str:
    return "depot" if i == 0 else f"client {i}"


def _times(field: str, values: Any, shape: tuple[int, ...]) -> npt.NDArray[np.float64]:
    arr = np.asarray(values, dtype=object)
    if arr.shape != shape:
        raise InputError(f"{field}: expected shape {shape}, got {arr.shape}")
    flat = [clock_seconds(field, v) for v in arr.ravel()]
    out = np.asarray(flat, dtype=np.float64).reshape(shape)
    for idx in np.argwhere(~np.isfinite(out) & ~np.isposinf(out)):
        raise InputError(f"{field}: {_node(int(idx[0]))} has a non-finite time {out[tuple(idx)]!r}")
    for idx in np.argwhere(out < 0):
        raise InputError(f"{field}: {_node(int(idx[0]))} has a negative time {out[tuple(idx)]!r}")
    return out


def _internal(
    field: str, arr: npt.NDArray[np.float64], scale: float, unlimited: int
) -> npt.NDArray[np.int64]:
    out = np.empty(arr.shape, dtype=np.int64)
    big = float(unlimited) / 4.0
    for i, v in enumerate(arr):
        if math.isinf(v):
            out[i] = unlimited
            continue
        s = round(v * scale)
        if s > big:
            raise InputError(f"{field}: {_node(i)} value {v!r} is too large for the internal units")
        out[i] = s
    return out


def time_arrays(
    n: int,
    time_window: npt.ArrayLike | None,
    release_time: npt.ArrayLike | None,
    time_scale: float,
    unlimited: int,
) -> dict[str, npt.NDArray[np.int64]]:
    """Keyword arguments ``tw_early``, ``tw_late``, ``release_time`` of ``_core.ProblemData`` in
    internal units (empty when neither is given). ``time_window`` has shape (n, 2), an infinite
    ``late`` meaning "no closing time"."""
    out: dict[str, npt.NDArray[np.int64]] = {}
    late_user: npt.NDArray[np.float64] | None = None
    if time_window is not None:
        tw = _times("time_window", time_window, (n, 2))
        if np.isinf(tw[:, 0]).any():
            i = int(np.flatnonzero(np.isinf(tw[:, 0]))[0])
            raise InputError(f"time_window: {_node(i)} has an infinite opening time")
        for i in range(n):
            if tw[i, 0] > tw[i, 1]:
                raise InputError(
                    f"time_window: {_node(i)} opens at {tw[i, 0]:g} after it closes at "
                    f"{tw[i, 1]:g} (early > late)"
                )
        out["tw_early"] = _internal("time_window", tw[:, 0], time_scale, unlimited)
        out["tw_late"] = _internal("time_window", tw[:, 1], time_scale, unlimited)
        late_user = tw[:, 1]
    if release_time is not None:
        rel = _times("release_time", release_time, (n,))
        if np.isinf(rel).any():
            i = int(np.flatnonzero(np.isinf(rel))[0])
            raise InputError(f"release_time: {_node(i)} is infinite")
        if late_user is not None:
            for i in range(1, n):
                if rel[i] > late_user[0]:
                    raise InputError(
                        f"release_time: client {i} is released at {rel[i]:g}, after the depot "
                        f"closes at {late_user[0]:g}"
                    )
        rel[0] = 0.0
        out["release_time"] = _internal("release_time", rel, time_scale, unlimited)
    return out


_INTERNAL_TIME = re.compile(
    r"(earliest arrival |window end |released at |shift ends \(|time warp |opens at |closes at )"
    r"(-?\d+)"
)


@contextmanager
def user_time_errors(time_scale: float) -> Iterator[None]:
    """Re-raises the core's time-window InputErrors (``time_window: ...``, ``release_time:
    ...``, internal integer times) with the times in user units."""
    try:
        yield
    except InputError as exc:
        msg = str(exc)
        if not msg.startswith(("time_window:", "release_time:")):
            raise

        def user(m: re.Match[str]) -> str:
            return f"{m.group(1)}{int(m.group(2)) / time_scale:g}"

        raise InputError(_INTERNAL_TIME.sub(user, msg)) from None


def shift_window(
    k: int, earliest_start: Any, latest_end: Any, time_scale: float
) -> dict[str, int | None]:
    """Keyword arguments ``earliest_start``/``latest_end`` of ``_core.VehicleType`` (internal
    units; None: no end)."""
    f = f"vehicle_types[{k}]."
    start = 0.0 if earliest_start is None else clock_seconds(f + "earliest_start", earliest_start)
    end = math.inf if latest_end is None else clock_seconds(f + "latest_end", latest_end)
    if not math.isfinite(start) or start < 0:
        raise InputError(f"{f}earliest_start: must be a finite time >= 0, got {earliest_start!r}")
    if math.isnan(end) or end < 0:
        raise InputError(f"{f}latest_end: must be a time >= 0 or None, got {latest_end!r}")
    if end < start:
        raise InputError(f"{f}latest_end: {end:g} is before earliest_start {start:g}")
    return {
        "earliest_start": round(start * time_scale),
        "latest_end": None if math.isinf(end) else round(end * time_scale),
    }


__all__ = ["clock_seconds", "shift_window", "time_arrays", "user_time_errors"]
