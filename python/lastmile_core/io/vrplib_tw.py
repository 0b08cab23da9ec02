"""PyVRP's VRPLIB dialect for the VRP with time windows (``TYPE : VRPTW``), read by
:func:`lastmile_core.io.read_vrplib`.

Sections: ``NODE_COORD_SECTION`` (``EUC_2D``), ``DEMAND_SECTION``, ``TIME_WINDOW_SECTION`` (row of
the depot: its opening window), ``SERVICE_TIME_SECTION`` or the ``SERVICE_TIME`` specification,
``RELEASE_TIME_SECTION`` (optional), ``DEPOT_SECTION`` (a single depot at node 1), ``VEHICLES``
and ``CAPACITY``.

Rounding (``rounding="dimacs"``, the convention of the Gehring-Homberger BKS shipped with PyVRP's
instances, PyVRP's ``round_func="dimacs"``): every distance and duration is scaled by 10 and
truncated, i.e. kept to one decimal, truncated: an edge is ``floor(10 * euclid) / 10``; windows,
service and release times are multiplied by 10 (they are integers in these files). Internally
distance_scale = time_scale = 10, so the costs reported in user units are total distances with
one decimal, as in the ``.sol`` files. Travel time equals distance (unit speed). ``rounding=
"exact"``: unrounded Euclidean (kept to 1/1000).
"""

from __future__ import annotations

import os
from typing import Any, Literal

import numpy as np

from ..errors import FormatError, InputError
from ..instance import Instance, VehicleSpec
from .vrplib_sections import fail as _fail
from .vrplib_sections import section, single_depot_header

_SECTIONS = {"node_coord", "demand", "depot", "time_window", "service_time", "release_time"}


def read_vrptw(
    path: str | os.PathLike[str],
    raw: dict[str, Any],
    name: str,
    num_vehicles: int | None,
    rounding: Literal["dimacs", "exact"] = "dimacs",
    *,
    kind: str = "VRPTW",
    extra_sections: frozenset[str] = frozenset(),
    spec_kwargs: dict[str, Any] | None = None,
) -> Instance:
    """The :class:`Instance` of a parsed VRPTW file (``raw`` from ``vrplib.read_instance``).
    The dialects built on it (MTVRPTWR, :mod:`lastmile_core.io.vrplib_mt`) name their ``kind``,
    the sections they read themselves and the vehicle fields those give (``spec_kwargs``)."""
    p = os.fspath(path)
    if rounding not in ("dimacs", "exact"):
        raise InputError(f"rounding: expected 'dimacs' or 'exact' for {kind}, got {rounding!r}")
    n, cap = single_depot_header(p, raw, _SECTIONS | {"edge_weight"} | extra_sections, kind)
    coords = (
        section(p, raw, "node_coord", (n, 2), nonnegative=True) if "node_coord" in raw else None
    )
    if coords is None:
        raise _fail(p, "NODE_COORD_SECTION", "missing")
    demand = section(p, raw, "demand", (n,), nonnegative=True)
    tw = section(p, raw, "time_window", (n, 2), nonnegative=True)
    if isinstance(raw.get("service_time"), np.ndarray | list):
        service = section(p, raw, "service_time", (n,), nonnegative=True)
    else:
        v = raw.get("service_time", 0)
        if isinstance(v, bool) or not isinstance(v, int | float) or v < 0:
            raise _fail(p, "SERVICE_TIME", f"expected a number >= 0, got {v!r}")
        service = np.full(n, float(v))
        service[0] = 0.0
    release = (
        section(p, raw, "release_time", (n,), nonnegative=True) if "release_time" in raw else None
    )

    kwargs: dict[str, Any] = {}
    if rounding == "dimacs":
        d = coords[:, None, :] - coords[None, :, :]
        internal = np.floor(10.0 * np.sqrt((d * d).sum(axis=2)))  # as PyVRP's dimacs rounding
        user = internal / 10.0
        kwargs.update(
            distance_matrix=user, duration_matrix=user, distance_scale=10.0, time_scale=10.0
        )
    else:
        kwargs.update(distance="euclidean", distance_scale=1000.0, time_scale=1000.0)
    spec = VehicleSpec(
        capacity=cap, num_available=num_vehicles, name="vehicle", **(spec_kwargs or {})
    )
    try:
        return Instance.from_arrays(
            coords,
            demand,
            [spec],
            service_time=service,
            time_window=tw,
            release_time=release,
            node_ids=range(1, n + 1),
            dim_names=("demand",),
            name=name,
            metadata={
                "source": p,
                "format": "vrplib",
                "type": kind,
                "rounding": rounding,
                "comment": raw.get("comment", ""),
                "edge_weight_type": "EUC_2D",
            },
            **kwargs,
        )
    except FormatError:
        raise
    except InputError as exc:
        raise FormatError(f"{p}: {exc}") from None


__all__ = ["read_vrptw"]
