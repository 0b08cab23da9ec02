"""PyVRP's VRPLIB dialect for the VRP with backhauls (``TYPE : VRPB``, the Queiroga et al. 2020
instances shipped in ``pyvrp_instances/VRPB``), read by :func:`lastmile_core.io.read_vrplib`.

Sections: ``NODE_COORD_SECTION`` (``EUC_2D``, TSPLIB ``nint`` per edge as the X instances they
derive from), ``DEMAND_SECTION`` (linehaul clients: goods delivered), ``BACKHAUL_SECTION``
(backhaul clients: goods picked up and brought back), ``DEPOT_SECTION`` (a single depot at node
1), ``CAPACITY`` and optionally ``VEHICLES`` (the X-derived files have none: unlimited fleet).
A client is a linehaul or a backhaul, never both (FormatError otherwise).

Deliveries become ``demand`` and backhauls ``pickup``, so the capacity holds at every point of a
route (:mod:`lastmile_core.pickups`). The classic VRPB, which the BKS of these files assume and
PyVRP enforces (``pyvrp.read`` makes the arcs depot -> backhaul and backhaul -> linehaul
prohibitively long), also requires every route to serve all its linehauls before its backhauls
and to start with a linehaul. Here that order is a route-duration limit, without touching the
distances: the duration matrix is 1 on exactly those forbidden arcs and 0 elsewhere (service times
0, no duration cost) and the vehicle type has ``max_duration = 0``. A route's "duration" is then
the number of forbidden arcs it uses, the search penalises it like any duration excess, and
every checker (``Solution``, :func:`lastmile_core.check`) reports an out-of-order route as a
``duration`` violation. ``metadata["backhaul_order"]`` says so; ``ordered=False`` reads the mixed
variant (pickups and deliveries in any order, capacity at every point).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import numpy.typing as npt

from ..errors import FormatError, InputError
from ..instance import Instance, VehicleSpec
from .vrplib_sections import fail as _fail
from .vrplib_sections import section, single_depot_header

_SECTIONS = {"node_coord", "demand", "depot", "backhaul"}

#: metadata["backhaul_order"] of an ordered VRPB instance.
ORDER_NOTE = (
    "linehauls before backhauls, first client a linehaul: duration matrix 1 on the arcs "
    "depot->backhaul and backhaul->linehaul, 0 elsewhere, max_duration 0"
)


def backhaul_order_matrix(
    demand: npt.NDArray[np.float64], backhaul: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """The (n, n) matrix that is 1 on the arcs a VRPB route must not use (depot -> backhaul,
    backhaul -> linehaul) and 0 elsewhere."""
    n = demand.shape[0]
    line = demand > 0
    back = backhaul > 0
    line[0] = back[0] = False
    m = np.zeros((n, n))
    m[0, back] = 1.0
    m[np.ix_(back, line)] = 1.0
    return m


def read_vrpb(
    path: str | os.PathLike[str],
    raw: dict[str, Any],
    name: str,
    num_vehicles: int | None,
    ordered: bool = True,
) -> Instance:
    """The :class:`Instance` of a parsed VRPB file (``raw`` from ``vrplib.read_instance``)."""
    p = os.fspath(path)
    n, cap = single_depot_header(p, raw, _SECTIONS, "VRPB")
    coords = section(p, raw, "node_coord", (n, 2))
    demand = section(p, raw, "demand", (n,), nonnegative=True)
    backhaul = section(p, raw, "backhaul", (n,), nonnegative=True)
    both = np.flatnonzero((demand[1:] > 0) & (backhaul[1:] > 0))
    if both.size:
        raise _fail(
            p,
            "BACKHAUL_SECTION",
            f"node {int(both[0]) + 2} is both a linehaul (demand) and a backhaul",
        )
    kwargs: dict[str, Any] = {}
    metadata: dict[str, Any] = {
        "source": p,
        "format": "vrplib",
        "type": "VRPB",
        "comment": raw.get("comment", ""),
        "edge_weight_type": "EUC_2D",
    }
    if ordered:
        kwargs["duration_matrix"] = backhaul_order_matrix(demand, backhaul)
        metadata["backhaul_order"] = ORDER_NOTE
    spec = VehicleSpec(
        capacity=cap,
        num_available=num_vehicles,
        max_duration=0.0 if ordered else None,
        name="vehicle",
    )
    try:
        return Instance.from_arrays(
            coords,
            demand,
            [spec],
            pickup=backhaul,
            distance="euclidean_rounded",
            time_scale=1.0,
            node_ids=range(1, n + 1),
            dim_names=("demand",),
            name=name,
            metadata=metadata,
            **kwargs,
        )
    except FormatError:
        raise
    except InputError as exc:
        raise FormatError(f"{p}: {exc}") from None


__all__ = ["ORDER_NOTE", "backhaul_order_matrix", "read_vrpb"]
