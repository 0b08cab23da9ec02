"""The physics + ML hybrid SPR model: the CA core plus a trusted-range ML residual correction.

For each target the SPR model predicts at route or station-day level,

* ``km`` and ``duration_s`` of a route: CA = the fitted route formulas on the route's geometry
  (:func:`~.observed_ca.route_ca`), or, when the model's route geometry was fitted on routes
  with observed legs and the table carries the order-free features (``observe_table``), the
  road physics of :func:`~.route_predict.route_physics` (circuity x order-free path length,
  speeds per leg type; without its local correction, itself a learnt one) plus the service
  time; features :data:`~.observed_ca.ROUTE_FEATURES`;
* ``spr`` of a station-day: CA = packages / the model's station route count
  (:func:`~.observed_ca.station_days`, :meth:`SPRModel.predict <.model.SPRModel.predict>`),
  features :data:`~.observed_ca.DAY_FEATURES`,

a :class:`~.residual.ResidualCorrection` learns the log-residual of the CA on the calibration
observations (or, when cross-validation on them says it is better, blends toward a monotone
pure-ML model), shrunk by cross-validation and applied with the trust weight of its training
feature range: inside it the prediction is the hybrid, outside it fades back to the pure CA.
Each prediction reports which applied: columns ``<target>_correction`` (``"hybrid"``,
``"faded"`` or ``"ca"``) and ``<target>_weight`` (the trust weight in [0, 1]) next to
``<target>_ca`` (pure physics) and ``<target>`` (the hybrid value).
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
from .observed_ca import DAY_FEATURES, ROUTE_FEATURES, day_features, route_ca, station_days
from .params import SPRParams
from .predict import predict, resolve_van
from .residual import ResidualCorrection
from .route_predict import route_physics
from .scenario import Scenario
from .vans import VanType

#: Route targets: prediction name -> observed column of the route table.
ROUTE_TARGETS: dict[str, str] = {"km": "distance_km", "duration_s": "duration_s"}

#: Every target the hybrid can correct.
TARGETS: tuple[str, ...] = ("km", "duration_s", "spr")

#: Monotone constraints of the direct (pure-ML) candidate of each correction, from physics:
#: route km and time increase with the station distance, the local factor, stops and packages
#: (:data:`~.observed_ca.ROUTE_FEATURES`); station-day SPR increases with packages, the van's
#: capacity and the shift, decreases with stops and distance (:data:`~.observed_ca.DAY_FEATURES`).
ROUTE_MONOTONE: tuple[int, ...] = (1, 1, 1, 1, 0)
DAY_MONOTONE: tuple[int, ...] = (1, -1, 0, -1, 1, 1)


def _annotate(
    out: pd.DataFrame, name: str, corr: ResidualCorrection | None, X: np.ndarray, ca: np.ndarray
) -> None:
    out[f"{name}_ca"] = ca
    if corr is None:
        out[name] = ca
        out[f"{name}_weight"] = 0.0
        out[f"{name}_correction"] = "ca"
        return
    ok = np.isfinite(ca) & (ca > 0)
    val, w, lab = ca.copy(), np.zeros(len(ca)), np.full(len(ca), "ca", dtype=object)
    if ok.any():
        v, ww, ll = corr.predict(X[ok], ca[ok])
        val[ok], w[ok], lab[ok] = v, ww, ll
    out[name] = val
    out[f"{name}_weight"] = w
    out[f"{name}_correction"] = lab


def _route_ca(params: SPRParams, routes: pd.DataFrame) -> pd.DataFrame:
    """:func:`~.observed_ca.route_ca` with km / driving / duration from
    :func:`~.route_predict.route_physics` where it applies (see the module docstring)."""
    ca = route_ca(params, routes)
    phys = route_physics(params, routes)
    if phys is None:
        return ca
    km, drive = phys
    ok = np.isfinite(km) & (km > 0) & np.isfinite(drive) & (drive > 0)
    ca.loc[ok, "km"] = km[ok]
    ca.loc[ok, "driving_s"] = drive[ok]
    ca["duration_s"] = ca["driving_s"] + ca["service_s"]
    return ca


@dataclass(frozen=True)
class SPRHybrid:
    """CA model parameters plus one :class:`~.residual.ResidualCorrection` per target.

    Build with :meth:`fit` (or :meth:`SPRModel.fit_hybrid <.model.SPRModel.fit_hybrid>`).
    Not JSON-serialisable (the boosters are scikit-learn objects; pickle works)."""

    params: SPRParams
    corrections: dict[str, ResidualCorrection]

    @classmethod
    def fit(
        cls,
        params: SPRParams,
        observations: Observations | pd.DataFrame,
        *,
        targets: Sequence[str] = TARGETS,
        seed: int = 0,
        inner: float = 0.98,
        folds: int = 5,
    ) -> SPRHybrid:
        """Fit the corrections of ``targets`` on calibration observations (best: the ones the
        CA was fitted on, or more); ``inner`` the share of the training data in the fully
        trusted core of the trust region (:class:`~.trust.TrustRegion`). Deterministic for a
        given ``seed``."""
        for t in targets:
            if t not in TARGETS:
                raise InputError(f"targets: unknown target {t!r} (known: {', '.join(TARGETS)})")
        corrections: dict[str, ResidualCorrection] = {}
        routes = observations.routes if isinstance(observations, Observations) else observations
        route_targets = [t for t in targets if t in ROUTE_TARGETS]
        if route_targets:
            ca = _route_ca(params, routes)
            X = ca[list(ROUTE_FEATURES)].to_numpy(float)
            for t in route_targets:
                col = ROUTE_TARGETS[t]
                if col not in routes.columns:
                    raise InputError(f"{col}: missing column in the route table")
                y = pd.to_numeric(routes[col], errors="coerce").to_numpy(float)
                corrections[t] = ResidualCorrection.fit(
                    X,
                    ca[t].to_numpy(float),
                    y,
                    ROUTE_FEATURES,
                    seed=seed,
                    inner=inner,
                    folds=folds,
                    direct_monotone=ROUTE_MONOTONE,
                )
        if "spr" in targets:
            d = station_days(params, observations)
            d = d[np.isfinite(d["spr_ca"])]
            X = d[[f"f_{f}" for f in DAY_FEATURES]].to_numpy(float)
            corrections["spr"] = ResidualCorrection.fit(
                X,
                d["spr_ca"].to_numpy(float),
                d["spr"].to_numpy(float),
                DAY_FEATURES,
                seed=seed,
                inner=inner,
                folds=folds,
                direct_monotone=DAY_MONOTONE,
            )
        return cls(params, corrections)

    def predict_routes(self, routes: pd.DataFrame) -> pd.DataFrame:
        """Per route (rows of a route table with ``station``, ``r_km``, ``local_x``, ``stops``,
        ``packages``): ``km`` and ``duration_s`` with their ``_ca``, ``_weight`` and
        ``_correction`` columns (see the module docstring). Index as ``routes``."""
        ca = _route_ca(self.params, routes)
        X = ca[list(ROUTE_FEATURES)].to_numpy(float)
        out = pd.DataFrame(index=routes.index)
        for t in ROUTE_TARGETS:
            _annotate(out, t, self.corrections.get(t), X, ca[t].to_numpy(float))
        return out

    def predict_station_days(
        self,
        observations: Observations | pd.DataFrame,
        vans: Sequence[VanType] | None = None,
    ) -> pd.DataFrame:
        """Per observed station-day (:func:`~.observed_ca.station_days`): ``spr_ca``, the hybrid
        ``spr``, ``spr_weight``, ``spr_correction`` next to the observed ``spr_observed``;
        ``vans`` adds van types the model has not seen (e.g. an unseen larger van)."""
        d = station_days(self.params, observations, vans).rename(columns={"spr": "spr_observed"})
        X = d[[f"f_{f}" for f in DAY_FEATURES]].to_numpy(float)
        ca = d.pop("spr_ca").to_numpy(float)
        _annotate(d, "spr", self.corrections.get("spr"), X, ca)
        return d

    def predict(
        self,
        scenario: Scenario | pd.DataFrame | Mapping[str, Any],
        *,
        vans: Sequence[Any] | None = None,
        **overrides: Any,
    ) -> pd.DataFrame:
        """:func:`~.predict.predict` with the station rows' ``spr`` corrected (``spr_ca``,
        ``spr_weight``, ``spr_correction`` added, ``routes_hybrid = packages / spr``); zone rows
        are the pure CA (``spr_correction == "ca"``)."""
        table = predict(self.params, scenario, vans=vans, **overrides)
        table["spr_ca"] = table["spr"]
        table["spr_weight"] = 0.0
        table["spr_correction"] = "ca"
        table["routes_hybrid"] = table["routes"].astype(float)
        corr = self.corrections.get("spr")
        shift = overrides.get("shift_s")
        if shift is None and isinstance(scenario, Scenario):
            shift = scenario.shift_s
        zones = table[table["level"] == "zone"]
        for i in np.flatnonzero((table["level"] == "station").to_numpy()):
            row = table.iloc[i]
            van = resolve_van(self.params, str(row["van_type"]))
            zr = zones[
                (zones["station"] == row["station"]) & (zones["van_type"] == row["van_type"])
            ]
            if row["station"] is None or (isinstance(row["station"], float)):
                zr = zones[zones["van_type"] == row["van_type"]]
            f = day_features(zr, van.capacity_packages, float(shift or van.shift_s))
            X = np.array([[f[k] for k in DAY_FEATURES]])
            ca = np.array([float(row["spr"])])
            part = pd.DataFrame(index=[0])
            _annotate(part, "spr", corr, X, ca)
            for c in ("spr", "spr_ca", "spr_weight", "spr_correction"):
                table.iat[i, table.columns.get_loc(c)] = part[c].iloc[0]
            spr = float(part["spr"].iloc[0])
            table.iat[i, table.columns.get_loc("routes_hybrid")] = (
                float(row["packages"]) / spr if spr > 0 and math.isfinite(spr) else math.nan
            )
        return table


__all__ = ["DAY_MONOTONE", "ROUTE_MONOTONE", "ROUTE_TARGETS", "TARGETS", "SPRHybrid"]
