"""SPR over routes: P10/P50/P90 from calibrated residual quantiles, coverage on held-out days."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lastmile_core import spr
from lastmile_core.errors import InputError
from lastmile_core.spr.distribution import SPRDistribution, column, route_ratios

FIXTURE = Path(__file__).parent / "data" / "spr_routes.parquet"


def _days(obs: spr.Observations, suffix: str) -> spr.Observations:
    r = obs.routes[obs.routes["day"].str.endswith(suffix)].reset_index(drop=True)
    z = obs.zones[obs.zones["day"].str.endswith(suffix)].reset_index(drop=True)
    return spr.Observations(r, z)


@pytest.fixture(scope="module")
def split():
    obs = spr.Observations.read(FIXTURE)
    train, test = _days(obs, "-0"), _days(obs, "-1")
    model = spr.SPRModel.fit(train)
    return model, model.fit_distribution(train), train, test


def test_ratios_are_route_packages_over_predicted_spr(split):
    model, dist, train, _ = split
    r = route_ratios(model.params, train)
    assert len(r) == len(train.routes)
    np.testing.assert_allclose(r["ratio"], r["packages"] / r["spr_ca"])
    assert dist.ratios == tuple(sorted(r["ratio"]))
    assert dist.n_days == 8


def test_coverage_on_held_out_days(split):
    model, dist, _, test = split
    cov = dist.coverage(model.params, test)
    assert list(cov) == [0.1, 0.5, 0.9]
    for q, share in cov.items():  # 64 held-out routes: within 12 points of the level
        assert abs(share - q) <= 0.12, (q, share)
    assert cov[0.1] < cov[0.5] < cov[0.9]


def test_predict_distribution_columns(split):
    model, dist, _, _ = split
    zones = model.station_zones("s2").assign(packages=lambda z: 1100 * z["share"])
    sc = zones[["zone", "packages", "area_km2", "r_km"]]
    table = model.predict_distribution(sc, dist, station="s2", vans=["midvan"])
    plain = model.predict(sc, station="s2", vans=["midvan"])
    st = table["level"] == "station"
    q = dist.ratio_quantiles((0.1, 0.5, 0.9))
    for lev, f in zip((0.1, 0.5, 0.9), q, strict=True):
        np.testing.assert_allclose(table.loc[st, column(lev)], plain.loc[st, "spr"] * f)
        assert table.loc[~st, column(lev)].isna().all()
    assert (table.loc[st, "spr_p10"] <= table.loc[st, "spr_p50"]).all()
    assert (table.loc[st, "spr_p50"] <= table.loc[st, "spr_p90"]).all()
    t2 = model.predict_distribution(sc, dist, quantiles=(0.25, 0.975), station="s2")
    assert {"spr_p25", "spr_p97.5"} <= set(t2.columns)


def test_round_trip_and_bad_input(split):
    model, dist, train, _ = split
    assert SPRDistribution.from_dict(dist.to_dict()) == dist
    assert "method" in dist.to_dict()
    for bad in ((0.0, 0.5), (1.0,), (), (float("nan"),)):
        with pytest.raises(InputError, match="quantiles"):
            dist.ratio_quantiles(bad)
    with pytest.raises(InputError, match="ratios"):
        SPRDistribution.from_dict({"n_days": 1})
    few = spr.Observations(train.routes.iloc[:3], train.zones)
    with pytest.raises(InputError):
        SPRDistribution.fit(model.params, few)
