"""Calibration of the SPR model: observations -> :class:`~lastmile_core.spr.params.SPRParams`.

:func:`fit` runs the stops model (:mod:`.fit_stops`), the route components (nonnegative,
:mod:`.fit_nonneg` on the features of :mod:`.fit_routes`)
and the route count (:mod:`.fit_utilisation`), then measures the fit quality.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..road import DEFAULT_ROAD
from .ca import stops_from_packages
from .fit_nonneg import fit_routes_nonneg
from .fit_routes import component_xy, mape, r2
from .fit_stops import fit_stops
from .fit_utilisation import fit_utilisation, fit_zone_rounding, training_groups
from .observations import REQUIRED_COLUMNS, Observations, validate_zone_table, zones_from_routes
from .params import COMPONENTS, ROUTE_COUNTS, SPRParams
from .predict import coef_for, predict_zones, station_route_count
from .route_predict import fit_route_geometry
from .vans import VanType


def validate_observations(observations: Any) -> pd.DataFrame:
    """A checked copy of a route table: the :data:`REQUIRED_COLUMNS`, key columns as text,
    finite non-negative numbers (InputError naming the column and row); ``city`` / ``route`` /
    volume / weight / capacity columns added when absent."""
    if not isinstance(observations, pd.DataFrame):
        raise InputError(
            f"observations: expected a pandas DataFrame, got {type(observations).__name__}"
        )
    if len(observations) == 0:
        raise InputError("observations: empty table")
    for c in REQUIRED_COLUMNS:
        if c not in observations.columns:
            raise InputError(f"{c}: missing column in observations")
    obs = observations.copy()
    if "city" not in obs:
        obs["city"] = "city"
    if "route" not in obs:
        obs["route"] = np.arange(len(obs))
    for c in ("city", "station", "day", "van_type"):
        obs[c] = obs[c].astype(str)
    for c in (
        "stops",
        "packages",
        "distance_km",
        "duration_s",
        "service_s",
        "r_km",
        "local_x",
        "cap_packages",
    ):
        vals = pd.to_numeric(obs[c], errors="coerce").astype(float)
        bad = ~np.isfinite(vals) | (vals < 0)
        if c == "cap_packages":  # NaN = capacities unknown (observe_table without vans)
            bad &= ~vals.isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{c}: invalid value {observations[c].iloc[i]!r} in row {i}")
        obs[c] = vals
    for c in ("volume_l", "weight_kg"):
        if c not in obs:
            obs[c] = np.nan
    for c in ("cap_volume_l", "cap_weight_kg"):
        if c not in obs:
            obs[c] = math.inf
        obs[c] = pd.to_numeric(obs[c], errors="coerce").fillna(math.inf).astype(float)
    return obs


def _training_vans(obs: pd.DataFrame) -> dict[str, VanType]:
    """The van types of the route table (capacities, shift and battery of its first route)."""
    vans: dict[str, VanType] = {}
    for name, g in obs.groupby("van_type"):
        r0 = g.iloc[0]
        if not np.isfinite(r0["cap_packages"]):
            continue  # capacities unknown: the van must be given at predict time
        vans[str(name)] = VanType(
            name=str(name),
            capacity_packages=float(r0["cap_packages"]),
            capacity_volume_l=float(r0.get("cap_volume_l", math.inf)),
            capacity_weight_kg=float(r0.get("cap_weight_kg", math.inf)),
            shift_s=float(r0["shift_s"]) if np.isfinite(r0["shift_s"]) else 24 * 3600.0,
            battery_kwh=float(r0.get("battery_kwh", 0.0) or 0.0),
            reserve_kwh=float(r0.get("reserve_kwh", 0.0) or 0.0),
        )
    return vans


def fit(
    observations: Observations | pd.DataFrame,
    *,
    kappa_routes: float = 20.0,
    kappa_stops: float = 30.0,
    kappa_days: float = 12.0,
    fit_saturation: bool = True,
    fit_utilisation_factors: bool = True,
    fit_linehaul_share: bool = True,
    vans: Sequence[VanType] | None = None,
    route_count: str = "fractional",
) -> SPRParams:
    """Calibrated parameters (see :meth:`SPRModel.fit <lastmile_core.spr.SPRModel.fit>`).

    ``observations``: an :class:`Observations` (route and zone tables) or a route table alone
    (its zone breakdown from :func:`~.observations.zones_from_routes`)."""
    if isinstance(observations, Observations):
        obs = validate_observations(observations.routes)
        long = validate_zone_table(observations.zones, obs)
    else:
        obs = validate_observations(observations)
        long = zones_from_routes(obs)
    if route_count not in ROUTE_COUNTS:
        raise InputError(f"route_count: expected 'fractional' or 'zones', got {route_count!r}")
    van_types = _training_vans(obs)
    for v in vans or ():
        van_types[v.name] = v
    stops = fit_stops(long, fit_saturation, float(kappa_stops))
    coef, coef_se = fit_routes_nonneg(obs, float(kappa_routes))
    p = SPRParams(
        coef=coef,
        coef_se=coef_se,
        rho=stops.rho,
        rho_cv=stops.rho_cv,
        h_per_km2=stops.h_per_km2,
        volume_per_package=stops.volume_per_package,
        weight_per_package=stops.weight_per_package,
        zones=stops.zones,
        route_count=route_count,
        kappa_routes=float(kappa_routes),
        kappa_stops=float(kappa_stops),
        kappa_days=float(kappa_days),
        van_types=van_types,
        routes_fit=fit_route_geometry(obs),
        circuity=float(np.nanmedian(obs["circuity"]))
        if "circuity" in obs and obs["circuity"].notna().any()
        else DEFAULT_ROAD.tour_circuity,
    )
    fit_utilisation_factors = fit_utilisation_factors and _route_counts_fittable(obs, van_types)
    if fit_utilisation_factors and route_count == "zones":
        p = fit_zone_rounding(p, obs, long)
    elif fit_utilisation_factors:
        p = fit_utilisation(p, obs, long, fit_linehaul_share)
    return replace(p, quality=fit_quality(p, obs, long, stops.zone_days))


def _route_counts_fittable(obs: pd.DataFrame, van_types: dict[str, VanType]) -> bool:
    """Station route counts can be fitted when every route's van (capacities) is known and some
    station-day has more than one route; otherwise the utilisation factors keep their defaults
    and a warning says why."""
    unknown = sorted(set(obs["van_type"]) - set(van_types))
    if unknown:
        warnings.warn(
            f"cap_packages: no capacities for van type(s) {unknown!r}; route counts are not "
            "fitted (utilisation defaults kept) and predictions need vans=[VanType(...)]",
            UserWarning,
            stacklevel=4,
        )
        return False
    if obs.groupby(["city", "station", "day", "van_type"]).size().max() <= 1:
        warnings.warn(
            "day: every station-day has a single route; route counts are not fitted "
            "(utilisation defaults kept); give a day column",
            UserWarning,
            stacklevel=4,
        )
        return False
    return True


def fit_quality(
    p: SPRParams, obs: pd.DataFrame, long: pd.DataFrame, zone_days: pd.DataFrame
) -> dict[str, dict[str, float]]:
    """R^2, MAPE and n of the stops model (zone-days), of each route component (routes, with
    the station coefficients) and of the station route count and SPR (station-days)."""
    q: dict[str, dict[str, float]] = {}
    zd = zone_days
    rho = np.array(
        [
            p.zones[f"{c}/{s}/{z}"]["rho"]
            for c, s, z in zip(zd["city"], zd["station"], zd["zone"], strict=True)
        ]
    )
    H = None if p.h_per_km2 is None else p.h_per_km2 * zd["area"].to_numpy(float)
    pred = stops_from_packages(zd["P"], rho, H)
    y = zd["N"].to_numpy(float)
    q["stops"] = {"r2": r2(y, pred), "mape": mape(y, pred), "n": float(len(y))}
    for comp in COMPONENTS:
        ys, ps = [], []
        for (city, st), g in obs.groupby(["city", "station"]):
            X, yy = component_xy(g, comp)
            ps.append(X @ np.array(coef_for(p, f"station:{city}/{st}", str(city))[comp]))
            ys.append(yy)
        yv, pv = np.concatenate(ys), np.concatenate(ps)
        q[comp] = {"r2": r2(yv, pv), "mape": mape(yv, pv), "n": float(len(yv))}
    obs_r, pred_r, spr_o, spr_p = [], [], [], []
    for g in training_groups(obs, long):
        city, st, _day, van_name = g["key"]
        if str(van_name) not in p.van_types:
            continue
        zones = g["zones"].rename(columns={"area": "area_km2", "r": "r_km"})
        zones = zones.assign(
            packages_per_stop=zones["packages"] / zones["stops"],
            volume_l_per_package=zones["vol"] / zones["packages"],
            weight_kg_per_package=zones["wt"] / zones["packages"],
            station=st,
            city=city,
            stop_density=zones["zone_stops"] / zones["area_km2"],
        )
        res = predict_zones(p, zones, p.van_types[str(van_name)], None, None, 20.0)
        R = station_route_count(p, res)
        obs_r.append(g["routes"])
        pred_r.append(R)
        spr_o.append(g["packages"] / g["routes"])
        spr_p.append(g["packages"] / max(R, 1))
    if obs_r:
        o, pr = np.array(obs_r, float), np.array(pred_r, float)
        q["routes"] = {"r2": r2(o, pr), "mape": mape(o, pr), "n": float(len(o))}
        so, sp = np.array(spr_o), np.array(spr_p)
        q["spr"] = {"r2": r2(so, sp), "mape": mape(so, sp), "n": float(len(so))}
    return q


__all__ = ["fit", "fit_quality", "validate_observations"]
