"""Calibration of the route count: utilisation factors per constraint (and station x van), the
line-haul share and zone mix of the fractional count, or the absorbed overflow of the
zone-by-zone integer count."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from .ca import station_routes, stop_limits, zone_integer_routes
from .constraints import CONSTRAINTS, DEFAULT_UTILISATION
from .params import SPRParams
from .predict import coef_for


def training_groups(obs: pd.DataFrame, long: pd.DataFrame) -> list[dict[str, Any]]:
    """The training station-days: per (city, station, day, van type): zones served with their day statistics."""
    groups = []
    keys = ["city", "station", "day", "van_type"]
    counts = obs.groupby(keys).size()
    for k, g in long.groupby(keys, sort=True):
        zg = (
            g.groupby("zone", sort=True)
            .agg(
                stops=("stops", "sum"),
                packages=("packages", "sum"),
                vol=("volume_l", "sum"),
                wt=("weight_kg", "sum"),
                zone_packages=("zone_packages", "first"),
                zone_stops=("zone_stops", "first"),
                area=("area_km2", "first"),
                r=("r_km", "first"),
            )
            .reset_index()
        )
        groups.append(
            {
                "key": k,
                "zones": zg,
                "routes": int(counts.loc[k]),
                "packages": float(zg["packages"].sum()),
            }
        )
    return groups


def fit_utilisation(
    p: SPRParams, obs: pd.DataFrame, long: pd.DataFrame, fit_linehaul_share: bool = True
) -> SPRParams:
    """``route_count == "fractional"``: utilisation factors, line-haul share and zone mix by
    weighted least squares of predicted fractional routes against observed route counts
    (target ``routes - 0.5``), then station x van factors shrunk toward them (see
    :meth:`SPRModel.fit <lastmile_core.spr.SPRModel.fit>`). Returns ``p`` updated."""
    groups = training_groups(obs, long)
    if not groups:
        return p
    # Pre-compute per group and line-haul share the constraint limits as functions of u.
    lam_grid = (
        [round(x, 2) for x in np.arange(0.0, 1.0001, 0.1)]
        if fit_linehaul_share
        else [p.linehaul_own_share]
    )
    caches: dict[float, list[Any]] = {}
    for lam in lam_grid:
        cache = []
        for g in groups:
            city, st, _day, van_name = g["key"]
            van = p.van_types[str(van_name)]
            z = g["zones"]
            N = z["stops"].to_numpy(float)
            pps = z["packages"].to_numpy(float) / np.maximum(N, 1e-9)
            vps = z["vol"].to_numpy(float) / np.maximum(N, 1e-9)
            wps = z["wt"].to_numpy(float) / np.maximum(N, 1e-9)
            delta = z["zone_stops"].to_numpy(float) / z["area"].to_numpy(float)
            r = z["r"].to_numpy(float)
            r_eff = lam * r + (1.0 - lam) * float(np.average(r, weights=np.maximum(N, 1e-9)))
            lim = stop_limits(
                coef_for(p, f"station:{city}/{st}", str(city)),
                van,
                r_eff,
                delta,
                pps,
                vps,
                wps,
                van.shift_s,
                van.battery_kwh,
                20.0,
            )
            cache.append((N, lim, g["routes"]))
        caches[lam] = cache
    u: dict[str, float] = dict(DEFAULT_UTILISATION)
    u["_mix"] = p.zone_mix
    lam_cur = p.linehaul_own_share if p.linehaul_own_share in caches else lam_grid[-1]

    def frac_routes(
        uu: dict[str, float], lam: float | None = None
    ) -> tuple[np.ndarray, dict[str, float]]:
        cache = caches[lam_cur if lam is None else lam]
        F = np.zeros(len(cache))
        share = dict.fromkeys(CONSTRAINTS, 0.0)
        for i, (N, lim, _) in enumerate(cache):
            nmax = np.stack([lim[c](uu[c]) for c in CONSTRAINTS])
            b = np.argmin(nmax, axis=0)
            R, F[i], _ = station_routes(N, np.maximum(nmax, 1e-6), uu["_mix"])
            for j, c in enumerate(CONSTRAINTS):
                share[c] += float(R[b == j].sum())
        return F, share

    target = np.array([max(r - 0.5, 0.5) for _, _, r in caches[lam_cur]])
    wts = 1.0 / np.maximum(target, 1.0)
    grid = np.round(np.arange(0.50, 1.0001, 0.0025), 6)
    fitted: set[str] = set()
    for _ in range(4):
        F, share = frac_routes(u)
        total = sum(share.values()) or 1.0
        active = [c for c in CONSTRAINTS if share[c] / total >= 0.02]
        changed = False
        for c in active:
            best = (math.inf, u[c])
            for val in grid:
                uu = dict(u)
                uu[c] = float(val)
                F, _ = frac_routes(uu)
                sse = float(np.sum(wts * (F - target) ** 2))
                if sse < best[0] - 1e-12:
                    best = (sse, float(val))
            if best[1] != u[c]:
                changed = True
            u[c] = best[1]
            fitted.add(c)
        best_mix = (math.inf, u["_mix"])
        for val in np.round(np.arange(0.0, 1.0001, 0.1), 2):
            F, _ = frac_routes({**u, "_mix": float(val)})
            sse = float(np.sum(wts * (F - target) ** 2))
            if sse < best_mix[0] - 1e-12:
                best_mix = (sse, float(val))
        if best_mix[1] != u["_mix"]:
            changed = True
        u["_mix"] = best_mix[1]
        if len(lam_grid) > 1 and share.get("time", 0.0) + share.get("energy", 0.0) > 0.02 * total:
            sse_lam = {
                lam: float(np.sum(wts * (frac_routes(u, lam)[0] - target) ** 2)) for lam in lam_grid
            }
            best_lam = min(lam_grid, key=lambda x: sse_lam[x] - 1e-12 * x)
            if best_lam != lam_cur:
                changed = True
            lam_cur = best_lam
        if not changed:
            break
    fitted_list = tuple(c for c in CONSTRAINTS if c in fitted)
    # Station x van type level: each station's own utilisation of the fitted constraints with
    # a van type it operates (grid search on those station-days), shrunk toward the global
    # value: u_s = (n u_hat + kappa u) / (n + kappa), n = the station-days where the
    # constraint carries >= 10 % of the routes. Van types new to a station use the global u.
    cache = caches[lam_cur]
    st_keys = [f"station:{g['key'][0]}/{g['key'][1]}|{g['key'][3]}" for g in groups]
    u_station: dict[str, dict[str, float]] = {}

    def group_work(i: int, uu: dict[str, float]) -> tuple[float, dict[str, float]]:
        N, lim, _ = cache[i]
        nmax = np.stack([lim[c](uu[c]) for c in CONSTRAINTS])
        b = np.argmin(nmax, axis=0)
        R, F, _ = station_routes(N, np.maximum(nmax, 1e-6), uu["_mix"])
        tot = float(R.sum()) or 1.0
        return F, {c: float(R[b == j].sum()) / tot for j, c in enumerate(CONSTRAINTS)}

    for sk in sorted(set(st_keys)):
        idx = [i for i, k in enumerate(st_keys) if k == sk]
        shares = [group_work(i, u)[1] for i in idx]
        us: dict[str, float] = {}
        for c in fitted_list:
            n_active = sum(1 for sh in shares if sh[c] >= 0.10)
            if n_active == 0:
                continue
            best = (math.inf, u[c])
            for val in grid:
                uu = {**u, c: float(val)}
                sse = sum(wts[i] * (group_work(i, uu)[0] - target[i]) ** 2 for i in idx)
                if sse < best[0] - 1e-12:
                    best = (sse, float(val))
            us[c] = (n_active * best[1] + p.kappa_days * u[c]) / (n_active + p.kappa_days)
        if us:
            u_station[sk] = us
    mix = float(u.pop("_mix"))
    return replace(
        p,
        linehaul_own_share=float(lam_cur),
        utilisation_fitted=fitted_list,
        utilisation_station=u_station,
        zone_mix=mix,
        utilisation=u,
    )


def fit_zone_rounding(p: SPRParams, obs: pd.DataFrame, long: pd.DataFrame) -> SPRParams:
    """``route_count == "zones"``: utilisation factors (capped at 1: a full route cannot
    carry more than the van) and the absorbed overflow (stops) by coordinate search minimising the
    mean relative route-count error of :func:`~lastmile_core.spr.ca.zone_integer_routes` over the training
    station-days (ties: the middle of the optimal interval). Zone by zone, the line-haul is
    the zone's own (``linehaul_own_share = 1``, ``zone_mix = 1``)."""
    groups = training_groups(obs, long)
    if not groups:
        return p
    p = replace(p, linehaul_own_share=1.0, zone_mix=1.0)
    cache = []
    for g in groups:
        city, st, _day, van_name = g["key"]
        van = p.van_types[str(van_name)]
        z = g["zones"]
        N = z["stops"].to_numpy(float)
        Ns = np.maximum(N, 1e-9)
        lim = stop_limits(
            coef_for(p, f"station:{city}/{st}", str(city)),
            van,
            z["r"].to_numpy(float),
            z["zone_stops"].to_numpy(float) / z["area"].to_numpy(float),
            z["packages"].to_numpy(float) / Ns,
            z["vol"].to_numpy(float) / Ns,
            z["wt"].to_numpy(float) / Ns,
            van.shift_s,
            van.battery_kwh,
            20.0,
        )
        cache.append((N, lim, float(g["routes"])))
    u: dict[str, float] = {c: min(v, 1.0) for c, v in DEFAULT_UTILISATION.items()}
    u["_overflow"] = p.overflow_stops

    def work(i: int, uu: dict[str, float]) -> np.ndarray:
        N, lim, _ = cache[i]
        nmax = np.stack([lim[c](uu[c]) for c in CONSTRAINTS])
        return np.asarray(N[None, :] / np.maximum(nmax, 1e-6))

    def err(uu: dict[str, float]) -> float:
        e = 0.0
        for i, (_, _, r_obs) in enumerate(cache):
            w = work(i, uu).max(axis=0)
            nm = cache[i][0] / np.maximum(w, 1e-12)
            r = max(zone_integer_routes(w, nm, uu["_overflow"]), 1)
            e += abs(r - r_obs) / r
        return e / len(cache)

    share = dict.fromkeys(CONSTRAINTS, 0.0)
    for i in range(len(cache)):
        w = work(i, u)
        b = np.argmax(w, axis=0)
        for j, c in enumerate(CONSTRAINTS):
            share[c] += float(w[j][b == j].sum())
    total = sum(share.values()) or 1.0
    active = [c for c in CONSTRAINTS if share[c] / total >= 0.02]
    grids: dict[str, np.ndarray] = {c: np.round(np.arange(0.70, 1.0001, 0.005), 6) for c in active}
    grids["_overflow"] = np.arange(0.0, 60.01, 2.5)
    # Coarse joint search over the (at most two) main constraints and the overflow: the
    # error is piecewise constant and coordinate search alone stalls on its plateaus. Ties
    # (the training days rarely pin the parameters down) go to the physical prior: the
    # larger utilisation (full routes are observed at 95-100 % fill) and the smaller
    # overflow. Then coordinate refinement on the fine grids.
    main = sorted(active, key=lambda c: -share[c])[:2]
    coarse = [np.round(np.arange(1.0, 0.6999, -0.02), 6) for _ in main]
    best_e = math.inf
    for combo in itertools.product(*coarse, grids["_overflow"]):
        uu = {**u, **dict(zip([*main, "_overflow"], map(float, combo), strict=True))}
        e = err(uu)
        if e < best_e - 1e-12:
            best_e, u = e, uu
    for _ in range(4):
        changed = False
        for c, grid in grids.items():
            errs = np.array([err({**u, c: float(v)}) for v in grid])
            if err(u) <= errs.min() + 1e-12:
                continue  # no strict improvement: keep the value
            best = np.flatnonzero(errs <= errs.min() + 1e-12)
            val = float(grid[best[0] if c == "_overflow" else best[-1]])
            if val != u[c]:
                changed = True
            u[c] = val
        if not changed:
            break
    overflow = float(u.pop("_overflow"))
    return replace(
        p,
        overflow_stops=overflow,
        utilisation=u,
        utilisation_fitted=tuple(c for c in CONSTRAINTS if c in active),
        utilisation_station={},
    )


__all__ = ["fit_utilisation", "fit_zone_rounding", "training_groups"]
