"""Keyword arguments of ``_core.VehicleType`` for a battery-electric :class:`VehicleSpec`
(split from :mod:`lastmile_core.instance`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import _core
from .errors import InputError

if TYPE_CHECKING:
    from .instance import VehicleSpec


def energy_kwargs(
    k: int,
    spec: VehicleSpec,
    dim_names: tuple[str, ...],
    geographic: bool,
    distance_scale: float,
    time_scale: float,
    speed: float,
    metres_per_unit: float | None,
) -> dict[str, Any]:
    """Keyword arguments of ``_core.VehicleType`` for a battery-electric spec (empty if none).

    Only converts (the payload dimension's name to its index, the instance's units to metres and
    seconds per internal unit, the default cruise speed); the values themselves are validated
    once, in C++ (``cpp/energy/validate``), when the type is built (see
    :func:`lastmile_core.instance._core_vehicle_type`).
    """
    if spec.energy_vehicle is None:
        return {}  # battery_kwh > 0 without a model is refused by the C++ validation
    if not isinstance(spec.energy_vehicle, _core.EnergyVehicle):
        raise InputError(
            f"vehicle_types[{k}].energy_vehicle: expected an energy.Vehicle, got "
            f"{type(spec.energy_vehicle).__name__}"
        )
    pd = spec.payload_dim
    if isinstance(pd, str):
        if pd not in dim_names:
            raise InputError(
                f"vehicle_types[{k}].payload_dim: {pd!r} is not a demand dimension "
                f"({', '.join(dim_names)})"
            )
        dim = dim_names.index(pd)
    elif isinstance(pd, bool) or not isinstance(pd, int | np.integer):
        raise InputError(
            f"vehicle_types[{k}].payload_dim: expected a dimension name or an index in "
            f"[0, {len(dim_names)}), got {pd!r}"
        )
    else:
        dim = int(pd)  # range checked against the instance's dimensions in C++
    if geographic:
        m_per_internal = 1000.0 / distance_scale
    else:
        if metres_per_unit is None or not np.isfinite(metres_per_unit) or metres_per_unit <= 0:
            raise InputError(
                f"metres_per_unit: vehicle_types[{k}] has an energy_vehicle, so a planar "
                f"instance needs the length of one unit in metres (> 0), got {metres_per_unit!r}"
            )
        m_per_internal = float(metres_per_unit) / distance_scale
    cruise = spec.cruise_speed_mps
    if cruise is None:
        cruise = speed / 3.6 if geographic else 30.0 / 3.6
    return {
        "energy_vehicle": spec.energy_vehicle,
        "ambient_c": float(spec.ambient_c),
        "payload_dim": dim,
        "metres_per_distance_unit": m_per_internal,
        "seconds_per_duration_unit": 1.0 / time_scale,
        "cruise_speed_mps": float(cruise),
        "regen": spec.regen,
    }
