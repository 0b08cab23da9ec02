"""Fleet planning on top of the SPR model: van mix (MIP), scenarios, horizon and Monte Carlo.

* :func:`plan_mix` decides which van type serves which zone of a station-day as a small mixed
  integer program (OR-Tools ``pywraplp``, SCIP with CBC as fallback, both shipped in the ortools
  wheel): binary ``x[z, v]`` (zone z served by type v), integer vans ``y[v] >= sum_z
  routes[z, v] x[z, v]`` (one route per van and day), ``y[v] <= available[v]``, minimising
  fixed van-day costs plus per-km and per-hour costs of the predicted routes.
* :class:`FleetScenario` / :func:`scenario_grid`: volume growth, extra (new) van types, battery
  size, shift length and ambient temperature as a grid of dataclasses; :func:`run_scenarios`
  evaluates them.
* :func:`plan_horizon`: a monthly volume forecast (month x station) -> vans needed per month and
  type, with Monte Carlo over daily volume (log-normal day-to-day and zone noise) and parameter
  uncertainty (:meth:`SPRModel.perturbed`) -> mean, P50 and P90 vans. Tasks (one per month x
  station) run serially, on a local process pool or on a Dask cluster; every task's random
  stream is ``SeedSequence(seed).spawn(n_tasks)[i]`` so all backends give identical numbers.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import InfeasibleError, InputError
from .spr import EnergyModel, SPRModel, VanType, _validate_zones, read_table

# ---------------------------------------------------------------------------------------------
# Van mix
# ---------------------------------------------------------------------------------------------


@dataclass
class MixResult:
    """Solution of :func:`plan_mix`: per-zone assignment and vans per type."""

    assignment: pd.DataFrame  #: zone, station, van_type, routes, km, hours, cost
    vans: dict[str, int]
    cost: float
    status: str
    solver: str


def _mip_solver(name: str | None) -> tuple[Any, str]:
    from ortools.linear_solver import pywraplp

    for cand in ([name] if name else []) + ["SCIP", "CBC"]:
        s = pywraplp.Solver.CreateSolver(cand)
        if s is not None:
            return s, cand
    raise InputError(f"solver: no MIP backend available (tried {name!r}, SCIP, CBC)")


def _zone_options(
    model: SPRModel,
    zones: pd.DataFrame,
    vans: Sequence[VanType],
    *,
    shift_s: float | None = None,
    battery_kwh: float | None = None,
    temperature_c: float = 20.0,
    energy: EnergyModel | None = None,
) -> pd.DataFrame:
    """Per zone x van type: fractional routes, km, hours and variable cost."""
    pred = model.predict(
        zones,
        vans=list(vans),
        shift_s=shift_s,
        battery_kwh=battery_kwh,
        temperature_c=temperature_c,
        energy=energy,
    )
    z = pred[pred["level"] == "zone"].copy()
    cost = {v.name: v for v in vans}
    z["hours"] = z["routes"] * z["route_duration_s"] / 3600.0
    z["var_cost"] = [
        cost[v].cost_per_km * km + cost[v].cost_per_hour * h if np.isfinite(km) else math.inf
        for v, km, h in zip(z["van_type"], z["km"], z["hours"], strict=True)
    ]
    z["ok"] = z["feasible"] & np.isfinite(z["routes"])
    return z.reset_index(drop=True)


def plan_mix(
    model: SPRModel,
    zones: pd.DataFrame,
    vans: Sequence[VanType | str],
    availability: Mapping[str, int] | None = None,
    *,
    shift_s: float | None = None,
    battery_kwh: float | None = None,
    temperature_c: float = 20.0,
    energy: EnergyModel | None = None,
    solver: str | None = None,
    time_limit_s: float = 10.0,
) -> MixResult:
    """Which van type serves which zone of one station-day, at minimum cost.

    ``zones`` as for :meth:`SPRModel.predict` (one station). ``availability`` caps the vans of a
    type per day (missing = unlimited). Raises InfeasibleError naming the zone or availability
    when no assignment exists. The fractional routes of a zone for a van type are predicted as
    if every zone used that type (the station-level pooling of :func:`spr._station_routes` is
    thereby linearised); the line-haul reference distance is shared through ``r_ref_km``.
    """
    van_list = [model.resolve_van(v) for v in vans]
    if not van_list:
        raise InputError("vans: at least one van type is required")
    names = [v.name for v in van_list]
    if len(set(names)) != len(names):
        raise InputError(f"vans: duplicate van type names {names}")
    avail = dict(availability or {})
    for k, a in avail.items():
        if k not in names:
            raise InputError(f"availability: unknown van type {k!r}")
        if a is not None and (int(a) != a or a < 0):
            raise InputError(f"availability: {k!r} must be a non-negative integer, got {a!r}")
    opts = _zone_options(
        model,
        zones,
        van_list,
        shift_s=shift_s,
        battery_kwh=battery_kwh,
        temperature_c=temperature_c,
        energy=energy,
    )
    s, sname = _mip_solver(solver)
    s.SetTimeLimit(int(time_limit_s * 1000))
    x = {}
    zone_ids = list(dict.fromkeys(opts["zone"]))
    for i, row in opts.iterrows():
        if row["ok"]:
            x[i] = s.BoolVar(f"x_{i}")
    for z in zone_ids:
        idx = [i for i in opts.index[opts["zone"] == z] if i in x]
        if not idx:
            raise InfeasibleError(
                f"zones: zone {z!r} cannot be served by any van type (energy/time limit)"
            )
        s.Add(sum(x[i] for i in idx) == 1)
    y = {}
    for v in van_list:
        ub = avail.get(v.name)
        y[v.name] = s.IntVar(0, s.infinity() if ub is None else int(ub), f"y_{v.name}")
        idx = [i for i in opts.index[opts["van_type"] == v.name] if i in x]
        if idx:
            s.Add(y[v.name] >= sum(float(opts.at[i, "routes"]) * x[i] for i in idx))
    s.Minimize(
        sum(v.fixed_cost * y[v.name] for v in van_list)
        + sum(float(opts.at[i, "var_cost"]) * x[i] for i in x)
    )
    status = s.Solve()
    from ortools.linear_solver import pywraplp

    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise InfeasibleError(
            f"availability: no van mix serves all {len(zone_ids)} zones within the available vans {avail}"
        )
    chosen = [i for i in x if x[i].solution_value() > 0.5]
    assign = opts.loc[
        chosen,
        [
            "station",
            "zone",
            "van_type",
            "packages",
            "routes",
            "spr",
            "km",
            "hours",
            "var_cost",
            "binding",
        ],
    ]
    vans_used = {v.name: int(round(y[v.name].solution_value())) for v in van_list}
    return MixResult(
        assignment=assign.reset_index(drop=True),
        vans=vans_used,
        cost=float(s.Objective().Value()),
        status="optimal" if status == pywraplp.Solver.OPTIMAL else "feasible",
        solver=sname,
    )


# ---------------------------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FleetScenario:
    """One what-if: volume growth factor, extra van types, battery size (kWh, overrides every
    van), shift length (hours) and ambient temperature (C)."""

    name: str = "base"
    volume_growth: float = 1.0
    extra_vans: tuple[VanType, ...] = ()
    battery_kwh: float | None = None
    shift_h: float | None = None
    temperature_c: float = 20.0

    def __post_init__(self) -> None:
        if not (self.volume_growth >= 0 and math.isfinite(self.volume_growth)):
            raise InputError(f"volume_growth: must be >= 0, got {self.volume_growth!r}")
        if self.shift_h is not None and not self.shift_h > 0:
            raise InputError(f"shift_h: must be > 0, got {self.shift_h!r}")
        if self.battery_kwh is not None and not self.battery_kwh >= 0:
            raise InputError(f"battery_kwh: must be >= 0, got {self.battery_kwh!r}")


def scenario_grid(
    volume_growth: Sequence[float] = (1.0,),
    extra_vans: Sequence[tuple[VanType, ...]] = ((),),
    battery_kwh: Sequence[float | None] = (None,),
    shift_h: Sequence[float | None] = (None,),
    temperature_c: Sequence[float] = (20.0,),
) -> list[FleetScenario]:
    """The Cartesian product of the axes as named :class:`FleetScenario` objects."""
    out = []
    for g, ev, b, sh, t in itertools.product(
        volume_growth, extra_vans, battery_kwh, shift_h, temperature_c
    ):
        parts = [f"x{g:g}"]
        if ev:
            parts.append("+" + "+".join(v.name for v in ev))
        if b is not None:
            parts.append(f"bat{b:g}")
        if sh is not None:
            parts.append(f"shift{sh:g}h")
        parts.append(f"{t:g}C")
        out.append(
            FleetScenario(
                name="_".join(parts),
                volume_growth=float(g),
                extra_vans=tuple(ev),
                battery_kwh=b,
                shift_h=sh,
                temperature_c=float(t),
            )
        )
    return out


def _scenario_task(args: tuple[Any, ...]) -> list[dict[str, Any]]:
    """One scenario of :func:`run_scenarios` (module level: picklable for pools and Dask)."""
    index, model_dict, zones_records, van_dicts, sc, availability, energy = args
    model = SPRModel.from_dict(model_dict)
    vlist = [VanType.from_dict(v) for v in van_dicts] + list(sc.extra_vans)
    z = pd.DataFrame(zones_records)
    z["packages"] = z["packages"] * sc.volume_growth
    res = plan_mix(
        model,
        z,
        vlist,
        availability,
        shift_s=None if sc.shift_h is None else sc.shift_h * 3600.0,
        battery_kwh=sc.battery_kwh,
        temperature_c=sc.temperature_c,
        energy=energy,
    )
    a = res.assignment
    rows = []
    for v in vlist:
        g = a[a["van_type"] == v.name]
        rows.append(
            {
                "scenario": sc.name,
                "van_type": v.name,
                "vans": res.vans[v.name],
                "zones": len(g),
                "packages": float(g["packages"].sum()),
                "routes_fractional": float(g["routes"].sum()),
                "km": float(g["km"].sum()),
                "cost_total": res.cost,
                "binding": g.groupby("binding")["routes"].sum().idxmax() if len(g) else None,
            }
        )
    return rows


def run_scenarios(
    model: SPRModel,
    zones: pd.DataFrame,
    vans: Sequence[VanType | str],
    scenarios: Sequence[FleetScenario],
    availability: Mapping[str, int] | None = None,
    energy: EnergyModel | None = None,
    *,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Van mix per scenario: one row per scenario x van type (vans, routes, km, cost).

    ``backend``: "serial", "local" (process pool) or "dask" (``client``); an ``energy`` model
    must then be picklable (a module-level function)."""
    base = [model.resolve_van(v) for v in vans]
    z = _validate_zones(zones)
    md = model.to_dict()
    tasks = [
        (
            i,
            md,
            z.to_dict("records"),
            [v.to_dict() for v in base],
            sc,
            dict(availability or {}),
            energy,
        )
        for i, sc in enumerate(scenarios)
    ]
    results = _parallel_map(
        _scenario_task, tasks, backend, client, max_workers, progress, "scenarios"
    )
    return pd.DataFrame([row for rows in results for row in rows])


