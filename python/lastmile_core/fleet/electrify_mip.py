"""The electrification plan as a mixed integer program (OR-Tools ``pywraplp``, SCIP or CBC).

Indices: station s, month m (sorted), EV type t, charger type k. Data per station-month: routes
per day ``V`` (the van need), parking ``P``, the charging energy the site can take in one window
``Q = (site_kw - base_kw) * window_h``, grid kWh per active EV of type t ``g[t]`` and, for every
non-empty set S of EV types, ``cap[S] = floor(share_S * V)`` with ``share_S`` the share of the
station's routes that fit at least one type of S in that month (the Hall conditions, so the
active EVs can really be matched to routes they can drive).

Variables: owned EVs ``E[s,m,t]`` (integer, never falling: ``E[m] >= E[m-1]``, ``E[-1]`` = the
EVs in service now; bought ``E[m] - E[m-1]``, zero in the first ``lead_time_months`` months),
active EVs ``A[s,m,t] <= E[s,m,t]`` (EVs driving that day; winter may idle some), charge points
``C[s,m,k]`` (integer, never falling, with their own lead time). Constraints:

* ``sum_t A <= V`` and, for each S, ``sum_{t in S} A[t] <= cap[S]``;
* vans parked ``sum_t E + (V - sum_t A) <= P`` (EVs plus the combustion vans still driving);
* smart-charging peak under the site limit: ``sum_t g[t] A[t] + (n - 1) g_max <= Q`` with
  ``n = evs_per_charger`` (the list-scheduling bound of the session slots; exact for n = 1);
* ``n * sum_k C >= sum_t A``, ``sum_k kw_k C_k window_h >= sum_t g[t] A[t]``, ``sum_k C <= P``;
* network: ``sum A[., m, .] >= target_m * sum V[., m]`` (targets hold from their month on),
  EVs bought per month <= ``ev_supply_per_month``, spend per month <= ``budget_per_month``,
  total spend <= ``budget_total``.

``min_cost`` minimises the spend (EV prices + charge points) subject to the targets;
``max_share`` maximises the EV route-days ``sum A`` and then, with that fixed, the spend. A
second solve with the purchases fixed makes every EV that can drive active, so ``A`` is
well-defined. When the targets cannot be met, :func:`diagnose` re-solves with the shortfall
allowed and each constraint family relaxed in turn, and names the families that bind.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..errors import InfeasibleError, InputError
from .charging import ChargerType
from .ev_fit import EVType
from .mix import _mip_solver

F64 = npt.NDArray[np.float64]

#: Constraint families that :func:`diagnose` relaxes one at a time.
FAMILIES = ("route_fit", "site_kw", "parking", "lead_time", "ev_supply", "budget")


@dataclass
class MipData:
    """Numbers of the program (arrays indexed [station, month, ...])."""

    stations: list[str]
    months: list[str]
    ev_types: Sequence[EVType]
    charger_types: Sequence[ChargerType]
    vans: F64  #: V [S, M]
    parking: F64  #: P [S, M]
    energy_cap_kwh: F64  #: Q [S, M]
    window_h: F64  #: [S]
    grid_kwh: F64  #: g [S, M, T]
    hall: list[tuple[tuple[int, ...], F64]]  #: (types, cap [S, M])
    evs_now: F64  #: [S, T]
    chargers_now: F64  #: [S, K]
    targets: F64  #: [M] effective target share (0 = none)
    lead_time: int
    charger_lead_time: int
    evs_per_charger: int
    ev_supply: F64  #: [M] (inf = none)
    budget_month: F64  #: [M] (inf = none)
    budget_total: float  #: inf = none


@dataclass
class MipSolution:
    evs: F64  #: E [S, M, T]
    active: F64  #: A [S, M, T]
    chargers: F64  #: C [S, M, K]
    cost: float
    status: str
    solver: str


def per_month(v: float | Mapping[str, float] | None, months: list[str]) -> F64:
    """A scalar or month -> value mapping as one value per month (inf where not given)."""
    if v is None:
        return np.full(len(months), math.inf)
    if isinstance(v, Mapping):
        return np.array([float(v.get(m, math.inf)) for m in months])
    return np.full(len(months), float(v))


def effective_targets(targets: Mapping[str, float], months: list[str]) -> F64:
    """Target share per month: the highest target dated on or before it (0 before any)."""
    out = np.zeros(len(months))
    for m, share in targets.items():
        out[np.array([mm >= m for mm in months], dtype=bool)] = np.maximum(
            out[np.array([mm >= m for mm in months], dtype=bool)], share
        )
    return out


def hall_caps(
    fits: pd.DataFrame, stations: list[str], months: list[str], vans: F64
) -> list[tuple[tuple[int, ...], F64]]:
    """``fits``: one boolean column per EV type (in type order), indexed by station, month and
    route; returns ``(S, floor(share_S * V))`` for every non-empty set S of types, with
    ``share_S`` the share of routes that fit at least one type of S."""
    n_t = fits.shape[1]
    out = []
    for r in range(1, n_t + 1):
        for subset in itertools.combinations(range(n_t), r):
            any_fit = fits.iloc[:, list(subset)].any(axis=1)
            share = any_fit.groupby(level=[0, 1], sort=False).mean().unstack(1)
            share = share.reindex(index=stations, columns=months).fillna(0.0)
            cap = np.floor(share.to_numpy(float) * vans + 1e-9)
            out.append((subset, cap))
    return out


class _Program:
    def __init__(
        self,
        d: MipData,
        relax: frozenset[str],
        elastic: bool,
        solver: str | None,
        solver_params: str = "",
    ):
        self.d = d
        self.s, self.solver_name = _mip_solver(solver, order=("SCIP", "CBC"))
        s = self.s
        if solver_params.strip() and not s.SetSolverSpecificParametersAsString(solver_params):
            raise InputError(
                f"solver_params: {self.solver_name} refused {solver_params!r} "
                "(one 'name = value' per line)"
            )
        inf = s.infinity()
        n_s, n_m = d.vans.shape
        n_t, n_k = len(d.ev_types), len(d.charger_types)
        self.E = [
            [[s.IntVar(0, inf, f"E{i}_{m}_{t}") for t in range(n_t)] for m in range(n_m)]
            for i in range(n_s)
        ]
        self.A = [
            [[s.IntVar(0, inf, f"A{i}_{m}_{t}") for t in range(n_t)] for m in range(n_m)]
            for i in range(n_s)
        ]
        self.C = [
            [[s.IntVar(0, inf, f"C{i}_{m}_{k}") for k in range(n_k)] for m in range(n_m)]
            for i in range(n_s)
        ]
        price = [float(t.price) for t in d.ev_types]
        ccost = [float(k.cost) for k in d.charger_types]
        kw = [float(k.kw) for k in d.charger_types]
        n = d.evs_per_charger
        spend_month: list[Any] = [0.0] * n_m
        bought_month: list[Any] = [0.0] * n_m
        for i in range(n_s):
            for m in range(n_m):
                E, A, C = self.E[i][m], self.A[i][m], self.C[i][m]
                for t in range(n_t):
                    prev_e = self.E[i][m - 1][t] if m else float(d.evs_now[i, t])
                    s.Add(E[t] >= prev_e)
                    s.Add(A[t] <= E[t])
                    if m < d.lead_time and "lead_time" not in relax:
                        s.Add(E[t] <= prev_e)
                    spend_month[m] += price[t] * (E[t] - prev_e)
                    bought_month[m] += E[t] - prev_e
                for k in range(n_k):
                    prev_c = self.C[i][m - 1][k] if m else float(d.chargers_now[i, k])
                    s.Add(C[k] >= prev_c)
                    if m < d.charger_lead_time and "lead_time" not in relax:
                        s.Add(C[k] <= prev_c)
                    spend_month[m] += ccost[k] * (C[k] - prev_c)
                v = float(d.vans[i, m])
                s.Add(sum(A) <= v)
                if "route_fit" not in relax:
                    for subset, cap in d.hall:
                        s.Add(sum(A[t] for t in subset) <= float(cap[i, m]))
                if "parking" not in relax:
                    s.Add(sum(E) + v - sum(A) <= float(d.parking[i, m]))
                    s.Add(sum(C) <= float(d.parking[i, m]))
                g = d.grid_kwh[i, m]
                load = sum(float(g[t]) * A[t] for t in range(n_t))
                if "site_kw" not in relax:
                    q = float(d.energy_cap_kwh[i, m]) - (n - 1) * float(g.max(initial=0.0))
                    if q < 0:
                        for t in range(n_t):
                            s.Add(A[t] <= 0)
                    else:
                        s.Add(load <= q)
                s.Add(n * sum(C) >= sum(A))
                s.Add(sum(kw[k] * C[k] for k in range(n_k)) * float(d.window_h[i]) >= load)
        self.shortfall: list[Any] = []
        for m in range(n_m):
            if "ev_supply" not in relax and math.isfinite(d.ev_supply[m]):
                s.Add(bought_month[m] <= float(d.ev_supply[m]))
            if "budget" not in relax and math.isfinite(d.budget_month[m]):
                s.Add(spend_month[m] <= float(d.budget_month[m]))
            if d.targets[m] > 0:
                active = sum(self.A[i][m][t] for i in range(n_s) for t in range(n_t))
                need = float(d.targets[m]) * float(d.vans[:, m].sum())
                if elastic:
                    short = s.NumVar(0, inf, f"short{m}")
                    self.shortfall.append(short)
                    s.Add(active + short >= need - 1e-9)
                else:
                    s.Add(active >= need - 1e-9)
        self.spend = sum(spend_month)
        # Tie-break between plans of equal spend: own EVs and charge points as late as possible
        # (weight 1e-6 of the cheapest item per unit-month, far below any price difference).
        items = [x for x in price + ccost if x > 0]
        w = 1e-6 * (min(items) if items else 1.0)
        self.holding = w * sum(x for a in (self.E, self.C) for b in a for c in b for x in c)
        if "budget" not in relax and math.isfinite(d.budget_total):
            s.Add(self.spend <= float(d.budget_total))
        self.active_total = sum(
            self.A[i][m][t] for i in range(n_s) for m in range(n_m) for t in range(n_t)
        )

    def solve(self, time_limit_s: float, mip_gap: float = 0.0) -> str:
        from ortools.linear_solver import pywraplp

        self.s.SetTimeLimit(int(time_limit_s * 1000))
        params = pywraplp.MPSolverParameters()
        params.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, float(mip_gap))
        st = self.s.Solve(params)
        if st == pywraplp.Solver.OPTIMAL:
            return "optimal"
        if st == pywraplp.Solver.FEASIBLE:
            return "feasible"
        if st == pywraplp.Solver.INFEASIBLE:
            return "infeasible"
        return "not_solved"  # time limit without a solution, or a solver failure

    def values(self, xs: list[list[list[Any]]]) -> F64:
        return np.array(
            [[[round(x.solution_value()) for x in b] for b in a] for a in xs], dtype=float
        )

    def fix(self, xs: list[list[list[Any]]], vals: F64) -> None:
        for i, a in enumerate(xs):
            for m, b in enumerate(a):
                for j, x in enumerate(b):
                    x.SetBounds(float(vals[i, m, j]), float(vals[i, m, j]))


def solve_plan(
    d: MipData,
    objective: str,
    *,
    time_limit_s: float = 60.0,
    solver: str | None = None,
    mip_gap: float = 1e-4,
    solver_params: str = "",
) -> MipSolution:
    """Solve the program (see the module docstring); InfeasibleError with the binding
    constraint families (from :func:`diagnose`) when the targets cannot be met.
    ``solver_params``: solver-specific parameters (``name = value`` lines) of the plan's solves
    (the infeasibility diagnosis keeps the defaults); they may change which of several equally
    cheap plans is returned, not the optimum."""
    p = _Program(d, frozenset(), elastic=False, solver=solver, solver_params=solver_params)

    def check(st: str) -> None:
        if st == "infeasible":
            raise InfeasibleError(diagnose(d, time_limit_s=time_limit_s, solver=solver))
        if st == "not_solved":
            raise InfeasibleError(
                f"time_limit_s: {p.solver_name} found no plan within {time_limit_s:g} s "
                f"({len(d.stations)} stations x {len(d.months)} months); raise time_limit_s"
            )

    if objective == "max_share":
        p.s.Maximize(p.active_total)
        check(p.solve(time_limit_s, mip_gap))
        best = round(p.s.Objective().Value())
        p.s.Add(p.active_total >= best)
    p.s.Minimize(p.spend + p.holding)
    st = p.solve(time_limit_s, mip_gap)
    check(st)
    evs, chargers = p.values(p.E), p.values(p.C)
    cost = float(spend(d, evs, chargers).sum())
    p.fix(p.E, evs)
    p.fix(p.C, chargers)
    p.s.Maximize(p.active_total)
    st2 = p.solve(time_limit_s, mip_gap)
    if st2 in ("infeasible", "not_solved"):  # the first solution is feasible for this one
        raise InfeasibleError("time_limit_s: no active-EV assignment found for the fixed plan")
    return MipSolution(
        evs=evs,
        active=p.values(p.A),
        chargers=chargers,
        cost=cost,
        status=st if st2 == "optimal" else "feasible",
        solver=p.solver_name,
    )


def spend(d: MipData, evs: F64, chargers: F64) -> F64:
    """Money spent per station and month [S, M] on EVs and charge points of a solution."""
    price = np.array([float(t.price) for t in d.ev_types])
    ccost = np.array([float(k.cost) for k in d.charger_types])
    bought = np.diff(evs, axis=1, prepend=d.evs_now[:, None, :])
    installed = np.diff(chargers, axis=1, prepend=d.chargers_now[:, None, :])
    return np.asarray(bought @ price + installed @ ccost, dtype=np.float64)


def diagnose(d: MipData, *, time_limit_s: float = 60.0, solver: str | None = None) -> str:
    """Why the plan is infeasible, as one line naming the field: the first month whose target
    share cannot be reached, the best share there, and the constraint families whose
    relaxation shrinks the total shortfall."""

    def shortfall(relax: frozenset[str]) -> tuple[float, list[float]] | None:
        p = _Program(d, relax, elastic=True, solver=solver)
        p.s.Minimize(sum(p.shortfall) if p.shortfall else 0.0)
        if p.solve(time_limit_s) != "optimal":
            return None
        return float(sum(x.solution_value() for x in p.shortfall)), [
            x.solution_value() for x in p.shortfall
        ]

    base = shortfall(frozenset())
    if base is None:
        binding = [f for f in FAMILIES if shortfall(frozenset({f})) is not None]
        return "evs_now: the EVs and chargers in service already break a constraint" + (
            f" (binding: {', '.join(binding)})" if binding else ""
        )
    total, per = base
    if total <= 1e-6:
        return "targets: no plan found within the time limit (try a longer time_limit_s)"
    target_months = [m for m in range(len(d.months)) if d.targets[m] > 0]
    first = next(m for m, x in zip(target_months, per, strict=True) if x > 1e-6)
    routes = float(d.vans[:, first].sum())
    need = d.targets[first] * routes
    best = need - per[target_months.index(first)]
    binding = []
    for f in FAMILIES:
        r = shortfall(frozenset({f}))
        if r is not None and r[0] < total - 1e-6:
            binding.append(f)
    return (
        f"targets: EV share {d.targets[first]:g} in {d.months[first]} is unreachable "
        f"(best {best / routes if routes else 0.0:.3f}: {best:.0f} of {routes:.0f} routes; "
        f"short {total:.0f} EV route-days over the horizon); binding: "
        + (", ".join(binding) if binding else "several constraints together")
    )


__all__ = [
    "FAMILIES",
    "MipData",
    "MipSolution",
    "diagnose",
    "effective_targets",
    "hall_caps",
    "per_month",
    "solve_plan",
    "spend",
]
