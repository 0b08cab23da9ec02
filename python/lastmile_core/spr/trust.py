"""Where an ML correction may be trusted: the range of its training features.

:class:`TrustRegion` measures how far a feature vector lies outside the training data with two
checks and turns it into a weight in [0, 1]:

* box: per feature, the excess beyond the training ``[min, max]`` in units of the range width,
  ``e_box = max_j max(0, (x_j - max_j) / w_j, (min_j - x_j) / w_j)``;
* Mahalanobis: ``d(x) = sqrt((x - m)' S^-1 (x - m))`` on the standardised features (``S`` the
  training correlation, ridge-regularised), excess ``e_mah = max(0, d(x) / d_max - 1)`` with
  ``d_max`` the largest training distance (a combination of individually in-range features
  that the training data never showed, e.g. many stops far away, is caught here);
* support: the mean distance ``k(x)`` to the ``k`` nearest training rows (standardised
  features), excess ``e_knn = max(0, k(x) / k_ref - 1)`` with ``k_ref`` the 95th percentile of
  the same distance over the training rows (leave-one-out): the sparse tails and holes of the
  training data, where a tree's leaf rests on a handful of rows, are not trusted either.

With ``e = max(e_box, e_mah, e_knn)``, the weight is 1 for ``e = 0`` (inside), 0 for ``e >= fade``
and a raised cosine ``(1 + cos(pi e / fade)) / 2`` in between, so predictions move smoothly
from the corrected value to the pure physics one.
"""

from __future__ import annotations

import math
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


@dataclass(frozen=True)
class TrustRegion:
    """Training range of features (see the module docstring); build with :meth:`fit`."""

    features: tuple[str, ...]
    lo: tuple[float, ...]
    hi: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    precision: tuple[tuple[float, ...], ...]
    d_max: float
    fade: float = 0.25
    support: tuple[tuple[float, ...], ...] = ()
    k: int = 10
    k_ref: float = 0.0

    @classmethod
    def fit(cls, X: np.ndarray, features: Sequence[str], fade: float = 0.25) -> TrustRegion:
        """The region of the rows of ``X`` (n x len(features), finite)."""
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != len(features) or X.shape[0] < 2:
            raise InputError(f"features: need at least 2 rows of {len(features)} features")
        if not np.isfinite(X).all():
            raise InputError("features: non-finite training feature value")
        if not (fade > 0 and math.isfinite(fade)):
            raise InputError(f"fade: must be > 0, got {fade!r}")
        lo, hi = X.min(axis=0), X.max(axis=0)
        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        Z = (X - mean) / scale
        corr = (Z.T @ Z) / len(Z)
        prec = np.linalg.inv(corr + 1e-3 * np.eye(len(features)))
        d = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", Z, prec, Z), 0.0))
        k = int(min(10, len(Z) - 1))
        loo = _knn_mean(Z, Z, k + 1) * (k + 1) / k  # the row itself is its own 0-distance
        return cls(
            features=tuple(features),
            lo=tuple(float(v) for v in lo),
            hi=tuple(float(v) for v in hi),
            mean=tuple(float(v) for v in mean),
            scale=tuple(float(v) for v in scale),
            precision=tuple(tuple(float(v) for v in row) for row in prec),
            d_max=float(max(d.max(), 1e-9)),
            fade=float(fade),
            support=tuple(tuple(float(v) for v in row) for row in Z),
            k=k,
            k_ref=float(max(np.quantile(loo, 0.95), 1e-9)),
        )

    def excess(self, X: np.ndarray) -> np.ndarray:
        """``max(e_box, e_mah)`` per row (0 inside the training range)."""
        X = np.atleast_2d(np.asarray(X, dtype=float))
        if X.shape[1] != len(self.features):
            raise InputError(f"features: expected {len(self.features)} columns, got {X.shape[1]}")
        lo, hi = np.array(self.lo), np.array(self.hi)
        width = np.where(hi > lo, hi - lo, np.maximum(np.abs(hi), 1.0) * 1e-3)
        e_box = np.maximum((X - hi) / width, (lo - X) / width).clip(min=0.0).max(axis=1)
        Z = (X - np.array(self.mean)) / np.array(self.scale)
        d = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", Z, np.array(self.precision), Z), 0.0))
        e_mah = np.maximum(d / self.d_max - 1.0, 0.0)
        e = np.maximum(e_box, e_mah)
        if self.support and self.k_ref > 0:
            knn = _knn_mean(np.array(self.support), Z, self.k)
            e = np.maximum(e, np.maximum(knn / self.k_ref - 1.0, 0.0))
        return np.where(np.isfinite(e), e, np.inf)

    def weight(self, X: np.ndarray) -> np.ndarray:
        """Trust weight per row in [0, 1] (raised-cosine fade of :meth:`excess`)."""
        e = self.excess(X)
        t = np.clip(e / self.fade, 0.0, 1.0)
        return np.asarray(0.5 * (1.0 + np.cos(np.pi * t)))

    @staticmethod
    def label(weight: np.ndarray) -> np.ndarray:
        """``"hybrid"`` (weight 1), ``"ca"`` (weight 0) or ``"faded"`` per row."""
        w = np.asarray(weight, dtype=float)
        return np.where(w >= 1.0 - 1e-12, "hybrid", np.where(w <= 1e-12, "ca", "faded"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "lo": list(self.lo),
            "hi": list(self.hi),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "precision": [list(r) for r in self.precision],
            "d_max": self.d_max,
            "fade": self.fade,
            "support": [list(r) for r in self.support],
            "k": self.k,
            "k_ref": self.k_ref,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> TrustRegion:
        try:
            return cls(
                features=tuple(str(f) for f in d["features"]),
                lo=tuple(float(v) for v in d["lo"]),
                hi=tuple(float(v) for v in d["hi"]),
                mean=tuple(float(v) for v in d["mean"]),
                scale=tuple(float(v) for v in d["scale"]),
                precision=tuple(tuple(float(v) for v in r) for r in d["precision"]),
                d_max=float(d["d_max"]),
                fade=float(d["fade"]),
                support=tuple(tuple(float(v) for v in r) for r in d.get("support", ())),
                k=int(d.get("k", 10)),
                k_ref=float(d.get("k_ref", 0.0)),
            )
        except KeyError as exc:
            raise InputError(f"{exc.args[0]}: missing in the trust region document") from None


__all__ = ["CORRECTIONS", "TrustRegion"]
