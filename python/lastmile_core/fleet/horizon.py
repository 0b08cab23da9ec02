"""The fleet over a planning horizon: monthly volume forecast -> vans per month, station, type.

Each station's day is spread over its zones by the shares seen in training
(:meth:`SPRModel.station_zones`); the van mix of the average day is chosen by
:func:`.mix.plan_mix`; Monte Carlo days (:mod:`.montecarlo`) then give the distribution of vans
needed with that mix. Tasks (one per station, all its months: :mod:`.horizon_tasks`) run on any
backend of :mod:`.backends`; forecast row ``i`` draws from ``SeedSequence(seed).spawn(n_rows)[i]``
so all backends agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io import read_table
from ..spr import SPRModel, VanType
from .backends import dask_client, parallel_map
from .buy_quantile import buy_table, critical_ratio
from .horizon_tasks import HorizonModels, StationMonths, plan_station
from .montecarlo import MonteCarlo, summarise

#: Forecast volume columns: exactly one of them, its name says the period.
VOLUME_COLUMNS = ("packages_per_day", "packages_per_month")


def _validate_forecast(
    forecast: pd.DataFrame, model: SPRModel, working_days: float
) -> pd.DataFrame:
    """A checked copy with a float ``packages_per_day`` column (a monthly total is divided by the
    row's ``working_days``, else by ``working_days``)."""
    if not isinstance(forecast, pd.DataFrame):
        raise InputError(f"forecast: expected a DataFrame, got {type(forecast).__name__}")
    for c in ("month", "station"):
        if c not in forecast.columns:
            raise InputError(f"{c}: missing column in the forecast")
    given = [c for c in VOLUME_COLUMNS if c in forecast.columns]
    if "packages" in forecast.columns and not given:
        raise InputError(
            "packages: ambiguous forecast column; name it packages_per_day (a working day's "
            "volume) or packages_per_month (the month's total, divided by working_days)"
        )
    if len(given) != 1:
        raise InputError(
            f"{'/'.join(VOLUME_COLUMNS)}: the forecast needs exactly one of these columns, "
            f"got {given or list(forecast.columns)}"
        )
    col = given[0]
    f = forecast.copy()
    f["month"] = f["month"].astype(str)
    f["station"] = f["station"].astype(str)
    vals = pd.to_numeric(f[col], errors="coerce")
    bad = vals.isna() | (vals < 0) | ~np.isfinite(vals)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(f"{col}: invalid forecast value {forecast[col].iloc[i]!r} in row {i}")
    if "working_days" in f.columns:
        wd = pd.to_numeric(f["working_days"], errors="coerce")
        if (wd.isna() | ~(wd > 0)).any():
            raise InputError("working_days: must be > 0")
        f["working_days"] = wd.astype(float)
    elif not (np.isfinite(working_days) and working_days > 0):
        raise InputError(f"working_days: must be > 0, got {working_days!r}")
    else:
        f["working_days"] = float(working_days)
    if col == "packages_per_month":
        f["packages_per_day"] = vals.astype(float) / f["working_days"]
    else:
        f["packages_per_day"] = vals.astype(float)
    known = {p["station"] for p in model.zones.values()}
    for st in f["station"].unique():
        if st not in known:
            raise InputError(
                f"station: forecast station {st!r} unknown to the model (known: {sorted(known)})"
            )
    return f


def plan_horizon(
    model: SPRModel,
    forecast: pd.DataFrame,
    vans: Sequence[VanType | str] | None = None,
    availability: Mapping[str, int] | None = None,
    *,
    working_days: float = 25.0,
    monte_carlo: MonteCarlo | None = None,
    seed: int = 0,
    backend: str = "local",
    client: Any = None,
    max_workers: int | None = None,
    progress: bool | None = None,
    shift_s: float | None = None,
    battery_kwh: float | None = None,
    temperature_c: float = 20.0,
    cost_missing_van: float | None = None,
    cost_idle_van: float | None = None,
) -> pd.DataFrame:
    """Vans needed per month, station and van type from a monthly volume forecast.

    ``forecast`` columns: ``month``, ``station``, and exactly one of ``packages_per_day`` (a
    working day's volume) or ``packages_per_month`` (the month's total, divided by the row's
    ``working_days`` or else by ``working_days``); optionally ``temperature_c``. A bare
    ``packages`` column is rejected as ambiguous. Each station's day is spread
    over its zones by the shares seen in training (:meth:`SPRModel.station_zones`); the van mix of
    the average day is chosen by :func:`plan_mix`; Monte Carlo days then give the distribution of
    vans needed with that mix. Returns one row per month x station x van type with
    ``packages_per_day``, ``vans_mix`` (average day), ``vans_mean``, ``vans_p50``, ``vans_p90``.
    ``backend``: "serial", "local" (process pool) or "dask" (``client`` a
    ``dask.distributed.Client``); the numbers do not depend on the backend. With both
    ``cost_missing_van`` and ``cost_idle_van``, ``vans_buy`` (the newsvendor quantile of the
    Monte Carlo need, :mod:`.buy_quantile`) and ``buy_quantile`` are added beside P50/P90.
    """
    if (cost_missing_van is None) != (cost_idle_van is None):
        raise InputError("cost_idle_van: give both cost_missing_van and cost_idle_van or neither")
    if cost_missing_van is not None and cost_idle_van is not None:
        critical_ratio(cost_missing_van, cost_idle_van)
    f = _validate_forecast(forecast, model, working_days)
    mc = monte_carlo or MonteCarlo()
    van_list = [model.resolve_van(v) for v in (vans or list(model.van_types))]
    seeds = np.random.SeedSequence(seed).spawn(len(f))
    by_station: dict[str, StationMonths] = {}
    for i, row in enumerate(f.itertuples(index=False)):
        station = str(row.station)
        task = by_station.get(station)
        if task is None:
            task = by_station[station] = StationMonths(
                station, [], [], van_list, availability, mc, shift_s, battery_kwh
            )
        temp = float(getattr(row, "temperature_c", temperature_c))
        task.rows.append((i, str(row.month), float(row.packages_per_day), temp))
        task.seeds.append(seeds[i])
    shared = HorizonModels(model, SPRModel.from_dict(model.to_dict()))
    done = parallel_map(
        plan_station,
        list(by_station.values()),
        backend,
        client,
        max_workers,
        progress,
        "stations",
        shared=shared,
    )
    months = sorted((m for station in done for m in station), key=lambda m: m["index"])
    mix_rows = [r for m in months for r in m["mix_rows"]]
    results = [m["result"] for m in months]
    keys = ["month", "station", "van_type"]
    table = pd.DataFrame(mix_rows).merge(summarise(results), on=keys, how="left")
    if cost_missing_van is not None and cost_idle_van is not None:
        buy = buy_table(results, cost_missing_van, cost_idle_van)
        table = table.merge(buy[[*keys, "vans_buy", "buy_quantile"]], on=keys, how="left")
    return table


def fleet_totals(plan: pd.DataFrame) -> pd.DataFrame:
    """Sum a :func:`plan_horizon` table over stations: vans per month and type (P50/P90 summed
    per station, i.e. each station covers its own P90 days)."""
    return (
        plan.groupby(["month", "van_type"], sort=True)[
            ["vans_mix", "vans_mean", "vans_p50", "vans_p90"]
        ]
        .sum()
        .reset_index()
    )


def example_forecast(
    stations: Sequence[str],
    base_packages_per_day: Mapping[str, float],
    months: int = 16,
    start: str = "2026-01",
    growth_per_month: float = 0.02,
    working_days: float = 25.0,
) -> pd.DataFrame:
    """A synthetic monthly forecast: compound growth with a seasonal peak in Nov/Dec."""
    periods = pd.period_range(start=start, periods=months, freq="M")
    season = {11: 1.15, 12: 1.30, 1: 0.92, 8: 0.95}
    rows = []
    for st in stations:
        for i, p in enumerate(periods):
            per_day = (
                base_packages_per_day[st] * (1 + growth_per_month) ** i * season.get(p.month, 1.0)
            )
            rows.append(
                {
                    "month": str(p),
                    "station": st,
                    "packages_per_month": per_day * working_days,
                    "working_days": working_days,
                }
            )
    return pd.DataFrame(rows)


def cli_plan(
    forecast_csv: str | Path,
    model_json: str | Path,
    backend: str = "local",
    scheduler: str | None = None,
    *,
    n_draws: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """``lastmile fleet plan``: forecast table (month, station, packages_per_day or
    packages_per_month[, working_days]) +
    fitted model -> vans per month, station and type. ``scheduler``: address of a Dask scheduler
    (implies ``backend="dask"``; ``backend="dask"`` alone starts a local cluster)."""
    model = SPRModel.from_json(model_json)
    forecast = read_table(forecast_csv, field="forecast")
    mc = MonteCarlo(n_draws=n_draws)
    if scheduler is None and backend != "dask":
        return plan_horizon(model, forecast, monte_carlo=mc, seed=seed, backend=backend)
    with dask_client(scheduler) as client:
        return plan_horizon(
            model, forecast, monte_carlo=mc, seed=seed, backend="dask", client=client
        )


__all__ = ["cli_plan", "example_forecast", "fleet_totals", "plan_horizon"]
