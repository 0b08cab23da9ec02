"""Overnight charging of a station's EVs: energy per night, chargers needed and the site's peak
power with smart charging (each EV's energy spread evenly over the charging window) against the
unmanaged peak (every EV plugged in at the start of the window at full power).

Smart charging at constant power ``e_i / W`` per EV is the lowest possible constant site load
for a window of ``W`` hours (the load never drops below the average ``sum_i e_i / W`` that any
schedule must reach), so ``peak_kw = night_kwh / W`` when every EV can charge at that rate.
With ``k = evs_per_charger`` EVs sharing a charger one after the other, the window has ``k``
session slots of ``W / k`` hours; EVs are put in slots largest energy first, each to the slot
with the least energy so far (the load is flat at ``night_kwh / W`` when the slots balance).
:func:`smart_profile` gives the schedule in time steps so the peak can be checked against the
site limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import InfeasibleError, InputError


@dataclass(frozen=True)
class ChargerType:
    """A charger model: power ``kw`` per charge point and installed ``cost`` per charge point."""

    name: str
    kw: float = 11.0
    cost: float = 2500.0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"name: charger type needs a non-empty name, got {self.name!r}")
        if not (math.isfinite(float(self.kw)) and self.kw > 0):
            raise InputError(f"kw: charger {self.name!r} must be > 0, got {self.kw!r}")
        if not (math.isfinite(float(self.cost)) and self.cost >= 0):
            raise InputError(f"cost: charger {self.name!r} must be >= 0, got {self.cost!r}")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ChargerType:
        unknown = sorted(set(d) - set(cls.__dataclass_fields__))
        if unknown:
            raise InputError(f"{unknown[0]}: unknown charger type field")
        if "name" not in d:
            raise InputError("name: charger type needs a name")
        return cls(**dict(d))


@dataclass(frozen=True)
class ChargingNeed:
    """Charging of one station-night (see :func:`charging_need`)."""

    night_kwh: float  #: grid energy of the night
    chargers: int  #: charge points needed
    session_kw: float  #: power of one EV's session with smart charging
    peak_kw: float  #: site peak with smart charging (base load included)
    unmanaged_peak_kw: float  #: site peak when all plug in at full power (base load included)


def _check(v: float, field: str, *, strict: bool = False) -> float:
    fv = float(v)
    if not math.isfinite(fv) or fv < 0 or (strict and fv == 0):
        raise InputError(f"{field}: must be {'>' if strict else '>='} 0, got {v!r}")
    return fv


def _slots(grid_kwh: npt.NDArray[np.float64], k: int) -> npt.NDArray[np.int64]:
    """Session slot (0..k-1) of each EV: largest energy first, to the least-loaded slot."""
    slot = np.zeros(len(grid_kwh), dtype=np.int64)
    load = np.zeros(k)
    for i in np.argsort(-grid_kwh, kind="stable"):
        j = int(np.argmin(load))
        slot[i] = j
        load[j] += grid_kwh[i]
    return slot


def charging_need(
    battery_kwh_per_ev: npt.ArrayLike,
    window_h: float,
    charger_kw: float,
    *,
    ev_charge_kw: float = math.inf,
    charge_efficiency: float = 1.0,
    evs_per_charger: int = 1,
    base_kw: float = 0.0,
) -> ChargingNeed:
    """Chargers and peak power to put back ``battery_kwh_per_ev`` (one value per EV, the energy
    drawn from its battery by the day's route) within ``window_h`` hours.

    Grid energy is battery energy / ``charge_efficiency``. Chargers of ``charger_kw`` are shared
    by ``evs_per_charger`` EVs in sequence. Raises InfeasibleError naming ``window_h`` when a
    session needs more power than ``min(charger_kw, ev_charge_kw)``.
    """
    e = np.atleast_1d(np.asarray(battery_kwh_per_ev, dtype=np.float64))
    if e.ndim != 1 or not np.all(np.isfinite(e)) or np.any(e < 0):
        raise InputError("battery_kwh_per_ev: expected finite values >= 0 (one per EV)")
    w = _check(window_h, "window_h", strict=True)
    ckw = _check(charger_kw, "charger_kw", strict=True)
    _check(ev_charge_kw, "ev_charge_kw", strict=True) if math.isfinite(ev_charge_kw) else None
    eff = float(charge_efficiency)
    if not (0.0 < eff <= 1.0):
        raise InputError(f"charge_efficiency: must be in (0, 1], got {charge_efficiency!r}")
    if int(evs_per_charger) != evs_per_charger or evs_per_charger < 1:
        raise InputError(f"evs_per_charger: must be an integer >= 1, got {evs_per_charger!r}")
    base = _check(base_kw, "base_kw")
    grid = e / eff
    session_h = w / int(evs_per_charger)
    session_kw = float(grid.max(initial=0.0)) / session_h
    limit = min(ckw, float(ev_charge_kw))
    if session_kw > limit + 1e-9:
        raise InfeasibleError(
            f"window_h: {grid.max():.1f} kWh in a {session_h:g} h session needs "
            f"{session_kw:.1f} kW > {limit:g} kW"
        )
    n = len(e)
    chargers = math.ceil(n / int(evs_per_charger))
    night = float(grid.sum())
    slot_kwh = np.bincount(_slots(grid, int(evs_per_charger)), weights=grid, minlength=1)
    return ChargingNeed(
        night_kwh=night,
        chargers=chargers,
        session_kw=session_kw,
        peak_kw=base + float(slot_kwh.max(initial=0.0)) / session_h,
        unmanaged_peak_kw=base + min(chargers, n) * limit,
    )


def smart_profile(
    battery_kwh_per_ev: npt.ArrayLike,
    window_h: float,
    *,
    step_h: float = 0.25,
    charge_efficiency: float = 1.0,
    evs_per_charger: int = 1,
) -> npt.NDArray[np.float64]:
    """Site load (kW) in steps of ``step_h`` over the window with smart charging: each EV charges
    at constant power over its session slot (slots as in :func:`charging_need`); its maximum is
    :attr:`ChargingNeed.peak_kw` without the base load."""
    e = np.atleast_1d(np.asarray(battery_kwh_per_ev, dtype=np.float64))
    if e.ndim != 1 or not np.all(np.isfinite(e)) or np.any(e < 0):
        raise InputError("battery_kwh_per_ev: expected finite values >= 0 (one per EV)")
    w = _check(window_h, "window_h", strict=True)
    st = _check(step_h, "step_h", strict=True)
    k = int(evs_per_charger)
    if k != evs_per_charger or k < 1:
        raise InputError(f"evs_per_charger: must be an integer >= 1, got {evs_per_charger!r}")
    eff = float(charge_efficiency)
    if not (0.0 < eff <= 1.0):
        raise InputError(f"charge_efficiency: must be in (0, 1], got {charge_efficiency!r}")
    n_steps = max(1, math.ceil(w / st - 1e-9))
    edges = np.minimum(np.arange(n_steps + 1) * st, w)
    load = np.zeros(n_steps)
    session_h = w / k
    grid = e / eff
    slot = _slots(grid, k)
    for i, ei in enumerate(grid):
        start = float(slot[i]) * session_h
        end = start + session_h
        overlap = np.clip(np.minimum(edges[1:], end) - np.maximum(edges[:-1], start), 0.0, None)
        load += ei / session_h * overlap
    return np.asarray(load / np.diff(edges), dtype=np.float64)


__all__ = ["ChargerType", "ChargingNeed", "charging_need", "smart_profile"]
