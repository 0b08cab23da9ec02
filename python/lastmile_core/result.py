"""Result of :func:`lastmile_core.solve`: what a user inspects, in the instance's units."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ._core import ProblemData, Solution
from .units import Units, violations


@dataclass
class Result:
    """Best solution found by the routing engine and how the search went.

    User-facing fields are in the instance's units (km and seconds for geographic instances):
    ``cost``, ``distance``, ``duration``, ``num_routes``, ``routes`` (client indices),
    ``violations`` (empty for a returned result) and :meth:`to_frame` (one row per route).
    ``solution`` is the engine's ``Solution`` in internal integer units; pass it on to
    :func:`lastmile_core.check`, :mod:`lastmile_core.metrics` or :mod:`lastmile_core.energy`.

    ``history`` lists ``(time_s, cost)`` each time the best feasible cost improved;
    ``interrupted`` is True when the search was stopped by Ctrl-C (the best solution so far is
    returned); ``feasible`` is always True for a returned result (no feasible solution raises
    :class:`lastmile_core.errors.InfeasibleError`); ``algorithm`` is "sisr" or "hgs".
    """

    solution: Solution
    cost: float
    runtime_s: float
    iterations: int
    history: list[tuple[float, float]] = field(default_factory=list)
    interrupted: bool = False
    feasible: bool = True
    algorithm: str = ""
    #: How to read the solution's integers (internal units when solved from a bare ProblemData).
    units: Units = field(default_factory=Units, repr=False)
    _data: ProblemData | None = field(default=None, repr=False, compare=False)

    @property
    def routes(self) -> list[list[int]]:
        """Client indices of each route (depot omitted)."""
        return [list(r.visits) for r in self.solution.routes]

    @property
    def num_routes(self) -> int:
        """Number of non-empty routes."""
        return int(self.solution.num_routes)

    @property
    def distance(self) -> float:
        """Total distance in user units (km for geographic instances)."""
        return self.units.distance(self.solution.distance)

    @property
    def duration(self) -> float:
        """Total duration (driving + service) in user time units (s for geographic instances)."""
        return self.units.duration(self.solution.duration)

    @property
    def violations(self) -> list[str]:
        """The solution's constraint violations in user units (empty when feasible)."""
        if self._data is None:
            return list(self.solution.violations)
        return violations(self.units, self.solution)

    def to_frame(self) -> pd.DataFrame:
        """One row per route of ``solution.routes`` (index ``route``, same numbering).

        Columns: ``vehicle_type`` (index), ``vehicle_name``, ``n_stops``, ``load_<dim>`` per
        demand dimension, ``distance_<unit>`` and ``duration_<unit>`` in user units
        (``distance_km`` / ``duration_s`` when geographic, ``distance_unit`` /
        ``duration_unit`` for planar coordinates; also named in ``frame.attrs["units"]``),
        ``service_<unit>`` (user time units, included in the duration),
        ``cost``, ``feasible`` (the route's capacity, duration, distance and battery limits);
        ``energy_kwh`` and ``min_charge_kwh`` when the fleet has a battery-electric type."""
        routes = list(self.solution.routes)
        types = list(self._data.vehicle_types) if self._data is not None else []
        dims = max((len(r.load) for r in routes), default=len(self.units.dim_names))
        names = list(self.units.dim_names)
        if len(names) != dims:
            names = [f"dim{d}" for d in range(dims)]
        bad = set()
        for v in self.violations:
            if v.startswith("route "):
                bad.add(int(v.split(":", 1)[0].split()[1]))
        cols: dict[str, list[object]] = {
            "vehicle_type": [int(r.vehicle_type) for r in routes],
            "vehicle_name": [
                types[r.vehicle_type].name if r.vehicle_type < len(types) else "" for r in routes
            ],
            "n_stops": [len(r.visits) for r in routes],
        }
        for d, name in enumerate(names):
            cols[f"load_{name}"] = [int(r.load[d]) for r in routes]
        dist, time = self.units.distance_unit or "unit", self.units.time_unit or "unit"
        cols[f"distance_{dist}"] = [self.units.distance(r.distance) for r in routes]
        cols[f"duration_{time}"] = [self.units.duration(r.duration) for r in routes]
        cols[f"service_{time}"] = [self.units.duration(r.service) for r in routes]
        cols["cost"] = [float(r.cost) for r in routes]
        if any(t.energy_vehicle is not None for t in types):
            cols["energy_kwh"] = [float(r.energy_kwh) for r in routes]
            cols["min_charge_kwh"] = [float(r.min_charge_kwh) for r in routes]
        cols["feasible"] = [i not in bad for i in range(len(routes))]
        frame = pd.DataFrame(cols, index=pd.RangeIndex(len(routes), name="route"))
        frame.attrs["units"] = {
            "distance": self.units.distance_unit or "distance unit",
            "duration": self.units.time_unit or "time unit",
        }
        return frame

    def __repr__(self) -> str:
        dist = self.units.format_distance(self.solution.distance)
        dur = self.units.format_duration(self.solution.duration)
        return (
            f"Result(cost={self.cost:.6g}, routes={self.num_routes}, distance={dist}, "
            f"duration={dur}, feasible={self.feasible}, iterations={self.iterations}, "
            f"runtime_s={self.runtime_s:.3f}, interrupted={self.interrupted})"
        )


__all__ = ["Result"]
