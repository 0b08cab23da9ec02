"""Road distances and driving speeds from straight-line geometry: the one set of defaults.

A delivery tour has two kinds of driving that behave differently on a road network: the
*station legs* (station -> first stop, last stop -> station: long, on arterials and highways,
fairly direct and fast) and the driving *between stops* (short hops on local streets: detours,
one-way streets, slow). Each gets its own circuity (road km / great-circle km) and speed.

:data:`DEFAULT_ROAD` is derived from the 98 Austin routes of the Amazon Last Mile Routing
Research Challenge 2021 (OpenStreetMap driving km and minutes leg by leg; ``bench/quality/
spr_austin.py --road`` recomputes every number below, ratio of sums over all routes):

* station legs: circuity 1.28, 66 km/h;
* between stops: circuity 1.54, 29 km/h;
* whole tour: circuity 1.39, 41 km/h (what a single-circuity model, e.g. an
  :class:`~lastmile_core.Instance`, uses).

(The data README quotes 1.31 / 1.52 / 1.40 as per-route means over all 214 Austin routes; the
98 shipped routes give the ratios of sums above.) These are the defaults of
:mod:`lastmile_core.metrics`, :class:`~lastmile_core.Instance` (geographic, its single
``circuity``), :func:`lastmile_core.spr.observe_table` / :meth:`~lastmile_core.spr.SPRModel.
predict_routes` and the metrics CLI; observed legs (``leg_km``, ``leg_s``) override them through
:func:`fit_road_factors`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError


@dataclass(frozen=True)
class RoadFactors:
    """Circuity (road km / straight-line km, >= 1) and speed (km/h, > 0) of the station legs and
    of the driving between stops, and the whole-tour values for single-factor models."""

    station_circuity: float
    stop_circuity: float
    station_speed_kmh: float
    stop_speed_kmh: float
    tour_circuity: float
    tour_speed_kmh: float

    def __post_init__(self) -> None:
        for name in ("station_circuity", "stop_circuity", "tour_circuity"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0):
                raise InputError(f"{name}: must be finite and > 0, got {v!r}")
        for name in ("station_speed_kmh", "stop_speed_kmh", "tour_speed_kmh"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v > 0):
                raise InputError(f"{name}: must be finite and > 0, got {v!r}")

    def road_km(self, station_line_km: npt.ArrayLike, stop_line_km: npt.ArrayLike) -> np.ndarray:
        """Road km of station legs and between-stop driving given their straight-line km."""
        return np.asarray(
            self.station_circuity * np.asarray(station_line_km, dtype=float)
            + self.stop_circuity * np.asarray(stop_line_km, dtype=float)
        )

    def drive_s(self, station_road_km: npt.ArrayLike, stop_road_km: npt.ArrayLike) -> np.ndarray:
        """Driving seconds of station-leg and between-stop road km at the two speeds."""
        return np.asarray(
            3600.0 * np.asarray(station_road_km, dtype=float) / self.station_speed_kmh
            + 3600.0 * np.asarray(stop_road_km, dtype=float) / self.stop_speed_kmh
        )


#: The documented default (Austin, OSM; see the module docstring).
DEFAULT_ROAD = RoadFactors(
    station_circuity=1.28,
    stop_circuity=1.54,
    station_speed_kmh=66.0,
    stop_speed_kmh=29.0,
    tour_circuity=1.39,
    tour_speed_kmh=41.0,
)


def _ratio(num: np.ndarray, den: np.ndarray, default: float, name: str) -> float:
    ok = np.isfinite(num) & np.isfinite(den)
    n, d = float(num[ok].sum()), float(den[ok].sum())
    if d <= 0 or n <= 0:
        return default
    v = n / d
    if not math.isfinite(v):
        raise InputError(f"{name}: could not be fitted from the observed legs")
    return v


def fit_road_factors(
    station_line_km: npt.ArrayLike,
    station_road_km: npt.ArrayLike,
    stop_line_km: npt.ArrayLike,
    stop_road_km: npt.ArrayLike,
    station_s: npt.ArrayLike | None = None,
    stop_s: npt.ArrayLike | None = None,
    default: RoadFactors = DEFAULT_ROAD,
) -> RoadFactors:
    """Road factors fitted from observed routes (one value per route, or per leg): circuity =
    sum road km / sum straight-line km and speed = sum road km / sum driving time, separately
    for station legs and between-stop driving (ratios of sums: the estimator that reproduces
    total km and time). Parts without data (NaN or zero totals) keep ``default``'s value."""
    sl, sr = np.asarray(station_line_km, float), np.asarray(station_road_km, float)
    il, ir = np.asarray(stop_line_km, float), np.asarray(stop_road_km, float)
    c_st = _ratio(sr, sl, default.station_circuity, "station_circuity")
    c_in = _ratio(ir, il, default.stop_circuity, "stop_circuity")
    c_tour = _ratio(np.r_[sr, ir], np.r_[sl, il], default.tour_circuity, "tour_circuity")
    v_st, v_in, v_tour = default.station_speed_kmh, default.stop_speed_kmh, default.tour_speed_kmh
    if station_s is not None and stop_s is not None:
        ss, si = np.asarray(station_s, float) / 3600.0, np.asarray(stop_s, float) / 3600.0
        v_st = _ratio(sr, ss, v_st, "station_speed_kmh")
        v_in = _ratio(ir, si, v_in, "stop_speed_kmh")
        v_tour = _ratio(np.r_[sr, ir], np.r_[ss, si], v_tour, "tour_speed_kmh")
    return RoadFactors(c_st, c_in, v_st, v_in, c_tour, v_tour)


