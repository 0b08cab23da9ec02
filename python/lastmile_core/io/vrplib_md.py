"""PyVRP's VRPLIB dialect for the multi-depot VRP with time windows (``TYPE : MDVRPTW``, the
Vidal et al. 2013 PR11-PR17 instances), read by :func:`lastmile_core.io.read_vrplib`.

Sections: ``NODE_COORD_SECTION`` (``EUC_2D``), ``DEMAND_SECTION``, ``SERVICE_TIME_SECTION``,
``TIME_WINDOW_SECTION`` (rows of the depots: their opening windows), ``DEPOT_SECTION`` (the depots
must be the first D nodes), ``VEHICLES_DEPOT_SECTION`` (the depot of every vehicle),
``VEHICLES``, ``CAPACITY`` and ``VEHICLES_MAX_DURATION`` (optional).

One vehicle type per depot that has vehicles (type order: depot order), leaving from and
returning to it, with as many vehicles as the section gives it. Node layout of the instance
(see :mod:`lastmile_core.depots`): the file's first depot is node 0, its clients (file nodes
D+1..n) are clients 1..n-D, its depots 2..D the nodes after them. ``metadata["vehicle_types"]``
holds the type of every vehicle of the file, in file order (the ``.sol`` files of these
instances align ``Route #i`` with vehicle i: :func:`read_md_solution`).

Rounding (``rounding="exact"``, the convention of the BKS shipped with PyVRP's instances: their
``Cost`` lines are the sum of ``round(1000 * euclid)`` per edge): distances and durations are
kept to 1/1000 (distance_scale = time_scale = 1000, ``round(1000 * d)`` per edge), windows,
service times and the maximum duration are multiplied by 1000. Travel time equals distance.
Costs in user units are total distances (the ``.sol`` cost divided by 1000).
"""

from __future__ import annotations

import os
from typing import Any, Literal

import numpy as np
import vrplib

from .. import _core
from ..errors import FormatError, InputError
from ..instance import Instance, VehicleSpec
from .vrplib_sections import fail as _fail
from .vrplib_sections import section

_SECTIONS = {"node_coord", "demand", "depot", "time_window", "service_time", "vehicles_depot"}


