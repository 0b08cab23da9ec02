"""Routing engine entry point: :func:`solve`."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from . import _core
from .errors import InputError
from .result import Result

Callback = Callable[[float, float], "bool | None"]


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
    **params: float,
) -> Result:
    """Solves a (heterogeneous, multi-capacity, duration/distance-limited) CVRP.

    Args:
        instance: a ``ProblemData`` or an object with a ``.data`` ProblemData (``Instance``).
        time_limit: wall-clock budget in seconds (> 0).
        seed: random seed; with ``threads=1`` the same seed gives the same routes when the
            search is bounded by ``max_iterations`` (a time limit only decides when to stop).
        max_iterations: stop after this many iterations (offspring educated / SISR moves).
        threads: number of independent searches run in parallel that exchange their best.
        callback: called about every 100 ms as ``callback(elapsed_s, best_cost)``; return True
            to stop early. Ctrl-C stops the search and returns the best solution so far
            (``Result.interrupted``).
        initial_solution: routes (lists of client indices, ``Route`` objects, a ``Solution`` or
            a ``Result``) to start from.
        **params: engine parameters (see ``lastmile_core._core.solver_param_names()``).

    Raises:
        InputError: bad arguments or unknown parameters.
        InfeasibleError: no feasible solution was found (the message names the constraint).
    """
    data = _problem_data(instance)
    try:
        tl = float(time_limit)
    except (TypeError, ValueError):
        raise InputError(f"time_limit: expected a number of seconds, got {time_limit!r}") from None
    if not (tl > 0) or math.isinf(tl):
        raise InputError(
            f"time_limit: must be a positive finite number of seconds, got {time_limit!r}"
        )
    if max_iterations is not None and (int(max_iterations) != max_iterations or max_iterations < 1):
        raise InputError(
            f"max_iterations: must be a positive integer or None, got {max_iterations!r}"
        )
    if int(threads) != threads or threads < 1:
        raise InputError(f"threads: must be a positive integer, got {threads!r}")
    if int(seed) != seed or seed < 0:
        raise InputError(f"seed: must be a non-negative integer, got {seed!r}")
    known = set(_core.solver_param_names())
    unknown = sorted(set(params) - known)
    if unknown:
        raise InputError(
            f"params: unknown parameter(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        )
    clean: dict[str, float] = {}
    for k, v in params.items():
        try:
            clean[k] = float(v)
        except (TypeError, ValueError):
            raise InputError(f"{k}: expected a number, got {v!r}") from None
    raw = _core.solve(
        data,
        tl,
        int(seed),
        None if max_iterations is None else int(max_iterations),
        int(threads),
        callback,
        _routes(initial_solution),
        clean,
    )
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
    )


__all__ = ["solve"]
