"""Energy plots: SoC along a route, energy per solved route, energy per km vs payload and
temperature.

matplotlib is imported lazily inside each function (install the ``plot`` extra).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .. import energy as E

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


def _axes(ax: Axes | None) -> Axes:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(7, 4))
    return ax


def plot_route_energy(
    tables: dict[float, Any], ax: Axes | None = None, *, battery_kwh: float | None = None
) -> Axes:
    """Energy of every solved route against its distance, one series per ambient temperature.

    ``tables``: ambient °C -> the :func:`lastmile_core.energy.solution_energy` table of the same
    routes. Routes that are not feasible (battery or payload) are drawn hollow; the usable battery,
    when given, is a dashed line. The legend sits outside the data."""
    ax = _axes(ax)
    for temp, t in sorted(tables.items()):
        ok = np.asarray(t["feasible"], dtype=bool)
        km = np.asarray(t["distance_km"], dtype=float)
        kwh = np.asarray(t["energy_kwh"], dtype=float)
        (line,) = ax.plot(km[ok], kwh[ok], "o", label=f"{temp:g} °C")
        if (~ok).any():
            ax.plot(km[~ok], kwh[~ok], "o", mfc="none", color=line.get_color(),
                    label=f"{temp:g} °C, infeasible")  # fmt: skip
    if battery_kwh is not None:
        ax.axhline(battery_kwh, color="red", ls="--", label="usable battery")
    ax.set_xlabel("route distance (km)")
    ax.set_ylabel("route energy (kWh)")
    ax.set_title("energy per solved route")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize="small")
    return ax


def plot_soc(route_result: E.RouteEnergy, ax: Axes | None = None, label: str | None = None) -> Axes:
    """State of charge at each stop vs cumulative distance, with the reserve as a dashed line."""
    ax = _axes(ax)
    km = np.concatenate(([0.0], np.cumsum(route_result.arc_distance_m) / 1e3))
    ax.plot(km, 100 * route_result.soc, marker="o", label=label or "SoC")
    if route_result.reserve_kwh > 0:
        reserve_pct = 100 * route_result.reserve_kwh / route_result.battery_usable_kwh
        ax.axhline(reserve_pct, color="red", ls="--", label="reserve")
    ax.set_xlabel("distance (km), one point per stop")
    ax.set_ylabel("state of charge (%)")
    ax.set_title(
        f"route energy {route_result.energy_kwh:.2f} kWh, min SoC {100 * route_result.min_soc:.1f} %"
        + ("" if route_result.feasible else " (infeasible)")
    )
    ax.legend()
    return ax


def plot_energy_per_km(
    vehicle: E.Vehicle,
    payloads_kg: Sequence[float],
    temperatures_c: Sequence[float],
    ax: Axes | None = None,
    *,
    arc_length_m: float = 800.0,
    dwell_s: float = 60.0,
    cruise_speed_mps: float = E.DEFAULT_CRUISE_SPEED_MPS,
    **arc_kwargs: Any,
) -> Axes:
    """Chemical Wh/km of a stop-and-go arc (length, dwell, speed) vs payload, one line per
    ambient temperature, from the closed-form per-arc model."""
    ax = _axes(ax)
    payloads = np.asarray(payloads_kg, dtype=np.float64)
    for temp in temperatures_c:
        a, b = E.arc_energy_coefficients(
            vehicle,
            [arc_length_m],
            0.0,
            dwell_s,
            ambient_c=float(temp),
            cruise_speed_mps=cruise_speed_mps,
            **arc_kwargs,
        )
        wh_per_km = 1e3 * (a[0] + b[0] * payloads) / (arc_length_m / 1e3)
        ax.plot(payloads, wh_per_km, marker="o", label=f"{temp:g} °C")
    ax.set_xlabel("payload (kg)")
    ax.set_ylabel("energy (Wh/km, battery)")
    ax.set_title(
        f"{vehicle.name or 'vehicle'}: {arc_length_m:.0f} m between stops, {dwell_s:.0f} s dwell"
    )
    ax.legend()
    return ax


__all__ = ["plot_route_energy", "plot_energy_per_km", "plot_soc"]
