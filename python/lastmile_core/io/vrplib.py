"""VRPLIB instances (``.vrp``) and solutions (``.sol``), read through the ``vrplib`` package.

Conventions (CVRPLIB, see the shared-data README):

* ``EUC_2D`` edges are rounded to the nearest integer per edge (TSPLIB ``nint``) for the X, XXL,
  A, B, E, F, M and P sets, but not for CMT (``rounding="auto"``: unrounded when NAME starts with
  ``CMT``), whose distances are real-valued (kept to 1/1000 internally).
* ``EXPLICIT`` matrices (any ``EDGE_WEIGHT_FORMAT`` ``vrplib`` understands) become
  ``distance="matrix"`` (scale 1 when every entry is an integer).
* ``DISTANCE`` is the route-length limit and, at unit speed, also the duration limit
  (driving + service); ``SERVICE_TIME`` is the service time of every client.
* fleet ``"auto"``: ``VEHICLES`` if present, else the ``k`` of ``-kN`` for the exact-fleet sets
  (names ``A-``, ``B-``, ``E-``, ``F-``, ``M-``, ``P-``), else unlimited (X, XXL, CMT).
* In ``.sol`` files clients are numbered 1..n (the ``.vrp`` id minus one) and the depot is
  implicit: exactly the client indices of :class:`~lastmile_core.Instance`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import vrplib

from .. import _core
from ..errors import FormatError, InputError
from ..instance import Instance, VehicleSpec
from .vrplib_fleet import read_hfvrp
from .vrplib_md import read_mdvrptw
from .vrplib_mt import read_mtvrptwr
from .vrplib_sections import fail as _fail
from .vrplib_sections import section as _array
from .vrplib_tw import read_vrptw
from .vrplib_vrpb import read_vrpb

PathLike = str | os.PathLike[str]

_SUPPORTED_SECTIONS = {
    "node_coord",
    "demand",
    "depot",
    "edge_weight",
    "display_data",
    "service_time",
}
_EXACT_FLEET = re.compile(r"^[ABEFMP]-n\d+-k(\d+)$")


def _locate(path: Path) -> str:
    """Where a file ``vrplib`` rejected goes wrong: the first line that is neither a
    ``KEY : value`` specification, a section header, a section row nor EOF (for the message)."""
    in_section = False
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return "file"
    for no, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if text.startswith("EOF"):
            break
        if "_SECTION" in text:
            in_section = True
        elif ":" in text:
            if in_section:
                return f"line {no} (specification {text[:40]!r} after a section)"
        elif not in_section:
            return f"line {no} ({text[:40]!r} is neither 'KEY : value' nor a section)"
    return "file"


def _read_raw(path: PathLike) -> dict[str, Any]:
    p = Path(path)
    if not p.is_file():
        raise FormatError(f"{os.fspath(path)}: file not found")
    try:
        # Coordinates only: a dense matrix for 20k+ nodes would need gigabytes.
        raw: dict[str, Any] = vrplib.read_instance(p, compute_edge_weights=False)
        return raw
    except Exception as exc:  # vrplib raises ValueError/RuntimeError/IndexError/... on bad text
        raise FormatError(
            f"{os.fspath(path)}: {_locate(p)}: malformed VRPLIB file ({type(exc).__name__}: {exc})"
        ) from None


def _int_spec(path: PathLike, raw: dict[str, Any], key: str) -> int:
    if key not in raw:
        raise _fail(path, key.upper(), "missing")
    v = raw[key]
    if isinstance(v, bool) or not isinstance(v, int | float) or v != int(v) or v < 0:
        raise _fail(path, key.upper(), f"expected a non-negative integer, got {v!r}")
    return int(v)


def _float_spec(path: PathLike, raw: dict[str, Any], key: str) -> float | None:
    if key not in raw:
        return None
    v = raw[key]
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
        raise _fail(path, key.upper(), f"expected a finite number >= 0, got {v!r}")
    return float(v)


def _fleet(
    path: PathLike, name: str, raw: dict[str, Any], fleet: Literal["auto", "unlimited"] | int
) -> int | None:
    if fleet == "unlimited":
        return None
    if fleet == "auto":
        if "vehicles" in raw:
            v = raw["vehicles"]
            if isinstance(v, int) and v > 0:
                return v
            raise _fail(path, "VEHICLES", f"expected a positive integer, got {v!r}")
        m = _EXACT_FLEET.match(name)
        return int(m.group(1)) if m else None
    if isinstance(fleet, bool) or not isinstance(fleet, int | np.integer) or fleet < 1:
        raise InputError(f"fleet: expected 'auto', 'unlimited' or a positive int, got {fleet!r}")
    return int(fleet)


def read_vrplib(
    path: PathLike,
    rounding: Literal["auto", "dimacs", "exact"] | bool = "auto",
    fleet: Literal["auto", "unlimited"] | int = "auto",
) -> Instance:
    """Read a CVRP instance in VRPLIB format into an :class:`Instance` (see module docstring).
    ``TYPE : VRPTW`` files (PyVRP's dialect) are read by
    :func:`lastmile_core.io.vrplib_tw.read_vrptw` (``rounding`` "auto" = "dimacs"), ``TYPE :
    MTVRPTWR`` files (reloads) by :func:`lastmile_core.io.vrplib_mt.read_mtvrptwr` (the same
    rounding), ``TYPE :
    HFVRP`` files by :func:`lastmile_core.io.vrplib_fleet.read_hfvrp` (``rounding`` "auto" =
    "exact", False = unrounded), ``TYPE : MDVRPTW`` files (several depots) by
    :func:`lastmile_core.io.vrplib_md.read_mdvrptw` (``rounding`` "auto" = "exact", 1/1000).

    Raises :class:`~lastmile_core.errors.FormatError` (naming the file and field) for a
    malformed file, a missing or unsupported section, or a problem type other than CVRP.
    """
    if rounding not in ("auto", "dimacs", "exact", True, False):
        raise InputError(
            f"rounding: expected 'auto', 'dimacs', 'exact', True or False, got {rounding!r}"
        )
    raw = _read_raw(path)
    name = str(raw.get("name", "")).strip() or Path(path).stem
    ptype = str(raw.get("type", "")).strip()
    if "type" not in raw:
        raise _fail(path, "TYPE", "missing")
    if ptype.upper() == "MDVRPTW":  # several depots (lastmile_core.io.vrplib_md)
        if rounding not in ("auto", "exact"):
            raise InputError(f"rounding: MDVRPTW files use 'exact' (1/1000), got {rounding!r}")
        return read_mdvrptw(path, raw, name)
    if ptype.upper() in ("VRPTW", "MTVRPTWR"):  # MTVRPTWR: reloads (io.vrplib_mt)
        tw_rounding: Literal["dimacs", "exact"] = "exact" if rounding == "exact" else "dimacs"
        read_tw = read_vrptw if ptype.upper() == "VRPTW" else read_mtvrptwr
        return read_tw(path, raw, name, _fleet(path, name, raw, fleet), tw_rounding)
    if ptype.upper() == "HFVRP":
        if rounding not in ("auto", "exact", False):
            raise InputError(f"rounding: HFVRP takes 'auto', 'exact' or False, got {rounding!r}")
        if fleet != "auto":
            raise InputError(f"fleet: HFVRP files give their own fleet, got {fleet!r}")
        return read_hfvrp(path, raw, name, "unrounded" if rounding is False else "exact")
    if rounding in ("dimacs", "exact"):
        raise InputError(f"rounding: {rounding!r} applies to VRPTW files only")
    if ptype.upper() == "VRPB":  # deliveries then pickups (returns), see io.vrplib_vrpb
        return read_vrpb(path, raw, name, _fleet(path, name, raw, fleet))
    if ptype.upper() != "CVRP":
        raise _fail(
            path,
            "TYPE",
            f"only CVRP, VRPTW, MTVRPTWR, HFVRP, MDVRPTW and VRPB are supported, got {ptype!r}",
        )
    n = _int_spec(path, raw, "dimension")
    if n < 2:
        raise _fail(path, "DIMENSION", f"need a depot and at least one client, got {n}")
    capacity = _int_spec(path, raw, "capacity")
    for key, value in raw.items():
        if isinstance(value, np.ndarray | list) and key not in _SUPPORTED_SECTIONS:
            raise _fail(path, f"{key.upper()}_SECTION", "unsupported section")
    if "depot" in raw:
        depots = np.asarray(raw["depot"]).ravel()
        if depots.size != 1 or int(depots[0]) != 0:
            ids = [int(d) + 1 for d in depots]
            raise _fail(
                path, "DEPOT_SECTION", f"only a single depot at node 1 is supported, got {ids}"
            )
    demand = _array(path, raw, "demand", (n,))

    ewt = str(raw.get("edge_weight_type", "")).strip().upper()
    if "edge_weight_type" not in raw:
        raise _fail(path, "EDGE_WEIGHT_TYPE", "missing")
    kwargs: dict[str, Any] = {}
    if ewt == "EUC_2D":
        coords = _array(path, raw, "node_coord", (n, 2))
        unrounded = name.upper().startswith("CMT") if rounding == "auto" else not rounding
        kwargs["distance"] = "euclidean" if unrounded else "euclidean_rounded"
    elif ewt == "EXPLICIT":
        matrix = _array(path, raw, "edge_weight", (n, n))
        if np.any(matrix < 0):
            raise _fail(path, "EDGE_WEIGHT_SECTION", "negative entries")
        coords = (
            _array(path, raw, "node_coord", (n, 2))
            if "node_coord" in raw
            else _array(path, raw, "display_data", (n, 2))
            if "display_data" in raw
            else np.zeros((n, 2))
        )
        kwargs["distance_matrix"] = matrix
        kwargs["distance_scale"] = 1.0 if np.all(matrix == np.rint(matrix)) else 1000.0
    else:
        raise _fail(
            path, "EDGE_WEIGHT_TYPE", f"only EUC_2D and EXPLICIT are supported, got {ewt!r}"
        )

    if isinstance(raw.get("service_time"), np.ndarray | list):
        service = _array(path, raw, "service_time", (n,))
        if np.any(service < 0):
            raise _fail(path, "SERVICE_TIME_SECTION", "negative service time")
    else:
        svc_value = _float_spec(path, raw, "service_time")
        service = np.zeros(n)
        if svc_value is not None:
            service[1:] = svc_value
    limit = _float_spec(path, raw, "distance")
    try:
        spec = VehicleSpec(
            capacity=capacity,
            num_available=_fleet(path, name, raw, fleet),
            max_distance=limit,
            max_duration=limit,
            name="vehicle",
        )
        return Instance.from_arrays(
            coords,
            demand,
            [spec],
            service_time=service,
            node_ids=range(1, n + 1),
            dim_names=("demand",),
            name=name,
            metadata={
                "source": os.fspath(path),
                "format": "vrplib",
                "comment": raw.get("comment", ""),
                "edge_weight_type": ewt,
            },
            **kwargs,
        )
    except FormatError:
        raise
    except InputError as exc:
        raise FormatError(f"{os.fspath(path)}: {exc}") from None


# -- solutions -------------------------------------------------------------------------------


def _route_lists(routes: Any) -> list[list[int]]:
    """Client-index lists from a Solution, a list of Routes or a list of lists."""
    if isinstance(routes, _core.Solution):
        routes = routes.routes
    out = []
    for r, route in enumerate(routes):
        visits = route.visits if isinstance(route, _core.Route) else route
        try:
            out.append([int(c) for c in visits])
        except (TypeError, ValueError):
            raise InputError(f"routes[{r}]: expected a sequence of client indices") from None
    return out


def read_solution_with_cost(path: PathLike) -> tuple[list[list[int]], float | None]:
    """Routes (client indices 1..n) and the ``Cost`` line (None if absent) of a ``.sol`` file."""
    p = Path(path)
    if not p.is_file():
        raise FormatError(f"{os.fspath(path)}: file not found")
    try:
        sol = vrplib.read_solution(p)
    except Exception as exc:
        raise FormatError(
            f"{os.fspath(path)}: Route: malformed solution file ({type(exc).__name__}: {exc})"
        ) from None
    routes = sol.get("routes", [])
    if not routes:
        raise FormatError(f"{os.fspath(path)}: Route: no 'Route #k:' lines found")
    for r, route in enumerate(routes):
        if not route:
            raise FormatError(f"{os.fspath(path)}: Route #{r + 1}: empty route")
        if min(route) < 1:
            raise FormatError(
                f"{os.fspath(path)}: Route #{r + 1}: client index {min(route)} < 1 (clients are numbered 1..n)"
            )
    cost = sol.get("cost")
    if cost is not None and (isinstance(cost, str) or not math.isfinite(cost)):
        raise FormatError(f"{os.fspath(path)}: Cost: expected a number, got {cost!r}")
    return routes, (None if cost is None else float(cost))


def read_solution(path: PathLike) -> list[list[int]]:
    """Routes of a VRPLIB ``.sol`` file as lists of client indices 1..n (depot implicit)."""
    return read_solution_with_cost(path)[0]


def write_solution(
    path: PathLike,
    routes: _core.Solution | Sequence[_core.Route] | Sequence[Sequence[int]],
    cost: float | None = None,
) -> None:
    """Write routes as a VRPLIB ``.sol`` file (empty routes are skipped), with a ``Cost`` line
    when ``cost`` is given (or, for a ``Solution``, its cost)."""
    if cost is None and isinstance(routes, _core.Solution):
        cost = routes.cost
    lists = [r for r in _route_lists(routes) if r]
    for r, route in enumerate(lists):
        if min(route) < 1:
            raise InputError(f"routes[{r}]: client index {min(route)} < 1")
    data = None
    if cost is not None:
        c = float(cost)
        data = {"Cost": int(c) if c.is_integer() else c}
    vrplib.write_solution(path, lists, data)


__all__ = [
    "read_solution",
    "read_solution_with_cost",
    "read_vrplib",
    "write_solution",
]
