"""The electrification plan: which vans go electric where and when.

:func:`plan_electrification` joins the pieces: the station-month table
(:func:`.electrify_inputs.station_months`), which routes can go electric at each month's
temperature (:func:`.ev_fit.route_fit`, one task per station on any backend of
:mod:`.backends`), the integer program (:mod:`.electrify_mip`) and the charging of each
station-night (:func:`.charging.charging_need`). The result has one row per station x month
(:data:`PLAN_COLUMNS`) and keeps the per-route fit so every claim can be checked.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .backends import parallel_map
from .charging import charging_need
from .electrify_inputs import Network, station_months
from .electrify_mip import (
    MipData,
    effective_targets,
    hall_caps,
    per_month,
    solve_plan,
    spend,
)
from .ev_fit import CAUSES, fit_summary, route_fit, validate_arcs

#: Columns of :attr:`ElectrifyPlan.table`, in this order (then ``evs_<type>`` and
#: ``chargers_<type>`` per type, and ``vans_p50`` / ``vans_p90`` when the forecast has them).
#: Numbers say their unit (``_c``, ``_kw``, ``_kwh`` per night, ``spend_per_month`` in the
#: currency of the EV and charger prices) or are counts (vans, EVs, chargers, parking) and shares.
PLAN_COLUMNS = [
    "station",
    "month",
    "city",
    "temperature_c",
    "vans_need",
    "vans",
    "evs",
    "evs_active",
    "combustion",
    "evs_bought",
    "chargers",
    "chargers_installed",
    "parking",
    "site_kw",
    "base_kw",
    "peak_kw",
    "unmanaged_peak_kw",
    "night_kwh",
    "ev_share",
    "fit_share",
    "no_fit_share",
    "no_fit_cause",
    "spend_per_month",
    "tight",
]


@dataclass
class ElectrifyPlan:
    """Result of :func:`plan_electrification`."""

    table: pd.DataFrame  #: one row per station x month (:data:`PLAN_COLUMNS`)
    routes: pd.DataFrame  #: per station x month x EV type x route (:func:`.ev_fit.route_fit`)
    fit: pd.DataFrame  #: per station x month x EV type (:func:`.ev_fit.fit_summary`)
    network: Network
    cost: float
    status: str  #: "optimal" (within ``network.mip_gap``) or "feasible" (time limit)
    solver: str
    timings_s: dict[str, float] = field(default_factory=dict)  #: wall time per stage
    #: CPU time of this process per stage (the route fit on "local"/"dask" runs elsewhere)
    cpu_s: dict[str, float] = field(default_factory=dict)
    arcs: pd.DataFrame | None = None  #: the route arcs the plan fitted, when derived for it

    def share_by_month(self) -> pd.DataFrame:
        """Network EV share of the routes per month with the target in force."""
        g = self.table.groupby("month", sort=True)[["evs_active", "vans_need", "evs"]].sum()
        g["ev_share"] = np.where(g["vans_need"] > 0, g["evs_active"] / g["vans_need"], 0.0)
        months = list(g.index)
        g["target"] = effective_targets(self.network.targets, months)
        return g.reset_index()


def _fit_task(task: dict[str, Any]) -> pd.DataFrame:
    """One station's route fit (module level so process pools and Dask can pickle it)."""
    return route_fit(
        task["arcs"],
        task["ev_types"],
        task["temperatures"],
        window_h=task["window_h"],
        charger_kw=task["charger_kw"],
    )


def fit_routes(
    sm: pd.DataFrame,
    arcs: pd.DataFrame,
    net: Network,
    *,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
) -> pd.DataFrame:
    """The route fit of every station of the station-month table ``sm``
    (:func:`.electrify_inputs.station_months`), one task per station on ``backend``; the
    session window is ``window_h / evs_per_charger`` and the session power the EV's on-board
    limit capped by the most powerful charger type."""
    charger_kw = max(float(k.kw) for k in net.charger_types)
    window = dict(zip(sm["station"], sm["window_h"] / net.evs_per_charger, strict=False))
    by_station = dict(tuple(arcs.groupby("station", sort=False)))
    tasks = [
        {
            "arcs": by_station[st],
            "ev_types": list(net.ev_types),
            "temperatures": sm.loc[sm["station"] == st, ["station", "month", "temperature_c"]],
            "window_h": {st: window[st]},
            "charger_kw": charger_kw,
        }
        for st in sorted(sm["station"].unique())
    ]
    return pd.concat(
        parallel_map(_fit_task, tasks, backend, client, max_workers, None, "route fit"),
        ignore_index=True,
    )


def _fit_matrix(routes: pd.DataFrame, types: list[str]) -> pd.DataFrame:
    """Boolean fits, one column per EV type (type order), indexed by station, month, route."""
    m = routes.set_index(["station", "month", "route", "ev_type"])["fits"].unstack("ev_type")
    return m[types].astype(bool)


