"""Routing engine entry point: :func:`solve`."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import _core
from . import validate as V
from .errors import InfeasibleError, InputError
from .result import Result
from .units import Units, translate_infeasible

Callback = Callable[[float, float], "bool | None"]

#: Algorithm names accepted by :func:`solve` and the engine's code for each. "auto" runs SISR
#: and hands over to HGS when SISR's start is infeasible (e.g. a tight fleet size); "sisr" and
#: "hgs" force one of them. The integers 0, 1, 2 are accepted for "auto", "hgs", "sisr".
ALGORITHMS: dict[str, int] = {"auto": 0, "hgs": 1, "sisr": 2}
_ALGORITHM_CODES = {code: name for name, code in ALGORITHMS.items()}
#: Engine limits: the seed is an unsigned 64-bit integer, threads at most 64.
MAX_SEED = 2**64 - 1
MAX_THREADS = 64
MAX_ITERATIONS = 2**63 - 1


def _algorithm(value: Any) -> int:
    if isinstance(value, str):
        key = value.strip().lower()
        if key in ALGORITHMS:
            return ALGORITHMS[key]
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_):
        if int(value) in _ALGORITHM_CODES:
            return int(value)
    raise InputError(
        f"algorithm: expected one of {', '.join(repr(n) for n in ALGORITHMS)} "
        f"(or the codes 0, 1, 2), got {value!r}"
    )


def _problem_data(instance: Any) -> _core.ProblemData:
    if isinstance(instance, _core.ProblemData):
        return instance
    data = getattr(instance, "data", None)
    if isinstance(data, _core.ProblemData):
        return data
    raise InputError(
        f"instance: expected a ProblemData or an object with a .data ProblemData, got {type(instance).__name__}"
    )


def _routes(initial_solution: Any) -> list[_core.Route] | None:
    if initial_solution is None:
        return None
    if isinstance(initial_solution, Result):
        initial_solution = initial_solution.solution
    if isinstance(initial_solution, _core.Solution):
        return list(initial_solution.routes)
    routes: list[_core.Route] = []
    for i, r in enumerate(initial_solution):
        if isinstance(r, _core.Route):
            routes.append(_core.Route(list(r.visits), r.vehicle_type))
        elif isinstance(r, Sequence) and not isinstance(r, str):
            routes.append(_core.Route([int(c) for c in r], 0))
        else:
            raise InputError(
                f"initial_solution: route {i} must be a Route or a sequence of client indices, got {type(r).__name__}"
            )
    return routes


def solve(
    instance: Any,
    time_limit: float = 10.0,
    seed: int = 1,
    max_iterations: int | None = None,
    threads: int = 1,
    callback: Callback | None = None,
    initial_solution: Any = None,
    algorithm: str | int = "auto",
    **params: float,
) -> Result:
    """Solves a (heterogeneous, multi-capacity, duration/distance-limited) CVRP.

    Args:
        instance: a ``ProblemData`` or an object with a ``.data`` ProblemData (``Instance``).
        time_limit: wall-clock budget in seconds (> 0, finite).
        seed: random seed, an integer in [0, 2**64 - 1]; with ``threads=1`` the same seed gives
            the same routes when the search is bounded by ``max_iterations`` (a time limit only
            decides when to stop).
        max_iterations: stop after this many iterations (offspring educated / SISR moves), a
            positive integer or None. SISR's cooling follows the share of the budget used: the
            iteration count when ``max_iterations`` is given (deterministic; a time limit that
            binds first then ends the run while still warm), else the elapsed time.
        threads: number of searches run in parallel that exchange their best solutions and,
            with SISR, routes of them (``coop_inject_*`` options; 1..64).
        callback: called about every 100 ms as ``callback(elapsed_s, best_cost)``; return True
            to stop early. Ctrl-C stops the search and returns the best solution so far
            (``Result.interrupted``).
        initial_solution: routes (lists of client indices, ``Route`` objects, a ``Solution`` or
            a ``Result``) to start from.
        algorithm: "auto" (default: SISR, handing over to HGS when its start is infeasible),
            "sisr" or "hgs" (see :data:`ALGORITHMS`; the codes 0/1/2 = auto/hgs/sisr also work).
            Vehicle types with ``reload_depots``: "auto" runs HGS, which plans the reloads;
            "sisr" is an InputError there.
        **params: engine parameters (see ``lastmile_core._core.solver_param_names()``).

    Raises:
        InputError: bad arguments or unknown parameters (the message starts with the field).
        InfeasibleError: no feasible solution was found (the message names the constraint, in
            the instance's units).
    """
    data = _problem_data(instance)
    tl = V.positive_real("time_limit", time_limit)
    seed_i = V.integer("seed", seed, minimum=0, maximum=MAX_SEED)
    iters = (
        None
        if max_iterations is None
        else V.integer("max_iterations", max_iterations, minimum=1, maximum=MAX_ITERATIONS)
    )
    threads_i = V.integer("threads", threads, minimum=1, maximum=MAX_THREADS)
    if callback is not None and not callable(callback):
        raise InputError(f"callback: expected a callable or None, got {callback!r}")
    known = set(_core.solver_param_names()) - {"algorithm"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise InputError(
            f"params: unknown parameter(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    clean: dict[str, float] = {
        k: float(v) if isinstance(v, bool) else V.real(k, v, minimum=None)
        for k, v in params.items()
    }
    clean["algorithm"] = float(_algorithm(algorithm))
    units = Units.of(instance)
    try:
        raw = _core.solve(
            data, tl, seed_i, iters, threads_i, callback, _routes(initial_solution), clean
        )
    except InfeasibleError as exc:
        err = InfeasibleError(translate_infeasible(units, str(exc), exc.details))
        err.details = exc.details
        raise err from None
    sol = raw.solution
    return Result(
        solution=sol,
        cost=raw.cost,
        runtime_s=raw.runtime,
        iterations=raw.iterations,
        history=[(float(t), float(c)) for t, c in raw.history],
        interrupted=raw.interrupted,
        feasible=sol.feasible,
        algorithm=raw.algorithm,
        units=units,
        _data=data,
    )


__all__ = ["ALGORITHMS", "solve"]
