"""Station (depot) rows in a per-stop table: a boolean column or a ``(column, value)`` spec.

Shared by :func:`lastmile_core.metrics.from_table` and :mod:`lastmile_core.spr.ingest`, so a
text column (e.g. ``type`` = ``"Station"`` / ``"Dropoff"``) is never read as all true.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError


def depot_mask(
    df: pd.DataFrame, is_depot: str | tuple[str, Any] | None, arg: str = "is_depot"
) -> np.ndarray:
    """The station rows: ``is_depot`` a boolean column name, a ``(column, value)`` pair (rows
    where the column equals the value) or None (the canonical ``is_depot`` column if present,
    else no station rows). A text column given as boolean raises InputError (it would read as
    all true)."""
    if is_depot is None:
        if "is_depot" not in df.columns:
            return np.zeros(len(df), dtype=bool)
        is_depot = "is_depot"
    if isinstance(is_depot, tuple):
        if len(is_depot) != 2 or not isinstance(is_depot[0], str):
            raise InputError(f"{arg}: expected a column name or (column, value), got {is_depot!r}")
        col, value = is_depot
        if col not in df.columns:
            raise InputError(f"{arg}: column {col!r} not in the table")
        mask = (df[col] == value).to_numpy(dtype=bool)
        if not mask.any():
            seen = list(pd.unique(df[col]))[:5]
            raise InputError(f"{arg}: no row has {col} == {value!r} (values: {seen!r})")
        return np.asarray(mask, dtype=bool)
    if not isinstance(is_depot, str):
        raise InputError(f"{arg}: expected a column name or (column, value), got {is_depot!r}")
    if is_depot not in df.columns:
        raise InputError(f"{arg}: column {is_depot!r} not in the table")
    s = df[is_depot]
    if pd.api.types.is_bool_dtype(s):
        return np.asarray(s.fillna(False).to_numpy(dtype=bool), dtype=bool)
    if s.dtype == object and s.dropna().map(type).isin([bool, np.bool_]).all():
        return np.asarray(s.fillna(False).to_numpy(dtype=bool), dtype=bool)
    if pd.api.types.is_numeric_dtype(s):
        vals = s.to_numpy(dtype=float)
        if np.isin(vals[~np.isnan(vals)], (0.0, 1.0)).all():
            return np.asarray(np.nan_to_num(vals, nan=0.0) == 1.0, dtype=bool)
    seen = list(pd.unique(s))[:5]
    raise InputError(
        f"{arg}: column {is_depot!r} is not boolean (values {seen!r}); give the station value "
        f"as {arg}=({is_depot!r}, <value>)"
    )


__all__ = ["depot_mask"]
