"""Nonnegative calibration of the route components (distance, driving time, service time).

Every route coefficient is a physical rate (line-haul circuity, local constant, seconds per km,
seconds per stop or package) and cannot be negative. On small samples (a few station-days, a
couple of routes each) the line-haul and local features are nearly collinear and ordinary least
squares trades one against the other: a negative line-haul term with an inflated local one fits
the sample and extrapolates badly (more stops per route, farther zones). The fit here is the
least-squares one of :func:`~.fit_routes.shrunk_lstsq` whenever that is nonnegative (so the
usual case is unchanged) and otherwise the nonnegative least-squares solution of the same
objective, with the parent-level prior written as extra rows of the design (Lawson-Hanson active
set, numpy only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .fit_routes import fit_routes, shrunk_lstsq


def nnls(A: np.ndarray, b: np.ndarray, max_iter: int | None = None) -> np.ndarray:
    """``argmin ||A x - b||`` subject to ``x >= 0`` (Lawson & Hanson 1974, active set)."""
    A = np.asarray(A, dtype=float)
    b = np.asarray(b, dtype=float)
    m, n = A.shape
    x = np.zeros(n)
    passive = np.zeros(n, dtype=bool)
    tol = 10.0 * np.finfo(float).eps * max(float(np.abs(A).sum(axis=0).max(initial=0.0)), 1.0)
    tol *= max(m, n)
    w = A.T @ (b - A @ x)
    limit = 3 * n if max_iter is None else max_iter
    for _ in range(limit):
        if passive.all() or float(np.max(np.where(passive, -np.inf, w))) <= tol:
            break
        passive[int(np.argmax(np.where(passive, -np.inf, w)))] = True
        for _inner in range(limit):
            s = np.zeros(n)
            s[passive] = np.linalg.lstsq(A[:, passive], b, rcond=None)[0]
            if float(s[passive].min()) > tol:
                break
            neg = passive & (s <= tol)
            alpha = float(np.min(x[neg] / np.maximum(x[neg] - s[neg], 1e-300)))
            x = x + alpha * (s - x)
            passive &= x > tol
            x[~passive] = 0.0
            if not passive.any():
                s = np.zeros(n)
                break
        x = np.maximum(s, 0.0)
        w = A.T @ (b - A @ x)
    return x


def nonneg_shrunk_lstsq(
    X: np.ndarray, y: np.ndarray, prior: np.ndarray | None, kappa: float
) -> np.ndarray:
    """:func:`~.fit_routes.shrunk_lstsq` constrained to nonnegative coefficients: its solution
    when that is already >= 0, else NNLS of ``[X; sqrt(kappa D)] t ~ [y; sqrt(kappa D) prior]``
    (the same objective; ``D = diag(X'X) / n``, the prior clipped at 0)."""
    coef = shrunk_lstsq(X, y, prior, kappa)
    if np.all(np.isfinite(coef)) and float(coef.min()) >= 0.0:
        return coef
    if prior is None:
        return nnls(X, y)
    n = max(len(y), 1)
    d = np.sqrt(kappa * np.diag(X.T @ X) / n)
    A = np.vstack([X, np.diag(d)])
    b = np.concatenate([y, d * np.maximum(np.asarray(prior, dtype=float), 0.0)])
    return nnls(A, b)


def fit_routes_nonneg(
    obs: pd.DataFrame, kappa_routes: float
) -> tuple[dict[str, dict[str, tuple[float, ...]]], dict[str, tuple[float, ...]]]:
    """Route coefficients per level like :func:`~.fit_routes.fit_routes` (global fit, then city
    and station fits pulled toward their parent, worth ``kappa_routes`` routes), every one of
    them >= 0; standard errors of the global ones from the residuals at the constrained fit."""
    return fit_routes(obs, kappa_routes, nonneg_shrunk_lstsq)


__all__ = ["fit_routes_nonneg", "nnls", "nonneg_shrunk_lstsq"]
