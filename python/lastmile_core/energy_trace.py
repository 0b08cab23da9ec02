"""Drive traces: simulate a speed trace (C++), read one from CSV, and synthesize the
accelerate / cruise / brake / dwell trace that the closed-form route energy assumes.

Re-exported by :mod:`lastmile_core.energy` (use it from there).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from . import _core
from .errors import InputError

DEFAULT_CRUISE_SPEED_MPS = 30.0 / 3.6
DEFAULT_ACCEL_MPS2 = 1.0
DEFAULT_DECEL_MPS2 = 1.0

FloatArray = npt.NDArray[np.float64]


def _per_stop(x: npt.ArrayLike, n: int, name: str) -> FloatArray:
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 0:
        a = np.full(n, float(a))
    if a.ndim != 1 or len(a) not in (n, n + 1):
        raise InputError(
            f"{name}: expected a scalar or {n} (per stop) or {n + 1} values, got shape {a.shape}"
        )
    return a if len(a) == n + 1 else np.append(a, 0.0)


def simulate_trace(
    vehicle: _core.EnergyVehicle,
    time_s: npt.ArrayLike,
    speed_mps: npt.ArrayLike,
    grade: npt.ArrayLike | None = None,
    payload_kg: npt.ArrayLike = 0.0,
    ambient_c: float = 20.0,
    mode: str = "physics",
    regen: str | None = None,
    initial_soc: float = 1.0,
) -> _core.TraceResult:
    """Simulate a speed trace and return energies (kWh), the energy split and the SoC series.

    ``grade`` is rise/run per sample (None = flat); ``grade`` and ``payload_kg`` may be scalars
    or per-sample arrays (step i-1 -> i uses sample i). ``mode`` is ``"physics"`` or
    ``"fastsim"``; ``regen`` (one of :data:`REGEN_RULES`) defaults to ``"full"`` in fastsim mode
    and to the vehicle's rule in physics mode.
    """
    return _core.simulate_trace(
        vehicle, time_s, speed_mps, grade, payload_kg, ambient_c, mode, regen, initial_soc
    )


def read_cycle_csv(path: str | Path) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Read a ``time_s,speed_mps,grade`` CSV (one header line) into three float arrays."""
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    if data.shape[1] < 2:
        raise InputError(f"path: expected columns time_s,speed_mps[,grade] in {path}")
    grade = data[:, 2] if data.shape[1] > 2 else np.zeros(len(data))
    return data[:, 0].copy(), data[:, 1].copy(), np.ascontiguousarray(grade)


def stop_and_go_trace(
    distance_m: npt.ArrayLike,
    dwell_s: npt.ArrayLike = 0.0,
    payload_delivered_kg: npt.ArrayLike = 0.0,
    *,
    elevation_diff_m: npt.ArrayLike = 0.0,
    cruise_speed_mps: float = DEFAULT_CRUISE_SPEED_MPS,
    accel_mps2: float = DEFAULT_ACCEL_MPS2,
    decel_mps2: float = DEFAULT_DECEL_MPS2,
    extra_payload_kg: float = 0.0,
    dt_s: float = 1.0,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Synthesize the drive trace that :func:`route_energy` assumes for the same route.

    Each arc (n + 1 of them, as in :func:`route_energy`) accelerates from 0 to the cruise speed,
    cruises and brakes to 0, then the vehicle dwells. Samples every ``dt_s`` plus the profile's
    breakpoints, so trapezoidal integration reproduces each arc length exactly. Returns
    ``(time_s, speed_mps, grade, payload_kg)`` for :func:`simulate_trace`.
    """
    dist = np.atleast_1d(np.asarray(distance_m, dtype=np.float64))
    n = len(dist) - 1
    dwell = _per_stop(dwell_s, n, "dwell_s")
    deliv = _per_stop(payload_delivered_kg, n, "payload_delivered_kg")
    rise = np.broadcast_to(np.asarray(elevation_diff_m, dtype=np.float64), dist.shape)
    if dt_s <= 0 or accel_mps2 <= 0 or decel_mps2 <= 0 or cruise_speed_mps <= 0:
        raise InputError("dt_s: dt_s, accel_mps2, decel_mps2 and cruise_speed_mps must be > 0")
    times: list[float] = [0.0]
    speeds: list[float] = [0.0]
    grades: list[float] = [0.0]
    loads: list[float] = [extra_payload_kg + float(deliv.sum())]
    payload = loads[0]
    t0 = 0.0
    for j, length in enumerate(dist):
        v = cruise_speed_mps
        if v * v / (2 * accel_mps2) + v * v / (2 * decel_mps2) > length:
            v = float(np.sqrt(2 * length * accel_mps2 * decel_mps2 / (accel_mps2 + decel_mps2)))
        ta, tb = v / accel_mps2, v / decel_mps2
        tc = (
            max(0.0, (length - v * v / (2 * accel_mps2) - v * v / (2 * decel_mps2)) / v)
            if v > 0
            else 0.0
        )
        total = ta + tc + tb
        sin = float(np.clip(rise[j] / length, -0.99, 0.99)) if length > 0 else 0.0
        g = sin / np.sqrt(1 - sin * sin)
        grid = np.union1d(np.arange(dt_s, total, dt_s), [ta, ta + tc, total])
        grid = grid[np.concatenate(([True], np.diff(grid) > 1e-6)) & (grid > 1e-6)]
        for t in grid:
            sp = min(v, accel_mps2 * t, decel_mps2 * (total - t)) if total > 0 else 0.0
            times.append(t0 + float(t))
            speeds.append(max(0.0, float(sp)))
            grades.append(g)
            loads.append(payload)
        t0 += total
        payload = max(0.0, payload - float(deliv[j]))
        if dwell[j] > 0:
            grid = np.union1d(np.arange(dt_s, dwell[j], dt_s), [dwell[j]])
            for t in grid:
                times.append(t0 + float(t))
                speeds.append(0.0)
                grades.append(0.0)
                loads.append(payload)
            t0 += float(dwell[j])
    return np.array(times), np.array(speeds), np.array(grades), np.array(loads)


__all__ = [
    "DEFAULT_ACCEL_MPS2",
    "DEFAULT_CRUISE_SPEED_MPS",
    "DEFAULT_DECEL_MPS2",
    "read_cycle_csv",
    "simulate_trace",
    "stop_and_go_trace",
]