# ---------------------------------------------------------------------------------------------
# Horizon + Monte Carlo
# ---------------------------------------------------------------------------------------------


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
class _Task:
    index: int
    month: str
    station: str
    city: str | None
    zones: list[dict[str, Any]]
    assignment: dict[str, str]  # zone -> van type
    model: dict[str, Any]
    vans: list[dict[str, Any]]
    mc: MonteCarlo
    seed: np.random.SeedSequence
    extra: dict[str, Any] = field(default_factory=dict)


def _lognormal_factor(rng: np.random.Generator, cv: float, size: Any = None) -> Any:
    if cv == 0:
        return np.ones(size) if size is not None else 1.0
    s2 = math.log1p(cv * cv)
    return rng.lognormal(-s2 / 2.0, math.sqrt(s2), size=size)


def _mc_task(task: _Task) -> dict[str, Any]:
    """Simulate ``n_draws`` days of one month x station with the zone->van assignment fixed;
    returns vans per type for every draw. Module-level so process pools and Dask can pickle it."""
    rng = np.random.default_rng(task.seed)
    model = SPRModel.from_dict(task.model)
    vans = [VanType.from_dict(v) for v in task.vans]
    zones = pd.DataFrame(task.zones)
    names = [v.name for v in vans]
    draws = np.zeros((task.mc.n_draws, len(vans)))
    for d in range(task.mc.n_draws):
        m = model.perturbed(rng) if task.mc.parameters else model
        day = _lognormal_factor(rng, task.mc.volume_cv)
        zn = _lognormal_factor(rng, task.mc.zone_cv, size=len(zones))
        z = zones.assign(packages=zones["packages"].to_numpy(float) * day * zn)
        for j, v in enumerate(vans):
            zz = z[[task.assignment[str(k)] == v.name for k in z["zone"]]]
            if len(zz) == 0:
                continue
            p = m.predict(zz, vans=[v], **task.extra)
            st = p[p["level"] == "station"]
            draws[d, j] = float(st["routes"].sum())
    return {
        "index": task.index,
        "month": task.month,
        "station": task.station,
        "vans": names,
        "draws": draws,
    }


