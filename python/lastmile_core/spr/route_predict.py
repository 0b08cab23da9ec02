"""Route-level and station-day predictions from stops alone (no solving, no driven order).

A route's road km is ``c_st * a * S + c_in * b * T`` with the order-free straight-line features
of :mod:`.route_geometry` (``S`` = station-leg estimate, ``T`` = Hilbert-curve path through the
stops), ``a`` / ``b`` the geometric scales that turn them into the straight-line station legs
and between-stop km (ratios of sums over the training routes), and ``c_st`` / ``c_in`` the road
circuities of the station legs and the between-stop driving; the driving time puts those two
road distances at their two speeds (:class:`~lastmile_core.road.RoadFactors`, fitted from
observed legs, else :data:`~lastmile_core.road.DEFAULT_ROAD`); the service time is the model's
fitted service component (``a n + b P``).

Where training routes with observed legs drove the same area, km and driving time are then
multiplied by the local factors of :mod:`.route_local` (a spatial smoothing of the training
routes' residuals, chosen by cross-validation on them; 1 elsewhere, or with ``local=False``).

:func:`fit_route_geometry` fits those numbers (``SPRParams.routes_fit``);
:func:`predict_routes` applies them to a stop table, :func:`predict_day` to an
:class:`~lastmile_core.Instance` (the CA route count of :func:`~.predict.predict`, then the day's
stops cut into that many compact routes along the Hilbert curve).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..geo import hull_area, local_xy_km
from ..road import DEFAULT_ROAD, fit_road_factors
from .energy import EnergyModel, linear_energy_kwh
from .ingest import canonical_stops
from .params import SPRParams
from .predict import coef_for, predict
from .route_geometry import hilbert_key, order_free_features
from .route_local import (
    LAT_COLUMNS,
    LON_COLUMNS,
    MIN_LOCAL_ROUTES,
    choose,
    encode,
    has_local,
    local_log_correction,
    route_points,
)
from .stop_features import MIN_ZONE_AREA_KM2, geometry
from .vans import VanType

#: Geometric scales used when the training routes carry no ordered stops (from the 98 Austin
#: routes, ``bench/quality/spr_austin.py --road``: straight-line station legs / station_est_km
#: and between-stop km / tour_est_km, ratios of sums).
DEFAULT_STATION_SCALE = 1.04
DEFAULT_TOUR_SCALE = 0.99

#: Keys of ``SPRParams.routes_fit``: the road km and driving seconds per km of each order-free
#: feature (``km = km_station * S + km_tour * T``, ``driving_s = s_station * S + s_tour * T``),
#: the geometric scales and road factors they were built from, the routes fitted on and how
#: many of them had observed legs (plus the ``local.*`` entries of :mod:`.route_local`).
ROUTE_FIT_KEYS: tuple[str, ...] = (
    "km_station",
    "km_tour",
    "s_station",
    "s_tour",
    "station_scale",
    "tour_scale",
    "station_circuity",
    "stop_circuity",
    "station_speed_kmh",
    "stop_speed_kmh",
    "routes",
    "legs_routes",
)


def _compose(f: dict[str, float]) -> dict[str, float]:
    """The km / s per feature km implied by scales x circuities / speeds."""
    ks = f["station_circuity"] * f["station_scale"]
    kt = f["stop_circuity"] * f["tour_scale"]
    return {
        **f,
        "km_station": ks,
        "km_tour": kt,
        "s_station": 3600.0 * ks / f["station_speed_kmh"],
        "s_tour": 3600.0 * kt / f["stop_speed_kmh"],
    }


def default_route_fit() -> dict[str, float]:
    """The route geometry without training legs: the default scales and road factors."""
    r = DEFAULT_ROAD
    return _compose(
        {
            "station_scale": DEFAULT_STATION_SCALE,
            "tour_scale": DEFAULT_TOUR_SCALE,
            "station_circuity": r.station_circuity,
            "stop_circuity": r.stop_circuity,
            "station_speed_kmh": r.station_speed_kmh,
            "stop_speed_kmh": r.stop_speed_kmh,
            "routes": 0.0,
            "legs_routes": 0.0,
        }
    )


def _relative_lstsq(X: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """Least squares of the relative errors (weights 1 / y): the fit that targets MAPE-like
    accuracy; None when it is degenerate or gives a negative coefficient."""
    ok = np.isfinite(X).all(axis=1) & np.isfinite(y) & (y > 0)
    if ok.sum() < 2 * X.shape[1]:
        return None
    w = 1.0 / y[ok]
    coef, *_ = np.linalg.lstsq(X[ok] * w[:, None], y[ok] * w, rcond=None)
    return coef if (coef >= 0).all() else None


def fit_route_geometry(routes: pd.DataFrame, *, local: bool = True) -> dict[str, float]:
    """``routes_fit`` from a route table of :func:`~lastmile_core.spr.observe_table` (empty when
    the table lacks its order-free columns, e.g. routes of :func:`~lastmile_core.spr.observe`:
    predictions then use :func:`default_route_fit`).

    Routes with a known stop order give the geometric scales (ratios of sums); routes with
    observed legs give the road factors (:func:`~lastmile_core.road.fit_road_factors`) and then
    the km and driving-time coefficients directly, by relative least squares of the observed
    route km and driving seconds on the two features (falling back to scales x factors).
    With ``local`` (default) and routes whose table carries their footprints
    (:data:`~.route_local.LON_COLUMNS`, as from ``observe_table``), the spatial residual
    models of :mod:`.route_local` are added when cross-validation on these routes says they
    help (entries ``local.*``)."""
    need = ("station_est_km", "tour_est_km", "linehaul_line_km", "intra_line_km")
    if any(c not in routes.columns for c in need):
        return {}
    r = routes[np.isfinite(routes[list(need)].to_numpy(float)).all(axis=1)]
    if not len(r):
        return {}
    out = default_route_fit()
    ordered = r[r["order_known"].astype(bool)] if "order_known" in r.columns else r
    s_est, t_est = float(ordered["station_est_km"].sum()), float(ordered["tour_est_km"].sum())
    if len(ordered) and s_est > 0 and t_est > 0:
        out["station_scale"] = float(ordered["linehaul_line_km"].sum()) / s_est
        out["tour_scale"] = float(ordered["intra_line_km"].sum()) / t_est
    obs = r[r["legs_observed"].astype(bool)] if "legs_observed" in r.columns else r.iloc[:0]
    if len(obs):
        rf = fit_road_factors(
            obs["linehaul_line_km"],
            obs["linehaul_km"],
            obs["intra_line_km"],
            obs["intra_km"],
            obs["linehaul_s"],
            obs["intra_s"],
        )
        out.update(
            station_circuity=rf.station_circuity,
            stop_circuity=rf.stop_circuity,
            station_speed_kmh=rf.station_speed_kmh,
            stop_speed_kmh=rf.stop_speed_kmh,
        )
    out = _compose(out)
    if len(obs):
        X = obs[["station_est_km", "tour_est_km"]].to_numpy(float)
        km = _relative_lstsq(X, obs["distance_km"].to_numpy(float))
        drive = _relative_lstsq(X, (obs["linehaul_s"] + obs["intra_s"]).to_numpy(float))
        if km is not None:
            out.update(km_station=float(km[0]), km_tour=float(km[1]))
        if drive is not None:
            out.update(s_station=float(drive[0]), s_tour=float(drive[1]))
    out["routes"] = float(len(obs) if len(obs) else len(ordered))
    out["legs_routes"] = float(len(obs))
    if local and len(obs):
        out.update(_fit_local(obs, out))
    return out


def _fit_local(obs: pd.DataFrame, f: Mapping[str, float]) -> dict[str, float]:
    """The spatial residual models of :mod:`.route_local` for km (``"km"``) and driving time
    (``"s"``), their bandwidth and prior weight chosen by cross-validation on ``obs`` (entries
    ``local.<target>.cv_mape`` / ``.cv_mape_global``: the out-of-fold MAPE with and without)."""
    if len(obs) < MIN_LOCAL_ROUTES or any(c not in obs.columns for c in LON_COLUMNS + LAT_COLUMNS):
        return {}
    lon = obs[list(LON_COLUMNS)].to_numpy(float)
    lat = obs[list(LAT_COLUMNS)].to_numpy(float)
    X = obs[["station_est_km", "tour_est_km"]].to_numpy(float)
    out: dict[str, float] = {}
    for target, col, keys in (
        ("km", obs["distance_km"], ("km_station", "km_tour")),
        ("s", obs["linehaul_s"] + obs["intra_s"], ("s_station", "s_tour")),
    ):
        y = col.to_numpy(float)
        ok = np.isfinite(y) & (y > 0) & np.isfinite(X).all(axis=1) & np.isfinite(lon).all(axis=1)
        if ok.sum() < MIN_LOCAL_ROUTES:
            continue
        prior = np.array([f[keys[0]], f[keys[1]]])
        Xo, yo = X[ok], y[ok]

        def fit_predict(tr: np.ndarray, te: np.ndarray, Xo: np.ndarray = Xo, yo: np.ndarray = yo,
                        prior: np.ndarray = prior) -> np.ndarray:  # fmt: skip
            c = _relative_lstsq(Xo[tr], yo[tr])
            return np.asarray(Xo[np.r_[tr, te]] @ (prior if c is None else c))

        h, kappa, cv_local, cv_global = choose(lon[ok], lat[ok], fit_predict, yo)
        out[f"local.{target}.cv_mape"] = cv_local
        out[f"local.{target}.cv_mape_global"] = cv_global
        resid = np.log(yo / (Xo @ prior))
        out.update(encode(target, lon[ok], lat[ok], resid, h, kappa) if h > 0 else {
            f"local.{target}.bandwidth_km": 0.0, f"local.{target}.kappa": 0.0,
            f"local.{target}.routes": 0.0})  # fmt: skip
    return out


def route_physics(p: SPRParams, routes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    """Global order-free (no local correction) road ``(km, driving_s)`` of the rows of a route
    table carrying ``station_est_km`` / ``tour_est_km`` (as from ``observe_table``), when the
    model's route geometry was fitted on routes with observed legs; None otherwise (NaN for
    rows without the features)."""
    f = dict(getattr(p, "routes_fit", {}) or {})
    if float(f.get("legs_routes", 0.0) or 0.0) <= 0 or "km_station" not in f:
        return None
    if any(c not in routes.columns for c in ("station_est_km", "tour_est_km")):
        return None
    S = pd.to_numeric(routes["station_est_km"], errors="coerce").to_numpy(float)
    T = pd.to_numeric(routes["tour_est_km"], errors="coerce").to_numpy(float)
    est = _road(f, S, T)
    return est["km"], est["driving_s"]


def _fit(p: SPRParams) -> dict[str, float]:
    f = dict(getattr(p, "routes_fit", {}) or {})
    return f if f else default_route_fit()


def _road(
    f: Mapping[str, float],
    S: np.ndarray,
    T: np.ndarray,
    footprint: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Road km (station legs, between stops, total) and driving seconds of routes with
    order-free features ``S``, ``T``; with the routes' ``footprint`` (lon, lat of
    :func:`~.route_local.route_points`) times the local factors of :mod:`.route_local`
    (``km_local_factor``, ``driving_local_factor``; 1 without a local model)."""
    ones = np.ones(len(S))
    fk, fs = ones, ones
    if footprint is not None:
        fk = np.exp(local_log_correction(f, "km", *footprint))
        fs = np.exp(local_log_correction(f, "s", *footprint))
    st_km, in_km = f["km_station"] * S * fk, f["km_tour"] * T * fk
    drive = (f["s_station"] * S + f["s_tour"] * T) * fs
    return {
        "station_km": st_km,
        "stop_km": in_km,
        "km": st_km + in_km,
        "driving_s": drive,
        "km_local_factor": fk,
        "driving_local_factor": fs,
    }


