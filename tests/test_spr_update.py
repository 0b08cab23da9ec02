"""Monthly re-calibration: rolling-window refit, drift report, ``lastmile spr update``."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import spr
from lastmile_core.cli import main
from lastmile_core.errors import InputError
from lastmile_core.spr.update import DRIFT_COLUMNS, flatten, rolling_window

FIXTURE = Path(__file__).parent / "data" / "spr_routes.parquet"


def _days(obs: spr.Observations, suffix: str) -> spr.Observations:
    r = obs.routes[obs.routes["day"].str.endswith(suffix)].reset_index(drop=True)
    z = obs.zones[obs.zones["day"].str.endswith(suffix)].reset_index(drop=True)
    return spr.Observations(r, z)


@pytest.fixture(scope="module")
def months():
    obs = spr.Observations.read(FIXTURE)
    old, new = _days(obs, "-0"), _days(obs, "-1")
    return spr.SPRModel.fit(old), old, new


def test_update_is_a_refit_on_the_window(months):
    model, old, new = months
    updated, drift = model.update(new)
    direct = spr.SPRModel.fit(new)
    assert updated.to_dict() == direct.to_dict()
    assert list(drift.columns) == list(DRIFT_COLUMNS)
    assert set(drift["parameter"]) == set(flatten(model.params)) | set(flatten(updated.params))
    both = drift[drift["status"] == "both"].set_index("parameter")
    prev, cur = flatten(model.params), flatten(updated.params)
    for name in ("coef.global.distance.kc", "utilisation.packages", "rho.global"):
        assert both.loc[name, "previous"] == prev[name]
        assert both.loc[name, "new"] == cur[name]
        assert both.loc[name, "change"] == pytest.approx(cur[name] - prev[name])
    # window: history + new, the last 2 day labels in order of appearance = the new month
    windowed, _ = model.update(new, history=old, window=2)
    assert windowed.to_dict() == direct.to_dict()
    both_months, _ = model.update(new, history=old)
    assert both_months.to_dict() == spr.SPRModel.fit(spr.Observations.concat([old, new])).to_dict()


def test_same_data_flags_nothing(months):
    model, old, _ = months
    same, drift = model.update(old)
    assert same.to_dict() == model.to_dict()
    assert not drift["flagged"].any()
    assert (drift.loc[drift["status"] == "both", "change"].fillna(0.0) == 0.0).all()


def test_drift_flags_longer_routes(months):
    model, old, _ = months
    routes = old.routes.copy()
    routes["distance_km"] *= 1.15  # roads 15 % longer (a detour, a new bridge closed)
    _, drift = model.update(spr.Observations(routes, old.zones))
    d = drift.set_index("parameter")
    for n in ("coef.global.distance.c_lh", "coef.global.distance.kc"):
        assert d.loc[n, "flagged"], d.loc[n]
        assert d.loc[n, "rel_change"] == pytest.approx(0.15, rel=1e-6)
        assert math.isfinite(d.loc[n, "se"]) and d.loc[n, "rule"].endswith("se")
    assert not d.loc["coef.global.service.a", "flagged"]
    assert not d.loc["rho.global", "flagged"]


def test_added_station_is_flagged(months):
    model, old, new = months
    r, z = new.routes.copy(), new.zones.copy()
    r.loc[r["station"] == "s2", "station"] = "s9"
    z.loc[z["station"] == "s2", "station"] = "s9"
    _, drift = model.update(spr.Observations(r, z))
    added = drift[drift["status"] == "added"]
    removed = drift[drift["status"] == "removed"]
    assert added["parameter"].str.contains("s9").all() and len(added) > 0
    assert removed["parameter"].str.contains("s2").all() and len(removed) > 0
    assert added["flagged"].all() and removed["flagged"].all()


def test_rolling_window_orders_iso_dates():
    days = ["2024-03-02", "2024-01-15", "2024-02-01"]
    routes = pd.DataFrame({"day": days, "x": [1, 2, 3]})
    zones = pd.DataFrame({c: [] for c in spr.ZONE_COLUMNS})
    zones = pd.concat([zones, pd.DataFrame({"day": days})], ignore_index=True)
    w = rolling_window(spr.Observations(routes, zones), 2)
    assert sorted(w.routes["day"]) == ["2024-02-01", "2024-03-02"]
    with pytest.raises(InputError, match="window"):
        rolling_window(spr.Observations(routes, zones), 0)


def test_cli_update(months, tmp_path, capsys):
    model, old, new = months
    mj = tmp_path / "old.json"
    model.to_json(mj)
    new_path, _ = new.write(tmp_path / "june.parquet")
    hist_path, _ = old.write(tmp_path / "may.parquet")
    out, drift_csv = tmp_path / "new.json", tmp_path / "drift.csv"
    args = ["spr", "update", str(mj), str(new_path), "-o", str(out), "--drift", str(drift_csv)]
    assert main([*args, "--history", str(hist_path), "--window", "2"]) == 0
    printed = capsys.readouterr().out
    assert "parameters flagged" in printed
    drift = pd.read_csv(drift_csv)
    assert list(drift.columns) == list(DRIFT_COLUMNS)
    api_model, api_drift = model.update(new, history=old, window=2)
    assert spr.SPRModel.from_json(out).to_dict() == api_model.to_dict()
    np.testing.assert_allclose(
        drift["new"].to_numpy(float), api_drift["new"].to_numpy(float), equal_nan=True
    )
    assert f"{int(api_drift['flagged'].sum())} of {len(api_drift)}" in printed


@pytest.mark.parametrize(
    "extra, needle",
    [
        (["--window", "0"], "window"),
        (["--history", "missing.parquet"], "history"),
    ],
)
def test_cli_update_bad_input(months, tmp_path, capsys, extra, needle):
    model, _, new = months
    mj = tmp_path / "old.json"
    model.to_json(mj)
    new_path, _ = new.write(tmp_path / "june.parquet")
    rc = main(["spr", "update", str(mj), str(new_path), "-o", str(tmp_path / "n.json"), *extra])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and err.startswith("lastmile: error:") and needle in err


def test_cli_update_bad_files(months, tmp_path, capsys):
    model, _, new = months
    new_path, _ = new.write(tmp_path / "june.parquet")
    not_model = tmp_path / "x.json"
    not_model.write_text('{"a": 1}')
    for argv, needle in (
        ([str(tmp_path / "none.json"), str(new_path)], "does not exist"),
        ([str(not_model), str(new_path)], "not an SPRModel"),
        ([str(not_model.with_name("old.json")), str(tmp_path / "no.csv")], "does not exist"),
    ):
        if "old.json" in argv[0]:
            model.to_json(argv[0])
        rc = main(["spr", "update", *argv, "-o", str(tmp_path / "n.json")])
        err = capsys.readouterr().err
        assert rc == 2 and err.count("\n") == 1 and needle in err, err