BACKENDS = ("serial", "local", "dask")


def _parallel_map(
    fn: Any,
    tasks: Sequence[Any],
    backend: str,
    client: Any = None,
    max_workers: int | None = None,
    progress: bool | None = None,
    desc: str = "tasks",
) -> list[Any]:
    """``[fn(t) for t in tasks]`` serially, on a local process pool or on a Dask cluster, in
    task order whatever the completion order. A tqdm bar is shown when stderr is a terminal
    (``progress`` forces it on or off)."""
    from tqdm.auto import tqdm

    if backend not in BACKENDS:
        raise InputError(
            f"backend: unknown backend {backend!r} (expected one of {', '.join(BACKENDS)})"
        )
    if backend == "dask" and client is None:
        raise InputError("client: backend='dask' needs a dask.distributed Client")
    disable = (not sys.stderr.isatty()) if progress is None else not progress
    bar = tqdm(total=len(tasks), desc=desc, disable=disable, leave=False)
    results: dict[int, Any] = {}
    try:
        if backend == "serial":
            for i, t in enumerate(tasks):
                results[i] = fn(t)
                bar.update()
        elif backend == "local":
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=max_workers) as ex:
                futs = {ex.submit(fn, t): i for i, t in enumerate(tasks)}
                for f in as_completed(futs):
                    results[futs[f]] = f.result()
                    bar.update()
        else:
            from distributed import as_completed as das_completed

            dfuts = client.map(fn, list(tasks), pure=False)
            index = {f.key: i for i, f in enumerate(dfuts)}
            for f in das_completed(dfuts):
                results[index[f.key]] = f.result()
                bar.update()
    finally:
        bar.close()
    return [results[i] for i in range(len(tasks))]


