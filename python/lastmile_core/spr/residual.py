"""An ML correction of physics residuals, and the pure-ML baseline it is compared with.

:class:`ResidualCorrection` learns ``g(x) ~ log(y / ca)`` (``ca`` the physics prediction, ``y``
the observation) with scikit-learn's ``HistGradientBoostingRegressor`` (shallow trees, strong
L2, optional monotone constraints) and predicts

    ``y_hat = ca * exp(w(x) * alpha * g(x))``

* ``alpha`` in [0, 1], the shrinkage, minimises the out-of-fold mean absolute percentage error
  of the training rows (K-fold cross-validation over a grid including 0): a correction that
  does not beat the physics on unseen rows is shrunk to nothing (``alpha = 0`` is pure CA), so
  in range the result is never expected to be worse than the CA;
* the same cross-validation also weighs in the booster fitted on ``log y`` itself (the pure-ML
  model of :class:`DirectML`, monotone where physics says so), blended in log space with
  weight ``beta``: ``y_hat = ca * exp(w(x) (alpha g(x) + beta log(ml(x) / ca)))``, so
  ``beta = 1`` is pure ML inside the trusted range. Where the physics is the weak part (few features it ignores
  matter, e.g. real routes), ML alone can beat any correction of it; choosing the kind and the
  shrinkage on out-of-fold rows keeps the hybrid, in range, as good as the better of the CA and
  the ML (up to the noise of the folds), and out of range it is the CA either way;
* ``w(x)`` in [0, 1], the trust weight of :class:`~.trust.TrustRegion`: 1 in the dense core
  of the training features, fading smoothly across their thin edge to exactly 0 (pure CA) at
  and beyond the training range, where trees would extrapolate flat.

:class:`DirectML` is the pure-ML baseline (the same booster on ``log y`` directly, monotone
increasing in the features the physics says increase the target) used by tests and benches to
show what ML alone does out of range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import InputError
from .trust import TrustRegion

#: Shrinkage grid of :class:`ResidualCorrection`.
ALPHA_GRID: tuple[float, ...] = tuple(round(0.1 * i, 1) for i in range(11))

#: Weights of the pure-ML (direct) part of the correction scored by the cross-validation.
BETA_GRID: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75, 1.0)

#: Repeated K-fold cross-validations (different fold draws) averaged to choose the weights.
CV_REPEATS = 2

#: Fewer training rows than this: no correction (``alpha = 0``).
MIN_ROWS = 20


class _Booster:
    """``HistGradientBoostingRegressor`` run on one OpenMP thread (deterministic, and not
    oversubscribing shared machines: the default thread pool is many times slower under load)."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def fit(self, X: np.ndarray, y: np.ndarray) -> _Booster:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            self.model.fit(X, y)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            return np.asarray(self.model.predict(X), dtype=float)


