"""Checked reading of VRPLIB sections and headers, shared by the VRPLIB readers: every error is
a FormatError naming the file and the section."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..errors import FormatError


def fail(path: str | os.PathLike[str], field: str, msg: str) -> FormatError:
    """``FormatError("<path>: <field>: <msg>")``."""
    return FormatError(f"{path}: {field}: {msg}")


def section(
    path: str | os.PathLike[str],
    raw: dict[str, Any],
    key: str,
    shape: tuple[int, ...],
    *,
    nonnegative: bool = False,
) -> np.ndarray:
    """``raw[key]`` as a float array of ``shape``, finite (and >= 0 when ``nonnegative``)."""
    field = f"{key.upper()}_SECTION"
    if key not in raw:
        raise fail(path, field, "missing")
    try:
        arr = np.asarray(raw[key], dtype=float)
    except (TypeError, ValueError):
        raise fail(path, field, "ragged or non-numeric rows") from None
    if arr.shape != shape:
        raise fail(path, field, f"expected shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise fail(path, field, "contains non-finite values")
    if nonnegative and np.any(arr < 0):
        raise fail(path, field, "negative values")
    return arr


__all__ = ["fail", "section"]


def single_depot_header(
    path: str | os.PathLike[str], raw: dict[str, Any], sections: set[str], kind: str
) -> tuple[int, int]:
    """Checks shared by the single-depot EUC_2D readers (VRPTW, VRPB): only ``sections``,
    ``EDGE_WEIGHT_TYPE: EUC_2D``, ``DIMENSION >= 2``, one depot at node 1 and a non-negative
    integer ``CAPACITY``; returns (DIMENSION, CAPACITY)."""
    for key, value in raw.items():
        if isinstance(value, np.ndarray | list) and key not in sections:
            raise fail(path, f"{key.upper()}_SECTION", "unsupported section")
    if str(raw.get("edge_weight_type", "")).strip().upper() != "EUC_2D":
        raise fail(path, "EDGE_WEIGHT_TYPE", f"{kind} files must use EUC_2D")
    n = int(raw.get("dimension", 0))
    if n < 2:
        raise fail(path, "DIMENSION", f"need a depot and at least one client, got {n}")
    if "depot" in raw:
        depots = np.asarray(raw["depot"]).ravel()
        if depots.size != 1 or int(depots[0]) != 0:
            raise fail(path, "DEPOT_SECTION", "only a single depot at node 1 is supported")
    cap = raw.get("capacity")
    if isinstance(cap, bool) or not isinstance(cap, int | float) or cap < 0 or cap != int(cap):
        raise fail(path, "CAPACITY", f"expected a non-negative integer, got {cap!r}")
    return n, int(cap)
