"""How many vans to own under uncertain need: the newsvendor quantile of the Monte Carlo van need.

Owning ``n`` vans on a day that needs ``D`` costs ``cost_missing * max(D - n, 0)`` (a van
hired in, a route not driven) plus ``cost_idle * max(n - D, 0)`` (a van paid for and parked).
The expected cost is minimised by the smallest ``n`` with ``P(D <= n) >= q*`` where
``q* = cost_missing / (cost_missing + cost_idle)`` (the critical ratio). From Monte Carlo draws
this is the inverted-CDF quantile ``q*`` of the draws; from a P50/P90 forecast alone it is the
quantile of the normal distribution through those two points, rounded up.
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import InputError

_Z90 = NormalDist().inv_cdf(0.9)


def critical_ratio(cost_missing: float, cost_idle: float) -> float:
    """``cost_missing / (cost_missing + cost_idle)``; InputError naming a bad cost."""
    for name, v in (("cost_missing", cost_missing), ("cost_idle", cost_idle)):
        if not (math.isfinite(float(v)) and v >= 0):
            raise InputError(f"{name}: must be a finite cost >= 0, got {v!r}")
    if cost_missing + cost_idle <= 0:
        raise InputError("cost_missing: cost_missing and cost_idle cannot both be 0")
    return float(cost_missing) / float(cost_missing + cost_idle)


def expected_cost(draws: npt.ArrayLike, n: float, cost_missing: float, cost_idle: float) -> float:
    """Mean over the draws of the missing-van and idle-van cost of owning ``n`` vans."""
    d = np.asarray(draws, dtype=np.float64)
    return float(
        np.mean(cost_missing * np.maximum(d - n, 0.0) + cost_idle * np.maximum(n - d, 0.0))
    )


def newsvendor_quantile(draws: npt.ArrayLike, cost_missing: float, cost_idle: float) -> float:
    """The van count minimising :func:`expected_cost` over the draws: their inverted-CDF
    quantile at the critical ratio (draws are whole vans, so is the result)."""
    d = np.asarray(draws, dtype=np.float64).ravel()
    if len(d) == 0 or not np.all(np.isfinite(d)):
        raise InputError("draws: expected finite Monte Carlo draws (at least one)")
    q = critical_ratio(cost_missing, cost_idle)
    if q == 0.0:
        return float(d.min())
    return float(np.quantile(d, q, method="inverted_cdf"))


def newsvendor_from_quantiles(
    p50: npt.ArrayLike, p90: npt.ArrayLike, cost_missing: float, cost_idle: float
) -> npt.NDArray[np.float64]:
    """Newsvendor fleet from P50/P90 only: the critical-ratio quantile of the normal through
    them (sigma = (P90 - P50) / z_0.9), rounded up to whole vans and never below 0."""
    a = np.asarray(p50, dtype=np.float64)
    b = np.asarray(p90, dtype=np.float64)
    if np.any(~np.isfinite(a)) or np.any(a < 0):
        raise InputError("vans_p50: must be finite and >= 0")
    if np.any(~np.isfinite(b)) or np.any(b < a):
        raise InputError("vans_p90: must be finite and >= vans_p50")
    q = critical_ratio(cost_missing, cost_idle)
    q = min(max(q, 1e-6), 1.0 - 1e-6)
    z = NormalDist().inv_cdf(q)
    x = a + z * (b - a) / _Z90
    return np.asarray(np.maximum(np.ceil(x - 1e-9), 0.0), dtype=np.float64)


def buy_table(results: Any, cost_missing: float, cost_idle: float) -> pd.DataFrame:
    """One row per month x station x van type of Monte Carlo results (the dictionaries of
    :func:`lastmile_core.fleet.montecarlo.simulate`): ``vans_p50``, ``vans_p90``, ``vans_buy``
    (the newsvendor quantile), ``buy_quantile`` (the critical ratio) and the expected daily cost
    of owning each of the three."""
    q = critical_ratio(cost_missing, cost_idle)
    rows = []
    for r in results:
        for j, name in enumerate(r["vans"]):
            d = np.asarray(r["draws"])[:, j]
            p50 = float(np.quantile(d, 0.5, method="inverted_cdf"))
            p90 = float(np.quantile(d, 0.9, method="inverted_cdf"))
            buy = newsvendor_quantile(d, cost_missing, cost_idle)
            rows.append(
                {
                    "month": r["month"],
                    "station": r["station"],
                    "van_type": name,
                    "vans_p50": p50,
                    "vans_p90": p90,
                    "vans_buy": buy,
                    "buy_quantile": q,
                    "cost_p50": expected_cost(d, p50, cost_missing, cost_idle),
                    "cost_p90": expected_cost(d, p90, cost_missing, cost_idle),
                    "cost_buy": expected_cost(d, buy, cost_missing, cost_idle),
                }
            )
    return pd.DataFrame(rows)


__all__ = [
    "buy_table",
    "critical_ratio",
    "expected_cost",
    "newsvendor_from_quantiles",
    "newsvendor_quantile",
]
