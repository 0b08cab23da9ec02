"""Calibration of the route components (distance, driving time, service time) by least squares
with hierarchical shrinkage global -> city -> station."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from .params import COMPONENTS

#: A per-level fit: ``solver(X, y, prior, kappa) -> coefficients``.
Solver = Callable[[np.ndarray, np.ndarray, "np.ndarray | None", float], np.ndarray]


def r2(y: np.ndarray, yhat: np.ndarray) -> float:
    """Coefficient of determination (NaN for a constant target)."""
    ss = float(np.sum((y - y.mean()) ** 2))
    return float(1.0 - np.sum((y - yhat) ** 2) / ss) if ss > 0 else float("nan")


def mape(y: np.ndarray, yhat: np.ndarray) -> float:
    """Mean absolute percentage error over the non-zero targets (NaN if none)."""
    m = np.abs(y) > 1e-9
    return float(np.mean(np.abs(yhat[m] - y[m]) / np.abs(y[m]))) if m.any() else float("nan")


def shrunk_lstsq(
    X: np.ndarray, y: np.ndarray, prior: np.ndarray | None, kappa: float
) -> np.ndarray:
    """Least squares pulled toward ``prior``: minimise ||y - X t||^2 + kappa * sum_j D_j (t_j -
    prior_j)^2 with D = diag(X'X)/n, i.e. the prior is worth ``kappa`` observations."""
    if prior is None:
        coef, *_ = np.linalg.lstsq(X, y, rcond=None)
        return np.asarray(coef)
    n = max(len(y), 1)
    D = np.diag(np.diag(X.T @ X) / n)
    A = X.T @ X + kappa * D
    b = X.T @ y + kappa * D @ prior
    return np.linalg.solve(A + 1e-12 * np.eye(len(prior)), b)


def component_xy(obs: pd.DataFrame, comp: str) -> tuple[np.ndarray, np.ndarray]:
    """Features and target of a route component: distance and driving time on (2 r, local
    factor), service time on (stops, packages)."""
    if comp == "distance":
        X = np.column_stack([2.0 * obs["r_km"], obs["local_x"]])
        y = obs["distance_km"].to_numpy(float)
    elif comp == "driving":
        X = np.column_stack([2.0 * obs["r_km"], obs["local_x"]])
        y = (obs["duration_s"] - obs["service_s"]).to_numpy(float)
    else:
        X = np.column_stack([obs["stops"], obs["packages"]])
        y = obs["service_s"].to_numpy(float)
    return X.astype(float), y


def fit_routes(
    obs: pd.DataFrame,
    kappa_routes: float,
    solver: Solver | None = None,
) -> tuple[dict[str, dict[str, tuple[float, ...]]], dict[str, tuple[float, ...]]]:
    """Route coefficients per level (global least squares, then city and station ridge
    regressions pulled toward their parent, worth ``kappa_routes`` routes) and the standard
    errors of the global ones. ``solver(X, y, prior, kappa)`` is the per-level fit (default
    :func:`shrunk_lstsq`; :mod:`.fit_nonneg` passes its nonnegative one)."""
    fit = shrunk_lstsq if solver is None else solver
    coef: dict[str, dict[str, tuple[float, ...]]] = {"global": {}}
    coef_se: dict[str, tuple[float, ...]] = {}
    for comp in COMPONENTS:
        X, y = component_xy(obs, comp)
        g = fit(X, y, None, 0.0)
        coef["global"][comp] = tuple(float(c) for c in g)
        resid = y - X @ g
        dof = max(len(y) - X.shape[1], 1)
        s2 = float(resid @ resid) / dof
        try:
            cov = s2 * np.linalg.inv(X.T @ X)
            coef_se[comp] = tuple(float(math.sqrt(max(c, 0.0))) for c in np.diag(cov))
        except np.linalg.LinAlgError:
            coef_se[comp] = (0.0,) * X.shape[1]
    for city, cg in obs.groupby("city"):
        ck = f"city:{city}"
        coef[ck] = {}
        for comp in COMPONENTS:
            X, y = component_xy(cg, comp)
            prior = np.array(coef["global"][comp])
            coef[ck][comp] = tuple(float(c) for c in fit(X, y, prior, kappa_routes))
        for st, sg in cg.groupby("station"):
            sk = f"station:{city}/{st}"
            coef[sk] = {}
            for comp in COMPONENTS:
                X, y = component_xy(sg, comp)
                prior = np.array(coef[ck][comp])
                coef[sk][comp] = tuple(float(c) for c in fit(X, y, prior, kappa_routes))
    return coef, coef_se


__all__ = ["component_xy", "fit_routes", "mape", "r2", "shrunk_lstsq"]
