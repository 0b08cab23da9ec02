"""Delivery windows and a second wave for the synthetic station-day
(:func:`lastmile_core.examples.station`): which stops get a window, which are released later.

Drawn from their own random stream (``default_rng([seed, 10])``), so the stops themselves are
the same with or without windows, and the default station-day is unchanged. Clock times are
seconds since midnight (the station-day is geographic: its time unit is the second).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .timewindows import clock_seconds

#: Window starts are on this grid (s): a quarter of an hour.
WINDOW_GRID_S = 900.0


def _share(field: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InputError(f"{field}: expected a share in [0, 1], got {value!r}")
    return float(value)


def windows_and_waves(
    seed: int,
    n_stops: int,
    *,
    window_share: float,
    window_hours: float,
    wave_share: float,
    wave_release: float | str,
    station_hours: tuple[float | str, float | str],
) -> tuple[dict[str, npt.NDArray[np.float64]], dict[str, Any]]:
    """``time_window``/``release_time`` keyword arguments of :meth:`Instance.from_arrays` (empty
    when both shares are 0) and the metadata describing them.

    ``round(window_share * n_stops)`` stops get a window of ``window_hours`` starting on a
    quarter-hour grid inside ``station_hours`` (the depot's opening window); another
    ``round(wave_share * n_stops)`` stops (disjoint from the windowed ones, so a window never
    closes before its goods arrive) are released at ``wave_release``.
    """
    ws = _share("window_share", window_share)
    vs = _share("wave_share", wave_share)
    if ws == 0 and vs == 0:
        return {}, {}
    if ws + vs > 1:
        raise InputError(
            f"window_share + wave_share: windowed and second-wave stops are disjoint, so the "
            f"shares must add up to at most 1, got {ws:g} + {vs:g}"
        )
    if len(station_hours) != 2:
        raise InputError(f"station_hours: expected (open, close), got {station_hours!r}")
    open_s = clock_seconds("station_hours", station_hours[0])
    close_s = clock_seconds("station_hours", station_hours[1])
    if not (math.isfinite(open_s) and math.isfinite(close_s) and 0 <= open_s < close_s):
        raise InputError(f"station_hours: expected open < close, got {station_hours!r}")
    if (
        isinstance(window_hours, bool)
        or not isinstance(window_hours, int | float)
        or not 0 < window_hours * 3600.0 <= close_s - open_s
    ):
        raise InputError(
            f"window_hours: expected > 0 and at most the station's opening hours "
            f"({(close_s - open_s) / 3600:g} h), got {window_hours!r}"
        )
    width = float(window_hours) * 3600.0
    release_s = clock_seconds("wave_release", wave_release)
    if vs > 0 and not (math.isfinite(release_s) and open_s <= release_s < close_s):
        raise InputError(
            f"wave_release: expected a time inside station_hours {station_hours!r}, got "
            f"{wave_release!r}"
        )
    rng = np.random.default_rng([seed, 10])
    order = rng.permutation(n_stops)
    n_win = round(ws * n_stops)
    n_wave = round(vs * n_stops)
    win_stops, wave_stops = order[:n_win], order[n_win : n_win + n_wave]
    slots = int((close_s - open_s - width) // WINDOW_GRID_S)
    starts = open_s + WINDOW_GRID_S * rng.integers(0, slots + 1, size=n_win)

    tw = np.tile([open_s, close_s], (n_stops + 1, 1))
    tw[1 + win_stops, 0] = starts
    tw[1 + win_stops, 1] = starts + width
    # stops without a window: any time the station is open
    release = np.zeros(n_stops + 1)
    release[1 + wave_stops] = release_s
    meta: dict[str, Any] = {
        "station_hours": (open_s, close_s),
        "window_share": ws,
        "window_hours": float(window_hours),
        "windowed_stops": int(n_win),
        "wave_share": vs,
        "wave_release_s": release_s if vs > 0 else None,
        "wave_stops": int(n_wave),
    }
    kwargs: dict[str, npt.NDArray[np.float64]] = {"time_window": tw}
    if n_wave:
        kwargs["release_time"] = release
    return kwargs, meta


__all__ = ["WINDOW_GRID_S", "windows_and_waves"]