def day_routes_code(x: np.ndarray, y: np.ndarray, routes: int) -> np.ndarray:
    """Cut a station-day's stops (local km around the station) into ``routes`` compact routes:
    along the Hilbert curve through all of them, each cut at the longest hop within half a mean
    route of the equal-size boundary (route-first, cluster-second; Beasley 1983). Returns the
    route code (0..routes-1) of every stop."""
    N, k = len(x), int(routes)
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-12)
    order = np.argsort(hilbert_key((x - x.min()) / span, (y - y.min()) / span), kind="stable")
    hop = np.hypot(np.diff(x[order]), np.diff(y[order]))
    w = max(int(0.5 * N / k), 0)
    cuts, prev = [], 0
    for j in range(1, k):
        b = int(round(j * N / k))
        lo, hi = max(prev + 1, b - w), min(N - 1, b + w)
        c = lo + int(np.argmax(hop[lo - 1 : hi])) if hi >= lo else max(prev + 1, min(b, N - 1))
        cuts.append(c)
        prev = c
    seg = np.zeros(N, dtype=np.int64)
    for c in cuts:
        seg[c:] += 1
    code = np.empty(N, dtype=np.int64)
    code[order] = seg
    return code


def _service(
    p: SPRParams, city: np.ndarray, station: np.ndarray, n: np.ndarray, pk: np.ndarray
) -> np.ndarray:
    out = np.zeros(len(n))
    keys = pd.Series([f"{c}\x00{s}" for c, s in zip(city, station, strict=True)])
    for key, idx in keys.groupby(keys).groups.items():
        c, s = str(key).split("\x00")
        a, b = coef_for(p, f"station:{c}/{s}", c)["service"]
        ii = np.asarray(list(idx))
        out[ii] = a * n[ii] + b * pk[ii]
    return out


