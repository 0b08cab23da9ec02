"""Monte Carlo days of a station with its van mix fixed: volume and parameter uncertainty.

Each task (one month x station) simulates ``n_draws`` days: a log-normal day-to-day volume factor,
independent log-normal zone noise and, optionally, a parameter draw of the SPR model
(:meth:`SPRModel.perturbed`), then counts the routes (= vans) of every van type on its zones,
all days at once (:func:`~lastmile_core.spr.predict_draws.station_routes_draws`).
A task's random stream is its own ``SeedSequence`` (spawned by the caller), so the numbers do not
depend on the backend that runs it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..spr import SPRModel, VanType
from ..spr.params import SPRParams
from ..spr.predict import zone_defaults
from ..spr.predict_draws import station_routes_draws
from ..spr.scenario import OVERRIDABLE, validate_zones
from ..spr.uncertainty import ParameterDraw, draw_parameters, normalised


@dataclass(frozen=True)
class MonteCarlo:
    """Uncertainty of the horizon plan: day-to-day volume (log-normal, coefficient of variation
    ``volume_cv``), independent zone noise (``zone_cv``), parameter uncertainty of the model
    (``parameters``), ``n_draws`` simulated days per month and station."""

    n_draws: int = 200
    volume_cv: float = 0.12
    zone_cv: float = 0.05
    parameters: bool = True

    def __post_init__(self) -> None:
        if self.n_draws < 1:
            raise InputError(f"n_draws: must be >= 1, got {self.n_draws!r}")
        for f in ("volume_cv", "zone_cv"):
            v = getattr(self, f)
            if not (v >= 0 and math.isfinite(v)):
                raise InputError(f"{f}: must be >= 0, got {v!r}")


@dataclass
class McTask:
    """One month x station of the horizon as plain data (picklable for pools and Dask)."""

    index: int
    month: str
    station: str
    city: str | None
    zones: list[dict[str, Any]]
    assignment: dict[str, str]  #: zone -> van type
    model: dict[str, Any] | SPRModel  #: a saved model (``to_dict``) or the loaded one
    vans: list[dict[str, Any]]
    mc: MonteCarlo
    seed: np.random.SeedSequence
    extra: dict[str, Any] = field(default_factory=dict)  #: keyword arguments of predict


def lognormal_factor(rng: np.random.Generator, cv: float, size: int | None = None) -> Any:
    """Log-normal factors of mean 1 and coefficient of variation ``cv`` (a float when ``size``
    is None, else an array); exactly 1 when ``cv == 0``."""
    if cv == 0:
        return np.ones(size) if size is not None else 1.0
    s2 = math.log1p(cv * cv)
    return rng.lognormal(-s2 / 2.0, math.sqrt(s2), size=size)


#: The last (parameters, normalised parameters) pair: the tasks of one horizon share one loaded
#: model, and normalising a network's model (a save/load round trip) costs more than its draws.
_LAST_NORMALISED: list[tuple[SPRParams, SPRParams]] = []


def _normalised(p: SPRParams) -> SPRParams:
    last = _LAST_NORMALISED[0] if _LAST_NORMALISED else None
    if last is not None and last[0] is p:
        return last[1]
    base = normalised(p)
    _LAST_NORMALISED[:] = [(p, base)]
    return base


def _model(task: McTask) -> SPRModel:
    return task.model if isinstance(task.model, SPRModel) else SPRModel.from_dict(task.model)


def _checked_extra(extra: dict[str, Any]) -> dict[str, Any]:
    """The predict keyword arguments of a task, checked as :func:`~lastmile_core.spr.predict`
    checks them (InputError naming the field)."""
    for key in extra:
        if key not in OVERRIDABLE:
            raise InputError(f"{key}: unknown predict option (known: {', '.join(OVERRIDABLE)})")
    vf = extra.get("volume_factor", 1.0)
    if not (vf >= 0 and math.isfinite(vf)):
        raise InputError(f"volume_factor: must be >= 0, got {vf!r}")
    shift = extra.get("shift_s")
    if shift is not None and not shift > 0:
        raise InputError(f"shift_s: must be > 0, got {shift!r}")
    batt = extra.get("battery_kwh")
    if batt is not None and not batt >= 0:
        raise InputError(f"battery_kwh: must be >= 0, got {batt!r}")
    return dict(extra)


def _result(task: McTask, names: list[str], draws: np.ndarray) -> dict[str, Any]:
    """A task's result: its keys and the vans per type of every draw."""
    return {
        "index": task.index,
        "month": task.month,
        "station": task.station,
        "vans": names,
        "draws": draws,
    }