def _no_fit(
    routes: pd.DataFrame, matrix: pd.DataFrame, fit: pd.DataFrame, types: list[str]
) -> pd.DataFrame:
    """Per station-month: the share of routes no EV type can drive and their most frequent
    cause (the cause for the type that fits the most routes; ties to the first type, then to
    the first cause of :data:`.ev_fit.CAUSES`)."""
    any_fit = matrix.any(axis=1)
    share = any_fit.groupby(level=[0, 1], sort=False).mean()
    by_type = fit.set_index(["station", "month", "ev_type"])["fit_share"].unstack("ev_type")[types]
    best = by_type.idxmax(axis=1).rename("best")
    r = routes.join(best, on=["station", "month"])
    r = r[(r["ev_type"] == r["best"]).to_numpy()]
    r = r.join(any_fit.rename("any_fit"), on=["station", "month", "route"])
    r = r[~r["any_fit"].to_numpy(bool)]
    counts = r.groupby(["station", "month", "cause"], sort=False).size().rename("n").reset_index()
    counts["order"] = counts["cause"].map({c: i for i, c in enumerate(CAUSES)})
    top = counts.sort_values(["n", "order"], ascending=[False, True]).drop_duplicates(
        ["station", "month"]
    )
    out = share.rename("fit_share").reset_index()
    out = out.merge(top[["station", "month", "cause"]], on=["station", "month"], how="left")
    out["no_fit_share"] = 1.0 - out["fit_share"]
    out["no_fit_cause"] = out.pop("cause").fillna("").astype(str)
    return out


def _tight(d: MipData, evs: Any, active: Any, i: int, m: int) -> str:
    """The station-month constraints that stop one more active EV: ``vans`` (every route is
    electric), ``route_fit`` (a Hall cap is reached), ``site_kw`` (less than one EV's night
    energy left under the limit), ``parking``."""
    a, e = active[i, m], evs[i, m]
    v = float(d.vans[i, m])
    out = []
    if a.sum() >= v:
        out.append("vans")
    if any(sum(a[t] for t in sub) >= cap[i, m] for sub, cap in d.hall):
        out.append("route_fit")
    g = d.grid_kwh[i, m]
    left = float(d.energy_cap_kwh[i, m]) - (d.evs_per_charger - 1) * float(g.max(initial=0.0))
    left -= float((g * a).sum())
    if left < float(g[g > 0].min(initial=np.inf)):
        out.append("site_kw")
    if e.sum() + v - a.sum() >= float(d.parking[i, m]):
        out.append("parking")
    return ";".join(out)