def _energy(
    van: VanType,
    energy: EnergyModel | None,
    est: Mapping[str, np.ndarray],
    n: np.ndarray,
    payload_kg: np.ndarray,
    temperature_c: float,
) -> np.ndarray:
    en = energy or linear_energy_kwh
    return np.asarray(en(van, est["station_km"], est["stop_km"], n, payload_kg, temperature_c))


def predict_routes(
    p: SPRParams,
    stops: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    is_depot: str | tuple[str, Any] | None = None,
    depot: tuple[float, float] | Mapping[str, tuple[float, float]] | None = None,
    van: VanType | None = None,
    energy: EnergyModel | None = None,
    temperature_c: float = 20.0,
    local: bool = True,
) -> pd.DataFrame:
    """One row per route of a canonical stop table (see
    :func:`~lastmile_core.spr.observe_table` for ``columns`` / ``is_depot`` / ``depot``; ``seq``
    and legs may be absent and are not used): ``city``, ``station``, ``day``, ``route_id``,
    ``stops``, ``packages``, ``station_km``, ``stop_km``, ``km``, ``driving_s``, ``service_s``,
    ``duration_s`` (driving + service), ``km_local_factor`` / ``driving_local_factor`` (the
    spatial corrections of :mod:`.route_local` that applied: 1 where no training route drove
    the area, or with ``local=False``) and, with a ``van``, ``energy_kwh``."""
    cs = canonical_stops(stops, columns=columns, is_depot=is_depot, depot=depot)
    if not len(cs.stops):
        raise InputError("stops: the table has no stop rows")
    g = geometry(cs)
    R = len(cs.routes)
    code = cs.stops["_route"].to_numpy(np.int64)
    feats = order_free_features(code, g.x, g.y, R)
    lon, lat = cs.stops["lon"].to_numpy(float), cs.stops["lat"].to_numpy(float)
    fit = _fit(p)
    foot = route_points(code, lon, lat, R) if local and has_local(fit) else None
    est = _road(fit, feats["station_est_km"], feats["tour_est_km"], foot)
    n = np.bincount(code, minlength=R).astype(float)
    pk = np.bincount(code, weights=cs.stops["packages"].to_numpy(float), minlength=R).astype(float)
    rt = cs.routes
    svc = _service(p, rt["city"].to_numpy(), rt["station"].to_numpy(), n, pk)
    out = rt[["city", "station", "day", "route_id"]].copy()
    out["stops"] = n
    out["packages"] = pk
    for k in (
        "station_km",
        "stop_km",
        "km",
        "driving_s",
        "km_local_factor",
        "driving_local_factor",
    ):
        out[k] = est[k]
    out["service_s"] = svc
    out["duration_s"] = est["driving_s"] + svc
    if van is not None:
        if "weight_kg" in cs.stops.columns:
            w = cs.stops["weight_kg"].fillna(0.0).to_numpy(float)
            payload = np.bincount(code, weights=w, minlength=R).astype(float)
        else:
            payload = pk * float(p.weight_per_package.get("global", 0.0) or 0.0)
        out["energy_kwh"] = _energy(van, energy, est, n, payload, temperature_c)
    return out.reset_index(drop=True)