def simulate(task: McTask) -> dict[str, Any]:
    """Simulate ``n_draws`` days of one month x station with the zone->van assignment fixed;
    returns vans per type for every draw (``draws``: n_draws x van types). Module level so
    process pools and Dask can pickle it.

    The random numbers are drawn day by day in the order of :func:`simulate_by_predict`
    (parameter draw, day factor, zone factors), then all days are counted at once by
    :func:`~lastmile_core.spr.predict_draws.station_routes_draws`: the same numbers as one
    ``SPRModel.predict`` per day and van type, without the per-day pandas work."""
    rng = np.random.default_rng(task.seed)
    model = _model(task)
    vans = [VanType.from_dict(v) for v in task.vans]
    zones = pd.DataFrame(task.zones)
    names = [v.name for v in vans]
    n, mc = task.mc.n_draws, task.mc
    p0 = model.params
    base = _normalised(p0) if mc.parameters else p0
    pdraws: list[ParameterDraw] = []
    packages = np.zeros((n, len(zones)))
    p_day = zones["packages"].to_numpy(float)
    for d in range(n):
        if mc.parameters:
            pdraws.append(draw_parameters(p0, rng))
        day = lognormal_factor(rng, mc.volume_cv)
        zn = lognormal_factor(rng, mc.zone_cv, size=len(zones))
        packages[d] = p_day * day * zn
    draws = np.zeros((n, len(vans)))
    assigned = np.array([task.assignment[str(k)] for k in zones["zone"]], dtype=object)
    extra = _checked_extra(task.extra)
    packages = packages * float(extra.get("volume_factor", 1.0))
    # zone by zone, so the defaults of all zones subset to a van's zones are that subset's
    zall = zone_defaults(base, validate_zones(zones), extra.get("station"), extra.get("city"))
    for j, v in enumerate(vans):
        mask = assigned == v.name
        if not mask.any():
            continue
        draws[:, j] = station_routes_draws(
            base,
            zall[mask],
            v,
            packages[:, mask],
            pdraws if mc.parameters else None,
            shift_s=extra.get("shift_s"),
            battery_kwh=extra.get("battery_kwh"),
            temperature_c=float(extra.get("temperature_c", 20.0)),
        )
    return _result(task, names, draws)


def simulate_by_predict(task: McTask) -> dict[str, Any]:
    """:func:`simulate` with one full ``SPRModel.predict`` per simulated day and van type: the
    reference the vectorised path is tested against (same random stream, same numbers),
    x180-x420 slower (``bench/bench_montecarlo.py --reference``)."""
    rng = np.random.default_rng(task.seed)
    model = _model(task)
    vans = [VanType.from_dict(v) for v in task.vans]
    zones = pd.DataFrame(task.zones)
    names = [v.name for v in vans]
    draws = np.zeros((task.mc.n_draws, len(vans)))
    for d in range(task.mc.n_draws):
        m = model.perturbed(rng) if task.mc.parameters else model
        day = lognormal_factor(rng, task.mc.volume_cv)
        zn = lognormal_factor(rng, task.mc.zone_cv, size=len(zones))
        z = zones.assign(packages=zones["packages"].to_numpy(float) * day * zn)
        for j, v in enumerate(vans):
            zz = z[[task.assignment[str(k)] == v.name for k in z["zone"]]]
            if len(zz) == 0:
                continue
            p = m.predict(zz, vans=[v], **task.extra)
            st = p[p["level"] == "station"]
            draws[d, j] = float(st["routes"].sum())
    return _result(task, names, draws)


def summarise(results: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """One row per month x station x van type of :func:`simulate` results: ``vans_mean``,
    ``vans_p50`` and ``vans_p90`` (inverted-CDF quantiles: vans are whole draws)."""
    rows = []
    for r in results:
        for j, name in enumerate(r["vans"]):
            d = r["draws"][:, j]
            rows.append(
                {
                    "month": r["month"],
                    "station": r["station"],
                    "van_type": name,
                    "vans_mean": float(d.mean()),
                    "vans_p50": float(np.quantile(d, 0.5, method="inverted_cdf")),
                    "vans_p90": float(np.quantile(d, 0.9, method="inverted_cdf")),
                }
            )
    return pd.DataFrame(rows)


__all__ = [
    "McTask",
    "MonteCarlo",
    "lognormal_factor",
    "simulate",
    "simulate_by_predict",
    "summarise",
]
