"""Pure continuous-approximation (CA) predictions of *observed* routes and station-days.

The physics core the hybrid (:mod:`.hybrid`), the SPR distribution (:mod:`.distribution`) and
the re-calibration drift checks build on: for each observed route its CA km and duration from
its own geometry (``r_km``, ``local_x``, stops, packages) and the fitted route coefficients,
and for each observed station-day (city, station, day, van type) the CA route count and SPR from
its zone table, computed exactly as :func:`~.calibrate.fit_quality` does.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .calibrate import validate_observations
from .fit_utilisation import training_groups
from .observations import Observations, validate_zone_table, zones_from_routes
from .params import SPRParams
from .predict import coef_for, predict_zones, station_route_count
from .vans import VanType

#: Station-day key columns.
DAY_KEY: tuple[str, ...] = ("city", "station", "day", "van_type")

#: Route geometry features (the inputs of the CA route formulas plus the stop spacing).
ROUTE_FEATURES: tuple[str, ...] = ("r_km", "local_x", "stops", "packages", "local_per_stop")

#: Station-day features (totals of the CA zone rows and the van).
DAY_FEATURES: tuple[str, ...] = (
    "packages",
    "stops",
    "area_km2",
    "r_mean_km",
    "cap_packages",
    "shift_s",
)


def split(observations: Observations | pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Checked route and zone tables of observations (as :func:`~.calibrate.fit` reads them)."""
    if isinstance(observations, Observations):
        routes = validate_observations(observations.routes)
        return routes, validate_zone_table(observations.zones, routes)
    routes = validate_observations(observations)
    return routes, zones_from_routes(routes)


def route_ca(p: SPRParams, routes: pd.DataFrame) -> pd.DataFrame:
    """CA km, driving, service and total duration of each route (rows of ``routes``, which need
    ``city`` (optional), ``station``, ``r_km``, ``local_x``, ``stops``, ``packages``), with the
    coefficients of the route's station (else its city, else global); plus the
    :data:`ROUTE_FEATURES`. Index as ``routes``."""
    for c in ("station", "r_km", "local_x", "stops", "packages"):
        if c not in routes.columns:
            raise InputError(f"{c}: missing column in the route table")
    city = routes["city"].astype(str) if "city" in routes else pd.Series("city", routes.index)
    station = routes["station"].astype(str)
    num = {
        c: pd.to_numeric(routes[c], errors="coerce").to_numpy(float)
        for c in ("r_km", "local_x", "stops", "packages")
    }
    for c, v in num.items():
        bad = ~np.isfinite(v) | (v < 0)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{c}: invalid value {routes[c].iloc[i]!r} in row {i}")
    out = {k: np.zeros(len(routes)) for k in ("km", "driving_s", "service_s")}
    keys = city + "\x00" + station
    for key, idx in keys.groupby(keys.to_numpy()).groups.items():
        ii = routes.index.get_indexer(idx)
        ct, st = str(key).split("\x00")
        co = coef_for(p, f"station:{ct}/{st}", ct)
        c_lh, kc = co["distance"]
        s_lh, s_loc = co["driving"]
        a, b = co["service"]
        two_r, lx = 2.0 * num["r_km"][ii], num["local_x"][ii]
        out["km"][ii] = c_lh * two_r + kc * lx
        out["driving_s"][ii] = s_lh * two_r + s_loc * lx
        out["service_s"][ii] = a * num["stops"][ii] + b * num["packages"][ii]
    res = pd.DataFrame(out, index=routes.index)
    res["duration_s"] = res["driving_s"] + res["service_s"]
    for c in ("r_km", "local_x", "stops", "packages"):
        res[c] = num[c]
    with np.errstate(divide="ignore", invalid="ignore"):
        res["local_per_stop"] = np.where(num["stops"] > 0, num["local_x"] / num["stops"], 0.0)
    return res


def day_features(zone_rows: pd.DataFrame, cap_packages: float, shift_s: float) -> dict[str, float]:
    """The :data:`DAY_FEATURES` of one station-day from its CA zone rows (``packages``,
    ``stops``, ``area_km2``, ``r_km`` columns of :func:`~.predict.predict_zones` output)."""
    stops = zone_rows["stops"].to_numpy(float)
    r = zone_rows["r_km"].to_numpy(float)
    w = stops if stops.sum() > 0 else np.ones_like(stops)
    return {
        "packages": float(zone_rows["packages"].sum()),
        "stops": float(stops.sum()),
        "area_km2": float(zone_rows["area_km2"].sum()),
        "r_mean_km": float(np.average(r, weights=w)) if len(r) else 0.0,
        "cap_packages": float(cap_packages),
        "shift_s": float(shift_s),
    }


def station_days(
    p: SPRParams,
    observations: Observations | pd.DataFrame,
    vans: Sequence[VanType] | None = None,
) -> pd.DataFrame:
    """One row per observed station-day: the :data:`DAY_KEY`, observed ``packages``, ``routes``
    and ``spr``, the CA ``routes_ca`` and ``spr_ca`` (the model's station route count on the
    day's observed zone table, observed stops and densities) and the :data:`DAY_FEATURES`
    (prefixed ``f_``). ``vans`` adds van types the model has not seen (an unseen larger van);
    a day whose van type is neither known nor given raises InputError."""
    known = dict(p.van_types)
    for v in vans or ():
        if not isinstance(v, VanType):
            raise InputError(f"vans: expected spr.VanType entries, got {type(v).__name__}")
        known[v.name] = v
    routes, zones = split(observations)
    rows: list[dict[str, Any]] = []
    for g in training_groups(routes, zones):
        city, st, day, van_name = (str(x) for x in g["key"])
        if van_name not in known:
            raise InputError(f"van_type: {van_name!r} is not known to the model; pass it in vans=")
        van = known[van_name]
        z = g["zones"].rename(columns={"area": "area_km2", "r": "r_km"})
        z = z.assign(
            packages_per_stop=z["packages"] / z["stops"],
            volume_l_per_package=(z["vol"] / z["packages"]).fillna(0.0),
            weight_kg_per_package=(z["wt"] / z["packages"]).fillna(0.0),
            station=st,
            city=city,
            stop_density=z["zone_stops"] / z["area_km2"],
        )
        zr = predict_zones(p, z, van, None, None, 20.0)
        R = station_route_count(p, zr)
        pk = float(g["packages"])
        feats = day_features(zr, van.capacity_packages, van.shift_s)
        rows.append(
            {
                "city": city,
                "station": st,
                "day": day,
                "van_type": van_name,
                "packages": pk,
                "routes": float(g["routes"]),
                "spr": pk / g["routes"],
                "routes_ca": float(R),
                "spr_ca": pk / R if R and math.isfinite(R) else math.nan,
                **{f"f_{k}": v for k, v in feats.items()},
            }
        )
    if not rows:
        raise InputError("observations: no station-day with a zone breakdown")
    return pd.DataFrame(rows)


__all__ = [
    "DAY_FEATURES",
    "DAY_KEY",
    "ROUTE_FEATURES",
    "day_features",
    "route_ca",
    "split",
    "station_days",
]
