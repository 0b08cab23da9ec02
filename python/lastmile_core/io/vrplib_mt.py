"""PyVRP's VRPLIB dialect for the multi-trip VRP with time windows and release times (``TYPE :
MTVRPTWR``, Yang 2023/2024, on Solomon and Gehring-Homberger instances), read by
:func:`lastmile_core.io.read_vrplib`.

The sections of the VRPTW dialect (:mod:`lastmile_core.io.vrplib_tw`, same ``dimacs``
rounding: distances and times kept to one decimal, truncated; internal scale 10) plus
``VEHICLES_RELOAD_DEPOT_SECTION``: for every vehicle, the depot (file node id) where it may
reload. Vehicles with the same reload depots form one vehicle type. The optional
``VEHICLES_MAX_RELOADS`` specification bounds the reloads per route (unlimited otherwise).
These files give no reload (loading) time: it is 0.

Solutions: in a ``.sol`` file a ``0`` inside a route is a reload visit at the depot, which is
node 0 of the instance: :func:`read_mt_solution` keeps it, as do the routes of the instance
(``Route.visits``) and :func:`write_mt_solution`. The ``Cost`` lines of the shipped files are in internal units: the total
distance times 10.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import vrplib

from .. import _core
from ..errors import FormatError, InputError
from ..instance import Instance
from .vrplib_sections import fail as _fail
from .vrplib_tw import read_vrptw


def read_mtvrptwr(
    path: str | os.PathLike[str],
    raw: dict[str, Any],
    name: str,
    num_vehicles: int | None,
    rounding: Literal["dimacs", "exact"] = "dimacs",
) -> Instance:
    """The :class:`Instance` of a parsed MTVRPTWR file (``raw`` from ``vrplib.read_instance``)."""
    p = os.fspath(path)
    if "vehicles_reload_depot" not in raw:
        raise _fail(p, "VEHICLES_RELOAD_DEPOT_SECTION", "missing")
    try:
        reload = np.asarray(raw["vehicles_reload_depot"], dtype=float)
    except (TypeError, ValueError):
        raise _fail(p, "VEHICLES_RELOAD_DEPOT_SECTION", "ragged or non-numeric rows") from None
    nv = raw.get("vehicles")
    if reload.ndim != 1 or (isinstance(nv, int) and reload.size != nv):
        raise _fail(
            p,
            "VEHICLES_RELOAD_DEPOT_SECTION",
            f"expected one depot per vehicle ({nv}), got shape {reload.shape}",
        )
    if not np.all(reload == 1):
        bad = reload[reload != 1][0]
        raise _fail(
            p,
            "VEHICLES_RELOAD_DEPOT_SECTION",
            f"only reloads at the depot (node 1) are supported, got {bad:g}",
        )
    max_reloads = raw.get("vehicles_max_reloads")
    if max_reloads is not None and (
        isinstance(max_reloads, bool) or not isinstance(max_reloads, int) or max_reloads < 0
    ):
        raise _fail(p, "VEHICLES_MAX_RELOADS", f"expected an integer >= 0, got {max_reloads!r}")
    return read_vrptw(
        path,
        raw,
        name,
        num_vehicles,
        rounding,
        kind="MTVRPTWR",
        extra_sections=frozenset({"vehicles_reload_depot"}),
        spec_kwargs={"reload_depots": (0,), "max_reloads": max_reloads},
    )


def read_mt_solution(path: str | os.PathLike[str]) -> tuple[list[list[int]], float | None]:
    """Routes of an MTVRPTWR ``.sol`` file (clients 1..n, ``0`` a reload at the depot) and its
    ``Cost`` line (None if absent)."""
    p = Path(path)
    if not p.is_file():
        raise FormatError(f"{os.fspath(path)}: file not found")
    try:
        sol = vrplib.read_solution(p)
    except Exception as exc:  # vrplib raises ValueError/IndexError/... on bad text
        raise FormatError(
            f"{os.fspath(path)}: Route: malformed solution file ({type(exc).__name__}: {exc})"
        ) from None
    routes = [[int(c) for c in r] for r in sol.get("routes", [])]
    if not routes:
        raise FormatError(f"{os.fspath(path)}: Route: no 'Route #k:' lines found")
    for r, route in enumerate(routes):
        if not any(c > 0 for c in route):
            raise FormatError(f"{os.fspath(path)}: Route #{r + 1}: no client")
        if min(route) < 0:
            raise FormatError(f"{os.fspath(path)}: Route #{r + 1}: negative index {min(route)}")
    cost = sol.get("cost")
    if cost is not None and (isinstance(cost, str) or not math.isfinite(cost)):
        raise FormatError(f"{os.fspath(path)}: Cost: expected a number, got {cost!r}")
    return routes, (None if cost is None else float(cost))


def write_mt_solution(
    path: str | os.PathLike[str],
    routes: _core.Solution | Sequence[_core.Route] | Sequence[Sequence[int]],
    cost: float | None = None,
) -> None:
    """Write routes with reload visits (node 0: a reload at the depot) as an MTVRPTWR ``.sol``
    file (empty routes are skipped), with a ``Cost`` line when ``cost`` is given (or, for a
    ``Solution``, its cost in internal units, the convention of the shipped files)."""
    if cost is None and isinstance(routes, _core.Solution):
        cost = float(routes.distance)
    items: list[Any] = list(routes.routes if isinstance(routes, _core.Solution) else routes)
    lists: list[list[int]] = []
    for r, route in enumerate(items):
        visits: Any = route.visits if isinstance(route, _core.Route) else route
        try:
            seq = [int(c) for c in visits]
        except (TypeError, ValueError):
            raise InputError(f"routes[{r}]: expected a sequence of node indices") from None
        if seq and min(seq) < 0:
            raise InputError(f"routes[{r}]: node index {min(seq)} < 0")
        if any(c > 0 for c in seq):
            lists.append(seq)
    data = None
    if cost is not None:
        c = float(cost)
        data = {"Cost": int(c) if c.is_integer() else c}
    vrplib.write_solution(path, lists, data)


__all__ = ["read_mt_solution", "read_mtvrptwr", "write_mt_solution"]
