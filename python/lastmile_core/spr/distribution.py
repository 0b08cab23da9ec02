"""The distribution of SPR over routes: P10 / P50 / P90 of the packages a route carries.

Method (empirical residual quantiles, in the spirit of split-conformal prediction): on
calibration observations, every route ``i`` of station-day ``d`` gives the ratio

    ``q_i = packages_i / SPR_CA(d)``

with ``SPR_CA(d)`` the model's *predicted* station-day SPR (packages / predicted routes, from the
day's zone table, :func:`~.observed_ca.station_days`), not the observed one, so the ratios carry
both the spread of route loads within a day (full routes, the partly filled last ones, routes
bound by time rather than capacity) and the error of the mean model. The predicted quantile
``p`` of SPR over the routes of a new station-day is ``SPR_CA * Q_p(q)``, ``Q_p`` the empirical
quantile (linear interpolation) of the calibration ratios. Calibrate on days that were *not*
used to fit the CA (or on a rolling window of recent days) for honest coverage; the coverage on
held-out days (share of routes at or below each predicted quantile) is measured by
:meth:`SPRDistribution.coverage`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .observations import Observations
from .observed_ca import DAY_KEY, split, station_days
from .params import SPRParams
from .predict import predict
from .scenario import Scenario

#: Default quantile levels.
QUANTILES: tuple[float, ...] = (0.1, 0.5, 0.9)

#: The method, as reported in :meth:`SPRDistribution.to_dict`.
METHOD = "empirical quantiles of route packages / predicted station-day SPR (calibration days)"


def column(q: float) -> str:
    """Column name of quantile ``q``: 0.1 -> ``spr_p10``, 0.975 -> ``spr_p97.5``."""
    return f"spr_p{100.0 * q:g}"


def _check_quantiles(quantiles: Sequence[float]) -> np.ndarray:
    q = np.asarray(list(quantiles), dtype=float)
    if q.ndim != 1 or not len(q) or not (np.isfinite(q).all() and (q > 0).all() and (q < 1).all()):
        raise InputError(f"quantiles: expected levels in (0, 1), got {list(quantiles)!r}")
    return q


def route_ratios(p: SPRParams, observations: Observations | pd.DataFrame) -> pd.DataFrame:
    """Per observed route: its station-day key, ``packages``, the day's predicted ``spr_ca`` and
    the ratio ``packages / spr_ca`` (station-days with no finite prediction are dropped)."""
    routes, _ = split(observations)
    days = station_days(p, observations)
    key = list(DAY_KEY)
    r = routes[[*key, "packages"]].merge(days[[*key, "spr_ca"]], on=key, how="inner")
    r = r[np.isfinite(r["spr_ca"]) & (r["spr_ca"] > 0)].reset_index(drop=True)
    r["ratio"] = r["packages"] / r["spr_ca"]
    return r


@dataclass(frozen=True)
class SPRDistribution:
    """Calibrated route-SPR ratios (see the module docstring); build with :meth:`fit`."""

    ratios: tuple[float, ...]
    n_days: int

    @classmethod
    def fit(cls, p: SPRParams, observations: Observations | pd.DataFrame) -> SPRDistribution:
        r = route_ratios(p, observations)
        if len(r) < 10:
            raise InputError(f"observations: need at least 10 routes to calibrate, got {len(r)}")
        n_days = int(r[list(DAY_KEY)].drop_duplicates().shape[0])
        return cls(tuple(float(v) for v in np.sort(r["ratio"].to_numpy(float))), n_days)

    def ratio_quantiles(self, quantiles: Sequence[float] = QUANTILES) -> np.ndarray:
        """``Q_p`` of the calibration ratios for each level."""
        return np.asarray(np.quantile(np.array(self.ratios), _check_quantiles(quantiles)))

    def predict(
        self,
        p: SPRParams,
        scenario: Scenario | pd.DataFrame | Mapping[str, Any],
        *,
        quantiles: Sequence[float] = QUANTILES,
        vans: Sequence[Any] | None = None,
        **overrides: Any,
    ) -> pd.DataFrame:
        """:func:`~.predict.predict` plus one column per quantile (:func:`column`) on the
        station rows (NaN on zone rows): SPR over the routes of that station-day."""
        qv = self.ratio_quantiles(quantiles)
        table = predict(p, scenario, vans=vans, **overrides)
        st = (table["level"] == "station").to_numpy()
        spr = table["spr"].to_numpy(float)
        for q, f in zip(quantiles, qv, strict=True):
            table[column(q)] = np.where(st, spr * f, math.nan)
        return table

    def coverage(
        self,
        p: SPRParams,
        observations: Observations | pd.DataFrame,
        quantiles: Sequence[float] = QUANTILES,
    ) -> dict[float, float]:
        """Share of the routes of (held-out) ``observations`` whose packages are at or below
        each predicted quantile (ideal: the level itself)."""
        qv = self.ratio_quantiles(quantiles)
        r = route_ratios(p, observations)
        if not len(r):
            raise InputError("observations: no route with a finite SPR prediction")
        x = r["ratio"].to_numpy(float)
        return {
            float(q): float(np.mean(x <= f + 1e-12)) for q, f in zip(quantiles, qv, strict=True)
        }

    def to_dict(self) -> dict[str, Any]:
        return {"method": METHOD, "n_days": self.n_days, "ratios": list(self.ratios)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SPRDistribution:
        try:
            ratios = tuple(sorted(float(v) for v in d["ratios"]))
            return cls(ratios, int(d["n_days"]))
        except KeyError as exc:
            raise InputError(f"{exc.args[0]}: missing in the SPR distribution document") from None


__all__ = ["METHOD", "QUANTILES", "SPRDistribution", "column", "route_ratios"]
