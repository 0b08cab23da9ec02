"""The user units of an instance, and feasibility messages spoken in them.

The engine (``_core``) works in integer internal units (``round(distance_scale * d)``,
``round(time_scale * t)``) and its ``Solution.violations`` strings quote those integers. Each
violation also comes as data (``Solution.details``, ``InfeasibleError.details``: kind, route,
vehicle type, client, dimension, measured value and limit); the functions here rebuild the
messages from those numbers in the instance's units: km and seconds for geographic instances,
the coordinates' units for planar ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import _core


@dataclass(frozen=True)
class Units:
    """How to read internal integers in user units.

    ``distance_scale``/``time_scale``: internal units per user distance/time unit;
    ``distance_unit``/``time_unit``: their labels ("km"/"s" for geographic instances, "" when
    the unit has no name); ``dim_names``: one name per demand dimension (may be empty)."""

    distance_scale: float = 1.0
    time_scale: float = 1.0
    distance_unit: str = ""
    time_unit: str = ""
    dim_names: tuple[str, ...] = ()

    @classmethod
    def of(cls, instance: Any) -> Units:
        """The units of an :class:`~lastmile_core.Instance`; a bare ``ProblemData`` (no user
        units known) reads as internal units."""
        if isinstance(instance, _core.ProblemData):
            return cls()
        geographic = bool(getattr(instance, "geographic", False))
        return cls(
            distance_scale=float(getattr(instance, "distance_scale", 1.0)),
            time_scale=float(getattr(instance, "time_scale", 1.0)),
            distance_unit="km" if geographic else "",
            time_unit="s" if geographic else "",
            dim_names=tuple(str(n) for n in getattr(instance, "dim_names", ())),
        )

    def distance(self, internal: float) -> float:
        """Internal distance -> user distance units."""
        return float(internal) / self.distance_scale

    def duration(self, internal: float) -> float:
        """Internal duration -> user time units."""
        return float(internal) / self.time_scale

    def dim_label(self, d: int) -> str:
        """``"dimension 1 (volume_l)"``, or ``"dimension 1"`` without names."""
        if 0 <= d < len(self.dim_names):
            return f"dimension {d} ({self.dim_names[d]})"
        return f"dimension {d}"

    def format_distance(self, internal: float) -> str:
        """A distance in user units: ``"12.35 km"``, or ``"123.5"`` for planar units."""
        v = self.distance(internal)
        if self.distance_unit:
            return f"{v:,.2f} {self.distance_unit}"
        return f"{v:.6g}"

    def format_duration(self, internal: float) -> str:
        """A duration in user units: ``"7.49 h (26,977 s)"`` or ``"12.5 min (750 s)"`` when the
        time unit is the second; ``"269.8"`` for unnamed (planar) time units."""
        v = self.duration(internal)
        if self.time_unit == "s":
            if abs(v) >= 3600:
                return f"{v / 3600:.2f} h ({v:,.0f} s)"
            if abs(v) >= 60:
                return f"{v / 60:.1f} min ({v:,.0f} s)"
            return f"{v:,.3g} s"
        if self.time_unit:
            return f"{v:.6g} {self.time_unit}"
        return f"{v:.6g}"


def load_message(units: Units, r: int, d: int, load: int, capacity: int) -> str:
    return f"route {r}: load {load} exceeds capacity {capacity} in {units.dim_label(d)}"


def duration_message(units: Units, r: int, duration: float, limit: float) -> str:
    return (
        f"route {r}: duration {units.format_duration(duration)} exceeds max_duration "
        f"{units.format_duration(limit)}"
    )


def distance_message(units: Units, r: int, distance: float, limit: float) -> str:
    return (
        f"route {r}: distance {units.format_distance(distance)} exceeds max_distance "
        f"{units.format_distance(limit)}"
    )


def _count(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


#: Violation kinds about clock times (internal time units in ``value`` / ``limit``).
_TIME_KINDS = ("time_window", "release", "shift_end")


def violation_message(units: Units, v: _core.Violation) -> str:
    """The message of one engine violation (``_core.Violation``) in user units: load, pickup
    load, duration, distance, fleet-capacity, time-window (late client, release, depot/shift
    end) and driver-break messages are rebuilt from its numbers (``value``, ``limit``, internal units); the others
    (energy in kWh, fleet counts, missing or repeated clients) carry no internal unit and keep the
    engine's words."""
    if v.kind == "capacity" and v.route is not None and v.dimension is not None:
        return load_message(units, v.route, v.dimension, int(v.value), int(v.limit))
    if v.kind == "pickup_load" and v.route is not None and v.dimension is not None:
        return (
            f"route {v.route}: load {_count(v.value)} after the pickup at client {v.client} "
            f"exceeds capacity {_count(v.limit)} in {units.dim_label(v.dimension)}"
        )
    if v.kind == "duration" and v.route is not None:
        return duration_message(units, v.route, v.value, v.limit)
    if v.kind == "distance" and v.route is not None:
        return distance_message(units, v.route, v.value, v.limit)
    if v.kind == "fleet_capacity" and v.dimension is not None:
        return (
            f"fleet size: total {'pickup' if 'total pickup' in v.message else 'demand'} "
            f"{_count(v.value)} in {units.dim_label(v.dimension)} "
            f"exceeds the capacity {_count(v.limit)} of all available vehicles (capacity)"
        )
    if v.kind in _TIME_KINDS and v.route is not None:
        at, limit = units.format_duration(v.value), units.format_duration(v.limit)
        head = f"route {v.route}: time window: "
        if v.kind == "time_window" and v.client is None:  # a reload at a closed depot
            where = v.message.split("time window: ", 1)[-1].split(" reached at", 1)[0]
            return f"{head}{where} reached at {at} after it closes at {limit}"
        if v.kind == "time_window":
            return f"{head}client {v.client} is reached at {at} after its window closes at {limit}"
        if v.kind == "release":
            return f"{head}client {v.client} is released at {at} after the latest departure {limit}"
        return f"{head}the route returns to the depot at {at} after it closes / the shift ends at {limit}"
    if v.kind == "break" and v.route is not None:  # driver breaks (lastmile_core.breaks)
        at, limit = units.format_duration(v.value), units.format_duration(v.limit)
        return (
            f"route {v.route}: break: the break can start at {at} at the earliest, after its "
            f"window closes at {limit}"
        )
    return v.message


def violations(units: Units, solution: _core.Solution) -> list[str]:
    """``solution.violations`` in user units, in the same order (from ``solution.details``)."""
    return [violation_message(units, v) for v in solution.details]


def translate_infeasible(
    units: Units, message: str, details: tuple[_core.Violation, ...] | list[_core.Violation]
) -> str:
    """An ``InfeasibleError`` message of the engine in user units: the engine quotes each of its
    ``details`` by its message (internal units), replaced here by :func:`violation_message`."""
    for v in details:
        if v.message and v.message in message:
            message = message.replace(v.message, violation_message(units, v))
    return message


__all__ = ["Units", "translate_infeasible", "violation_message", "violations"]