def split_legs(
    line_haul_line_km: npt.ArrayLike,
    intra_line_km: npt.ArrayLike,
    service_s: npt.ArrayLike,
    *,
    circuity: float | None,
    speed_kmh: float | npt.ArrayLike | None,
    road: RoadFactors = DEFAULT_ROAD,
) -> dict[str, np.ndarray]:
    """Road km and times of routes from their straight-line station legs and between-stop km:
    ``circuity`` None = ``road``'s two circuities, else one for both; ``speed_kmh`` None =
    ``road``'s two speeds, else one (scalar or per route) for all driving. Returns
    ``line_haul_distance``, ``intra_route_distance``, ``total_distance``, ``drive_time_s`` and
    ``duration_s`` (drive + service)."""
    lh_line = np.asarray(line_haul_line_km, dtype=float)
    in_line = np.asarray(intra_line_km, dtype=float)
    c_st = road.station_circuity if circuity is None else float(circuity)
    c_in = road.stop_circuity if circuity is None else float(circuity)
    lh, intra = c_st * lh_line, c_in * in_line
    if speed_kmh is None:
        drive = 3600.0 * (lh / road.station_speed_kmh + intra / road.stop_speed_kmh)
    else:
        with np.errstate(divide="ignore"):
            drive = 3600.0 * (lh + intra) / np.asarray(speed_kmh, dtype=float)
    return {
        "line_haul_distance": lh,
        "intra_route_distance": intra,
        "total_distance": lh + intra,
        "drive_time_s": drive,
        "duration_s": drive + np.asarray(service_s, dtype=float),
    }


def road_metrics(
    result: dict[str, Any],
    circuity: float | None,
    speed_kmh: npt.ArrayLike | None,
    road: RoadFactors = DEFAULT_ROAD,
) -> None:
    """Rewrites in place the distance and time fields of a ``_core.batch_route_metrics`` result
    computed at circuity ``circuity or 1`` and without drive time, with :func:`split_legs`
    (the stop-density and inter-stop fields follow the new between-stop km)."""
    c0 = 1.0 if circuity is None else float(circuity)
    legs = split_legs(
        result["line_haul_distance"] / c0,
        result["intra_route_distance"] / c0,
        result["service_time_s"],
        circuity=circuity,
        speed_kmh=speed_kmh,
        road=road,
    )
    result.update(legs)
    n = np.asarray(result["n_stops"], dtype=float)
    intra = legs["intra_route_distance"]
    with np.errstate(divide="ignore", invalid="ignore"):
        result["stops_per_intra_km"] = np.where(intra > 0, n / intra, np.nan)
        result["mean_inter_stop_distance"] = np.where(n > 1, intra / (n - 1), np.nan)


__all__ = ["DEFAULT_ROAD", "RoadFactors", "fit_road_factors", "road_metrics", "split_legs"]
