"""Station route counts for many simulated days at once (the Monte Carlo core).

:func:`station_routes_draws` gives, for ``D`` draws of the zone volumes and (optionally) of the
model parameters (:class:`~.uncertainty.ParameterDraw`), the integer routes of one van type that
:func:`~.predict.predict` would report at the station level for each draw, summed over the
stations of the zone table. It runs the same CA formulas (:func:`~.ca.stop_limits`,
:func:`~.ca.station_routes_draws`) on ``(draws, zones)`` arrays instead of one pandas
prediction per draw, with the same floating-point operations in the same order, so its counts
equal the per-draw predictions exactly (``tests/test_fleet_montecarlo_draws.py`` checks this).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .ca import station_routes_draws as _routes_draws
from .ca import stop_limits, zone_integer_routes
from .constraints import CONSTRAINTS
from .energy import EnergyModel
from .params import COMPONENTS, SPRParams
from .predict import coef_for, zone_stops
from .uncertainty import ParameterDraw
from .vans import VanType


def _coefficients(
    co: dict[str, tuple[float, ...]], draws: Sequence[ParameterDraw] | None
) -> dict[str, tuple[Any, ...]]:
    """Route coefficients of one level, as ``(D, 1)`` columns when parameters are drawn."""
    if draws is None:
        return dict(co)
    out: dict[str, tuple[Any, ...]] = {}
    for comp in COMPONENTS:
        delta = np.stack([d.coef_delta[comp] for d in draws])  # (D, k)
        out[comp] = tuple((c + delta[:, k])[:, None] for k, c in enumerate(co[comp]))
    return out


def _utilisation(u: dict[str, float], draws: Sequence[ParameterDraw] | None) -> dict[str, Any]:
    """Utilisation factors per constraint, as ``(D, 1)`` columns when parameters are drawn."""
    if draws is None:
        return u
    out: dict[str, Any] = {}
    for c, v in u.items():
        du = np.array([d.utilisation_delta[c] for d in draws])
        out[c] = np.clip(v + du, 0.3, 1.2)[:, None]  # as shifted_utilisation, draw by draw
    return out


def station_routes_draws(
    p: SPRParams,
    z: pd.DataFrame,
    van: VanType,
    packages: np.ndarray,
    draws: Sequence[ParameterDraw] | None = None,
    *,
    shift_s: float | None = None,
    battery_kwh: float | None = None,
    temperature_c: float = 20.0,
    energy: EnergyModel | None = None,
) -> np.ndarray:
    """Integer station routes of van type ``van`` per draw, summed over the stations of ``z``.

    ``p``: the parameters the draws shift (:func:`~.uncertainty.normalised` ones when ``draws``
    is given, as :func:`~.uncertainty.perturbed` uses); ``z``: zones already validated and
    defaulted (:func:`~.scenario.validate_zones`, :func:`~.predict.zone_defaults`);
    ``packages[d, z]``: the packages of zone z on draw d; ``draws``: one parameter draw per row
    of ``packages`` or None (the parameters as they are). Returns a float array of length D
    (``inf`` where a zone cannot be served)."""
    P = np.asarray(packages, dtype=float)
    D, Z = P.shape
    if Z != len(z):
        raise ValueError(f"packages: {Z} columns for {len(z)} zones")
    if draws is not None and len(draws) != D:
        raise ValueError(f"draws: {len(draws)} parameter draws for {D} rows of packages")
    shift = float(shift_s) if shift_s is not None else van.shift_s
    batt = float(battery_kwh) if battery_kwh is not None else van.battery_kwh
    area = z["area_km2"].to_numpy(float)
    r = z["r_km"].to_numpy(float)
    if "stops" in z.columns and "stop_density" in z.columns:
        N = np.broadcast_to(z["stops"].to_numpy(float), (D, Z))
        delta = np.broadcast_to(z["stop_density"].to_numpy(float), (D, Z))
        pps = np.broadcast_to(z["packages_per_stop"].to_numpy(float), (D, Z))
    else:
        rho = z["_rho"].to_numpy(float)[None, :]
        if draws is not None:
            rho = rho * np.array([d.rho_factor for d in draws])[:, None]
        N = np.maximum(zone_stops(p, z, P, rho), 1e-9)
        pps = P / N
        delta = N / area
    vps = pps * z["volume_l_per_package"].to_numpy(float)
    wps = pps * z["weight_kg_per_package"].to_numpy(float)
    stations = z["station"].astype(object).to_numpy() if "station" in z else np.full(Z, None)
    cities = (z["_city"] if "_city" in z else pd.Series([None] * Z)).to_numpy()
    r_ref_col = z["r_ref_km"].to_numpy(float) if "r_ref_km" in z.columns else None
    sf_col = z["speed_factor"].to_numpy(float) if "speed_factor" in z.columns else None
    lam = p.linehaul_own_share
    routes = np.zeros((D, Z))
    limit = np.zeros((D, Z))
    keys = pd.Series([f"{c}\x00{s}" for c, s in zip(cities, stations, strict=True)])
    for key, idx in keys.groupby(keys).groups.items():
        ii = np.asarray(list(idx))
        ct, st = str(key).split("\x00")
        ct_v = None if ct == "None" else ct
        sk = None if st == "None" else f"station:{ct_v}/{st}"
        Ni = np.ascontiguousarray(N[:, ii])
        if r_ref_col is not None:
            r_ref: Any = r_ref_col[ii]
        else:
            rr = np.broadcast_to(r[ii], Ni.shape)
            r_ref = np.average(rr, axis=1, weights=np.maximum(Ni, 1e-9))[:, None]
        r_eff = np.broadcast_to(lam * r[ii] + (1.0 - lam) * r_ref, Ni.shape)
        co = _coefficients(coef_for(p, sk, ct_v), draws)
        if sf_col is not None:
            s_lh0, s_loc0 = co["driving"]
            co = {**co, "driving": (s_lh0 / sf_col[ii], s_loc0 / sf_col[ii])}
        lim = stop_limits(
            co,
            van,
            np.ascontiguousarray(r_eff),
            np.ascontiguousarray(delta[:, ii]),
            np.ascontiguousarray(pps[:, ii]),
            np.ascontiguousarray(vps[:, ii]),
            np.ascontiguousarray(wps[:, ii]),
            shift,
            batt,
            temperature_c,
            energy,
        )
        u = {**p.utilisation, **p.utilisation_station.get(f"{sk}|{van.name}", {})}
        u_eff = _utilisation(u, draws)
        nm = np.stack([np.broadcast_to(lim[c](u_eff[c]), Ni.shape) for c in CONSTRAINTS])
        routes[:, ii] = _routes_draws(Ni, nm, p.zone_mix)
        limit[:, ii] = nm.min(axis=0)
    total = np.zeros(D)
    groups = pd.Series(stations).groupby(pd.Series(stations), dropna=False, sort=False).groups
    for st_idx in groups.values():
        jj = np.asarray(list(st_idx))
        if p.route_count != "zones":
            F = np.ascontiguousarray(routes[:, jj]).sum(axis=1)
            with np.errstate(invalid="ignore"):
                total += np.where(np.isfinite(F), np.ceil(F - 1e-9), np.inf)
            continue
        for d in range(D):
            total[d] += _zone_count(p, routes[d, jj], np.asarray(N[d, jj]), limit[d, jj])
    return total


def _zone_count(p: SPRParams, routes: np.ndarray, stops: np.ndarray, lim: np.ndarray) -> float:
    """:func:`~.predict.station_route_count` with ``route_count == "zones"`` on one draw's zone
    rows of one station."""
    F = float(routes.sum())
    if not math.isfinite(F):
        return math.inf
    with np.errstate(divide="ignore"):
        w = stops / lim
    if not np.isfinite(w).all():
        return math.inf
    return zone_integer_routes(w, lim, p.overflow_stops) if F > 0 else 0


__all__ = ["station_routes_draws"]