def instance_zones(instance: Any) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Zone rows of a geographic instance's clients for :func:`~.predict.predict` (zone,
    packages, stops, area_km2, r_km, stop_density, packages_per_stop, volume/weight per package)
    and the clients' local km coordinates around the depot (x, y)."""
    data = getattr(instance, "data", None)
    if data is None or not getattr(instance, "geographic", False):
        raise InputError("instance: expected a geographic Instance (lon/lat coordinates)")
    coords = np.asarray(data.coords, dtype=float)
    if coords.shape[0] < 2:
        raise InputError("instance: no clients")
    xy = local_xy_km(coords[1:, 0], coords[1:, 1], coords[0, 0], coords[0, 1])
    dem = np.asarray(data.demand, dtype=float).reshape(coords.shape[0], -1)[1:]
    dims = list(getattr(instance, "dim_names", ()) or [])
    pk = dem[:, dims.index("packages")] if "packages" in dims else dem[:, 0]
    vol = dem[:, dims.index("volume_l")] if "volume_l" in dims else None
    wt = dem[:, dims.index("weight_kg")] if "weight_kg" in dims else None
    if data.zone is None:
        zname = np.array(["ALL"] * len(pk), dtype=object)
    else:
        zid = np.asarray(data.zone, dtype=np.int64)[1:]
        names = tuple(instance.zone_names) or tuple(str(i) for i in range(int(zid.max()) + 1))
        zname = np.asarray(names, dtype=object)[zid]
    areas = dict(instance.metadata.get("zone_area_km2", {}) or {})
    rows = []
    for z in pd.unique(zname):
        m = zname == z
        n = int(m.sum())
        area = float(areas.get(z, max(hull_area(xy[m]), MIN_ZONE_AREA_KM2)))
        P = float(pk[m].sum())
        rows.append(
            {
                "zone": str(z),
                "packages": P,
                "stops": float(n),
                "area_km2": area,
                "r_km": float(np.hypot(*xy[m].mean(axis=0))),
                "stop_density": n / area,
                "packages_per_stop": P / n,
                "volume_l_per_package": float(vol[m].sum()) / P if vol is not None and P else 0.0,
                "weight_kg_per_package": float(wt[m].sum()) / P if wt is not None and P else 0.0,
            }
        )
    return pd.DataFrame(rows), xy[:, 0], xy[:, 1]