def _booster(n: int, seed: int, monotone: Sequence[int] | None) -> _Booster:
    from sklearn.ensemble import HistGradientBoostingRegressor

    return _Booster(
        HistGradientBoostingRegressor(
            max_iter=150,
            learning_rate=0.05,
            max_depth=3,
            min_samples_leaf=max(5, n // 20),
            l2_regularization=1.0,
            monotonic_cst=list(monotone) if monotone is not None else None,
            random_state=seed,
        )
    )


def _check(X: np.ndarray, y: np.ndarray | None, ca: np.ndarray | None, n_feat: int) -> None:
    if X.ndim != 2 or X.shape[1] != n_feat:
        raise InputError(f"features: expected {n_feat} columns, got shape {X.shape}")
    if not np.isfinite(X).all():
        i = int(np.flatnonzero(~np.isfinite(X).all(axis=1))[0])
        raise InputError(f"features: non-finite value in row {i}")
    for name, v in (("target", y), ("ca", ca)):
        if v is None:
            continue
        bad = ~(np.isfinite(v) & (v > 0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(f"{name}: must be finite and > 0, got {v[i]!r} in row {i}")


def _mape(y: np.ndarray, yhat: np.ndarray) -> float:
    return float(np.mean(np.abs(yhat - y) / y))


@dataclass(frozen=True)
class ResidualCorrection:
    """A fitted residual correction (see the module docstring); build with :meth:`fit`.

    The log correction is ``alpha * g(x) + beta * (d(x) - log ca)``, ``g`` the booster on
    ``log(y / ca)`` (``booster``), ``d`` the booster on ``log y`` (``booster_direct``, the
    pure-ML model); ``alpha`` (the residual shrinkage) and ``beta`` (the weight of the pure
    ML, ``alpha + beta <= 1``) minimise the repeated out-of-fold MAPE on the training rows:
    ``cv_mape`` per ``alpha`` at ``beta = 0`` (the residual correction alone), ``cv_grid`` per
    ``(alpha, beta)``. ``kind``: ``"residual"`` (``beta = 0``), ``"direct"`` (``alpha = 0 <
    beta``) or ``"blend"``. ``trust`` the feature range; a booster is None when its weight is
    0."""

    features: tuple[str, ...]
    alpha: float
    cv_mape: dict[float, float]
    trust: TrustRegion
    booster: Any
    n_train: int
    beta: float = 0.0
    booster_direct: Any = None
    cv_grid: dict[tuple[float, float], float] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """``"residual"``, ``"direct"`` or ``"blend"`` (see the class docstring)."""
        if self.beta == 0.0:
            return "residual"
        return "direct" if self.alpha == 0.0 else "blend"

    @classmethod
    def fit(
        cls,
        X: np.ndarray,
        ca: np.ndarray,
        y: np.ndarray,
        features: Sequence[str],
        *,
        folds: int = 5,
        seed: int = 0,
        inner: float = 0.98,
        monotone: Sequence[int] | None = None,
        direct: bool = True,
        direct_monotone: Sequence[int] | None = None,
        repeats: int = CV_REPEATS,
    ) -> ResidualCorrection:
        """Fit on features ``X``, physics predictions ``ca`` and observations ``y`` (see the
        class docstring); ``monotone`` constrains the residual booster, ``direct_monotone`` the
        direct one (scored only with ``direct``); ``repeats`` K-fold cross-validations with
        different fold draws are averaged. Deterministic for a given ``seed``."""
        X = np.asarray(X, dtype=float)
        ca = np.asarray(ca, dtype=float)
        y = np.asarray(y, dtype=float)
        _check(X, y, ca, len(features))
        if not len(y) == len(ca) == len(X):
            raise InputError("target: features, ca and target must have the same length")
        trust = TrustRegion.fit(X, features, inner)
        n = len(y)
        t = np.log(y / ca)
        if n < MIN_ROWS:
            cv = {a: _mape(y, ca) if a == 0.0 else float("nan") for a in ALPHA_GRID}
            return cls(tuple(features), 0.0, cv, trust, None, n)
        k = max(2, min(folds, n // 5))
        betas = BETA_GRID if direct else (0.0,)
        grid = [(a, b) for b in betas for a in ALPHA_GRID if a + b <= 1.0 + 1e-9]
        score = dict.fromkeys(grid, 0.0)
        for rep in range(max(1, int(repeats))):
            order = np.random.default_rng(seed + rep).permutation(n)
            oof, oof_d = np.zeros(n), np.zeros(n)
            for f in range(k):
                test = order[f::k]
                train = np.setdiff1d(order, test)
                b = _booster(len(train), seed, monotone).fit(X[train], t[train])
                oof[test] = b.predict(X[test])
                if direct:
                    d = _booster(len(train), seed, direct_monotone).fit(X[train], np.log(y[train]))
                    oof_d[test] = d.predict(X[test]) - np.log(ca[test])
            for a, bb in grid:
                score[(a, bb)] += _mape(y, ca * np.exp(a * oof + bb * oof_d)) / max(1, repeats)
        alpha, beta = min(grid, key=lambda ab: (score[ab], ab[1], ab[0]))
        booster = _booster(n, seed, monotone).fit(X, t) if alpha > 0 else None
        booster_d = _booster(n, seed, direct_monotone).fit(X, np.log(y)) if beta > 0 else None
        cv = {a: score[(a, 0.0)] for a in ALPHA_GRID}
        return cls(
            tuple(features), float(alpha), cv, trust, booster, n, float(beta), booster_d, score
        )

    def log_correction(self, X: np.ndarray, ca: np.ndarray | None = None) -> np.ndarray:
        """``alpha * g(x) + beta * (d(x) - log ca)`` before the trust weight (``ca`` needed
        when ``beta > 0``)."""
        X = np.asarray(X, dtype=float)
        _check(X, None, None, len(self.features))
        out = np.zeros(len(X))
        if self.booster is not None:
            out += self.alpha * np.asarray(self.booster.predict(X))
        if self.booster_direct is not None:
            if ca is None:
                raise InputError("ca: the direct (pure-ML) part needs the physics predictions")
            c = np.asarray(ca, dtype=float)
            _check(X, None, c, len(self.features))
            out += self.beta * (np.asarray(self.booster_direct.predict(X)) - np.log(c))
        return out

    def predict(self, X: np.ndarray, ca: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(corrected prediction, trust weight, label ``hybrid``/``faded``/``ca``) per row.

        With ``alpha == beta == 0`` every row is labelled ``"ca"`` and its weight is 0."""
        X = np.asarray(X, dtype=float)
        ca = np.asarray(ca, dtype=float)
        g = self.log_correction(X, ca)
        on = self.alpha > 0 or self.beta > 0
        w = self.trust.weight(X) if on else np.zeros(len(X))
        return ca * np.exp(w * g), w, TrustRegion.label(w)


@dataclass(frozen=True)
class DirectML:
    """Pure-ML baseline: the booster of :class:`ResidualCorrection` on ``log y`` (no physics)."""

    features: tuple[str, ...]
    booster: Any

    @classmethod
    def fit(
        cls,
        X: np.ndarray,
        y: np.ndarray,
        features: Sequence[str],
        *,
        seed: int = 0,
        monotone: Sequence[int] | None = None,
    ) -> DirectML:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        _check(X, y, None, len(features))
        return cls(tuple(features), _booster(len(y), seed, monotone).fit(X, np.log(y)))

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        _check(X, None, None, len(self.features))
        return np.asarray(np.exp(self.booster.predict(X)))


__all__ = [
    "ALPHA_GRID",
    "BETA_GRID",
    "CV_REPEATS",
    "MIN_ROWS",
    "DirectML",
    "ResidualCorrection",
]
