"""Bad inputs of ``lastmile fleet electrify`` from files, each a one-line error naming the field
(the issue's list: negative kW, a target share above 1, a station without a site row,
temperatures out of range, an unreachable scheduler), and the solver parameters of the plan."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from lastmile_core.cli import main
from lastmile_core.errors import InputError
from lastmile_core.fleet.electrify import plan_electrification
from lastmile_core.fleet.electrify_example import example_inputs
from lastmile_core.fleet.electrify_inputs import Network

from .test_fleet_electrify import NET, tiny


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("electrify")
    ex = example_inputs(routes_per_station=4)
    out = {}
    for name in ("forecast", "stations", "temperatures", "routes", "upgrades"):
        out[name] = d / f"{name}.csv"
        getattr(ex, name).to_csv(out[name], index=False)

    def variant(name: str, table: str, edit) -> None:  # type: ignore[no-untyped-def]
        out[name] = d / f"{name}.csv"
        edit(getattr(ex, table).copy()).to_csv(out[name], index=False)

    def set_cell(col: str, value: float):  # type: ignore[no-untyped-def]
        def edit(df):  # type: ignore[no-untyped-def]
            df.loc[2, col] = value
            return df

        return edit

    variant("neg_site_kw", "stations", set_cell("site_kw", -5.0))
    variant("neg_base_kw", "stations", set_cell("base_kw", -1.0))
    variant("no_site_row", "stations", lambda df: df[df["station"] != "solana-2"])
    variant("neg_upgrade", "upgrades", lambda df: df.assign(site_kw=-160.0))
    variant("too_hot", "temperatures", set_cell("temperature_c", 75.0))
    variant("too_cold", "temperatures", set_cell("temperature_c", -80.0))
    for name, cfg in (
        ("target_above_1", {"targets": {"2026-12": 1.5}}),
        ("neg_charger_kw", {"charger_types": [{"name": "ac", "kw": -11}]}),
        ("neg_ev_kw", {"ev_types": [{"name": "ev", "charge_kw": -11}]}),
        ("bad_solver_params", {"solver_params": "lp/no_such_param = 1"}),
    ):
        out[name] = d / f"{name}.json"
        out[name].write_text(json.dumps(cfg))
    return out


def _argv(f: dict[str, Path], **over: str) -> list[str]:
    tables = {k: str(f[over.get(k, k)]) for k in ("stations", "temperatures", "upgrades")}
    argv = ["fleet", "electrify", str(f["forecast"]), "--routes", str(f["routes"])]
    argv += ["--stations", tables["stations"], "--temperatures", tables["temperatures"]]
    argv += ["--upgrades", tables["upgrades"], "--out", str(f["forecast"].with_name("plan.csv"))]
    if "config" in over:
        argv += ["--config", str(f[over["config"]])]
    return argv


@pytest.mark.parametrize(
    ("over", "start"),
    [
        ({"stations": "neg_site_kw"}, "site_kw: stations row 2 must be >= 0, got -5.0"),
        ({"stations": "neg_base_kw"}, "base_kw: stations row 2 must be >= 0, got -1.0"),
        ({"upgrades": "neg_upgrade"}, "site_kw: upgrades row 0 must be >= 0"),
        ({"config": "neg_charger_kw"}, "kw: charger 'ac' must be > 0"),
        ({"config": "neg_ev_kw"}, "charge_kw: 'ev' must be > 0"),
        ({"config": "target_above_1"}, "targets: share 1.5 for 2026-12 is above 1"),
        ({"stations": "no_site_row"}, "station: forecast station 'solana-2' has no row"),
        ({"temperatures": "too_hot"}, "temperature_c: 75.0 C outside [-60, 60] (city "),
        ({"temperatures": "too_cold"}, "temperature_c: -80.0 C outside [-60, 60] (city "),
        ({"config": "bad_solver_params"}, "solver_params: SCIP refused"),
    ],
)
def test_bad_input_files_are_one_line_errors_naming_the_field(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str], over: dict[str, str], start: str
) -> None:
    assert main(_argv(files, **over)) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"lastmile: error: {start}"), lines


def test_unreachable_scheduler_is_named_once(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("distributed")
    assert main([*_argv(files), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lastmile: error: scheduler: "), lines
    assert lines[0].count("scheduler") == 1, lines  # not wrapped twice


def test_solver_params_reach_the_same_optimum() -> None:
    net = dataclasses.replace(NET, targets={"2026-02": 0.5, "2026-03": 0.75})
    base = plan_electrification(*tiny(), net)
    devex = plan_electrification(*tiny(), dataclasses.replace(net, solver_params="lp/pricing = d"))
    assert devex.status == base.status == "optimal"
    assert devex.cost == pytest.approx(base.cost)
    assert (devex.table["evs_active"] >= 4 * 0.5 - 1e-9).iloc[1:].all()
    with pytest.raises(InputError, match="^solver_params: SCIP refused"):
        plan_electrification(*tiny(), dataclasses.replace(net, solver_params="lp/nope = 1"))
    with pytest.raises(InputError, match="^solver_params"):
        Network(solver_params=3)  # type: ignore[arg-type]


def test_cli_site_kw_scale_scales_every_limit(
    files: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    import pandas as pd

    out = files["forecast"].with_name("plan.csv")
    assert main(_argv(files)) == 0
    full = pd.read_csv(out)
    assert main([*_argv(files), "--site-kw-scale", "0.5"]) == 0
    half = pd.read_csv(out)
    capsys.readouterr()
    assert half["site_kw"].to_numpy() == pytest.approx(0.5 * full["site_kw"].to_numpy())
    assert (half["peak_kw"] <= half["site_kw"] + 1e-6).all()
    assert (full["peak_kw"] <= full["site_kw"] + 1e-6).all()