def plan_electrification(
    forecast: pd.DataFrame,
    stations: pd.DataFrame,
    temperatures: pd.DataFrame,
    routes: pd.DataFrame,
    network: Network | None = None,
    *,
    upgrades: pd.DataFrame | None = None,
    site_kw_scale: float = 1.0,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
    solver: str | None = None,
) -> ElectrifyPlan:
    """EVs to buy and charge points to install per station and month (see :mod:`.electrify_mip`
    for the program and :mod:`.electrify_inputs` for the tables). Raises InputError naming the
    bad field and InfeasibleError naming the binding constraints when the targets cannot be
    met. ``backend`` runs the per-station route fit ("serial", "local" or "dask" with
    ``client``); the numbers do not depend on it."""
    net = network or Network()
    if not isinstance(net, Network):
        raise InputError(f"network: expected a Network, got {type(net).__name__}")
    sm = station_months(forecast, stations, temperatures, net, upgrades, site_kw_scale)
    arcs = validate_arcs(routes)
    st_list = sorted(sm["station"].unique())
    months = sorted(sm["month"].unique())
    no_routes = sorted(set(st_list) - set(arcs["station"]))
    if no_routes:
        raise InputError(f"station: {no_routes[0]!r} has no routes in the route arc table")
    types = [t.name for t in net.ev_types]
    clock = {"start": time.perf_counter()}
    cpu = {"start": time.process_time()}
    charger_kw = max(float(k.kw) for k in net.charger_types)
    fits = fit_routes(sm, arcs, net, backend=backend, client=client, max_workers=max_workers)
    clock["route_fit"] = time.perf_counter()
    cpu["route_fit"] = time.process_time()
    summary = fit_summary(fits, net.design_quantile)
    key = summary.set_index(["station", "month", "ev_type"])["kwh_design"]
    matrix = _fit_matrix(fits, types)
    n_s, n_t = len(st_list), len(types)
    eff = np.array([t.charge_efficiency for t in net.ev_types])
    idx = pd.MultiIndex.from_product([st_list, months, types])
    design = key.reindex(idx).to_numpy(float).reshape(n_s, len(months), n_t)
    grid = design / eff[None, None, :]
    smi = sm.set_index(["station", "month"])
    vans = smi["vans_need"].unstack().loc[st_list, months].to_numpy(float)
    first = sm.drop_duplicates("station").set_index("station").loc[st_list]
    evs_now = np.zeros((n_s, n_t))
    evs_now[:, 0] = first["evs_now"].to_numpy(float)
    chargers_now = np.zeros((n_s, len(net.charger_types)))
    chargers_now[:, 0] = first["chargers_now"].to_numpy(float)
    site = smi["site_kw"].unstack().loc[st_list, months].to_numpy(float)
    base = first["base_kw"].to_numpy(float)
    win = first["window_h"].to_numpy(float)
    data = MipData(
        stations=st_list,
        months=months,
        ev_types=net.ev_types,
        charger_types=net.charger_types,
        vans=vans,
        parking=smi["parking"].unstack().loc[st_list, months].to_numpy(float),
        energy_cap_kwh=(site - base[:, None]) * win[:, None],
        window_h=win,
        grid_kwh=grid,
        hall=hall_caps(matrix, st_list, months, vans),
        evs_now=evs_now,
        chargers_now=chargers_now,
        targets=effective_targets(net.targets, months),
        lead_time=int(net.lead_time_months),
        charger_lead_time=int(net.charger_lead_time_months),
        evs_per_charger=int(net.evs_per_charger),
        ev_supply=per_month(net.ev_supply_per_month, months),
        budget_month=per_month(net.budget_per_month, months),
        budget_total=math.inf if net.budget_total is None else float(net.budget_total),
    )
    clock["mip_data"] = time.perf_counter()
    cpu["mip_data"] = time.process_time()
    sol = solve_plan(
        data,
        net.objective,
        time_limit_s=net.time_limit_s,
        solver=solver,
        mip_gap=net.mip_gap,
        solver_params=net.solver_params,
    )
    clock["mip"] = time.perf_counter()
    cpu["mip"] = time.process_time()
    money = spend(data, sol.evs, sol.chargers)
    rows = []
    for i, st in enumerate(st_list):
        for m, mo in enumerate(months):
            a = sol.active[i, m]
            e = sol.evs[i, m]
            per_ev = np.repeat(grid[i, m], a.astype(int))
            need = (
                charging_need(
                    per_ev,
                    float(win[i]),
                    charger_kw,
                    charge_efficiency=1.0,
                    evs_per_charger=int(net.evs_per_charger),
                    base_kw=float(base[i]),
                )
                if len(per_ev)
                else None
            )
            prev_e = sol.evs[i, m - 1] if m else evs_now[i]
            prev_c = sol.chargers[i, m - 1] if m else chargers_now[i]
            row: dict[str, Any] = {
                "station": st,
                "month": mo,
                "vans_need": vans[i, m],
                "vans": float(e.sum() + vans[i, m] - a.sum()),
                "evs": float(e.sum()),
                "evs_active": float(a.sum()),
                "combustion": float(vans[i, m] - a.sum()),
                "evs_bought": float((e - prev_e).sum()),
                "chargers": float(sol.chargers[i, m].sum()),
                "chargers_installed": float((sol.chargers[i, m] - prev_c).sum()),
                "peak_kw": float(base[i]) if need is None else need.peak_kw,
                "unmanaged_peak_kw": float(base[i]) if need is None else need.unmanaged_peak_kw,
                "night_kwh": float((grid[i, m] * a).sum()),
                "ev_share": float(a.sum() / vans[i, m]) if vans[i, m] > 0 else 0.0,
                "spend_per_month": float(money[i, m]),
                "tight": _tight(data, sol.evs, sol.active, i, m),
            }
            for t, name in enumerate(types):
                row[f"evs_{name}"] = float(e[t])
                row[f"evs_active_{name}"] = float(a[t])
            for k, ct in enumerate(net.charger_types):
                row[f"chargers_{ct.name}"] = float(sol.chargers[i, m, k])
            rows.append(row)
    table = pd.DataFrame(rows).merge(
        sm.drop(columns=["vans_need", "window_h", "evs_now", "chargers_now"]),
        on=["station", "month"],
    )
    table = table.merge(_no_fit(fits, matrix, summary, types), on=["station", "month"])
    extra = [c for c in table.columns if c not in PLAN_COLUMNS]
    clock["table"] = time.perf_counter()
    cpu["table"] = time.process_time()
    stages = list(clock)
    timings = {b: clock[b] - clock[a] for a, b in zip(stages, stages[1:], strict=False)}
    cpu_s = {b: cpu[b] - cpu[a] for a, b in zip(stages, stages[1:], strict=False)}
    return ElectrifyPlan(
        table=table[PLAN_COLUMNS + extra],
        routes=fits,
        fit=summary,
        network=net,
        cost=sol.cost,
        status=sol.status,
        solver=sol.solver,
        timings_s=timings,
        cpu_s=cpu_s,
    )


__all__ = ["PLAN_COLUMNS", "ElectrifyPlan", "fit_routes", "plan_electrification"]
