"""Nonnegative route components of the SPR fit (spr/fit_nonneg.py).

On a 3-day sample (one station, 300 packages a day, two routes a day) ordinary least squares gives
a negative line-haul distance and driving term; the fitted model must not."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from lastmile_core import spr
from lastmile_core.spr.fit_nonneg import nnls, nonneg_shrunk_lstsq
from lastmile_core.spr.fit_routes import fit_routes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "quality"))


@pytest.fixture(scope="module")
def three_days() -> spr.Observations:
    from spr_data import observe_day

    return spr.Observations.concat(
        observe_day(8, 300, d, "midvan", 1.0, "fallback") for d in range(3)
    )


def test_three_day_sample_reproduces_negative_least_squares(three_days: spr.Observations) -> None:
    coef, _ = fit_routes(three_days.routes, 20.0)
    assert coef["global"]["distance"][0] < 0  # the defect: negative line-haul circuity
    assert coef["global"]["driving"][0] < 0  # ... and negative line-haul seconds per km


def test_three_day_fit_has_nonnegative_components(three_days: spr.Observations) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = spr.SPRModel.fit(three_days)
    p = model.params
    assert {"global", "city:synthetic", "station:synthetic/s8"} <= set(p.coef)
    for level, comps in p.coef.items():
        for comp, values in comps.items():
            assert all(v >= 0.0 for v in values), (level, comp, values)
    s = model.summary()
    assert s["linehaul_circuity"] >= 0 and s["k_times_circuity"] > 0
    assert s["linehaul_speed_kmh"] > 0 and s["local_speed_kmh"] > 0
    # the constrained fit is still a fit: route km within 10 % on the sample
    pred = model.params.coef["station:synthetic/s8"]["distance"]
    r = three_days.routes
    km = pred[0] * 2 * r["r_km"] + pred[1] * r["local_x"]
    assert float(np.mean(np.abs(km - r["distance_km"]) / r["distance_km"])) < 0.10


def test_nnls_matches_the_kkt_conditions() -> None:
    rng = np.random.default_rng(3)
    for _ in range(50):
        A = rng.normal(size=(12, 4))
        b = rng.normal(size=12)
        x = nnls(A, b)
        g = A.T @ (A @ x - b)  # gradient of 0.5 ||Ax - b||^2
        assert (x >= 0).all()
        assert np.all(g >= -1e-8)  # no descent direction into the feasible set
        assert np.allclose(g[x > 0], 0.0, atol=1e-8)  # stationary on the free coordinates


def test_nnls_agrees_with_scipy() -> None:
    optimize = pytest.importorskip("scipy.optimize")
    rng = np.random.default_rng(5)
    for _ in range(20):
        A = rng.normal(size=(9, 3))
        b = rng.normal(size=9)
        assert np.allclose(nnls(A, b), optimize.nnls(A, b)[0], atol=1e-9)


def test_nonnegative_solution_is_the_least_squares_one() -> None:
    rng = np.random.default_rng(1)
    X = rng.uniform(1, 5, size=(30, 2))
    y = X @ np.array([1.3, 0.9]) + rng.normal(0, 0.05, size=30)
    prior = np.array([1.0, 1.0])
    from lastmile_core.spr.fit_routes import shrunk_lstsq

    for pr, kappa in ((None, 0.0), (prior, 20.0)):
        assert np.array_equal(nonneg_shrunk_lstsq(X, y, pr, kappa), shrunk_lstsq(X, y, pr, kappa))


def test_shrunk_nonnegative_fit_is_the_constrained_optimum() -> None:
    rng = np.random.default_rng(2)
    X = rng.uniform(1, 5, size=(6, 2))
    y = X @ np.array([-0.5, 2.0]) + rng.normal(0, 0.05, size=6)
    prior = np.array([0.2, 1.5])
    kappa = 3.0
    t = nonneg_shrunk_lstsq(X, y, prior, kappa)
    assert (t >= 0).all() and t[0] == 0.0

    def obj(c: np.ndarray) -> float:
        d = np.diag(X.T @ X) / len(y)
        return float(np.sum((y - X @ c) ** 2) + kappa * np.sum(d * (c - prior) ** 2))

    grid = [np.array([a, b]) for a in np.linspace(0, 2, 81) for b in np.linspace(0, 4, 161)]
    assert obj(t) <= min(obj(c) for c in grid) + 1e-9
