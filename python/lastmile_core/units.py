"""The user units of an instance, and feasibility messages spoken in them.

The engine (``_core``) works in integer internal units (``round(distance_scale * d)``,
``round(time_scale * t)``) and its ``Solution.violations`` strings quote those integers. The
functions here rebuild each message from the structured numbers (route distance, duration and
load, the vehicle type's limits) in the instance's units: km and seconds for geographic
instances, the coordinates' units for planar ones.
"""

from __future__ import annotations

import re
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


def _limit(value: int | None) -> int | None:
    return None if value is None or value >= _core.UNLIMITED else value


_ROUTE_MSG = re.compile(r"^route (\d+): (load|duration|distance) ")
_DIM = re.compile(r"in dimension (\d+)")


def load_message(units: Units, r: int, d: int, load: int, capacity: int) -> str:
    return f"route {r}: load {load} exceeds capacity {capacity} in {units.dim_label(d)}"


def duration_message(units: Units, r: int, duration: int, limit: int) -> str:
    return (
        f"route {r}: duration {units.format_duration(duration)} exceeds max_duration "
        f"{units.format_duration(limit)}"
    )


def distance_message(units: Units, r: int, distance: int, limit: int) -> str:
    return (
        f"route {r}: distance {units.format_distance(distance)} exceeds max_distance "
        f"{units.format_distance(limit)}"
    )


def _route_messages(
    units: Units, data: _core.ProblemData, r: int, route: _core.Route
) -> dict[str, list[str]]:
    vt = data.vehicle_types[route.vehicle_type]
    out: dict[str, list[str]] = {"load": [], "duration": [], "distance": []}
    for d, (load, cap) in enumerate(zip(route.load, vt.capacity, strict=False)):
        if load > cap:
            out["load"].append(load_message(units, r, d, load, cap))
    max_dur, max_dist = _limit(vt.max_duration), _limit(vt.max_distance)
    if max_dur is not None and route.duration > max_dur:
        out["duration"].append(duration_message(units, r, route.duration, max_dur))
    if max_dist is not None and route.distance > max_dist:
        out["distance"].append(distance_message(units, r, route.distance, max_dist))
    return out


_TIME_MSG = re.compile(
    r"(reached at|closes at|time warp|released at|latest departure|depot at|shift ends at) (-?\d+)"
)


def time_window_message(units: Units, message: str) -> str:
    """A time-window violation of the engine (``route r: time window: ...``, clock times in
    internal units) with its times in user units."""
    return _TIME_MSG.sub(
        lambda m: f"{m.group(1)} {units.format_duration(int(m.group(2)))}", message
    )


def violations(units: Units, data: _core.ProblemData, solution: _core.Solution) -> list[str]:
    """``solution.violations`` in user units, in the same order: load, duration and distance
    messages are rebuilt from the route's numbers and its vehicle type's limits; the others
    (energy in kWh, fleet counts, missing or repeated clients) carry no internal unit and are
    kept, with the dimension names added."""
    routes = solution.routes
    rebuilt: dict[int, dict[str, list[str]]] = {}
    out: list[str] = []
    for v in solution.violations:
        m = _ROUTE_MSG.match(v)
        if m is None:
            out.append(time_window_message(units, v) if ": time window: " in v else v)
            continue
        r, kind = int(m.group(1)), m.group(2)
        if r not in rebuilt:
            rebuilt[r] = _route_messages(units, data, r, routes[r])
        if rebuilt[r][kind]:
            out.append(rebuilt[r][kind].pop(0))
        else:  # the engine and the numbers disagree: keep the engine's words
            out.append(v)
    return out


_EXAMPLE = re.compile(
    r"route (\d+): (duration|distance) (-?\d+) exceeds max_(?:duration|distance) (-?\d+)"
)


def translate_infeasible(units: Units, message: str) -> str:
    """An ``InfeasibleError`` message of the engine with its example violation in user units
    (durations and distances are quoted in internal integers by the engine)."""

    def repl(m: re.Match[str]) -> str:
        r, kind, value, limit = int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4))
        if kind == "duration":
            return duration_message(units, r, value, limit)
        return distance_message(units, r, value, limit)

    out = _EXAMPLE.sub(repl, message)
    if ": time window: " in out:
        out = time_window_message(units, out)
    return _DIM.sub(lambda m: "in " + units.dim_label(int(m.group(1))), out)


__all__ = ["Units", "translate_infeasible", "violations"]
