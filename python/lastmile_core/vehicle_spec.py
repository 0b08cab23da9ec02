"""A vehicle type in user units (:class:`VehicleSpec`), checked field by field when made;
:class:`lastmile_core.Instance` converts it to ``_core.VehicleType``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import _core
from . import validate as V
from .breaks import check_break_spec
from .depots import depot_index
from .errors import InputError

#: Largest internal integer value (capacities, scaled limits).
_MAX_INTERNAL = 2.0**62


@dataclass(frozen=True)
class VehicleSpec:
    """A vehicle type in user units (converted to ``_core.VehicleType`` by :class:`Instance`).

    ``capacity`` has one non-negative integer per demand dimension (a scalar for one
    dimension); a fractional capacity is refused like a fractional demand.
    ``cost_per_distance`` is per user distance unit (km for geographic instances),
    ``cost_per_duration`` per user time unit (s for geographic instances). ``max_duration``
    (shift, driving + service) and ``max_distance`` are in user units; None means no limit.
    ``num_available`` None means unlimited. ``earliest_start``/``latest_end``: the shift window
    (clock times in user time units or ``"HH:MM"``): routes leave the depot at or after the
    start and are back by the end. ``break_duration`` (user time units, 0: none) and
    ``break_window`` ((early, late) clock times or ``"HH:MM"``, None: anywhere in the shift): every
    non-empty route takes one driver break at a stop, placed by the solver, counted in the
    duration, shift and cost (:mod:`lastmile_core.breaks`).

    Battery-electric types: give ``energy_vehicle`` (an :class:`lastmile_core.energy.Vehicle`,
    e.g. ``energy.Vehicle.preset("small_van")``) and every route of the type keeps its charge
    above ``reserve_kwh`` at every point, with the load-dependent closed-form arc energy of
    :mod:`lastmile_core.energy` (the same model as :func:`lastmile_core.energy.solution_energy`).
    ``battery_kwh`` (usable energy at departure) defaults to the vehicle's
    ``battery_usable_kwh`` when 0. The payload on board (kg) is the demand of dimension
    ``payload_dim`` (a name from ``dim_names`` or an index) still to be delivered; arcs use the
    instance's distances (planar instances need ``Instance.from_arrays(metres_per_unit=...)``),
    elevations, service times as dwell (aux + HVAC), ``ambient_c`` (deg C),
    ``cruise_speed_mps`` (default: the instance speed for geographic instances, else 30 km/h)
    and the ``regen`` rule (default: the vehicle's).
    """

    capacity: Sequence[float] | float
    num_available: int | None = None
    fixed_cost: float = 0.0
    cost_per_distance: float = 1.0
    cost_per_duration: float = 0.0
    max_duration: float | None = None
    max_distance: float | None = None
    name: str = ""
    battery_kwh: float = 0.0
    reserve_kwh: float = 0.0
    energy_vehicle: _core.EnergyVehicle | None = None
    ambient_c: float = 20.0
    payload_dim: str | int = "weight_kg"
    cruise_speed_mps: float | None = None
    regen: str | None = None
    earliest_start: float | str | None = None  #: shift start (clock time), None: 0
    latest_end: float | str | None = None  #: shift end (clock time), None: no end
    start_depot: int = 0  #: depot the routes leave from (see :mod:`lastmile_core.depots`)
    end_depot: int = 0  #: depot the routes return to
    #: depots (indices as ``start_depot``) where routes may reload: a route is then one vehicle's
    #: day of several trips, a depot's node among its visits being a reload (capacity holds per
    #: trip; windows, shift and duration over the whole route)
    reload_depots: tuple[int, ...] = ()
    max_reloads: int | None = None  #: most reloads per route (None: unlimited)
    #: time of each reload visit (user time units); the trip after a reload leaves after the
    #: latest release of its clients
    reload_time: float = 0.0
    break_duration: float = 0.0  #: driver break per route (user time units; 0: none)
    break_window: tuple[float | str, float | str] | None = None  #: its start window (clock)

    def __post_init__(self) -> None:
        """Checks every field when the spec is made: InputError naming the field (nothing is
        rounded: a capacity of 7.9 is refused, not floored). Checks that need the instance
        (number of demand dimensions, payload dimension, units) happen in
        :meth:`Instance.from_arrays`."""
        f = "VehicleSpec."
        V.integer_vector(
            f + "capacity",
            self.capacity,
            maximum=int(_MAX_INTERNAL),
            fraction_hint="capacities are integers like demands: scale the dimension, e.g. "
            "litres or grams",
        )
        if self.num_available is not None:
            V.integer(f + "num_available", self.num_available, minimum=0)
        for name in ("fixed_cost", "cost_per_distance", "cost_per_duration"):
            V.real(f + name, getattr(self, name))
        V.optional_limit(f + "max_duration", self.max_duration)
        V.optional_limit(f + "max_distance", self.max_distance)
        V.instance_of(f + "name", self.name, str, "a string")
        depot_index(f + "start_depot", self.start_depot)
        depot_index(f + "end_depot", self.end_depot)
        if isinstance(self.reload_depots, str | bytes) or not isinstance(
            self.reload_depots, Sequence
        ):
            raise InputError(
                f"{f}reload_depots: expected a tuple of depot indices, got {self.reload_depots!r}"
            )
        for i, d in enumerate(self.reload_depots):
            depot_index(f"{f}reload_depots[{i}]", d)
        if self.max_reloads is not None:
            V.integer(f + "max_reloads", self.max_reloads, minimum=0)
        V.real(f + "reload_time", self.reload_time)
        check_break_spec(f, self.break_duration, self.break_window)
        # Energy fields: types here; their meaning is checked with the instance (energy model).
        V.real(f + "battery_kwh", self.battery_kwh)
        V.real(f + "reserve_kwh", self.reserve_kwh)
        V.real(f + "ambient_c", self.ambient_c, minimum=None)
        if self.energy_vehicle is not None:
            V.instance_of(
                f + "energy_vehicle", self.energy_vehicle, _core.EnergyVehicle, "an energy.Vehicle"
            )
        if isinstance(self.payload_dim, bool) or not isinstance(
            self.payload_dim, str | int | np.integer
        ):
            raise InputError(
                f"{f}payload_dim: expected a dimension name or index, got {self.payload_dim!r}"
            )
        if self.cruise_speed_mps is not None:
            V.real(f + "cruise_speed_mps", self.cruise_speed_mps)
        if self.regen is not None:
            V.instance_of(f + "regen", self.regen, str, "a string or None")
        if len(self.reload_depots) > 0 and (
            self.battery_kwh > 0 or self.energy_vehicle is not None
        ):
            raise InputError(
                f"{f}reload_depots: electric types (battery_kwh / energy_vehicle) cannot reload "
                "yet: the energy of a route of several trips is not modelled"
            )
        if len(self.reload_depots) > 0 and self.break_duration > 0:
            raise InputError(
                f"{f}reload_depots: types with a driver break (break_duration) cannot reload yet: "
                "breaks are placed on single-trip routes only"
            )


__all__ = ["VehicleSpec"]
