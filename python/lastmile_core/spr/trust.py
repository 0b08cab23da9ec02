"""Where an ML correction may be trusted: the range of its training features.

:class:`TrustRegion` checks a feature vector against the training rows in three ways; each
check has a *core* (where the training data is dense) and an *edge* (the most extreme training
value), and gives a position ``t = 0`` inside the core, ``t >= 1`` at or beyond the edge and
linear in between:

* box, per feature and side: core = the central ``inner`` quantile range (default the 1 % to
  99 % quantiles), edge = the training min / max,
  ``t_box = max_j max((x_j - q_hi_j) / (max_j - q_hi_j), (q_lo_j - x_j) / (q_lo_j - min_j))``;
* Mahalanobis: ``d(x) = sqrt((x - m)' S^-1 (x - m))`` on the standardised features (``S`` the
  training correlation, ridge-regularised), core = the ``inner`` quantile of the training
  distances, edge = their maximum (a combination of individually in-range features that the
  training data never showed, e.g. many stops far away, is caught here);
* support: the mean distance ``k(x)`` to the ``k = 10`` nearest training rows (standardised
  features), core = the ``inner`` quantile ``k_in`` of the same distance over the training rows
  (leave-one-out), edge = ``min(1.25 k_in, largest training value)``: the sparse tails and holes
  of the training data, where a tree's leaf rests on a handful of rows.

The weight is the raised cosine ``(1 + cos(pi t)) / 2`` of ``t = max(t_box, t_mah, t_knn)``
clipped to [0, 1]: 1 in the dense core, fading smoothly across the thin edge of the data, and
exactly 0 (pure physics) at and beyond the training range.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import InputError

#: Labels of :meth:`TrustRegion.label`: fully trusted, partly, not at all.
CORRECTIONS: tuple[str, ...] = ("hybrid", "faded", "ca")


def _knn_mean(train: np.ndarray, query: np.ndarray, k: int) -> np.ndarray:
    """Mean Euclidean distance of each query row to its ``k`` nearest training rows (chunked)."""
    out = np.empty(len(query))
    k = max(1, min(k, len(train)))
    for s in range(0, len(query), 1024):
        q = query[s : s + 1024]
        d2 = ((q[:, None, :] - train[None, :, :]) ** 2).sum(axis=2)
        part = np.partition(d2, k - 1, axis=1)[:, :k]
        out[s : s + 1024] = np.sqrt(np.maximum(part, 0.0)).mean(axis=1)
    return out


def _position(x: np.ndarray, core: float | np.ndarray, edge: float | np.ndarray) -> np.ndarray:
    """0 at or below ``core``, 1 at ``edge``, linear between (``>= 1`` beyond; a zero-width
    edge jumps from 0 to 1 just past the core)."""
    width = np.asarray(edge, dtype=float) - np.asarray(core, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(width > 1e-12, (x - core) / np.where(width > 1e-12, width, 1.0), np.inf)
    t = np.where(x <= np.asarray(core) + 1e-12, 0.0, t)
    return np.asarray(t)


def _t(v: Any) -> tuple[float, ...]:
    return tuple(float(x) for x in v)


@dataclass(frozen=True)
class TrustRegion:
    """Training range of features (see the module docstring); build with :meth:`fit`."""

    features: tuple[str, ...]
    lo: tuple[float, ...]
    hi: tuple[float, ...]
    lo_core: tuple[float, ...]
    hi_core: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    precision: tuple[tuple[float, ...], ...]
    d_core: float
    d_max: float
    support: tuple[tuple[float, ...], ...]
    k: int
    k_core: float
    k_max: float
    inner: float = 0.98

    @classmethod
    def fit(cls, X: np.ndarray, features: Sequence[str], inner: float = 0.98) -> TrustRegion:
        """The region of the rows of ``X`` (n x len(features), finite); ``inner`` the share of
        the training data in the fully trusted core of each check."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != len(features) or X.shape[0] < 2:
            raise InputError(f"features: need at least 2 rows of {len(features)} features")
        if not np.isfinite(X).all():
            raise InputError("features: non-finite training feature value")
        if not (0.0 < inner < 1.0):
            raise InputError(f"inner: must be in (0, 1), got {inner!r}")
        tail = (1.0 - inner) / 2.0
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        Z = (X - mean) / scale
        prec = np.linalg.inv((Z.T @ Z) / len(Z) + 1e-3 * np.eye(len(features)))
        d = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", Z, prec, Z), 0.0))
        k = int(min(10, len(Z) - 1))
        loo = _knn_mean(Z, Z, k + 1) * (k + 1) / k  # each row is its own 0-distance neighbour
        return cls(
            features=tuple(features),
            lo=_t(X.min(axis=0)),
            hi=_t(X.max(axis=0)),
            lo_core=_t(np.quantile(X, tail, axis=0)),
            hi_core=_t(np.quantile(X, 1.0 - tail, axis=0)),
            mean=_t(mean),
            scale=_t(scale),
            precision=tuple(_t(row) for row in prec),
            d_core=float(np.quantile(d, inner)),
            d_max=float(d.max()),
            support=tuple(_t(row) for row in Z),
            k=k,
            k_core=float(np.quantile(loo, inner)),
            k_max=float(min(loo.max(), 1.25 * np.quantile(loo, inner))),
            inner=float(inner),
        )

    def position(self, X: np.ndarray) -> np.ndarray:
        """``t = max(t_box, t_mah, t_knn)`` per row: 0 in the core, >= 1 at or beyond the edge."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if X.shape[1] != len(self.features):
            raise InputError(f"features: expected {len(self.features)} columns, got {X.shape[1]}")
        bad = ~np.isfinite(X).all(axis=1)
        X = np.where(np.isfinite(X), X, 0.0)
        up = _position(X, np.array(self.hi_core), np.array(self.hi))
        down = _position(-X, -np.array(self.lo_core), -np.array(self.lo))
        t = np.maximum(up, down).max(axis=1)
        Z = (X - np.array(self.mean)) / np.array(self.scale)
        d = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", Z, np.array(self.precision), Z), 0.0))
        t = np.maximum(t, _position(d, self.d_core, self.d_max))
        knn = _knn_mean(np.array(self.support), Z, self.k)
        t = np.maximum(t, _position(knn, self.k_core, self.k_max))
        return np.where(bad, np.inf, t)

    def weight(self, X: np.ndarray) -> np.ndarray:
        """Trust weight per row in [0, 1] (raised-cosine fade of :meth:`position`)."""
        t = np.clip(self.position(X), 0.0, 1.0)
        return np.asarray(0.5 * (1.0 + np.cos(np.pi * t)))

    @staticmethod
    def label(weight: np.ndarray) -> np.ndarray:
        """``"hybrid"`` (weight 1), ``"ca"`` (weight 0) or ``"faded"`` per row."""
        w = np.asarray(weight, dtype=float)
        return np.where(w >= 1.0 - 1e-12, "hybrid", np.where(w <= 1e-12, "ca", "faded"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            **{
                f: list(getattr(self, f))
                for f in ("lo", "hi", "lo_core", "hi_core", "mean", "scale")
            },
            "precision": [list(r) for r in self.precision],
            "support": [list(r) for r in self.support],
            **{f: getattr(self, f) for f in ("d_core", "d_max", "k", "k_core", "k_max", "inner")},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TrustRegion:
        try:
            return cls(
                features=tuple(str(f) for f in d["features"]),
                lo=_t(d["lo"]),
                hi=_t(d["hi"]),
                lo_core=_t(d["lo_core"]),
                hi_core=_t(d["hi_core"]),
                mean=_t(d["mean"]),
                scale=_t(d["scale"]),
                precision=tuple(_t(r) for r in d["precision"]),
                d_core=float(d["d_core"]),
                d_max=float(d["d_max"]),
                support=tuple(_t(r) for r in d["support"]),
                k=int(d["k"]),
                k_core=float(d["k_core"]),
                k_max=float(d["k_max"]),
                inner=float(d["inner"]),
            )
        except KeyError as exc:
            raise InputError(f"{exc.args[0]}: missing in the trust region document") from None


__all__ = ["CORRECTIONS", "TrustRegion"]