def _validate_forecast(forecast: pd.DataFrame, model: SPRModel) -> pd.DataFrame:
    if not isinstance(forecast, pd.DataFrame):
        raise InputError(f"forecast: expected a DataFrame, got {type(forecast).__name__}")
    for c in ("month", "station", "packages"):
        if c not in forecast.columns:
            raise InputError(f"{c}: missing column in the forecast")
    f = forecast.copy()
    f["month"] = f["month"].astype(str)
    f["station"] = f["station"].astype(str)
    vals = pd.to_numeric(f["packages"], errors="coerce")
    bad = vals.isna() | (vals < 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            f"packages: invalid forecast value {forecast['packages'].iloc[i]!r} in row {i}"
        )
    f["packages"] = vals.astype(float)
    if "working_days" in f.columns:
        wd = pd.to_numeric(f["working_days"], errors="coerce")
        if (wd.isna() | (wd <= 0)).any():
            raise InputError("working_days: must be > 0")
        f["working_days"] = wd.astype(float)
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
) -> pd.DataFrame:
    """Vans needed per month, station and van type from a monthly volume forecast.

    ``forecast`` columns: ``month``, ``station``, ``packages`` (monthly total) and optionally
    ``working_days`` (else ``working_days``) and ``temperature_c``. Each station's day is spread
    over its zones by the shares seen in training (:meth:`SPRModel.station_zones`); the van mix of
    the average day is chosen by :func:`plan_mix`; Monte Carlo days then give the distribution of
    vans needed with that mix. Returns one row per month x station x van type with
    ``packages_per_day``, ``vans_mix`` (average day), ``vans_mean``, ``vans_p50``, ``vans_p90``.
    ``backend``: "serial", "local" (process pool) or "dask" (``client`` a
    ``dask.distributed.Client``); the numbers do not depend on the backend.
    """
    f = _validate_forecast(forecast, model)
    mc = monte_carlo or MonteCarlo()
    van_list = [model.resolve_van(v) for v in (vans or list(model.van_types))]
    tasks: list[_Task] = []
    mix_rows = []
    seeds = np.random.SeedSequence(seed).spawn(len(f))
    model_dict = model.to_dict()
    for i, row in enumerate(f.itertuples(index=False)):
        wd = float(getattr(row, "working_days", working_days))
        temp = float(getattr(row, "temperature_c", temperature_c))
        prof = model.station_zones(row.station)
        city = str(prof["city"].iloc[0])
        per_day = row.packages / wd
        zones = pd.DataFrame(
            {
                "zone": prof["zone"],
                "packages": per_day * prof["share"] / prof["share"].sum(),
                "area_km2": prof["area_km2"],
                "r_km": prof["r_km"],
                "station": row.station,
                "city": city,
            }
        )
        # Fix the line-haul reference distance of the station (stop-weighted mean r of all its
        # zones) so that zone subsets served by one van type see the same value as the mix.
        full = model.predict(zones, vans=[van_list[0]]).query("level == 'zone'")
        zones["r_ref_km"] = float(np.average(full["r_km"], weights=np.maximum(full["stops"], 1e-9)))
        extra = {"shift_s": shift_s, "battery_kwh": battery_kwh, "temperature_c": temp}
        mix = plan_mix(model, zones, van_list, availability, **extra)
        assignment = dict(
            zip(mix.assignment["zone"].astype(str), mix.assignment["van_type"], strict=True)
        )
        for v in van_list:
            mix_rows.append(
                {
                    "month": row.month,
                    "station": row.station,
                    "van_type": v.name,
                    "packages_per_day": per_day,
                    "vans_mix": mix.vans[v.name],
                }
            )
        tasks.append(
            _Task(
                index=i,
                month=row.month,
                station=row.station,
                city=city,
                zones=zones.to_dict("records"),
                assignment=assignment,
                model=model_dict,
                vans=[v.to_dict() for v in van_list],
                mc=mc,
                seed=seeds[i],
                extra=extra,
            )
        )
    results = _parallel_map(_mc_task, tasks, backend, client, max_workers, progress, "monte carlo")
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
    out = pd.DataFrame(mix_rows).merge(
        pd.DataFrame(rows), on=["month", "station", "van_type"], how="left"
    )
    return out


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


