"""Time-window and release columns of a stop table (read by :func:`lastmile_core.io.read_stops`,
written by :func:`lastmile_core.io.write_stops`).

* ``tw_early``, ``tw_late``: the stop's delivery window (the depot row: the station's opening
  window). Both columns or neither; a row with both blank has no window, a row with one blank is
  an error.
* ``release``: when the stop's goods reach the station (the route serving it leaves after it);
  blank = 0. The depot row must be blank or 0.

Values are clock times ``"HH:MM"`` / ``"HH:MM:SS"`` (seconds since midnight) or numbers in the
instance's time unit (seconds for ``lon``/``lat`` tables, so ``28800`` = ``"08:00"``; planar
tables use their own time unit, where clock strings still mean seconds). ``tw_late`` may be
``inf`` (no closing time). Every bad value (unparseable, negative, non-finite, early > late, one
column blank) is an :class:`~lastmile_core.errors.InputError` naming the column and the row
(data row number, from 0 as in pandas, and ``stop_id``). The writer stores seconds / time units as numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _core
from ..errors import InputError
from ..timewindows import clock_seconds

TW_COLUMNS = ("tw_early", "tw_late")
RELEASE_COLUMN = "release"


def _blank(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return not v.strip()
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _value(col: str, where: str, v: Any, *, allow_inf: bool) -> float:
    field = f"{col}: {where}"
    if isinstance(v, str):
        text = v.strip()
        if ":" in text:
            t = clock_seconds(field, text)
        else:
            try:
                t = float(text)
            except ValueError:
                raise InputError(
                    f"{field}: {v!r} is not a number or an 'HH:MM[:SS]' clock time"
                ) from None
    else:
        t = clock_seconds(field, v)
    if math.isnan(t) or (math.isinf(t) and not (allow_inf and t > 0)):
        raise InputError(f"{field}: {v!r} is not a finite time")
    if t < 0:
        raise InputError(f"{field}: negative time {v!r}")
    return t


def read_stop_times(
    df: pd.DataFrame, ids: Sequence[Any], rows: Sequence[int]
) -> dict[str, npt.NDArray[np.float64]]:
    """``time_window`` (n, 2) and ``release_time`` (n,) keyword arguments of
    :meth:`Instance.from_arrays` from the columns of ``df`` (depot first; ``rows[i]``: the
    table row number of node i, ``ids[i]`` its stop_id), empty when the columns are absent."""
    out: dict[str, npt.NDArray[np.float64]] = {}
    n = len(df)
    have = [c for c in TW_COLUMNS if c in df.columns]
    if len(have) == 1:
        other = TW_COLUMNS[1 - TW_COLUMNS.index(have[0])]
        raise InputError(f"{other}: column missing (a window needs both tw_early and tw_late)")

    def where(i: int) -> str:
        return f"row {rows[i]} (stop_id {ids[i]!r})"

    if have:
        tw = np.empty((n, 2))
        early, late = df["tw_early"].tolist(), df["tw_late"].tolist()
        for i in range(n):
            b0, b1 = _blank(early[i]), _blank(late[i])
            if b0 != b1:
                blank, given = ("tw_early", "tw_late") if b0 else ("tw_late", "tw_early")
                raise InputError(f"{blank}: {where(i)} is blank but {given} is given")
            if b0:
                tw[i] = (0.0, math.inf)
                continue
            tw[i, 0] = _value("tw_early", where(i), early[i], allow_inf=False)
            tw[i, 1] = _value("tw_late", where(i), late[i], allow_inf=True)
            if tw[i, 0] > tw[i, 1]:
                raise InputError(
                    f"tw_early: {where(i)} opens at {early[i]!r} after tw_late {late[i]!r} "
                    "(early > late)"
                )
        out["time_window"] = tw
    if RELEASE_COLUMN in df.columns:
        values = df[RELEASE_COLUMN].tolist()
        rel = np.zeros(n)
        for i in range(n):
            if not _blank(values[i]):
                rel[i] = _value(RELEASE_COLUMN, where(i), values[i], allow_inf=False)
        if rel[0] != 0:
            raise InputError(
                f"{RELEASE_COLUMN}: {where(0)} is the depot: its release must be blank or 0"
            )
        out["release_time"] = rel
    return out


def stop_time_columns(data: _core.ProblemData, time_scale: float) -> dict[str, Any]:
    """The ``tw_early``/``tw_late``/``release`` columns of an instance's stop table (user time
    units; NaN: no window; only the columns that carry something)."""
    if not data.has_time_windows:
        return {}
    unl = int(_core.UNLIMITED)
    early = np.asarray(data.tw_early, dtype=np.int64)
    late = np.asarray(data.tw_late, dtype=np.int64)
    rel = np.asarray(data.release_time, dtype=np.int64)
    cols: dict[str, Any] = {}
    none = (early == 0) & (late >= unl)
    if not none.all():
        e = early / time_scale
        lt = np.where(late >= unl, math.inf, late / time_scale)
        cols["tw_early"] = np.where(none, np.nan, e)
        cols["tw_late"] = np.where(none, np.nan, lt)
    if rel.any():
        cols[RELEASE_COLUMN] = rel / time_scale
    return cols


__all__ = ["RELEASE_COLUMN", "TW_COLUMNS", "read_stop_times", "stop_time_columns"]
