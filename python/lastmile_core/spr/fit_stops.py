"""Calibration of the stops model: packages per stop (``rho``) per zone with hierarchical
shrinkage, and the saturation density of distinct stop locations (``h``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .ca import stops_from_packages
from .params import ZoneProfile


@dataclass(frozen=True)
class StopsFit:
    """The fitted stops model (the :class:`~lastmile_core.spr.params.SPRParams` fields of the
    same names) and the zone-day table it was fitted on (``P``, ``N``, ``area``, ``r``, ...)."""

    rho: dict[str, float]
    rho_cv: float
    h_per_km2: float | None
    volume_per_package: dict[str, float]
    weight_per_package: dict[str, float]
    zones: dict[str, ZoneProfile]
    zone_days: pd.DataFrame


def fit_stops(long: pd.DataFrame, fit_saturation: bool, kappa_stops: float) -> StopsFit:
    """Stops model from the zone table ``long``: per zone-day packages-per-stop solving the
    saturation curve, the saturation density ``h`` on a log grid (or None), and ``rho`` per zone
    shrunk toward the station, city and global pooled values (``kappa_stops`` stops)."""
    zd = (
        long.groupby(["city", "station", "day", "zone"], sort=True)
        .agg(
            P=("zone_packages", "first"),
            N=("zone_stops", "first"),
            area=("area_km2", "first"),
            r=("r_km", "first"),
            vol=("volume_l", "sum"),
            wt=("weight_kg", "sum"),
            pk=("packages", "sum"),
        )
        .reset_index()
    )
    zd_days = zd
    # Saturation density h on a log grid (None = linear), rho per zone given h.
    grid: list[float | None] = [None]
    if fit_saturation:
        grid += list(np.logspace(0, 4, 33))
    # Parsimony: saturation is only adopted when it cuts the squared error of the zone-day
    # stop counts by at least 10 % against the linear model (noise alone must not bend the
    # curve, since it is extrapolated to higher volumes).
    sse_of: dict[float | None, float] = {}
    for h in grid:
        rho_z = rho_given_h(zd, h)
        pred = stops_from_packages(zd["P"], rho_z, None if h is None else h * zd["area"])
        sse_of[h] = float(np.sum((pred - zd["N"]) ** 2))
    h_best = min(sse_of, key=lambda k: sse_of[k])
    if h_best is not None and sse_of[h_best] > 0.9 * sse_of[None]:
        h_best = None
    h = None if h_best is None else float(h_best)
    # rho per zone-day given h, then pooled levels and shrinkage.
    zd = zd.assign(rho_hat=rho_given_h(zd, h, per_day=True))
    w = zd["N"].to_numpy(float)
    glob = float(np.sum(w * zd["rho_hat"]) / np.sum(w))
    rho: dict[str, float] = {"global": glob}
    rho_cv = float(np.sqrt(np.average((zd["rho_hat"] / glob - 1.0) ** 2, weights=w)))
    vol_tot, wt_tot, pk_tot = zd["vol"].sum(), zd["wt"].sum(), zd["pk"].sum()
    vpp: dict[str, float] = {"global": float(vol_tot / pk_tot) if pk_tot else 0.0}
    wpp: dict[str, float] = {"global": float(wt_tot / pk_tot) if pk_tot else 0.0}
    ks = kappa_stops
    zones: dict[str, ZoneProfile] = {}

    def shrink(g: pd.DataFrame, parent: float) -> float:
        n = float(g["N"].sum())
        local = float(np.sum(g["N"] * g["rho_hat"]) / n)
        return (n * local + ks * parent) / (n + ks)

    for city, cg in zd.groupby("city"):
        rho[f"city:{city}"] = shrink(cg, glob)
        vpp[f"city:{city}"] = float(cg["vol"].sum() / cg["pk"].sum())
        wpp[f"city:{city}"] = float(cg["wt"].sum() / cg["pk"].sum())
        for st, sg in cg.groupby("station"):
            key = f"station:{city}/{st}"
            rho[key] = shrink(sg, rho[f"city:{city}"])
            vpp[key] = float(sg["vol"].sum() / sg["pk"].sum())
            wpp[key] = float(sg["wt"].sum() / sg["pk"].sum())
            days = sg["day"].nunique()
            st_pk = float(sg["P"].sum())
            for z, g in sg.groupby("zone"):
                zones[f"{city}/{st}/{z}"] = {
                    "city": str(city),
                    "station": str(st),
                    "zone": str(z),
                    "rho": shrink(g, rho[key]),
                    "share": float(g["P"].sum() / st_pk) if st_pk else 0.0,
                    "mean_packages": float(g["P"].sum() / days),
                    "area_km2": float(g["area"].median()),
                    "r_km": float(g["r"].mean()),
                    "volume_l_per_package": float(g["vol"].sum() / g["pk"].sum())
                    if g["pk"].sum()
                    else vpp[key],
                    "weight_kg_per_package": float(g["wt"].sum() / g["pk"].sum())
                    if g["pk"].sum()
                    else wpp[key],
                    "n_days": int(len(g)),
                }
    return StopsFit(
        rho=rho,
        rho_cv=rho_cv,
        h_per_km2=h,
        volume_per_package=vpp,
        weight_per_package=wpp,
        zones=zones,
        zone_days=zd_days,
    )


def rho_given_h(zd: pd.DataFrame, h: float | None, per_day: bool = False) -> np.ndarray:
    """Packages-per-stop solving N_obs = H (1 - exp(-P/(rho H))) per zone-day (bisection),
    averaged per zone (weighted by stops) unless ``per_day``."""
    P = zd["P"].to_numpy(float)
    N = zd["N"].to_numpy(float)
    if h is None:
        rho = P / np.maximum(N, 1e-9)
    else:
        H = h * zd["area"].to_numpy(float)
        Nc = np.minimum(N, H * (1 - 1e-9))
        lo = np.full_like(P, 1e-3)
        hi = np.full_like(P, 1e3)
        for _ in range(60):
            mid = np.sqrt(lo * hi)
            f = H * -np.expm1(-P / (mid * H))
            lo = np.where(f > Nc, mid, lo)
            hi = np.where(f > Nc, hi, mid)
        rho = np.sqrt(lo * hi)
    if per_day:
        return np.asarray(rho)
    key = zd["city"].astype(str) + "/" + zd["station"].astype(str) + "/" + zd["zone"].astype(str)
    tmp = pd.DataFrame({"k": key, "w": N, "wr": N * rho})
    s = tmp.groupby("k")[["w", "wr"]].transform("sum")
    return np.asarray((s["wr"] / s["w"]).to_numpy(float))


__all__ = ["StopsFit", "fit_stops", "rho_given_h"]
