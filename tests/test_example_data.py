"""`lastmile example-data DIR`: a consistent sample of every input format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from lastmile_core import cli, io
from lastmile_core.errors import InputError
from lastmile_core.example_data import STATION, write_example_data


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_example_data(tmp_path_factory.mktemp("sample"), days=2)


def test_files_name_the_same_station(sample: dict[str, Path]) -> None:
    """stops, routes, scenario and forecast all describe one station."""
    inst = io.read_stops(sample["stops"])
    assert inst.metadata["station"] == STATION and inst.name == STATION
    scenario = yaml.safe_load(sample["scenario"].read_text())
    assert scenario["station"] == STATION
    zones = {z["zone"] for z in scenario["zones"]}
    assert zones <= set(inst.zone_names)
    assert sum(z["packages"] for z in scenario["zones"]) == pytest.approx(
        inst.data.demand[1:, 0].sum()
    )
    forecast = pd.read_csv(sample["forecast"])
    assert set(forecast["station"]) == {STATION}
    assert {"month", "packages_per_day"} <= set(forecast.columns)
    assert forecast["packages_per_day"].is_monotonic_increasing


def test_real_routes_flag_depots_and_cover_every_stop(sample: dict[str, Path]) -> None:
    """Each route starts and ends with a flagged depot row; each day visits its stops once."""
    routes = pd.read_csv(sample["real_routes"])
    assert routes["day"].nunique() == 2
    for _, g in routes.groupby("route_id"):
        g = g.sort_values("seq")
        assert g["is_depot"].tolist()[0] and g["is_depot"].tolist()[-1]
        assert not g["is_depot"].iloc[1:-1].any()
    for _, g in routes[~routes["is_depot"]].groupby("day"):
        assert g["node"].is_unique


def test_same_seed_same_files(sample: dict[str, Path], tmp_path: Path) -> None:
    again = write_example_data(tmp_path, days=2)
    for name, path in sample.items():
        assert path.read_bytes() == again[name].read_bytes(), name


def test_cli_writes_the_sample_and_rejects_bad_values(tmp_path: Path, capsys) -> None:
    assert cli.main(["example-data", str(tmp_path / "d")]) == 0
    out = capsys.readouterr().out
    for name in (
        "stops.csv",
        "real_routes.csv",
        "scenario.yaml",
        "forecast.csv",
        "stations.csv",
        "temperatures.csv",
        "ev_routes.csv",
        "network.json",
    ):
        assert (tmp_path / "d" / name).is_file() and name in out
    with pytest.raises(InputError, match="^days"):
        write_example_data(tmp_path, days=0)
