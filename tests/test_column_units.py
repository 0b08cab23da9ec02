"""Column names say their unit and period (issue 13): every numeric column of every table the
command line writes ends in a unit or a ``per_`` period, or is named in an explicit list of
dimensionless columns (counts, ids, shares, flags; and lon/lat, degrees by convention)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import cli
from lastmile_core.metrics import OLD_NAMES, batch_metrics

#: Unit suffixes (``_km``, ``_s``, ...) and their bare forms.
UNITS = ("km", "km2", "m", "s", "h", "kg", "l", "kw", "kwh", "kmh", "c", "unit", "unit2")
_UNIT = re.compile(rf"(^|_)({'|'.join(UNITS)})$|_per_[a-z0-9_]+$|^(spr)$")

#: Dimensionless columns: counts, ids, shares, flags, ratios.
COUNTS = {
    "n_stops", "packages", "stops", "vans", "evs", "evs_active", "evs_bought", "combustion",
    "chargers", "chargers_installed", "parking", "vans_need", "vans_mix", "vans_mean",
    "vans_p50", "vans_p90", "load_packages", "capacity_packages", "zones",
}  # fmt: skip
IDS = {"route", "route_id", "seq", "node", "month"}
SHARES = {"min_soc", "end_soc", "ev_share", "fit_share", "no_fit_share", "ev_fit_share"}
#: Ratios: road km per straight-line km, a factor on driving speeds.
RATIOS = {"circuity", "speed_factor"}
FLAGS = {"energy_ok", "payload_ok", "feasible", "is_depot", "flagged"}
#: Longitude and latitude: degrees, by the names' own convention.
COORDINATES = {"lon", "lat"}
#: Text columns (read back as all-NaN floats when every row is empty).
TEXT = {"binding", "binding_alone", "station_binding", "no_fit_cause", "tight"}
#: Per-type counts and shares: ``vans_<van type>``, ``evs_<ev type>``, ``chargers_<charger
#: type>``, load factors.
PREFIXES = ("vans_", "evs_", "evs_active_", "chargers_", "load_factor_")
DIMENSIONLESS = COUNTS | IDS | SHARES | RATIOS | FLAGS | TEXT | COORDINATES
#: spr update's drift table: one row per model parameter, each value in that parameter's unit.
DRIFT_VALUES = {"previous", "new", "change", "rel_change", "se"}


def unitless(frame: pd.DataFrame, extra: set[str] = frozenset()) -> list[str]:
    """The numeric columns whose name has neither a unit nor a place in the lists above."""
    bad = []
    for name in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[name]) or frame[name].dtype == bool:
            continue
        if name in DIMENSIONLESS or name in extra or _UNIT.search(name):
            continue
        if name.startswith(PREFIXES) and name not in OLD_NAMES:
            continue
        bad.append(name)
    return bad


def test_the_rule_rejects_the_old_names() -> None:
    """The check is not vacuous: the names before this rule fail it."""
    old = pd.DataFrame(
        {n: [1.0] for n in (*OLD_NAMES, "stop_density", "spend", "limit_volume", "n_stops")}
    )
    assert unitless(old) == [*OLD_NAMES, "stop_density", "spend", "limit_volume"]


def test_route_metrics_frame_names_geographic_and_planar_units() -> None:
    """The API table says km when geographic and coordinate units when planar; the old
    attribute names still read, with a DeprecationWarning."""
    x, y = [13.40, 13.41, 13.42], [52.50, 52.51, 52.50]
    geo = batch_metrics(x, y, [0, 3], (13.39, 52.49), geographic=True)
    frame = geo.to_frame()
    assert {"total_km", "line_haul_km", "hull_area_km2", "mean_inter_stop_km"} <= set(frame)
    assert unitless(frame) == []
    planar = batch_metrics([0.0, 3.0, 3.0], [0.0, 0.0, 4.0], [0, 3], (0.0, 0.0)).to_frame()
    assert {"total_unit", "hull_area_unit2", "stops_per_unit2"} <= set(planar)
    assert not any("km" in c for c in planar.columns if c != "service_time_s")
    assert planar["total_unit"].iloc[0] == pytest.approx(3 + 4 + 5)
    with pytest.warns(DeprecationWarning, match="total_km"):
        np.testing.assert_array_equal(geo.total_distance, geo.total_km)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README chain, run in-process on the example data (small budgets)."""
    d = tmp_path_factory.mktemp("units")
    s = str(d)
    steps = [
        ["example-data", s],
        ["solve", f"{s}/stops.csv", "--time-limit", "0.5", "--out", f"{s}/routes.parquet"],
        ["metrics", f"{s}/routes.parquet", "--out", f"{s}/metrics.csv"],
        ["energy", f"{s}/routes.parquet", "--vehicle", "small_van", "--out", f"{s}/energy.csv"],
        ["spr", "fit", f"{s}/real_routes.csv", "-o", f"{s}/model.json"],
        ["spr", "predict", f"{s}/model.json", f"{s}/scenario.yaml", "--out", f"{s}/pred.csv"],
        ["spr", "update", f"{s}/model.json", f"{s}/routes.parquet", "-o", f"{s}/m2.json",
         "--drift", f"{s}/drift.csv"],
        ["fleet", "plan", f"{s}/forecast.csv", "--model", f"{s}/model.json", "--backend",
         "serial", "--out", f"{s}/plan.csv"],
        ["fleet", "electrify", f"{s}/plan.csv", "--stations", f"{s}/stations.csv",
         "--temperatures", f"{s}/temperatures.csv", "--routes", f"{s}/ev_routes.csv",
         "--config", f"{s}/network.json", "--out", f"{s}/ev_plan.csv"],
        ["plan", "--example", "--packages", "300", "--days", "2", "--time-limit", "0.5",
         "--draws", "3", "--out-dir", f"{s}/plan"],
    ]  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for argv in steps:
            assert cli.main(argv) == 0, argv
    stops = pd.read_csv(d / "stops.csv")
    planar = stops[~stops["is_depot"]].assign(route_id=lambda t: np.arange(len(t)) // 20)
    planar = planar.assign(x=planar["lon"] * 70.0, y=planar["lat"] * 111.0)
    planar.to_csv(d / "planar.csv", index=False)
    argv = ["metrics", f"{s}/planar.csv", "--x", "x", "--y", "y", "--order", ""]
    assert cli.main([*argv, "--depot", "0,0", "--out", f"{s}/metrics_planar.csv"]) == 0
    return d


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "routes.parquet",
        "metrics.csv",
        "metrics_planar.csv",
        "energy.csv",
        "pred.csv",
        "drift.csv",
        "plan.csv",
        "ev_plan.csv",
        "plan/route_metrics.csv",
        "plan/fleet_plan.csv",
        "plan/energy_-7C.csv",
        "plan/energy_+20C.csv",
        "plan/energy_+35C.csv",
    ],
)
def test_every_numeric_output_column_has_a_unit(outputs: Path, name: str) -> None:
    path = outputs / name
    frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    assert len(frame) > 0
    assert unitless(frame, DRIFT_VALUES if name == "drift.csv" else set()) == []


@pytest.mark.slow
def test_prediction_output_names_the_day(outputs: Path) -> None:
    """spr predict's file: per-day totals and stops per km2 (not `stop_density`)."""
    pred = pd.read_csv(outputs / "pred.csv")
    assert {"packages_per_day", "routes_per_day", "km_per_day", "stops_per_km2"} <= set(pred)
    assert not {"packages", "stop_density", "km", "limit_time"} & set(pred)
    station = pred[pred["level"] == "station"]
    assert (station["packages_per_day"] > 0).all() and (station["routes_per_day"] >= 1).all()
