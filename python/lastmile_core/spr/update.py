"""Monthly re-calibration of an SPR model on a rolling window, with a parameter drift report.

:func:`update` refits the model on the most recent ``window`` station-days of ``history`` +
``new_observations`` with the previous model's settings (shrinkage weights ``kappa_*``, route
count mode, van types: vans the new data does not mention keep their definition), and compares
every parameter of the two models (:func:`drift_report`).

A parameter is *flagged* when its change exceeds ``z`` standard errors of the change,
``sqrt(se_prev^2 + se_new^2)``, where the fit gives standard errors (the global route
coefficients, :attr:`SPRParams.coef_se <.params.SPRParams.coef_se>`); for the others (no
standard error is estimated) when ``|relative change| > rel_tol``; parameters present in only
one of the models (a new station, zone or van) are flagged with status ``added`` / ``removed``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io import read_table
from .calibrate import fit
from .observations import Observations, zones_path
from .params import COMPONENTS, SPRParams

#: Names of the two coefficients of each route component.
COEF_NAMES: dict[str, tuple[str, str]] = {
    "distance": ("c_lh", "kc"),
    "driving": ("s_lh", "s_loc"),
    "service": ("a", "b"),
}

_ZONE_FIELDS = (
    "rho",
    "share",
    "mean_packages",
    "area_km2",
    "r_km",
    "volume_l_per_package",
    "weight_kg_per_package",
)

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

#: Changes below this share of the parameter's magnitude are rounding, never flagged.
_ROUNDING = 1e-9

#: Columns of the drift report.
DRIFT_COLUMNS: tuple[str, ...] = (
    "parameter",
    "previous",
    "new",
    "change",
    "rel_change",
    "se",
    "flagged",
    "rule",
    "status",
)


def flatten(p: SPRParams) -> dict[str, float]:
    """Every numeric parameter of a model under a dotted name (``coef.<level>.<component>.<name>``,
    ``rho.<level>``, ``zones.<city/station/zone>.<field>``, ``utilisation.<constraint>``, ...);
    ``h_per_km2 = None`` (no saturation) is NaN."""
    out: dict[str, float] = {}
    for level, comps in p.coef.items():
        for comp, vals in comps.items():
            names = COEF_NAMES.get(comp, tuple(str(i) for i in range(len(vals))))
            for n, v in zip(names, vals, strict=False):
                out[f"coef.{level}.{comp}.{n}"] = float(v)
    for name, d in (
        ("rho", p.rho),
        ("volume_per_package", p.volume_per_package),
        ("weight_per_package", p.weight_per_package),
        ("utilisation", p.utilisation),
    ):
        for k, v in d.items():
            out[f"{name}.{k}"] = float(v)
    for key, us in p.utilisation_station.items():
        for c, v in us.items():
            out[f"utilisation_station.{key}.{c}"] = float(v)
    for key, prof in p.zones.items():
        for f in _ZONE_FIELDS:
            out[f"zones.{key}.{f}"] = float(prof[f])  # type: ignore[literal-required]
    out["rho_cv"] = float(p.rho_cv)
    out["h_per_km2"] = math.nan if p.h_per_km2 is None else float(p.h_per_km2)
    for name in ("linehaul_own_share", "zone_mix", "overflow_stops", "circuity"):
        out[name] = float(getattr(p, name))
    return out


def standard_errors(p: SPRParams) -> dict[str, float]:
    """Standard errors the fit estimated, by :func:`flatten` name (global route coefficients)."""
    out: dict[str, float] = {}
    for comp in COMPONENTS:
        for n, se in zip(COEF_NAMES[comp], p.coef_se.get(comp, ()), strict=False):
            out[f"coef.global.{comp}.{n}"] = float(se)
    return out


def drift_report(
    previous: SPRParams, new: SPRParams, *, z: float = 1.0, rel_tol: float = 0.1
) -> pd.DataFrame:
    """One row per parameter of either model (:data:`DRIFT_COLUMNS`, see the module
    docstring), in :func:`flatten` order (previous model first, then added ones)."""
    if not (z > 0 and math.isfinite(z)):
        raise InputError(f"z: must be > 0, got {z!r}")
    if not (rel_tol >= 0 and math.isfinite(rel_tol)):
        raise InputError(f"rel_tol: must be >= 0, got {rel_tol!r}")
    a, b = flatten(previous), flatten(new)
    se_a, se_b = standard_errors(previous), standard_errors(new)
    rows: list[dict[str, Any]] = []
    for name in [*a, *(k for k in b if k not in a)]:
        va, vb = a.get(name, math.nan), b.get(name, math.nan)
        status = "both" if name in a and name in b else ("removed" if name in a else "added")
        change = vb - va
        rel = change / abs(va) if va != 0 else (0.0 if change == 0 else math.inf)
        se = math.hypot(se_a[name], se_b[name]) if name in se_a and name in se_b else math.nan
        if status != "both":
            flagged, rule = True, status
        elif math.isnan(va) and math.isnan(vb):
            flagged, rule, rel, change = False, "unchanged", 0.0, 0.0
        elif math.isnan(va) or math.isnan(vb):
            flagged, rule = True, "nan"
        elif math.isfinite(se) and se > 0:
            tiny = _ROUNDING * max(abs(va), abs(vb))
            flagged, rule = abs(change) > max(z * se, tiny), f"|change| > {z:g} se"
        else:
            flagged = abs(rel) > rel_tol and abs(change) > _ROUNDING * max(abs(va), abs(vb))
            rule = f"|rel_change| > {rel_tol:g}"
        rows.append(
            {
                "parameter": name,
                "previous": va,
                "new": vb,
                "change": change,
                "rel_change": rel,
                "se": se,
                "flagged": bool(flagged),
                "rule": rule,
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=list(DRIFT_COLUMNS))


def _day_order(days: pd.Series) -> list[str]:
    """Distinct day labels oldest first: sorted when every label is an ISO date
    (``YYYY-MM-DD...``, which sorts as text), else in order of first appearance (tables are
    appended month after month)."""
    uniq = list(dict.fromkeys(days.astype(str)))
    if all(_ISO_DAY.match(d) for d in uniq):
        return sorted(uniq)
    return uniq


def rolling_window(observations: Observations, window: int | None) -> Observations:
    """The routes (and their zone rows) of the last ``window`` distinct days (all for None)."""
    if window is None:
        return observations
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 1:
        raise InputError(f"window: must be a positive number of days, got {window!r}")
    for name, t in (("routes", observations.routes), ("zones", observations.zones)):
        if "day" not in t.columns:
            raise InputError(f"day: missing column in the {name} table (needed for window)")
    keep = set(_day_order(observations.routes["day"])[-int(window) :])
    r = observations.routes[observations.routes["day"].astype(str).isin(keep)]
    z = observations.zones[observations.zones["day"].astype(str).isin(keep)]
    return Observations(r.reset_index(drop=True), z.reset_index(drop=True))


def _as_observations(obs: Observations | pd.DataFrame, name: str) -> Observations:
    if isinstance(obs, Observations):
        return obs
    if isinstance(obs, pd.DataFrame):
        return Observations.from_routes(obs)
    raise InputError(f"{name}: expected Observations or a route table, got {type(obs).__name__}")


def update(
    previous: SPRParams,
    new_observations: Observations | pd.DataFrame,
    *,
    history: Observations | pd.DataFrame | None = None,
    window: int | None = None,
    z: float = 1.0,
    rel_tol: float = 0.1,
) -> tuple[SPRParams, pd.DataFrame]:
    """Refit on the rolling window and report the drift (see the module docstring). Returns the
    new parameters and :func:`drift_report` of ``previous`` against them."""
    if not isinstance(previous, SPRParams):
        raise InputError(f"model: expected SPRParams, got {type(previous).__name__}")
    if "global" not in previous.coef:
        raise InputError("model: not fitted (no coefficients)")
    new = _as_observations(new_observations, "new_observations")
    if len(new) == 0:
        raise InputError("new_observations: empty table")
    parts = [new] if history is None else [_as_observations(history, "history"), new]
    obs = rolling_window(Observations.concat(parts), window)
    refit = fit(
        obs,
        kappa_routes=previous.kappa_routes,
        kappa_stops=previous.kappa_stops,
        kappa_days=previous.kappa_days,
        route_count=previous.route_count,
        vans=[v for k, v in previous.van_types.items() if k not in set(obs.routes["van_type"])],
    )
    return refit, drift_report(previous, refit, z=z, rel_tol=rel_tol)


def read_observations(path: str | Path, field: str = "observations") -> Observations:
    """Observations from a file: a route table with its zone table next to it
    (:meth:`Observations.write`), a legacy route table, or a per-stop table of real routes
    (``route_id`` and ``lon`` columns, converted by :func:`~.observe.observe_table`)."""
    from .observe import observe_table

    p = Path(path)
    if not p.is_file():
        raise InputError(f"{field}: file {str(p)!r} does not exist")
    df = read_table(p, field=field)
    if "route_id" in df.columns and "lon" in df.columns:
        return observe_table(df)
    if zones_path(p).is_file():
        return Observations.read(p)
    return Observations.from_routes(df)


def cli_update(
    model_json: str | Path,
    new_path: str | Path,
    out_json: str | Path,
    *,
    history: str | Path | None = None,
    window: int | None = None,
    drift_out: str | Path | None = None,
    z: float = 1.0,
    rel_tol: float = 0.1,
) -> pd.DataFrame:
    """``lastmile spr update``: read the old model and the new observations, refit, write the
    new model (and the drift table as CSV/Parquet when ``drift_out``); returns the drift."""
    from .serialise import read_json, write_json

    old = read_json(model_json)
    new_obs = read_observations(new_path, "new_observations")
    hist = None if history is None else read_observations(history, "history")
    params, drift = update(old, new_obs, history=hist, window=window, z=z, rel_tol=rel_tol)
    write_json(params, out_json)
    if drift_out is not None:
        if str(drift_out).endswith(".parquet"):
            drift.to_parquet(drift_out, index=False)
        else:
            drift.to_csv(drift_out, index=False)
    return drift


def format_drift(drift: pd.DataFrame, columns: Sequence[str] = DRIFT_COLUMNS[:-2]) -> str:
    """The printed drift table (flagged rows; a one-line note when none is)."""
    flagged = drift[drift["flagged"]]
    head = f"{int(drift['flagged'].sum())} of {len(drift)} parameters flagged"
    if not len(flagged):
        return head
    return head + "\n" + str(flagged[list(columns)].to_string(index=False))


__all__ = [
    "COEF_NAMES",
    "DRIFT_COLUMNS",
    "cli_update",
    "drift_report",
    "flatten",
    "format_drift",
    "read_observations",
    "rolling_window",
    "standard_errors",
    "update",
]
