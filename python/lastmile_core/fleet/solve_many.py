"""Batch routing of many station-days on the fleet backends, for calibrating SPR across a network.

The engine's instances and solutions do not pickle, so a :class:`StationDay` says how its
instance is *built* where it is solved: a module-level builder with its arguments (e.g.
:func:`lastmile_core.examples.station`) or the path of a stop table
(:func:`lastmile_core.io.read_stops`). :func:`solve_many` runs one task per station-day on any
backend of :mod:`.backends` ("serial", "local" process pool, "dask" cluster): build, route with
:func:`lastmile_core.solve` (one thread, the same ``seed`` for every station-day, so a day gives
the routes of a plain ``solve`` call with that seed), observe the routes for SPR
(:func:`lastmile_core.spr.observe`) and return plain data (:class:`SolvedDay`), in the order of
the days.

Determinism: with ``max_iterations`` the search is bounded by iterations and every backend
gives the same routes; with ``time_limit`` alone the routes depend on the machine's speed and
load (the time limit decides when the search stops). :func:`fit_spr` fits one SPR model on the
observations of all the days.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import validate as V
from ..errors import InputError, LastmileError
from ..spr import Observations, SPRModel, observe
from .backends import check_backend, parallel_map


@dataclass(frozen=True)
class StationDay:
    """One station-day to route: ``build(*args, **kwargs)`` returns its instance (a
    module-level callable, so process pools and Dask can pickle it), or ``stops`` is the path
    of its stop table (.csv/.parquet, read with :func:`lastmile_core.io.read_stops`; give the
    vehicle types in ``kwargs['vehicle_types']`` when not the default van). ``city`` labels the
    SPR observations."""

    station: str
    day: str
    city: str = "city"
    build: Callable[..., Any] | None = None
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    stops: str | None = None

    def __post_init__(self) -> None:
        for f in ("station", "day", "city"):
            v = getattr(self, f)
            if not isinstance(v, str) or not v:
                raise InputError(f"{f}: station-day needs a non-empty string, got {v!r}")
        if (self.build is None) == (self.stops is None):
            raise InputError(
                f"build: station-day {self.station} {self.day} needs either a builder or a "
                "stop table path (stops), not both"
            )
        if self.build is not None and not callable(self.build):
            raise InputError(f"build: expected a callable, got {self.build!r}")
        object.__setattr__(self, "args", tuple(self.args))
        object.__setattr__(self, "kwargs", dict(self.kwargs))

    @property
    def label(self) -> str:
        return f"{self.station} {self.day}"

    def instance(self) -> Any:
        """The instance of this station-day (built or read)."""
        if self.stops is not None:
            from ..io import read_stops

            kw = {"name": f"{self.station}-{self.day}", **dict(self.kwargs)}
            return read_stops(self.stops, *self.args, **kw)
        assert self.build is not None
        return self.build(*self.args, **dict(self.kwargs))


@dataclass
class SolvedDay:
    """One routed station-day of :func:`solve_many` (user units of the instance)."""

    station: str
    day: str
    city: str
    cost: float
    num_routes: int
    distance: float
    duration: float
    routes: list[list[int]]  #: client indices of each route
    vehicle_types: list[int]  #: vehicle type index of each route
    iterations: int
    runtime_s: float
    algorithm: str
    observations: Observations | None  #: the day's SPR observations (with ``observe=True``)


@dataclass(frozen=True)
class _Task:
    day: StationDay
    time_limit: float
    seed: int
    max_iterations: int | None
    algorithm: str
    observe: bool
    params: dict[str, Any]


def _solve_task(task: _Task) -> SolvedDay:
    """Build, route and observe one station-day (module level: picklable)."""
    from ..solve import solve

    d = task.day
    try:
        inst = d.instance()
        res = solve(
            inst,
            time_limit=task.time_limit,
            seed=task.seed,
            max_iterations=task.max_iterations,
            threads=1,
            algorithm=task.algorithm,
            **task.params,
        )
        obs = (
            observe(inst, res, station=d.station, day=d.day, city=d.city) if task.observe else None
        )
    except LastmileError as exc:
        # the same error class with the station-day it came from (without the engine's
        # violation objects, which do not pickle back from a worker)
        raise type(exc)(f"{exc} (station-day {d.label})") from None
    return SolvedDay(
        station=d.station,
        day=d.day,
        city=d.city,
        cost=float(res.cost),
        num_routes=int(res.num_routes),
        distance=float(res.distance),
        duration=float(res.duration),
        routes=[list(map(int, r.visits)) for r in res.solution.routes],
        vehicle_types=[int(r.vehicle_type) for r in res.solution.routes],
        iterations=int(res.iterations),
        runtime_s=float(res.runtime_s),
        algorithm=str(res.algorithm),
        observations=obs,
    )


def solve_many(
    days: Sequence[StationDay],
    *,
    time_limit: float = 10.0,
    seed: int = 1,
    max_iterations: int | None = None,
    algorithm: str = "auto",
    observe: bool = True,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
    progress: bool | None = None,
    **params: float,
) -> list[SolvedDay]:
    """Route every station-day of ``days`` (see the module docstring) on ``backend``; results
    in the order of ``days``. ``algorithm`` and ``params`` go to :func:`lastmile_core.solve`. Errors of a day
    (bad input, no feasible routes) keep their class and name the station-day."""
    from ..solve import ALGORITHMS, MAX_ITERATIONS, MAX_SEED

    if isinstance(days, StationDay) or not isinstance(days, Sequence) or not len(days):
        raise InputError("days: expected a non-empty list of StationDay")
    for i, d in enumerate(days):
        if not isinstance(d, StationDay):
            raise InputError(f"days: item {i} is a {type(d).__name__}, not a StationDay")
    seen: set[tuple[str, str]] = set()
    for d in days:
        if (d.station, d.day) in seen:
            raise InputError(f"days: station-day {d.label} is listed twice")
        seen.add((d.station, d.day))
    tl = V.positive_real("time_limit", time_limit)
    sd = V.integer("seed", seed, minimum=0, maximum=MAX_SEED)
    iters = (
        None
        if max_iterations is None
        else V.integer("max_iterations", max_iterations, minimum=1, maximum=MAX_ITERATIONS)
    )
    if algorithm not in ALGORITHMS:
        raise InputError(f"algorithm: expected one of {', '.join(ALGORITHMS)}, got {algorithm!r}")
    check_backend(backend, client)
    tasks = [_Task(d, tl, sd, iters, algorithm, bool(observe), dict(params)) for d in days]
    return parallel_map(_solve_task, tasks, backend, client, max_workers, progress, "station-days")


def fit_spr(solved: Sequence[SolvedDay], **fit_kwargs: Any) -> SPRModel:
    """One SPR model fitted on the observations of all the routed days (keywords go to
    :meth:`lastmile_core.spr.SPRModel.fit`)."""
    obs = [s.observations for s in solved]
    if not obs or any(o is None for o in obs):
        raise InputError("solved: every day needs its observations (solve_many(observe=True))")
    return SPRModel.fit(Observations.concat([o for o in obs if o is not None]), **fit_kwargs)


__all__ = ["SolvedDay", "StationDay", "fit_spr", "solve_many"]
