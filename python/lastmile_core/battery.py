"""Battery check of a solution, recomputed with the Python energy API.

:func:`battery_report` recomputes every route of a battery-electric vehicle type with
:func:`lastmile_core.energy.solution_energy` (the closed-form arc model evaluated from the
instance's distances, elevations, service times and payload column, not the routing engine's
segment data) using the type's own settings (``VehicleSpec.energy_vehicle``, ``battery_kwh``,
``reserve_kwh``, ``ambient_c``, ``payload_dim``, cruise speed and regen rule).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import energy
from .errors import InputError
from .instance import Instance


def battery_report(instance: Instance, solution: Any) -> Any:
    """Per-route energy of the routes driven by battery-electric vehicle types (pandas DataFrame).

    Columns: route (index in ``solution.routes``), vehicle_type, stops, distance_km, payload_kg,
    energy_kwh, min_charge_kwh (lowest charge along the route), battery_kwh, reserve_kwh and
    feasible (``min_charge_kwh >= reserve_kwh``). Routes of types without an energy model are
    not listed.
    """
    import pandas as pd

    if not isinstance(instance, Instance):
        raise InputError(f"instance: expected an Instance, got {type(instance).__name__}")
    routes = list(solution.routes if hasattr(solution, "routes") else solution)
    types = instance.data.vehicle_types
    frames = []
    for k, spec in enumerate(instance.vehicle_specs):
        if spec.energy_vehicle is None:
            continue
        idx = [i for i, r in enumerate(routes) if r.vehicle_type == k and len(r.visits)]
        if not idx:
            continue
        battery = float(types[k].battery_kwh)  # the C++ validation filled in the default
        params: dict[str, Any] = {**spec.energy_vehicle.to_dict(), "battery_usable_kwh": battery}
        vehicle = energy.Vehicle(**params)
        df = energy.solution_energy(
            instance,
            [routes[i] for i in idx],
            vehicle,
            payload_dim=spec.payload_dim,
            metres_per_unit=instance.metres_per_unit,
            ambient_c=spec.ambient_c,
            cruise_speed_mps=types[k].cruise_speed_mps,
            regen=spec.regen,
            reserve_kwh=float(spec.reserve_kwh),
        )
        min_charge = np.asarray(df.min_soc) * battery
        frames.append(
            pd.DataFrame(
                {
                    "route": idx,
                    "vehicle_type": k,
                    "stops": np.asarray(df.stops),
                    "distance_km": np.asarray(df.distance_km),
                    "payload_kg": np.asarray(df.payload_kg),
                    "energy_kwh": np.asarray(df.energy_kwh),
                    "min_charge_kwh": min_charge,
                    "battery_kwh": battery,
                    "reserve_kwh": float(spec.reserve_kwh),
                    "feasible": min_charge >= float(spec.reserve_kwh) - 1e-9,
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            columns=[
                "route",
                "vehicle_type",
                "stops",
                "distance_km",
                "payload_kg",
                "energy_kwh",
                "min_charge_kwh",
                "battery_kwh",
                "reserve_kwh",
                "feasible",
            ]
        )
    return pd.concat(frames, ignore_index=True).sort_values("route", ignore_index=True)


__all__ = ["battery_report"]
