"""The SPR model: fitted :class:`~.params.SPRParams` with fitting, prediction, uncertainty and
JSON as methods."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import calibrate, predict, route_predict, serialise, uncertainty
from .distribution import SPRDistribution
from .energy import EnergyModel
from .hybrid import SPRHybrid
from .observations import Observations
from .params import SPRParams, ZoneProfile
from .scenario import Scenario
from .update import update as update_params
from .vans import VanType


@dataclass(frozen=True)
class SPRModel:
    """Calibrated continuous-approximation SPR model (see :mod:`lastmile_core.spr`).

    ``params`` holds every fitted parameter (:class:`~.params.SPRParams`); its fields are also
    readable as attributes of the model (``model.coef``, ``model.utilisation``, ...).
    :meth:`with_params` gives a model with some of them changed.

    ``linehaul_own_share`` (lambda in [0, 1]): the line-haul distance a zone's routes pay is
    ``lambda * r_z + (1 - lambda) * r_mean`` with ``r_mean`` the stop-weighted mean over the
    station's zones in the prediction (or the ``r_ref_km`` column). lambda = 1 is the classic
    zone-by-zone CA; smaller values model routes to far zones that fill up with stops of nearer
    zones on the way (Daganzo's wedge-shaped delivery districts), which removes the systematic
    over-count of time-bound routes that zone-by-zone aggregation gives (Jensen's inequality in
    ``sum_z N_z / n_max(r_z)``). Fitted with the utilisation factors.

    ``zone_mix`` (in [0, 1]): station routes = ``zone_mix * sum_z max_c work + (1 - zone_mix) *
    max_c sum_z work`` (see :func:`~.ca.station_routes`): 1 = zones never share routes, 0 =
    routes combine zones so every constraint is a pooled station resource. Fitted likewise.

    ``route_count``: ``"fractional"`` (station routes = ceil of the summed fractional zone
    routes) or ``"zones"`` (:func:`~.ca.zone_integer_routes` with the fitted
    ``overflow_stops``; utilisation factors capped at 1, no line-haul share / zone mix).
    The station ``binding`` is the resource with the highest predicted fleet fill either way.
    """

    params: SPRParams = field(default_factory=SPRParams)

    # -- the parameters, read-only ------------------------------------------------------------
    @property
    def coef(self) -> dict[str, dict[str, tuple[float, ...]]]:
        return self.params.coef

    @property
    def coef_se(self) -> dict[str, tuple[float, ...]]:
        return self.params.coef_se

    @property
    def rho(self) -> dict[str, float]:
        return self.params.rho

    @property
    def rho_cv(self) -> float:
        return self.params.rho_cv

    @property
    def h_per_km2(self) -> float | None:
        return self.params.h_per_km2

    @property
    def volume_per_package(self) -> dict[str, float]:
        return self.params.volume_per_package

    @property
    def weight_per_package(self) -> dict[str, float]:
        return self.params.weight_per_package

    @property
    def zones(self) -> dict[str, ZoneProfile]:
        return self.params.zones

    @property
    def utilisation(self) -> dict[str, float]:
        return self.params.utilisation

    @property
    def utilisation_fitted(self) -> tuple[str, ...]:
        return self.params.utilisation_fitted

    @property
    def utilisation_station(self) -> dict[str, dict[str, float]]:
        return self.params.utilisation_station

    @property
    def linehaul_own_share(self) -> float:
        return self.params.linehaul_own_share

    @property
    def zone_mix(self) -> float:
        return self.params.zone_mix

    @property
    def route_count(self) -> str:
        return self.params.route_count

    @property
    def overflow_stops(self) -> float:
        return self.params.overflow_stops

    @property
    def van_types(self) -> dict[str, VanType]:
        return self.params.van_types

    @property
    def circuity(self) -> float:
        return self.params.circuity

    @property
    def quality(self) -> dict[str, dict[str, float]]:
        return self.params.quality

    @property
    def kappa_routes(self) -> float:
        return self.params.kappa_routes

    @property
    def kappa_stops(self) -> float:
        return self.params.kappa_stops

    @property
    def kappa_days(self) -> float:
        return self.params.kappa_days

    @property
    def version(self) -> int:
        return self.params.version

    def with_params(self, **changes: Any) -> SPRModel:
        """A model whose parameters are ``self.params`` with ``changes`` (field names of
        :class:`~.params.SPRParams`)."""
        return SPRModel(replace(self.params, **changes))

    # -- fitting ------------------------------------------------------------------------------
    @classmethod
    def fit(
        cls,
        observations: Observations | pd.DataFrame,
        *,
        kappa_routes: float = 20.0,
        kappa_stops: float = 30.0,
        kappa_days: float = 12.0,
        fit_saturation: bool = True,
        fit_utilisation: bool = True,
        fit_linehaul_share: bool = True,
        vans: Sequence[VanType] | None = None,
        route_count: str = "fractional",
    ) -> SPRModel:
        """Calibrate on observations (:func:`~.observe.observe` / :func:`~.observe.observe_table`:
        an :class:`Observations`, or a route table alone, see
        :func:`~.observations.zones_from_routes`).

        1. Stops model per zone-day: ``rho`` per zone with shrinkage toward the station, city
           and global pooled values (``rho_z = (N_z rho_hat_z + kappa_stops rho_parent) /
           (N_z + kappa_stops)``, N_z observed stops); the saturation density ``h`` is chosen
           on a log grid (or None) by least squares on the zone-day stop counts.
        2. Route components (distance, driving time, service time) by linear least squares,
           global first, then per city and per station as ridge regressions pulled toward the
           parent level (the parent is worth ``kappa_routes`` routes): thin stations borrow
           strength, data-rich ones keep their own coefficients.
        3. ``route_count="zones"``: utilisation factors (<= 1) and the absorbed
           overflow (stops) minimising the relative route-count error of the zone-by-zone rule
           (:func:`~.fit_utilisation.fit_zone_rounding`). ``route_count="fractional"``
           (default): utilisation factors by least squares of predicted fractional routes
           against observed route counts per station-day and van type (target ``routes -
           0.5``, the mean rounding loss of ``ceil``), coordinate search over the constraints
           that bind in the data, together with the line-haul share ``linehaul_own_share`` and
           the zone mix (see the class docstring); then per station x van type, shrunk toward
           the global factors (the parent is worth ``kappa_days`` station-days).

        Fit quality (R^2, MAPE) per component lands in ``quality``.
        """
        return cls(
            calibrate.fit(
                observations,
                kappa_routes=kappa_routes,
                kappa_stops=kappa_stops,
                kappa_days=kappa_days,
                fit_saturation=fit_saturation,
                fit_utilisation_factors=fit_utilisation,
                fit_linehaul_share=fit_linehaul_share,
                vans=vans,
                route_count=route_count,
            )
        )

    # -- prediction ---------------------------------------------------------------------------
    def predict(
        self,
        scenario: Scenario | pd.DataFrame | Mapping[str, Any],
        *,
        vans: Sequence[VanType | str] | None = None,
        energy: EnergyModel | None = None,
        **overrides: Any,
    ) -> pd.DataFrame:
        """Predict SPR, routes, km, energy and the binding constraint per zone and station
        (see :func:`~.predict.predict`). ``overrides``: :class:`Scenario` fields (``shift_s``,
        ``battery_kwh``, ``temperature_c``, ``volume_factor``, ``station``, ``city``); an
        unknown one raises InputError naming it."""
        return predict.predict(self.params, scenario, vans=vans, energy=energy, **overrides)

    def predict_routes(self, stops: pd.DataFrame, **kwargs: Any) -> pd.DataFrame:
        """km, duration (driving + service) and, with ``van=``, energy of every route of a stop
        table, from its stops alone (see :func:`~.route_predict.predict_routes`)."""
        return route_predict.predict_routes(self.params, stops, **kwargs)

    def predict_day(self, instance: Any, van: VanType, **kwargs: Any) -> dict[str, Any]:
        """Station-day summary (routes, spr, km, duration_s, binding) of an instance without
        solving it (see :func:`~.route_predict.predict_day`)."""
        return route_predict.predict_day(self.params, instance, van, **kwargs)

    def stops(self, packages: Any, area_km2: Any, rho: Any) -> np.ndarray:
        """Expected stops for ``packages`` in zones of ``area_km2`` with packages-per-stop ``rho``."""
        return predict.expected_stops(self.params, packages, area_km2, rho)

    def resolve_van(self, van: VanType | str) -> VanType:
        """A van type, or the van type of that name seen in training (InputError otherwise)."""
        return predict.resolve_van(self.params, van)

    def station_zones(self, station: str, city: str | None = None) -> pd.DataFrame:
        """The zone profiles of a station seen in training (share, area, r, packages/stop)."""
        return predict.station_zones(self.params, station, city)

    # -- uncertainty --------------------------------------------------------------------------
    def perturbed(self, rng: np.random.Generator, utilisation_sd: float = 0.01) -> SPRModel:
        """A copy with parameters drawn from their estimated uncertainty (for Monte Carlo), see
        :func:`~.uncertainty.perturbed`."""
        return SPRModel(uncertainty.perturbed(self.params, rng, utilisation_sd))

    # -- hybrid, distribution, re-calibration (modules .hybrid, .distribution, .update) ------
    def fit_hybrid(self, observations: Observations | pd.DataFrame, **kw: Any) -> SPRHybrid:
        """The physics + ML hybrid on this model (see :class:`~.hybrid.SPRHybrid`)."""
        return SPRHybrid.fit(self.params, observations, **kw)

    def fit_distribution(self, observations: Observations | pd.DataFrame) -> SPRDistribution:
        """Route-SPR ratios calibrated on (held-out) observations, see :mod:`.distribution`."""
        return SPRDistribution.fit(self.params, observations)

    def predict_distribution(
        self,
        scenario: Scenario | pd.DataFrame | Mapping[str, Any],
        distribution: SPRDistribution,
        *,
        quantiles: Sequence[float] = (0.1, 0.5, 0.9),
        **kw: Any,
    ) -> pd.DataFrame:
        """:meth:`predict` plus SPR quantiles over routes (``spr_p10``, ``spr_p50``, ...) on
        the station rows (see :meth:`~.distribution.SPRDistribution.predict`)."""
        return distribution.predict(self.params, scenario, quantiles=quantiles, **kw)

    def update(
        self,
        new_observations: Observations | pd.DataFrame,
        *,
        history: Observations | pd.DataFrame | None = None,
        window: int | None = None,
        **kw: Any,
    ) -> tuple[SPRModel, pd.DataFrame]:
        """Monthly re-calibration on a rolling window: (new model, drift report of every
        parameter), see :func:`~.update.update`."""
        p, drift = update_params(
            self.params, new_observations, history=history, window=window, **kw
        )
        return SPRModel(p), drift

    # -- serialisation ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-ready parameters (NaN stored as null, restored as NaN by :meth:`from_dict`)."""
        return serialise.params_to_dict(self.params)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SPRModel:
        return cls(serialise.params_from_dict(d))

    def to_json(self, path: str | Path) -> None:
        """Write the model as standard JSON (floats round-trip exactly; NaN as null)."""
        serialise.write_json(self.params, path)

    @classmethod
    def from_json(cls, path: str | Path) -> SPRModel:
        return cls(serialise.read_json(path))

    def summary(self) -> dict[str, Any]:
        """Headline parameters: k (local constant without circuity), line-haul circuity,
        service-time model, speeds, utilisation and fit quality."""
        p = self.params
        g = p.coef.get("global", {})
        out: dict[str, Any] = {}
        if g:
            c_lh, kc = g["distance"]
            s_lh, s_loc = g["driving"]
            out.update(
                k=kc / p.circuity,
                k_times_circuity=kc,
                circuity=p.circuity,
                linehaul_circuity=c_lh,
                service_per_stop_s=g["service"][0],
                service_per_package_s=g["service"][1],
                linehaul_speed_kmh=3600.0 * c_lh / s_lh if s_lh > 0 else math.inf,
                local_speed_kmh=3600.0 * kc / s_loc if s_loc > 0 else math.inf,
            )
        out["packages_per_stop"] = p.rho.get("global")
        out["h_per_km2"] = p.h_per_km2
        out["utilisation"] = dict(p.utilisation)
        out["utilisation_fitted"] = list(p.utilisation_fitted)
        out["quality"] = p.quality
        return out


__all__ = ["SPRModel"]
