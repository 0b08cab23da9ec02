"""The van mix of one station-day as a small mixed integer program (OR-Tools ``pywraplp``).

Binary ``x[z, v]`` (zone z served by van type v), integer vans ``y[v] >= sum_z routes[z, v]
x[z, v]`` (one route per van and day), ``y[v] <= available[v]``, minimising fixed van-day costs
plus per-km and per-hour costs of the predicted routes. CBC is tried first (the same solution
for the same model, run after run), SCIP as fallback (both ship in the ortools wheel).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InfeasibleError, InputError
from ..spr import EnergyModel, SPRModel, VanType


@dataclass
class MixResult:
    """Solution of :func:`plan_mix`: per-zone assignment and vans per type."""

    assignment: pd.DataFrame  #: zone, station, van_type, routes, km, hours, cost
    vans: dict[str, int]
    cost: float
    status: str
    solver: str


#: Columns of :attr:`MixResult.assignment`, in this order.
ASSIGNMENT_COLUMNS = [
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
]


def _mip_solver(name: str | None, order: Sequence[str] = ("CBC", "SCIP")) -> tuple[Any, str]:
    """A pywraplp solver: ``name`` if given, else the first of ``order`` that is available.

    The van mix tries CBC first: it returns the same solution for the same model, run after
    run, while SCIP through pywraplp returned, for the same station-day solved again in the
    same process, objective values differing in the last bits (6 of 48 fixture station-days)
    and, in near ties, another van mix, so plans differed between runs and between the backends
    of plan_horizon. (The electrification program keeps SCIP first: its size needs it.)"""
    from ortools.linear_solver import pywraplp

    for cand in ([name] if name else []) + list(order):
        s = pywraplp.Solver.CreateSolver(cand)
        if s is not None:
            return s, cand
    raise InputError(
        f"solver: no MIP backend available (tried {', '.join([repr(name)] + list(order))})"
    )


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


def _check_availability(availability: Mapping[str, int] | None, names: list[str]) -> dict[str, int]:
    avail = dict(availability or {})
    for k, a in avail.items():
        if k not in names:
            raise InputError(f"availability: unknown van type {k!r}")
        if a is not None and (int(a) != a or a < 0):
            raise InputError(f"availability: {k!r} must be a non-negative integer, got {a!r}")
    return avail


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
    parking: int | None = None,
) -> MixResult:
    """Which van type serves which zone of one station-day, at minimum cost.

    ``zones`` as for :meth:`SPRModel.predict` (one station). ``availability`` caps the vans of a
    type per day (missing = unlimited); ``parking`` caps the vans of all types together (the
    station's parking spaces). Raises InfeasibleError naming the zone, availability or parking
    when no assignment exists. The fractional routes of a zone for a van type are predicted as
    if every zone used that type (the station-level pooling of the SPR model is thereby
    linearised); the line-haul reference distance is shared through ``r_ref_km``.
    """
    from ortools.linear_solver import pywraplp

    van_list = [model.resolve_van(v) for v in vans]
    if not van_list:
        raise InputError("vans: at least one van type is required")
    names = [v.name for v in van_list]
    if len(set(names)) != len(names):
        raise InputError(f"vans: duplicate van type names {names}")
    avail = _check_availability(availability, names)
    if parking is not None and (int(parking) != parking or parking < 0):
        raise InputError(f"parking: must be a non-negative integer, got {parking!r}")
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
    x: dict[Any, Any] = {}
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
    y: dict[str, Any] = {}
    for v in van_list:
        ub = avail.get(v.name)
        y[v.name] = s.IntVar(0, s.infinity() if ub is None else int(ub), f"y_{v.name}")
        idx = [i for i in opts.index[opts["van_type"] == v.name] if i in x]
        if idx:
            s.Add(y[v.name] >= sum(float(opts.at[i, "routes"]) * x[i] for i in idx))
    if parking is not None:
        s.Add(sum(y.values()) <= int(parking))
    s.Minimize(
        sum(v.fixed_cost * y[v.name] for v in van_list)
        + sum(float(opts.at[i, "var_cost"]) * x[i] for i in x)
    )
    status = s.Solve()
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE) and parking is not None:
        raise InfeasibleError(
            f"parking: no van mix serves all {len(zone_ids)} zones with at most {parking} vans "
            f"within the available vans {avail}"
        )
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        raise InfeasibleError(
            f"availability: no van mix serves all {len(zone_ids)} zones within the available vans {avail}"
        )
    chosen = [i for i in x if x[i].solution_value() > 0.5]
    assign = opts.loc[chosen, ASSIGNMENT_COLUMNS]
    vans_used = {v.name: int(round(y[v.name].solution_value())) for v in van_list}
    # the cost of the solution, summed here in a fixed order (the solver's objective value
    # depends on its internal summation order in the last bits)
    cost = sum(v.fixed_cost * vans_used[v.name] for v in van_list) + sum(
        float(opts.at[i, "var_cost"]) for i in chosen
    )
    return MixResult(
        assignment=assign.reset_index(drop=True),
        vans=vans_used,
        cost=float(cost),
        status="optimal" if status == pywraplp.Solver.OPTIMAL else "feasible",
        solver=sname,
    )


__all__ = ["ASSIGNMENT_COLUMNS", "MixResult", "plan_mix"]
