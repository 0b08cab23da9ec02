"""Inputs of the electrification plan and their validation (every error names its field).

Tables (CSV/Parquet through :func:`lastmile_core.io.read_table`, or DataFrames):

* **forecast**: ``station, month`` (``YYYY-MM``) and the van need: ``vans_p50`` and ``vans_p90``
  (the output of ``lastmile fleet plan`` summed over van types) or a single ``vans`` column.
* **stations**: ``station, city, parking, site_kw, window_h`` and optionally ``base_kw`` (other
  site load during the charging window, default 0), ``evs_now`` (EVs of the first EV type
  already in service, default 0) and ``chargers_now`` (charge points of the first charger type,
  default 0).
* **temperatures**: ``city, month, temperature_c``; ``month`` is ``YYYY-MM`` or a calendar month
  ``1..12`` (climate normals).
* **routes**: the per-arc table of :mod:`.ev_fit` (``station, route, distance_m,
  elevation_diff_m, dwell_s, payload_kg``).
* **upgrades** (optional): ``station, month, site_kw``: the site limit from that month on.

Network settings (:class:`Network`, from a JSON object with the same keys): EV and charger
types, ``targets`` (month -> EV share of the routes from that month on), ``objective``
(``"min_cost"`` or ``"max_share"``), ``budget_total``, ``budget_per_month``,
``ev_supply_per_month`` (EVs deliverable network-wide per month), ``lead_time_months`` (EVs
ordered in month m arrive in m + lead; nothing ordered before the plan starts),
``charger_lead_time_months``, ``evs_per_charger``, ``design_quantile``, ``vans_column``, the
solver's ``time_limit_s`` (per solve), relative ``mip_gap`` (default 1e-4) and
``solver_params`` (solver-specific parameters, e.g. ``"lp/pricing = d"`` for SCIP's devex
pricing, one ``name = value`` per line; default none: the solver's defaults), and the
newsvendor costs ``cost_missing_van`` / ``cost_idle_van`` (when both are given the van need is
the newsvendor quantile of the forecast, see :mod:`.buy_quantile`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .buy_quantile import newsvendor_from_quantiles
from .charging import ChargerType
from .ev_fit import EVType, check_temperature

OBJECTIVES = ("min_cost", "max_share")


def _nonneg(v: Any, name: str) -> float:
    try:
        f = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{name}: expected a number, got {v!r}") from None
    if not (math.isfinite(f) and f >= 0):
        raise InputError(f"{name}: must be >= 0, got {v!r}")
    return f


def _month(m: Any, name: str) -> str:
    try:
        return str(pd.Period(str(m), freq="M"))
    except (ValueError, TypeError):
        raise InputError(f"{name}: expected a month YYYY-MM, got {m!r}") from None


def _per_month(v: Any, name: str) -> float | dict[str, float] | None:
    if v is None:
        return None
    if isinstance(v, Mapping):
        return {_month(k, name): _nonneg(x, name) for k, x in v.items()}
    return _nonneg(v, name)


@dataclass(frozen=True)
class Network:
    """Network-wide settings of the plan (see the module docstring)."""

    ev_types: tuple[EVType, ...] = (EVType("ev-midvan"),)
    charger_types: tuple[ChargerType, ...] = (ChargerType("ac11"),)
    targets: Mapping[str, float] = field(default_factory=dict)
    objective: str = "min_cost"
    budget_total: float | None = None
    budget_per_month: float | Mapping[str, float] | None = None
    ev_supply_per_month: float | Mapping[str, float] | None = None
    lead_time_months: int = 0
    charger_lead_time_months: int = 0
    evs_per_charger: int = 1
    design_quantile: float = 0.9
    vans_column: str = "vans_p90"
    cost_missing_van: float | None = None
    cost_idle_van: float | None = None
    time_limit_s: float = 300.0
    mip_gap: float = 1e-4
    solver_params: str = ""

    def __post_init__(self) -> None:
        if not self.ev_types:
            raise InputError("ev_types: at least one EV type is required")
        if not self.charger_types:
            raise InputError("charger_types: at least one charger type is required")
        for name, items in (("ev_types", self.ev_types), ("charger_types", self.charger_types)):
            names = [x.name for x in items]
            if len(set(names)) != len(names):
                raise InputError(f"{name}: duplicate names {names}")
        clean = {}
        for m, s in dict(self.targets).items():
            share = _nonneg(s, "targets")
            if share > 1.0:
                raise InputError(f"targets: share {s!r} for {m} is above 1")
            clean[_month(m, "targets")] = share
        object.__setattr__(self, "targets", clean)
        if self.objective not in OBJECTIVES:
            raise InputError(
                f"objective: {self.objective!r} (expected one of {', '.join(OBJECTIVES)})"
            )
        if self.budget_total is not None:
            object.__setattr__(self, "budget_total", _nonneg(self.budget_total, "budget_total"))
        for f in ("budget_per_month", "ev_supply_per_month"):
            object.__setattr__(self, f, _per_month(getattr(self, f), f))
        for f in ("lead_time_months", "charger_lead_time_months"):
            v = getattr(self, f)
            if int(v) != v or v < 0:
                raise InputError(f"{f}: must be an integer >= 0, got {v!r}")
        if int(self.evs_per_charger) != self.evs_per_charger or self.evs_per_charger < 1:
            raise InputError(
                f"evs_per_charger: must be an integer >= 1, got {self.evs_per_charger!r}"
            )
        if not (0.0 <= self.design_quantile <= 1.0):
            raise InputError(f"design_quantile: must be in [0, 1], got {self.design_quantile!r}")
        if (self.cost_missing_van is None) != (self.cost_idle_van is None):
            raise InputError(
                "cost_idle_van: give both cost_missing_van and cost_idle_van or neither"
            )
        if not (0.0 <= self.mip_gap < 1.0):
            raise InputError(f"mip_gap: must be in [0, 1), got {self.mip_gap!r}")
        if not (self.time_limit_s > 0):
            raise InputError(f"time_limit_s: must be > 0, got {self.time_limit_s!r}")
        if not isinstance(self.solver_params, str):
            raise InputError(
                f"solver_params: expected a string of name = value lines, got {self.solver_params!r}"
            )

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Network:
        unknown = sorted(set(d) - set(cls.__dataclass_fields__))
        if unknown:
            raise InputError(f"{unknown[0]}: unknown network setting")
        kw = dict(d)
        if "ev_types" in kw:
            kw["ev_types"] = tuple(EVType.from_dict(x) for x in kw["ev_types"])
        if "charger_types" in kw:
            kw["charger_types"] = tuple(ChargerType.from_dict(x) for x in kw["charger_types"])
        return cls(**kw)

    @classmethod
    def from_json(cls, path: str | Path) -> Network:
        try:
            d = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(f"config: cannot read network settings {path}: {exc}") from None
        if not isinstance(d, dict):
            raise InputError(f"config: expected a JSON object in {path}")
        return cls.from_dict(d)


def _require(df: pd.DataFrame, cols: tuple[str, ...], table: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{table}: expected a DataFrame, got {type(df).__name__}")
    for c in cols:
        if c not in df.columns:
            raise InputError(f"{c}: missing column in the {table} table")
    return df.copy()


def _numeric(df: pd.DataFrame, col: str, table: str, *, integer: bool = False) -> None:
    v = pd.to_numeric(df[col], errors="coerce").to_numpy(float)
    bad = ~np.isfinite(v) | (v < 0)
    if integer:
        bad |= np.abs(v - np.round(v)) > 1e-9
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "an integer >= 0" if integer else ">= 0"
        got = df[col].iloc[i]
        got = got.item() if isinstance(got, np.generic) else got  # -5.0, not np.float64(-5.0)
        raise InputError(f"{col}: {table} row {i} must be {what}, got {got!r}")
    df[col] = v


def station_months(
    forecast: pd.DataFrame,
    stations: pd.DataFrame,
    temperatures: pd.DataFrame,
    network: Network,
    upgrades: pd.DataFrame | None = None,
    site_kw_scale: float = 1.0,
) -> pd.DataFrame:
    """One validated row per station x month (months sorted): ``station, month, city,
    temperature_c, vans_need, parking, site_kw`` (upgrades applied, times ``site_kw_scale``),
    ``window_h, base_kw, evs_now, chargers_now`` and, when present, ``vans_p50, vans_p90``."""
    scale = _nonneg(site_kw_scale, "site_kw_scale")
    f = _require(forecast, ("station", "month"), "forecast")
    f["station"] = f["station"].astype(str)
    f["month"] = [_month(m, "month") for m in f["month"]]
    if f.duplicated(["station", "month"]).any():
        i = int(np.flatnonzero(f.duplicated(["station", "month"]).to_numpy())[0])
        raise InputError(
            f"month: duplicate forecast row {f['station'].iloc[i]} {f['month'].iloc[i]}"
        )
    has_q = "vans_p50" in f.columns and "vans_p90" in f.columns
    for c in ("vans_p50", "vans_p90", "vans"):
        if c in f.columns:
            _numeric(f, c, "forecast")
    if network.cost_missing_van is not None and network.cost_idle_van is not None:
        if not has_q:
            raise InputError("vans_p90: the newsvendor quantile needs vans_p50 and vans_p90")
        f["vans_need"] = newsvendor_from_quantiles(
            f["vans_p50"], f["vans_p90"], network.cost_missing_van, network.cost_idle_van
        )
    else:
        col = network.vans_column if network.vans_column in f.columns else "vans"
        if col not in f.columns:
            raise InputError(f"{network.vans_column}: missing column in the forecast table")
        f["vans_need"] = np.ceil(f[col].to_numpy(float) - 1e-9)

    s = _require(stations, ("station", "city", "parking", "site_kw", "window_h"), "stations")
    s["station"] = s["station"].astype(str)
    s["city"] = s["city"].astype(str)
    if s["station"].duplicated().any():
        raise InputError(
            f"station: duplicate station rows {sorted(set(s['station'][s['station'].duplicated()]))}"
        )
    for c, default in (("base_kw", 0.0), ("evs_now", 0), ("chargers_now", 0)):
        if c not in s.columns:
            s[c] = default
    for c in ("parking", "evs_now", "chargers_now"):
        _numeric(s, c, "stations", integer=True)
    for c in ("site_kw", "base_kw", "window_h"):
        _numeric(s, c, "stations")
    if (s["window_h"] <= 0).any() or (s["window_h"] > 24).any():
        raise InputError("window_h: the charging window must be in (0, 24] hours")
    missing = sorted(set(f["station"]) - set(s["station"]))
    if missing:
        raise InputError(
            f"station: forecast station {missing[0]!r} has no row in the stations table"
        )
    sm = f.merge(s, on="station", how="left", validate="many_to_one")

    t = _require(temperatures, ("city", "month", "temperature_c"), "temperatures")
    t["city"] = t["city"].astype(str)
    checked = []
    for city, m, x in zip(t["city"], t["month"], t["temperature_c"], strict=True):
        try:
            checked.append(check_temperature(x))
        except InputError as exc:
            raise InputError(f"{exc} (city {city!r}, month {m})") from None
    t["temperature_c"] = checked
    by_month: dict[tuple[str, str], float] = {}
    by_cal: dict[tuple[str, int], float] = {}
    for city, m, temp in zip(t["city"], t["month"], t["temperature_c"], strict=True):
        ms = str(m).strip()
        if ms.isdigit() and 1 <= int(ms) <= 12:
            by_cal[(city, int(ms))] = float(temp)
        else:
            by_month[(city, _month(ms, "month"))] = float(temp)
    temps = []
    for city, m in zip(sm["city"], sm["month"], strict=True):
        key = (city, m)
        cal = (city, pd.Period(m, freq="M").month)
        if key in by_month:
            temps.append(by_month[key])
        elif cal in by_cal:
            temps.append(by_cal[cal])
        else:
            raise InputError(f"temperature_c: no temperature for city {city!r} in {m}")
    sm["temperature_c"] = temps

    sm["site_kw"] = sm["site_kw"].astype(float)
    if upgrades is not None and len(upgrades):
        u = _require(upgrades, ("station", "month", "site_kw"), "upgrades")
        u["station"] = u["station"].astype(str)
        u["month"] = [_month(m, "month") for m in u["month"]]
        _numeric(u, "site_kw", "upgrades")
        unknown = sorted(set(u["station"]) - set(s["station"]))
        if unknown:
            raise InputError(f"station: upgrade for unknown station {unknown[0]!r}")
        for row in u.sort_values(["station", "month"]).itertuples(index=False):
            mask = (sm["station"] == row.station) & (sm["month"] >= row.month)
            sm.loc[mask, "site_kw"] = float(row.site_kw)
    sm["site_kw"] = sm["site_kw"] * scale
    over = sm["vans_need"] > sm["parking"]
    if over.any():
        r = sm[over].iloc[0]
        raise InputError(
            f"parking: station {r['station']!r} needs {int(r['vans_need'])} vans in {r['month']} "
            f"but has {int(r['parking'])} parking spaces"
        )
    months = sorted(sm["month"].unique())
    counts = sm.groupby("station")["month"].nunique()
    short = counts[counts != len(months)]
    if len(short):
        raise InputError(
            f"month: station {short.index[0]!r} has {int(short.iloc[0])} of the {len(months)} forecast months"
        )
    cols = [
        "station",
        "month",
        "city",
        "temperature_c",
        "vans_need",
        "parking",
        "site_kw",
        "window_h",
        "base_kw",
        "evs_now",
        "chargers_now",
    ] + [c for c in ("vans_p50", "vans_p90") if c in sm.columns]
    return sm[cols].sort_values(["station", "month"], ignore_index=True)


__all__ = ["OBJECTIVES", "Network", "station_months"]
