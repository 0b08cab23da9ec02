"""Driver breaks of a vehicle type (``VehicleSpec.break_duration`` / ``break_window``).

Every non-empty route of a type with ``break_duration > 0`` takes exactly one break of that
duration, starting inside ``break_window = (early, late)`` (clock times in user time units or
``"HH:MM"``; None: anywhere in the shift). The break is taken at a stop, as VROOM places a break
between two steps: at the start depot before leaving, after a client's service (or a reload)
before driving on, or at the end depot on arrival (the route then ends when the break ends).
Waiting before a client's window opens absorbs a break taken just before the drive to it. The
break counts in the route's duration, the shift (``latest_end``, ``max_duration``) and the cost
per duration. A route that could be over before the window opens still takes it: it leaves
later, or waits at a stop. The solver places the break where it adds the least time warp, then
the least duration; results report the position (``Route.break_after``: node position the
break follows, 0 = start depot, ``len(visits) + 1`` = end depot) and start
(``Route.break_start``). A break that cannot start inside its window is a ``break`` violation.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from . import validate as V
from .errors import InputError
from .timewindows import clock_seconds


def check_break_spec(prefix: str, duration: Any, window: Any) -> None:
    """Type checks of the spec fields (InputError naming ``prefix + field``)."""
    V.real(prefix + "break_duration", duration)
    if window is None:
        return
    if isinstance(window, str | bytes) or not isinstance(window, Sequence) or len(window) != 2:
        raise InputError(
            f"{prefix}break_window: expected (early, late) clock times or None, got {window!r}"
        )
    if float(duration) <= 0:
        raise InputError(f"{prefix}break_window: given without a break_duration > 0")
    early, late = _window(prefix, window)
    if early > late:
        raise InputError(f"{prefix}break_window: opens at {early:g} after it closes at {late:g}")


def _window(prefix: str, window: Sequence[Any]) -> tuple[float, float]:
    early = clock_seconds(prefix + "break_window", window[0])
    late = clock_seconds(prefix + "break_window", window[1])
    if not math.isfinite(early) or early < 0 or math.isnan(late) or late < 0:
        raise InputError(
            f"{prefix}break_window: times must be >= 0 (early finite), got {tuple(window)!r}"
        )
    return early, late


def break_kwargs(k: int, spec: Any, time_scale: float) -> dict[str, int | None]:
    """Keyword arguments ``break_duration``/``break_early``/``break_late`` of
    ``_core.VehicleType`` (internal units) for the VehicleSpec ``spec`` of type k: the window
    must allow a break inside the type's shift (InputError naming ``break_window``)."""
    f = f"vehicle_types[{k}]."
    duration, window = spec.break_duration, spec.break_window
    check_break_spec(f, duration, window)
    d = float(duration)
    if d <= 0:
        return {"break_duration": 0, "break_early": 0, "break_late": None}
    early, late = (0.0, math.inf) if window is None else _window(f, window)
    start = 0.0 if spec.earliest_start is None else clock_seconds("", spec.earliest_start)
    end = math.inf if spec.latest_end is None else clock_seconds("", spec.latest_end)
    opens = max(early, start)
    if opens > late:
        raise InputError(
            f"{f}break_window: closes at {late:g} before the shift starts at {start:g}"
        )
    if opens + d > end:
        raise InputError(
            f"{f}break_window: a break of {d:g} starting at {opens:g} or later does not end "
            f"before the shift ends at {end:g}"
        )
    return {
        "break_duration": round(d * time_scale),
        "break_early": round(early * time_scale),
        "break_late": None if math.isinf(late) else round(late * time_scale),
    }


__all__ = ["break_kwargs", "check_break_spec"]
