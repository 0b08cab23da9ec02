"""Checked reading of VRPLIB sections, shared by the CVRP and VRPTW readers: every error is a
FormatError naming the file and the section."""

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