# ---------------------------------------------------------------------------------------------
# CLI hooks and the embedded example
# ---------------------------------------------------------------------------------------------


def cli_plan(
    forecast_csv: str | Path,
    model_json: str | Path,
    backend: str = "local",
    scheduler: str | None = None,
    *,
    n_draws: int = 200,
    seed: int = 0,
) -> pd.DataFrame:
    """``lastmile plan``: forecast table (month, station, packages[, working_days]) + fitted model
    -> vans per month, station and type. ``scheduler``: address of a Dask scheduler (implies
    ``backend="dask"``)."""
    model = SPRModel.from_json(model_json)
    forecast = read_table(forecast_csv)
    client = None
    if scheduler is not None or backend == "dask":
        from distributed import Client

        client = Client(scheduler) if scheduler else Client(processes=True)
        backend = "dask"
    try:
        return plan_horizon(
            model,
            forecast,
            monte_carlo=MonteCarlo(n_draws=n_draws),
            seed=seed,
            backend=backend,
            client=client,
        )
    finally:
        if client is not None:
            client.close()


def _engine_solve() -> Any:
    """``lastmile_core.solve`` (the routing engine, another area of the package) or None."""
    import importlib

    pkg = importlib.import_module(__package__ or "lastmile_core")
    fn = getattr(pkg, "solve", None)
    if fn is None:
        try:
            fn = importlib.import_module(f"{pkg.__name__}.solve")
        except ImportError:
            return None
    if not callable(fn):
        fn = getattr(fn, "solve", None)
    return fn if callable(fn) else None


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
                    "packages": per_day * working_days,
                    "working_days": working_days,
                }
            )
    return pd.DataFrame(rows)


