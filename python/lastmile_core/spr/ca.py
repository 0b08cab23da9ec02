"""The continuous-approximation (CA) formulas of the SPR model, as pure functions.

Stops from packages (with saturation), stops-per-route limits per constraint, station route
counts (fractional with zone mixing, or integer zone by zone) and binding constraints; see the
package docstring for the model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .constraints import CONSTRAINTS
from .energy import EnergyModel, linear_energy_kwh
from .vans import VanType


def stops_from_packages(P: Any, rho: Any, H: Any) -> np.ndarray:
    P = np.asarray(P, dtype=float)
    rho = np.asarray(rho, dtype=float)
    if H is None:
        return np.asarray(P / rho)
    H = np.asarray(H, dtype=float)
    return np.asarray(H * -np.expm1(-P / (rho * H)))


def station_routes(N: np.ndarray, nm: np.ndarray, mix: float) -> tuple[np.ndarray, float, int]:
    """Fractional routes per zone for one station and van type.

    ``nm[c, z]`` is the stops-per-route limit of constraint c in zone z. Zone by zone the routes
    are ``N_z / min_c nm[c, z]`` (every route serves one zone); if routes freely combine zones,
    each constraint is a pooled resource and the station needs ``max_c sum_z N_z / nm[c, z]``
    routes (complementary zones, e.g. a package-heavy dense zone and a time-heavy sparse one,
    share routes). The station total is ``mix * zone_by_zone + (1 - mix) * pooled``; zone routes
    are scaled to that total. Returns (routes per zone, station routes, index of the station's
    binding constraint = argmax of the pooled work)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(nm > 0, N[None, :] / nm, np.inf)
    r_zone = w.max(axis=0)
    f_zone = float(r_zone.sum())
    pooled = w.sum(axis=1)
    b = int(np.argmax(pooled))
    if not np.isfinite(f_zone) or f_zone <= 0:
        return r_zone, f_zone, b
    f = mix * f_zone + (1.0 - mix) * float(pooled[b])
    return r_zone * (f / f_zone), f, b


def station_routes_draws(N: np.ndarray, nm: np.ndarray, mix: float) -> np.ndarray:
    """:func:`station_routes` for many draws at once: ``N[d, z]`` stops and ``nm[c, d, z]``
    limits of draw d; returns the fractional routes per zone ``[d, z]``, equal row by row to the
    first output of :func:`station_routes` on ``(N[d], nm[:, d])`` (same operations in the
    same order, so the same floating-point values)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(nm > 0, N[None, :, :] / nm, np.inf)
    r_zone = w.max(axis=0)
    f_zone = r_zone.sum(axis=1)
    pooled = w.sum(axis=2).max(axis=0)
    ok = np.isfinite(f_zone) & (f_zone > 0)
    with np.errstate(invalid="ignore"):
        f = mix * f_zone + (1.0 - mix) * pooled
        scale = np.where(ok, f / np.where(ok, f_zone, 1.0), 1.0)
    return np.asarray(np.where(ok[:, None], r_zone * scale[:, None], r_zone))


def zone_integer_routes(
    work: np.ndarray, nmax: np.ndarray, overflow_stops: float, merge: float = 1.0
) -> int:
    """Station routes when vans are dispatched zone by zone (``route_count == "zones"``).

    ``work[z]`` = the zone's fractional routes ``N_z / nmax_z`` (``nmax`` its stops-per-route
    limit). A zone needs ``ceil(work)`` routes of its own (at least one), except that an
    overflow of at most ``overflow_stops`` stops beyond ``floor(work)`` full routes is absorbed
    by the slack of the zone's and the neighbouring zones' routes (the router moves boundary
    stops; the slack is a number of stops, not a share of the van, so a larger van absorbs a
    smaller share). Zones served by a single route are then paired (largest with the smallest
    that fits) when their two loads fit in one van, ``work_i + work_j <= merge``: two small
    zones share a route, two half-full ones do not."""
    w = np.asarray(work, dtype=float)
    nm = np.broadcast_to(np.asarray(nmax, dtype=float), w.shape)
    keep = np.isfinite(w) & (w > 1e-9)
    w, nm = w[keep], nm[keep]
    if not len(w):
        return 0
    fl = np.floor(w + 1e-9)
    absorbed = (w - fl) * nm <= overflow_stops + 1e-9
    k = np.where(absorbed, np.maximum(fl, 1.0), np.ceil(w - 1e-9))
    single = np.sort(w[k == 1.0])
    i, j, merges = 0, len(single) - 1, 0
    while i < j:
        if single[i] + single[j] <= merge + 1e-12:
            merges += 1
            i += 1
        j -= 1
    return int(k.sum()) - merges


def zone_binding(N: np.ndarray, nm: np.ndarray, mix: float) -> np.ndarray:
    """Binding constraint of the routes serving each zone when a share ``1 - mix`` of the work is
    pooled with the station (see :func:`station_routes`): the argmax over constraints of the
    expected relative fill ``mix * w[c, z] / max_c w[c, z] + (1 - mix) * W[c] / max_c W[c]``
    with ``w = N / nm`` the zone's work and ``W`` the station's pooled work. With ``mix = 1``
    this is the zone-alone binding ``argmin_c nm[c, z]``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(nm > 0, N[None, :] / nm, np.inf)
        wmax = w.max(axis=0)
        rel_zone = np.where(wmax > 0, w / np.where(wmax > 0, wmax, 1.0), 0.0)
        W = w.sum(axis=1)
        rel_station = W / W.max() if np.isfinite(W).all() and W.max() > 0 else np.zeros_like(W)
    score = mix * rel_zone + (1.0 - mix) * rel_station[:, None]
    score = np.where(np.isfinite(score), score, np.inf)
    return np.asarray(np.argmax(score, axis=0))