def read_mdvrptw(
    path: str | os.PathLike[str],
    raw: dict[str, Any],
    name: str,
    rounding: Literal["exact"] = "exact",
) -> Instance:
    """The :class:`Instance` of a parsed MDVRPTW file (``raw`` from ``vrplib.read_instance``)."""
    p = os.fspath(path)
    if rounding != "exact":
        raise InputError(f"rounding: MDVRPTW files use 'exact' (1/1000), got {rounding!r}")
    for key, value in raw.items():
        if isinstance(value, np.ndarray | list) and key not in _SECTIONS | {"edge_weight"}:
            raise _fail(p, f"{key.upper()}_SECTION", "unsupported section")
    if str(raw.get("edge_weight_type", "")).strip().upper() != "EUC_2D":
        raise _fail(p, "EDGE_WEIGHT_TYPE", "MDVRPTW files must use EUC_2D")
    n = int(raw.get("dimension", 0))
    if "depot" not in raw:
        raise _fail(p, "DEPOT_SECTION", "missing")
    depots = np.asarray(raw["depot"]).ravel().astype(np.int64)
    nd = int(depots.size)
    if nd < 1 or not np.array_equal(depots, np.arange(nd)):
        ids = [int(d) + 1 for d in depots]
        raise _fail(p, "DEPOT_SECTION", f"the depots must be nodes 1..D, got {ids}")
    if n < nd + 1:
        raise _fail(p, "DIMENSION", f"need {nd} depot(s) and at least one client, got {n}")
    cap = raw.get("capacity")
    if isinstance(cap, bool) or not isinstance(cap, int | float) or cap < 0 or cap != int(cap):
        raise _fail(p, "CAPACITY", f"expected a non-negative integer, got {cap!r}")
    coords = section(p, raw, "node_coord", (n, 2))
    demand = section(p, raw, "demand", (n,), nonnegative=True)
    tw = section(p, raw, "time_window", (n, 2), nonnegative=True)
    service = section(p, raw, "service_time", (n,), nonnegative=True)
    nv = raw.get("vehicles")
    if isinstance(nv, bool) or not isinstance(nv, int) or nv < 1:
        raise _fail(p, "VEHICLES", f"expected a positive integer, got {nv!r}")
    vdep = section(p, raw, "vehicles_depot", (nv,))
    if np.any(vdep != np.rint(vdep)) or np.any(vdep < 1) or np.any(vdep > nd):
        bad = vdep[(vdep != np.rint(vdep)) | (vdep < 1) | (vdep > nd)][0]
        raise _fail(p, "VEHICLES_DEPOT_SECTION", f"depot {bad:g} is not one of 1..{nd}")
    vdep0 = vdep.astype(np.int64) - 1
    max_dur = raw.get("vehicles_max_duration")
    if max_dur is not None and (
        isinstance(max_dur, bool) or not isinstance(max_dur, int | float) or max_dur < 0
    ):
        raise _fail(p, "VEHICLES_MAX_DURATION", f"expected a number >= 0, got {max_dur!r}")

    used = sorted({int(d) for d in vdep0})
    type_of_depot = {d: k for k, d in enumerate(used)}
    specs = [
        VehicleSpec(
            capacity=int(cap),
            num_available=int(np.sum(vdep0 == d)),
            max_duration=None if max_dur is None else float(max_dur),
            name=f"depot{d + 1}",
            start_depot=d,
            end_depot=d,
        )
        for d in used
    ]
    # Internal order: depot 0, clients, depots 1..D-1 (lastmile_core.depots).
    clients = np.arange(nd, n)
    rows = np.concatenate(([0], clients))
    try:
        return Instance.from_arrays(
            coords[rows],
            demand[rows],
            specs,
            service_time=np.concatenate(([0.0], service[clients])),
            time_window=tw[rows],
            depots=coords[1:nd] if nd > 1 else None,
            depot_time_window=tw[1:nd] if nd > 1 else None,
            distance="euclidean",
            distance_scale=1000.0,
            time_scale=1000.0,
            node_ids=[1, *range(nd + 1, n + 1), *range(2, nd + 1)],
            dim_names=("demand",),
            name=name,
            metadata={
                "source": p,
                "format": "vrplib",
                "type": "MDVRPTW",
                "rounding": rounding,
                "comment": raw.get("comment", ""),
                "edge_weight_type": "EUC_2D",
                "vehicle_types": [type_of_depot[int(d)] for d in vdep0],
            },
        )
    except FormatError:
        raise
    except InputError as exc:
        raise FormatError(f"{p}: {exc}") from None


def read_md_solution(
    path: str | os.PathLike[str], instance: Instance
) -> tuple[list[_core.Route], float | None]:
    """Routes of an MDVRPTW ``.sol`` file for ``instance`` (from :func:`read_mdvrptw`) and its
    ``Cost`` line: ``Route #i`` is driven by vehicle i (its type from
    ``metadata["vehicle_types"]``); client ids are the file's node ids minus one."""
    p = os.fspath(path)
    types = instance.metadata.get("vehicle_types")
    if instance.metadata.get("type") != "MDVRPTW" or not isinstance(types, list):
        raise InputError("instance: expected an MDVRPTW instance read by read_vrplib")
    try:
        sol = vrplib.read_solution(p)
    except (OSError, ValueError, IndexError) as exc:
        raise FormatError(f"{p}: Route: malformed solution file ({exc})") from None
    routes = sol.get("routes", [])
    if len(routes) > len(types):
        raise FormatError(f"{p}: Route: {len(routes)} routes for {len(types)} vehicles")
    nd = int(instance.data.num_depots)
    nc = int(instance.data.num_clients)
    out = []
    for i, r in enumerate(routes):
        visits = [int(c) - nd + 1 for c in r]
        bad = [int(c) for c, v in zip(r, visits, strict=True) if not 1 <= v <= nc]
        if bad:
            raise FormatError(f"{p}: Route #{i + 1}: {bad[0]} is not a client id")
        if visits:
            out.append(_core.Route(visits, int(types[i])))
    cost = sol.get("cost")
    return out, None if cost is None else float(cost)


__all__ = ["read_md_solution", "read_mdvrptw"]