def predict_day(
    p: SPRParams,
    instance: Any,
    van: VanType,
    *,
    station: str | None = None,
    city: str | None = None,
    energy: EnergyModel | None = None,
    temperature_c: float = 20.0,
    shift_s: float | None = None,
    battery_kwh: float | None = None,
    local: bool = True,
) -> dict[str, Any]:
    """The station-day summary of an instance's clients without solving it: ``routes`` (the CA
    station count of :func:`~.predict.predict` with ``van``), ``spr``, ``binding``, ``km`` and
    ``duration_s`` (the clients cut into ``routes`` compact routes by :func:`day_routes_code`,
    each priced as in :func:`predict_routes`, local factors included unless ``local=False``), and
    ``packages``, ``stops``, ``routes_fractional``, ``km_ca`` / ``energy_kwh`` (the CA's station
    km and energy) and ``feasible``."""
    if not isinstance(van, VanType):
        raise InputError(f"van: expected a VanType, got {type(van).__name__}")
    zones, x, y = instance_zones(instance)
    res = predict(
        p,
        zones,
        vans=[van],
        energy=energy,
        station=station,
        city=city,
        temperature_c=temperature_c,
        shift_s=shift_s,
        battery_kwh=battery_kwh,
    )
    row = res[res["level"] == "station"].iloc[0]
    routes = float(row["routes"])
    out: dict[str, Any] = {
        "routes": int(routes) if math.isfinite(routes) else routes,
        "spr": float(row["spr"]),
        "binding": str(row["binding"]),
        "packages": float(row["packages"]),
        "stops": float(row["stops"]),
        "routes_fractional": float(row["routes_fractional"]),
        "km_ca": float(row["km"]),
        "energy_kwh": float(row["energy_kwh"]),
        "feasible": bool(row["feasible"]),
    }
    if not (math.isfinite(routes) and routes >= 1):
        out.update(km=math.nan, duration_s=math.nan)
        return out
    k = min(int(routes), len(x))
    code = day_routes_code(x, y, k)
    feats = order_free_features(code, x, y, k)
    coords = np.asarray(instance.data.coords, dtype=float)[1:]
    fit = _fit(p)
    foot = route_points(code, coords[:, 0], coords[:, 1], k) if local and has_local(fit) else None
    est = _road(fit, feats["station_est_km"], feats["tour_est_km"], foot)
    n = np.bincount(code, minlength=k).astype(float)
    pk_share = out["packages"] / max(len(x), 1)
    st_name = station if station is not None else "None"
    svc = _service(p, np.array([city] * k), np.array([st_name] * k), n, n * pk_share)
    out["km"] = float(est["km"].sum())
    out["duration_s"] = float((est["driving_s"] + svc).sum())
    return out


__all__ = [
    "DEFAULT_STATION_SCALE",
    "DEFAULT_TOUR_SCALE",
    "ROUTE_FIT_KEYS",
    "day_routes_code",
    "default_route_fit",
    "fit_route_geometry",
    "instance_zones",
    "predict_day",
    "predict_routes",
    "route_physics",
]
