"""Route energy models of the SPR model: the :data:`EnergyModel` signature, the default linear
model with its temperature factor, and an adapter for the EVs of :mod:`lastmile_core.energy`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .vans import VanType

#: An energy model: ``energy(van, linehaul_km, local_km, stops, payload_kg, temperature_c)``
#: returning kWh per route; arguments are numpy arrays (broadcast) and the result must be
#: non-decreasing in ``local_km``, ``stops`` and ``payload_kg``. Plug the EV model of
#: ``lastmile_core.energy`` in through this signature.
EnergyModel = Callable[..., np.ndarray]


def temperature_factor(temperature_c: Any) -> np.ndarray:
    """Multiplier on traction energy for cabin heating/cooling and battery losses.

    1 between 15 and 25 C, +1.5 %/C below 15 C and +1 %/C above 25 C (a representative
    piecewise-linear shape of published EV range-vs-temperature curves; override it by passing
    your own energy model).
    """
    t = np.asarray(temperature_c, dtype=float)
    return 1.0 + 0.015 * np.maximum(0.0, 15.0 - t) + 0.01 * np.maximum(0.0, t - 25.0)


def linear_energy_kwh(
    van: VanType,
    linehaul_km: Any,
    local_km: Any,
    stops: Any,
    payload_kg: Any,
    temperature_c: Any = 20.0,
) -> np.ndarray:
    """Default route energy (kWh): linear in distance, stops and payload-distance.

    ``E = f(T) * (kwh_per_km * (L + l) + kwh_per_stop * n + kwh_per_tonne_km * W/1000 * (L/2 + l/2))``
    with line-haul ``L`` (out loaded with the full payload ``W``, back empty: average W/2), local
    distance ``l`` with a payload falling linearly from ``W`` to 0 (average W/2) and ``f(T)`` from
    :func:`temperature_factor`.
    """
    lh = np.asarray(linehaul_km, dtype=float)
    lo = np.asarray(local_km, dtype=float)
    n = np.asarray(stops, dtype=float)
    w_t = np.asarray(payload_kg, dtype=float) / 1000.0
    base = (
        van.kwh_per_km * (lh + lo)
        + van.kwh_per_stop * n
        + van.kwh_per_tonne_km * w_t * (lh / 2.0 + lo / 2.0)
    )
    return np.asarray(temperature_factor(temperature_c) * base)


def vehicle_energy_model(
    vehicle: Any,
    *,
    dwell_s: float = 90.0,
    linehaul_speed_kmh: float = 50.0,
    local_speed_kmh: float = 30.0,
) -> EnergyModel:
    """Wrap an EV of ``lastmile_core.energy`` (``energy.Vehicle``) as an :data:`EnergyModel`.

    A CA route is driven as: one line-haul arc of ``L/2`` out with the full payload ``W``, ``n``
    local arcs of ``l/n`` (accelerate, cruise, brake, ``dwell_s`` at the stop) with the payload
    falling from ``W`` to 0 (average ``W/2``, exact because the per-arc energy of
    ``energy.arc_energy_coefficients`` is linear in payload) and one arc of ``L/2`` back empty.
    ``lastmile_core.energy`` is imported when the model is called (it loads the C++ core).
    """

    def model(
        van: VanType,
        linehaul_km: Any,
        local_km: Any,
        stops: Any,
        payload_kg: Any,
        temperature_c: Any = 20.0,
    ) -> np.ndarray:
        from .. import energy as _energy

        lh, lo, n, w = np.broadcast_arrays(
            np.asarray(linehaul_km, dtype=float),
            np.asarray(local_km, dtype=float),
            np.asarray(stops, dtype=float),
            np.asarray(payload_kg, dtype=float),
        )
        shape = lh.shape
        lh, lo, n, w = (x.ravel() for x in (lh, lo, n, w))
        ambient = float(np.mean(temperature_c))
        n_safe = np.maximum(n, 1.0)
        a_lh, b_lh = _energy.arc_energy_coefficients(
            vehicle,
            np.maximum(lh * 500.0, 1e-3),
            0.0,
            0.0,
            ambient_c=ambient,
            cruise_speed_mps=linehaul_speed_kmh / 3.6,
        )
        a_leg, b_leg = _energy.arc_energy_coefficients(
            vehicle,
            np.maximum(lo * 1000.0 / n_safe, 1e-3),
            0.0,
            dwell_s,
            ambient_c=ambient,
            cruise_speed_mps=local_speed_kmh / 3.6,
        )
        a_lh, b_lh, a_leg, b_leg = (
            np.broadcast_to(np.asarray(x, dtype=float), lh.shape)
            for x in (a_lh, b_lh, a_leg, b_leg)
        )
        e = 2.0 * a_lh + b_lh * w + n * (a_leg + b_leg * w / 2.0)
        return np.asarray(e, dtype=float).reshape(shape)

    return model


__all__ = ["EnergyModel", "linear_energy_kwh", "temperature_factor", "vehicle_energy_model"]
