"""Prediction with fitted :class:`~lastmile_core.spr.params.SPRParams`: zone profiles and
defaults, the per-zone CA prediction, station route counts and the station rows."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .ca import (
    station_fill_binding,
    station_routes,
    stop_limits,
    stops_from_packages,
    zone_binding,
    zone_integer_routes,
)
from .constraints import CONSTRAINTS
from .energy import EnergyModel, linear_energy_kwh
from .params import SPRParams
from .scenario import OVERRIDABLE, Scenario, validate_zones
from .vans import VanType


def coef_for(
    p: SPRParams, station_key: str | None, city: str | None
) -> dict[str, tuple[float, ...]]:
    """The route coefficients of the most specific level known: station, city, global."""
    if station_key and station_key in p.coef:
        return p.coef[station_key]
    if city is not None and f"city:{city}" in p.coef:
        return p.coef[f"city:{city}"]
    if "global" not in p.coef:
        raise InputError("model: not fitted (no coefficients)")
    return p.coef["global"]


def resolve_van(p: SPRParams, van: VanType | str) -> VanType:
    """A van type, or the van type of that name seen in training (InputError otherwise)."""
    if isinstance(van, VanType):
        return van
    if isinstance(van, str) and van in p.van_types:
        return p.van_types[van]
    raise InputError(
        f"van_type: unknown van type {van!r} (known: {', '.join(sorted(p.van_types)) or 'none'})"
    )


def zone_defaults(
    p: SPRParams, zones: pd.DataFrame, station: str | None, city: str | None
) -> pd.DataFrame:
    """Zones with ``station``/``city`` filled and their packages-per-stop (``_rho``), volume and
    weight per package from the zone profile, else the station, city or global level."""
    z = zones.copy()
    if "station" not in z.columns:
        z["station"] = station
    if "city" not in z.columns:
        z["city"] = city
    rho, vpp, wpp = [], [], []
    for row in z.itertuples(index=False):
        st = getattr(row, "station", None)
        ct = getattr(row, "city", None)
        if ct is None and st is not None:
            # find the city of a known station
            for k in p.rho:
                if k.startswith("station:") and k.endswith(f"/{st}"):
                    ct = k[len("station:") :].split("/")[0]
                    break
        zkey = f"{ct}/{st}/{row.zone}"
        prof = p.zones.get(zkey)
        skey = f"station:{ct}/{st}"
        ckey = f"city:{ct}"
        if prof is not None:
            rho.append(prof["rho"])
            vpp.append(prof["volume_l_per_package"])
            wpp.append(prof["weight_kg_per_package"])
        else:
            for level in (skey, ckey, "global"):
                if level in p.rho:
                    rho.append(p.rho[level])
                    vpp.append(p.volume_per_package.get(level, 0.0))
                    wpp.append(p.weight_per_package.get(level, 0.0))
                    break
            else:
                raise InputError("model: not fitted (no packages-per-stop model)")
    z["_city"] = [
        c
        if c is not None
        else next(
            (
                k[len("station:") :].split("/")[0]
                for k in p.rho
                if k.startswith("station:") and k.endswith(f"/{s}")
            ),
            None,
        )
        for c, s in zip(z["city"], z["station"], strict=True)
    ]
    z["_rho"] = rho
    if "volume_l_per_package" not in z.columns:
        z["volume_l_per_package"] = vpp
    else:
        z["volume_l_per_package"] = z["volume_l_per_package"].fillna(pd.Series(vpp, index=z.index))
    if "weight_kg_per_package" not in z.columns:
        z["weight_kg_per_package"] = wpp
    else:
        z["weight_kg_per_package"] = z["weight_kg_per_package"].fillna(
            pd.Series(wpp, index=z.index)
        )
    return z


def expected_stops(p: SPRParams, packages: Any, area_km2: Any, rho: Any) -> np.ndarray:
    """Expected stops for ``packages`` in zones of ``area_km2`` with packages-per-stop ``rho``."""
    H = None if p.h_per_km2 is None else p.h_per_km2 * np.asarray(area_km2, dtype=float)
    return stops_from_packages(packages, rho, H)


def zone_stops(p: SPRParams, z: pd.DataFrame, P: Any, rho: Any = None) -> np.ndarray:
    """Stops of the zones ``z`` carrying ``P`` packages (one value per zone, or ``(draws,
    zones)`` arrays): from the given ``packages_per_stop`` where the zone has one, else from the
    stops model with packages-per-stop ``rho`` (default: the zones' ``_rho`` of
    :func:`zone_defaults`)."""
    area = z["area_km2"].to_numpy(float)
    if "packages_per_stop" in z.columns and z["packages_per_stop"].notna().all():
        return np.asarray(P / z["packages_per_stop"].to_numpy(float))
    if rho is None:
        rho = z["_rho"].to_numpy(float)
    if "packages_per_stop" in z.columns:
        given = z["packages_per_stop"].to_numpy(float)
        return np.asarray(
            np.where(
                np.isfinite(given),
                P / np.where(np.isfinite(given), given, 1.0),
                expected_stops(p, P, area, rho),
            )
        )
    return expected_stops(p, P, area, rho)


def predict_zones(
    p: SPRParams,
    z: pd.DataFrame,
    van: VanType,
    shift_s: float | None,
    battery_kwh: float | None,
    temperature_c: float,
    energy: EnergyModel | None = None,
) -> pd.DataFrame:
    """Vectorised per-zone prediction for one van type (zones already validated/defaulted).

    If ``stop_density``/``stops`` are not given they come from the stops model."""
    shift = float(shift_s) if shift_s is not None else van.shift_s
    batt = float(battery_kwh) if battery_kwh is not None else van.battery_kwh
    P = z["packages"].to_numpy(float)
    area = z["area_km2"].to_numpy(float)
    r = z["r_km"].to_numpy(float)
    if "stops" in z.columns and "stop_density" in z.columns:
        N = z["stops"].to_numpy(float)
        delta = z["stop_density"].to_numpy(float)
        pps = z["packages_per_stop"].to_numpy(float)
    else:
        N = np.maximum(zone_stops(p, z, P), 1e-9)
        pps = P / N
        delta = N / area
    vps = pps * z["volume_l_per_package"].to_numpy(float)
    wps = pps * z["weight_kg_per_package"].to_numpy(float)
    # Group rows by station so that the station-level coefficients apply.
    st_arr = z["station"].astype(object).to_numpy() if "station" in z else np.array([None] * len(z))
    ct_arr = (
        z["_city"] if "_city" in z else z["city"] if "city" in z else pd.Series([None] * len(z))
    ).to_numpy()
    res = {
        k: np.zeros(len(z))
        for k in (
            "nmax",
            "lh_km",
            "loc_km",
            "route_s",
            "energy_route",
            "r_eff",
            "routes",
            "lh_s",
            "stop_s",
        )
    }
    station_binding = np.empty(len(z), dtype=object)
    own_binding = np.empty(len(z), dtype=object)
    lam = p.linehaul_own_share
    r_ref_col = z["r_ref_km"].to_numpy(float) if "r_ref_km" in z.columns else None
    sf_col = z["speed_factor"].to_numpy(float) if "speed_factor" in z.columns else None
    lims_all = {c: np.zeros(len(z)) for c in CONSTRAINTS}
    binding = np.empty(len(z), dtype=object)
    keys = pd.Series([f"{c}\x00{s}" for c, s in zip(ct_arr, st_arr, strict=True)])
    for key, idx in keys.groupby(keys).groups.items():
        ii = np.asarray(list(idx))
        ct, st = key.split("\x00")
        ct_v = None if ct == "None" else ct
        sk = None if st == "None" else f"station:{ct_v}/{st}"
        r_ref = (
            r_ref_col[ii]
            if r_ref_col is not None
            else float(np.average(r[ii], weights=np.maximum(N[ii], 1e-9)))
        )
        r_eff = lam * r[ii] + (1.0 - lam) * r_ref
        res["r_eff"][ii] = r_eff
        co = coef_for(p, sk, ct_v)
        if sf_col is not None:  # per-zone road speeds: driving seconds per km over the factor
            s_lh0, s_loc0 = co["driving"]
            co = {**co, "driving": (s_lh0 / sf_col[ii], s_loc0 / sf_col[ii])}
        lim = stop_limits(
            co,
            van,
            r_eff,
            delta[ii],
            pps[ii],
            vps[ii],
            wps[ii],
            shift,
            batt,
            temperature_c,
            energy,
        )
        u_eff = {**p.utilisation, **p.utilisation_station.get(f"{sk}|{van.name}", {})}
        nm = np.stack([lim[c](u_eff[c]) for c in CONSTRAINTS])
        for j, c in enumerate(CONSTRAINTS):
            lims_all[c][ii] = nm[j]
        b = np.argmin(nm, axis=0)
        own_binding[ii] = [CONSTRAINTS[k] for k in b]
        binding[ii] = [CONSTRAINTS[k] for k in zone_binding(N[ii], nm, p.zone_mix)]
        nmax = nm.min(axis=0)
        routes_ii, _, sb = station_routes(N[ii], nm, p.zone_mix)
        res["routes"][ii] = routes_ii
        station_binding[ii] = CONSTRAINTS[sb]
        c_lh, kc = co["distance"]
        s_lh, s_loc = co["driving"]
        a, bb = co["service"]
        res["nmax"][ii] = nmax
        res["lh_km"][ii] = c_lh * 2 * r_eff
        res["loc_km"][ii] = kc * N[ii] / np.sqrt(delta[ii])
        n_route = np.minimum(nmax, N[ii])
        res["lh_s"][ii] = s_lh * 2 * r_eff
        res["stop_s"][ii] = N[ii] * (a + bb * pps[ii] + s_loc / np.sqrt(delta[ii]))
        res["route_s"][ii] = s_lh * 2 * r_eff + n_route * (
            a + bb * pps[ii] + s_loc / np.sqrt(delta[ii])
        )
        en = energy or linear_energy_kwh
        res["energy_route"][ii] = en(
            van,
            c_lh * 2 * r_eff,
            kc * n_route / np.sqrt(delta[ii]),
            n_route,
            n_route * wps[ii],
            temperature_c,
        )
    nmax = res["nmax"]
    routes = res["routes"]
    km = routes * res["lh_km"] + res["loc_km"]
    # zone energy: energy of a route of this zone times the (fractional) number of routes
    energy_total = np.where(np.isfinite(routes), routes * res["energy_route"], np.inf)
    out = pd.DataFrame(
        {
            "station": st_arr,
            "zone": z["zone"].to_numpy(),
            "van_type": van.name,
            "packages": P,
            "stops": N,
            "packages_per_stop": pps,
            "stop_density": delta,
            "area_km2": area,
            "r_km": r,
            "r_eff_km": res["r_eff"],
            "stops_per_route": np.where(routes > 0, N / np.where(routes > 0, routes, 1.0), np.nan),
            "routes": routes,
            "spr": np.where(routes > 0, P / routes, np.nan),
            "linehaul_km": routes * res["lh_km"],
            "local_km": res["loc_km"],
            "km": km,
            "route_duration_s": res["route_s"],
            "energy_kwh": energy_total,
            "energy_per_route_kwh": res["energy_route"],
            "duty_s": routes * res["lh_s"] + res["stop_s"],
            "linehaul_s": routes * res["lh_s"],
            "stop_s": res["stop_s"],
            "volume_l": P * z["volume_l_per_package"].to_numpy(float),
            "weight_kg": P * z["weight_kg_per_package"].to_numpy(float),
            "binding": binding,
            "binding_alone": own_binding,
            "station_binding": station_binding,
            "feasible": nmax >= 1.0,
        }
    )
    for c in CONSTRAINTS:
        out[f"limit_{c}"] = lims_all[c]
    return out


def station_route_count(p: SPRParams, zr: pd.DataFrame) -> float:
    """Integer routes of one station from its zone rows: ``ceil`` of the fractional total,
    or with ``route_count == "zones"`` :func:`zone_integer_routes` of the zone-alone
    work ``stops / min_c limit_c``."""
    F = float(zr["routes"].sum())
    if not math.isfinite(F):
        return math.inf
    if p.route_count != "zones":
        return math.ceil(F - 1e-9)
    lim = zr[[f"limit_{c}" for c in CONSTRAINTS]].to_numpy(float).min(axis=1)
    with np.errstate(divide="ignore"):
        w = zr["stops"].to_numpy(float) / lim
    if not np.isfinite(w).all():
        return math.inf
    return zone_integer_routes(w, lim, p.overflow_stops) if F > 0 else 0


def predict(
    p: SPRParams,
    scenario: Scenario | pd.DataFrame | Mapping[str, Any],
    *,
    vans: Sequence[VanType | str] | None = None,
    energy: EnergyModel | None = None,
    **overrides: Any,
) -> pd.DataFrame:
    """Predict SPR, routes, km, energy and the binding constraint per zone and station.

    ``scenario``: a :class:`Scenario`, a zones DataFrame (then ``vans``/``overrides`` such
    as ``shift_s``, ``temperature_c``, ``battery_kwh``, ``station`` fill the rest) or a
    mapping as read from YAML. Returns one row per zone x van type (``level == "zone"``,
    fractional ``routes``) followed by one row per station x van type (``level ==
    "station"``: ``routes`` = the zone-by-zone integer count of :func:`zone_integer_routes`
    (``route_count="zones"``) or ``ceil(sum of zone routes)`` (``"fractional"``, the
    default), ``vans`` = routes, SPR = packages / routes, km and energy summed,
    binding = the resource with the highest predicted fleet fill, see
    :func:`station_fill_binding`). Zone rows keep fractional routes in both modes.
    ``energy`` replaces the default :func:`linear_energy_kwh` model. An unknown keyword in
    ``overrides`` raises InputError naming it.
    """
    for key in overrides:
        if key not in OVERRIDABLE:
            raise InputError(
                f"{key}: unknown predict option (known: vans, energy, {', '.join(OVERRIDABLE)})"
            )
    if isinstance(scenario, Mapping):
        scenario = Scenario.from_dict(scenario)
    if isinstance(scenario, pd.DataFrame):
        scenario = Scenario(zones=scenario, vans=tuple(vans or ()), **overrides)
    elif not isinstance(scenario, Scenario):
        raise InputError(
            f"scenario: expected a Scenario, DataFrame or mapping, got {type(scenario).__name__}"
        )
    elif vans is not None or overrides:
        changes: dict[str, Any] = dict(overrides)
        if vans is not None:
            changes["vans"] = tuple(vans)
        scenario = replace(scenario, **changes)
    if scenario.volume_factor < 0 or not math.isfinite(scenario.volume_factor):
        raise InputError(f"volume_factor: must be >= 0, got {scenario.volume_factor!r}")
    if scenario.shift_s is not None and not scenario.shift_s > 0:
        raise InputError(f"shift_s: must be > 0, got {scenario.shift_s!r}")
    if scenario.battery_kwh is not None and not scenario.battery_kwh >= 0:
        raise InputError(f"battery_kwh: must be >= 0, got {scenario.battery_kwh!r}")
    van_list = [resolve_van(p, v) for v in (scenario.vans or tuple(p.van_types))]
    if not van_list:
        raise InputError(
            "vans: no van type given and none known to the model (it was fitted on routes "
            "without capacities): pass vans=[VanType(...)]"
        )
    z = validate_zones(scenario.zones)
    z["packages"] = z["packages"] * scenario.volume_factor
    z = zone_defaults(p, z, scenario.station, scenario.city)
    parts = []
    for van in van_list:
        zr = predict_zones(
            p, z, van, scenario.shift_s, scenario.battery_kwh, scenario.temperature_c, energy
        )
        zr.insert(0, "level", "zone")
        parts.append(zr)
        for st, g in zr.groupby("station", dropna=False, sort=False):
            F = float(g["routes"].sum())
            routes = station_route_count(p, g)
            pk = float(g["packages"].sum())
            # every one of the ceil(F) routes drives its line-haul
            lh_scale = routes / F if F > 0 and math.isfinite(F) else 1.0
            parts.append(
                pd.DataFrame(
                    [
                        {
                            "level": "station",
                            "station": st,
                            "zone": None,
                            "van_type": van.name,
                            "packages": pk,
                            "stops": float(g["stops"].sum()),
                            "packages_per_stop": pk / float(g["stops"].sum())
                            if g["stops"].sum()
                            else np.nan,
                            "routes": routes,
                            "routes_fractional": F,
                            "vans": routes,
                            "spr": pk / routes if routes and math.isfinite(routes) else np.nan,
                            "linehaul_km": float(g["linehaul_km"].sum()) * lh_scale,
                            "local_km": float(g["local_km"].sum()),
                            "km": float(g["linehaul_km"].sum()) * lh_scale
                            + float(g["local_km"].sum()),
                            "energy_kwh": float(g["energy_kwh"].sum()),
                            "binding": station_fill_binding(
                                g, van, routes, lh_scale, scenario.shift_s, scenario.battery_kwh
                            ),
                            "feasible": bool(g["feasible"].all()),
                        }
                    ]
                )
            )
    return pd.concat(parts, ignore_index=True)


def station_zones(p: SPRParams, station: str, city: str | None = None) -> pd.DataFrame:
    """The zone profiles of a station seen in training (share, area, r, packages/stop)."""
    rows = [
        p
        for p in p.zones.values()
        if p["station"] == str(station) and (city is None or p["city"] == city)
    ]
    if not rows:
        raise InputError(f"station: unknown station {station!r}")
    return pd.DataFrame(rows)


__all__ = [
    "coef_for",
    "expected_stops",
    "predict",
    "predict_zones",
    "resolve_van",
    "station_route_count",
    "station_zones",
    "zone_defaults",
    "zone_stops",
]