def station_fill_binding(
    g: pd.DataFrame,
    van: VanType,
    routes: float,
    lh_scale: float,
    shift_s: float | None,
    battery_kwh: float | None,
) -> str:
    """Station binding constraint: the resource with the highest predicted fleet fill, i.e.
    ``argmax_c (total use of c) / (routes * capacity of c)`` with packages, volume and weight
    summed over the zones, duty time = line-haul of every one of the ``routes`` plus the stop
    time (service + local driving) of all stops, energy summed. This is the pooled-fill
    definition also used to label observed station-days (the utilisation factors, which absorb
    route-count effects, are deliberately not part of it). Falls back to the pooled work of
    :func:`station_routes` when no route is needed."""
    if not (routes and math.isfinite(routes)):
        return str(g["station_binding"].iloc[0])
    caps = van.capacities
    shift = float(shift_s) if shift_s is not None else van.shift_s
    batt = float(battery_kwh) if battery_kwh is not None else van.battery_kwh
    use = {
        "packages": float(g["packages"].sum()) / caps["packages"],
        "volume": float(g["volume_l"].sum()) / caps["volume"],
        "weight": float(g["weight_kg"].sum()) / caps["weight"],
        "time": (float(g["linehaul_s"].sum()) * lh_scale + float(g["stop_s"].sum())) / shift,
        "energy": float(g["energy_kwh"].sum()) / (batt - van.reserve_kwh) if batt > 0 else 0.0,
    }
    use = {c: v if math.isfinite(v) else -1.0 for c, v in use.items()}
    return max(CONSTRAINTS, key=lambda c: use[c])


def stop_limits(
    co: Mapping[str, Sequence[float]],
    van: VanType,
    r: np.ndarray,
    delta: np.ndarray,
    pps: np.ndarray,
    vps: np.ndarray,
    wps: np.ndarray,
    shift_s: float,
    battery_kwh: float,
    temperature_c: float,
    energy: EnergyModel | None = None,
) -> dict[str, Callable[[float], np.ndarray]]:
    """Stops-per-route limit per constraint as a function of its utilisation factor, for the
    route coefficients ``co`` of one hierarchy level (``distance`` = (c_lh, k c), ``driving`` =
    (s per line-haul km, s per local unit), ``service`` = (a, b)): capacities ``u * cap /
    per-stop load``, time ``(u * shift - line-haul time) / time per stop``, energy by bisection
    on the stops whose route energy fits ``u * (battery - reserve)``."""
    c_lh, kc = co["distance"]
    s_lh, s_loc = co["driving"]
    a, b = co["service"]
    lh_km = c_lh * 2.0 * r
    loc_per_stop = kc / np.sqrt(delta)
    t_lh = s_lh * 2.0 * r
    t_stop = a + b * pps + s_loc / np.sqrt(delta)
    inf = np.full_like(r, np.inf, dtype=float)
    caps = van.capacities
    en = energy or linear_energy_kwh

    def cap_lim(cap: float, per_stop: np.ndarray) -> Callable[[float], np.ndarray]:
        if not np.isfinite(cap):
            return lambda u: inf
        with np.errstate(divide="ignore", invalid="ignore"):
            base = np.where(per_stop > 0, cap / per_stop, np.inf)
        return lambda u: u * base

    def time_lim(u: float) -> np.ndarray:
        return np.asarray(np.maximum((u * shift_s - t_lh) / t_stop, 0.0))

    usable = battery_kwh - van.reserve_kwh

    def energy_lim(u: float) -> np.ndarray:
        if battery_kwh <= 0:
            return inf
        budget = u * usable
        hi = np.maximum(time_lim(1.0), 1.0) * 4.0 + 1000.0
        lo = np.zeros_like(hi)
        if np.all(en(van, lh_km, 0.0 * hi, 0.0 * hi, 0.0 * hi, temperature_c) > budget):
            return np.zeros_like(hi)
        for _ in range(50):
            mid = 0.5 * (lo + hi)
            e = en(van, lh_km, loc_per_stop * mid, mid, mid * wps, temperature_c)
            ok = e <= budget
            lo = np.where(ok, mid, lo)
            hi = np.where(ok, hi, mid)
        return np.asarray(lo)

    return {
        "packages": cap_lim(caps["packages"], pps),
        "volume": cap_lim(caps["volume"], vps),
        "weight": cap_lim(caps["weight"], wps),
        "time": time_lim,
        "energy": energy_lim,
    }


__all__ = [
    "station_fill_binding",
    "station_routes",
    "station_routes_draws",
    "stop_limits",
    "stops_from_packages",
    "zone_binding",
    "zone_integer_routes",
]