def plan_example(
    out_dir: str | Path,
    *,
    seed: int = 1,
    n_packages: int = 1500,
    days: int = 3,
    months: int = 16,
    time_limit: float = 2.0,
    router: Any = None,
    n_draws: int = 50,
    backend: str = "serial",
    client: Any = None,
) -> dict[str, Any]:
    """The ``lastmile plan --example`` pipeline: example station-days -> routing -> SPR fit ->
    16-month fleet plan with P50/P90 -> plots in ``out_dir``. Returns a short report dict.

    ``router(instance) -> Solution`` defaults to ``lastmile_core.solve`` (imported lazily).
    """
    from . import examples, spr
    from .plotting import spr as splot

    router_label = "custom router" if router is not None else "lastmile_core.solve"
    if router is None:
        solve = _engine_solve()
        if solve is None:
            raise InputError("router: lastmile_core.solve is not available; pass router=")

        def router(inst: Any) -> Any:
            return solve(inst, time_limit=time_limit, seed=0, threads=1)

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    station = f"example-s{seed}"
    obs = []
    for d in range(days):
        inst = examples.station(seed, n_packages + d)
        sol = router(inst)
        obs.append(spr.observe(inst, sol, station=station, day=str(d), city="example"))
    observations = spr.Observations.concat(obs)
    model = SPRModel.fit(observations)
    model.to_json(out / "spr_model.json")
    forecast = example_forecast([station], {station: float(n_packages)}, months=months)
    plan = plan_horizon(
        model,
        forecast,
        monte_carlo=MonteCarlo(n_draws=n_draws),
        backend=backend,
        client=client,
        seed=seed,
    )
    plan.to_csv(out / "fleet_plan.csv", index=False)
    zones = model.station_zones(station)
    zones = zones.assign(packages=zones["mean_packages"])[
        ["zone", "packages", "area_km2", "r_km", "station", "city"]
    ]
    p1 = splot.plot_spr_vs_volume(model, zones, list(model.van_types), out / "spr_vs_volume.png")
    p2 = splot.plot_fleet_horizon(plan, out / "fleet_horizon.png")
    base = model.predict(zones)
    st = base[base["level"] == "station"].iloc[0]
    return {
        "station": station,
        "router": router_label,
        "days": days,
        "routes_observed": int(len(observations)),
        "spr_observed": float(observations.routes["packages"].sum() / len(observations)),
        "spr_predicted": float(st["spr"]),
        "binding": str(st["binding"]),
        "fit": model.summary(),
        "vans_p50_peak": float(plan["vans_p50"].max()),
        "vans_p90_peak": float(plan["vans_p90"].max()),
        "months": int(plan["month"].nunique()),
        "files": [str(out / "spr_model.json"), str(out / "fleet_plan.csv"), str(p1), str(p2)],
    }


__all__ = [
    "BACKENDS",
    "FleetScenario",
    "MixResult",
    "MonteCarlo",
    "cli_plan",
    "example_forecast",
    "fleet_totals",
    "plan_example",
    "plan_horizon",
    "plan_mix",
    "run_scenarios",
    "scenario_grid",
]
