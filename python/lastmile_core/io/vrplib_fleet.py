"""PyVRP's VRPLIB dialect for the heterogeneous fleet VRP (``TYPE : HFVRP``, Pessoa et al. 2018,
the ``HFVRP`` folder of PyVRP's instances), read by :func:`lastmile_core.io.read_vrplib`, and its
``.sol`` files, whose routes are aligned with the vehicles (``Route #k`` is vehicle k).

Sections: ``NODE_COORD_SECTION`` (``EUC_2D``), ``DEMAND_SECTION``, ``DEPOT_SECTION`` (a single
depot at node 1), the ``VEHICLES`` count and one row per vehicle in ``CAPACITY_SECTION`` (or a
uniform ``CAPACITY``), ``VEHICLES_FIXED_COST_SECTION`` (default 0) and
``VEHICLES_UNIT_DISTANCE_COST_SECTION`` (default 1). The files scale the published fixed and
unit distance costs by 100, so they are integers; a fractional, negative or non-finite value is
refused (FormatError naming the section and the vehicle), never rounded.

Identical vehicles (same capacity, fixed and unit distance cost) become one
:class:`~lastmile_core.VehicleSpec` with ``num_available`` = their number, in order of first
appearance; ``metadata["vehicle_type_of"][k]`` is the type of vehicle k (0-based).

Costs are exact: with ``s`` internal distance units per coordinate unit, a type's
``fixed_cost`` is ``s * file fixed cost`` and its ``cost_per_distance`` ``s * file unit cost`` per
coordinate unit, so internally every cost is an integer (``file unit cost x internal
distance``) and sums of them are exact doubles. ``metadata["cost_scale"]`` = ``100 * s``: the
published cost (Pessoa et al.) is the instance cost divided by it.

* ``rounding="exact"`` (default): ``s = 1000``, an edge is ``round(1000 * euclid)``; the
  instance cost is then PyVRP's objective with ``read(path, round_func="exact")`` (which scales
  fixed costs by 1000 and leaves unit costs alone), the integer ``Cost`` of the ``.sol`` files
  PyVRP wrote.
* ``rounding=False``: ``s = 10**6`` (unrounded to 1e-6): reproduces the two-decimal ``Cost`` of
  the ``.sol`` files that carry the published BKS on unrounded distances.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .. import _core
from ..errors import FormatError, InputError
from ..instance import Instance, VehicleSpec
from .vrplib_sections import fail as _fail
from .vrplib_sections import section

_SECTIONS = {
    "node_coord",
    "demand",
    "depot",
    "capacity",
    "vehicles_fixed_cost",
    "vehicles_unit_distance_cost",
}
_SCALE = {"exact": 1000.0, "unrounded": 1e6}


def _integral(path: str, field: str, arr: np.ndarray, what: str) -> np.ndarray:
    bad = np.flatnonzero(arr != np.rint(arr))
    if bad.size:
        k = int(bad[0])
        raise _fail(
            path,
            field,
            f"vehicle {k + 1}: {what} {float(arr[k]):g} is not an integer (PyVRP's dialect scales "
            "costs by 100 and uses integer capacities; fractions are not rounded)",
        )
    return arr.astype(np.int64)


def _per_vehicle(path: str, raw: dict[str, Any], key: str, m: int, default: float) -> np.ndarray:
    """``raw[key]`` as m non-negative integers (a scalar is broadcast, absent: ``default``)."""
    field = f"{key.upper()}_SECTION"
    if key not in raw:
        return np.full(m, int(default), dtype=np.int64)
    value = raw[key]
    if isinstance(value, bool):
        raise _fail(path, field, f"expected numbers, got {value!r}")
    if isinstance(value, int | float):
        if not np.isfinite(value) or value < 0:
            raise _fail(path, key.upper(), f"expected a finite number >= 0, got {value!r}")
        arr = np.full(m, float(value))
    else:
        arr = section(path, raw, key, (m,), nonnegative=True)
    return _integral(path, field, arr, key.removeprefix("vehicles_").replace("_", " "))


def read_hfvrp(
    path: str | os.PathLike[str],
    raw: dict[str, Any],
    name: str,
    rounding: Literal["exact", "unrounded"] = "exact",
) -> Instance:
    """The :class:`Instance` of a parsed HFVRP file (``raw`` from ``vrplib.read_instance``)."""
    p = os.fspath(path)
    if rounding not in _SCALE:
        raise InputError(
            f"rounding: expected 'exact' (or 'auto') or False (unrounded) for HFVRP, got "
            f"{rounding!r}"
        )
    s = _SCALE[rounding]
    for key, value in raw.items():
        if isinstance(value, np.ndarray | list) and key not in _SECTIONS:
            raise _fail(p, f"{key.upper()}_SECTION", "unsupported section for HFVRP")
    if str(raw.get("edge_weight_type", "")).strip().upper() != "EUC_2D":
        raise _fail(p, "EDGE_WEIGHT_TYPE", "HFVRP files must use EUC_2D")
    n = raw.get("dimension", 0)
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise _fail(p, "DIMENSION", f"need a depot and at least one client, got {n!r}")
    if "depot" in raw:
        depots = np.asarray(raw["depot"]).ravel()
        if depots.size != 1 or int(depots[0]) != 0:
            ids = [int(d) + 1 for d in depots]
            raise _fail(
                p, "DEPOT_SECTION", f"only a single depot at node 1 is supported, got {ids}"
            )
    m = raw.get("vehicles")
    if isinstance(m, bool) or not isinstance(m, int) or m < 1:
        raise _fail(p, "VEHICLES", f"expected a positive integer, got {m!r}")
    if "capacity" not in raw:
        raise _fail(p, "CAPACITY_SECTION", "missing")
    cap = _per_vehicle(p, raw, "capacity", m, 0)
    fixed = _per_vehicle(p, raw, "vehicles_fixed_cost", m, 0)
    unit = _per_vehicle(p, raw, "vehicles_unit_distance_cost", m, 1)
    coords = section(p, raw, "node_coord", (n, 2))
    demand = section(p, raw, "demand", (n,), nonnegative=True)

    groups: dict[tuple[int, int, int], int] = {}
    type_of: list[int] = []
    for k in range(m):
        attrs = (int(cap[k]), int(fixed[k]), int(unit[k]))
        type_of.append(groups.setdefault(attrs, len(groups)))
    counts = np.bincount(type_of, minlength=len(groups))
    specs = [
        VehicleSpec(
            capacity=c,
            num_available=int(counts[t]),
            fixed_cost=f * s,
            cost_per_distance=u * s,
            name=f"type{t}-q{c}-f{f}-u{u}",
        )
        for (c, f, u), t in groups.items()
    ]
    try:
        return Instance.from_arrays(
            coords,
            demand,
            specs,
            distance="euclidean",
            distance_scale=s,
            node_ids=range(1, n + 1),
            dim_names=("demand",),
            name=name,
            metadata={
                "source": p,
                "format": "vrplib",
                "type": "HFVRP",
                "rounding": rounding,
                "cost_scale": 100.0 * s,
                "vehicle_type_of": tuple(type_of),
                "comment": raw.get("comment", ""),
                "edge_weight_type": "EUC_2D",
            },
        )
    except FormatError:
        raise
    except InputError as exc:
        raise FormatError(f"{p}: {exc}") from None


_ROUTE = re.compile(r"^\s*Route\s*#\s*(\d+)\s*:(.*)$", re.IGNORECASE)
_COST = re.compile(r"^\s*Cost\s*:?\s*(\S+)\s*$", re.IGNORECASE)


def read_fleet_solution(
    path: str | os.PathLike[str], instance: Instance
) -> tuple[list[list[int]], list[int], float | None]:
    """Routes (client indices 1..n, non-empty ones in file order), their vehicle types and the
    ``Cost`` line (None if absent) of a ``.sol`` file whose ``Route #k`` is vehicle k of an HFVRP
    instance read by :func:`read_hfvrp`. FormatError names the file and the route for a route
    number out of range, a repeated number or a non-integer visit."""
    p = Path(path)
    if not p.is_file():
        raise FormatError(f"{os.fspath(path)}: file not found")
    type_of = instance.metadata.get("vehicle_type_of")
    if not isinstance(type_of, tuple):
        raise InputError(
            "instance: not read from an HFVRP file (metadata has no 'vehicle_type_of')"
        )
    routes: list[list[int]] = []
    types: list[int] = []
    seen: set[int] = set()
    cost: float | None = None
    for no, line in enumerate(p.read_text(errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{os.fspath(path)}: line {no}"
        mr = _ROUTE.match(line)
        if mr:
            k = int(mr.group(1))
            if not 1 <= k <= len(type_of):
                raise FormatError(
                    f"{where}: Route #{k}: the instance has vehicles 1..{len(type_of)}"
                )
            if k in seen:
                raise FormatError(f"{where}: Route #{k}: vehicle {k} has two routes")
            seen.add(k)
            try:
                visits = [int(tok) for tok in mr.group(2).split()]
            except ValueError:
                raise FormatError(f"{where}: Route #{k}: non-integer client index") from None
            if visits:
                routes.append(visits)
                types.append(int(type_of[k - 1]))
            continue
        mc = _COST.match(line)
        if mc:
            try:
                cost = float(mc.group(1))
            except ValueError:
                raise FormatError(
                    f"{where}: Cost: expected a number, got {mc.group(1)!r}"
                ) from None
            if not np.isfinite(cost):
                raise FormatError(f"{where}: Cost: expected a finite number, got {cost!r}")
            continue
        raise FormatError(f"{where}: neither 'Route #k: ...' nor 'Cost ...': {line[:40]!r}")
    if not routes:
        raise FormatError(f"{os.fspath(path)}: Route: no non-empty 'Route #k:' line found")
    return routes, types, cost


def write_fleet_solution(
    path: str | os.PathLike[str],
    instance: Instance,
    routes: _core.Solution | Sequence[_core.Route],
    cost: float | None = None,
) -> None:
    """Write routes as a vehicle-aligned ``.sol`` (one ``Route #k:`` line per vehicle of the
    file, empty for unused vehicles; a route of type t goes to the first free vehicle of type
    t), with a ``Cost`` line when ``cost`` is given (or, for a ``Solution``, its cost).
    InputError names the type when it has more routes than vehicles."""
    type_of = instance.metadata.get("vehicle_type_of")
    if not isinstance(type_of, tuple):
        raise InputError(
            "instance: not read from an HFVRP file (metadata has no 'vehicle_type_of')"
        )
    if isinstance(routes, _core.Solution):
        cost = routes.cost if cost is None else cost
        routes = routes.routes
    free: dict[int, list[int]] = {}
    for k in range(len(type_of) - 1, -1, -1):
        free.setdefault(int(type_of[k]), []).append(k)
    lines: list[list[int]] = [[] for _ in type_of]
    for r, route in enumerate(routes):
        if not isinstance(route, _core.Route):
            raise InputError(f"routes[{r}]: expected a Route (it carries the vehicle type)")
        if not route.visits:
            continue
        t = int(route.vehicle_type)
        if not free.get(t):
            n = sum(1 for x in type_of if x == t)
            raise InputError(f"routes[{r}]: vehicle type {t} has only {n} vehicle(s)")
        lines[free[t].pop()] = [int(c) for c in route.visits]
    text = "".join(f"Route #{k + 1}: {' '.join(map(str, v))}\n" for k, v in enumerate(lines))
    if cost is not None:
        c = float(cost)
        text += f"Cost: {int(c) if c.is_integer() else c!r}\n"
    Path(path).write_text(text)


__all__ = ["read_fleet_solution", "read_hfvrp", "write_fleet_solution"]
