"""The lastmile command line, run in-process on small examples."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lastmile_core import cli, examples, io, solve


def test_solve_example_prints_summary_and_writes_routes(tmp_path, capsys):
    """`lastmile solve --example` reports a feasible solution and writes GeoJSON."""
    out = tmp_path / "routes.geojson"
    rc = cli.main(
        [
            "solve",
            "--example",
            "--packages",
            "200",
            "--time-limit",
            "0.5",
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert rc == 0
    text = capsys.readouterr().out
    assert "check         feasible" in text
    doc = json.loads(out.read_text())
    assert doc["type"] == "FeatureCollection" and doc["features"]


def test_solve_reports_input_errors_cleanly(tmp_path, capsys):
    """A malformed file gives exit code 2 and a message, not a traceback."""
    bad = tmp_path / "bad.vrp"
    bad.write_text("NAME : bad\nTYPE : CVRP\nDIMENSION : x\n")
    assert cli.main(["solve", str(bad), "--time-limit", "0.2", "--no-progress"]) == 2
    assert "error" in capsys.readouterr().err


def test_energy_command_prints_per_route_table(capsys):
    """`lastmile energy --example` prints kWh and SoC per route."""
    assert (
        cli.main(
            ["energy", "--example", "--packages", "200", "--time-limit", "0.5", "--ambient-c", "-7"]
        )
        == 0
    )
    assert "min_soc" in capsys.readouterr().out


def test_metrics_command_reads_table_and_writes_parquet(tmp_path):
    """`lastmile metrics routes.csv --out m.parquet` writes one row per route."""
    inst = examples.station(seed=4, n_packages=150)
    res = solve(inst, time_limit=0.5)
    table = io.routes_table(inst, res.solution)
    table = table[table["node"] != 0]
    src = tmp_path / "routes.csv"
    table.to_csv(src, index=False)
    dst = tmp_path / "m.parquet"
    depot = inst.data.coords[0]
    rc = cli.main(
        [
            "metrics",
            str(src),
            "--out",
            str(dst),
            "--route",
            "route_id",
            "--packages",
            "packages",
            "--depot",
            f"{depot[0]},{depot[1]}",
        ]
    )
    assert rc == 0
    frame = pd.read_parquet(dst)
    assert len(frame) == res.solution.num_routes
    assert frame["n_stops"].sum() == inst.num_clients


@pytest.mark.slow
def test_plan_example_runs_the_whole_pipeline(tmp_path, capsys):
    """`lastmile plan --example` goes from routing to a fleet plan and writes its plots."""
    rc = cli.main(
        [
            "plan",
            "--example",
            "--packages",
            "400",
            "--days",
            "2",
            "--time-limit",
            "60",
            "--max-iterations",
            "100",
            "--draws",
            "5",
            "--out-dir",
            str(tmp_path),
        ]
    )
    assert rc == 0
    text = capsys.readouterr().out
    assert "fleet plan, 16 months" in text
    for name in (
        "fleet_horizon.png",
        "spr_vs_volume.png",
        "energy_per_route.png",
        "energy_+20C.csv",
        "energy_-7C.csv",
        "energy_+35C.csv",
        "fleet_plan.csv",
        "spr_model.json",
    ):
        assert (tmp_path / name).stat().st_size > 200
        assert str(tmp_path / name) in text  # every written file is listed
    assert "held-out day" in text and "in-sample" in text
    m = pd.read_csv(tmp_path / "route_metrics.csv")
    assert m["route_id"].is_unique
    e = pd.read_csv(tmp_path / "energy_-7C.csv")
    kwh_per_km = e["energy_kwh"].sum() / e["distance_km"].sum()
    assert f"{kwh_per_km:.3f} kWh/km" in text  # total over total, not a mean of ratios


def test_plan_calls_the_one_example_pipeline(tmp_path, monkeypatch, capsys):
    """`lastmile plan --example` hands its arguments to fleet.run_example (no second pipeline in
    the CLI); without --example it exits with a message."""
    from lastmile_core import fleet

    calls = []
    monkeypatch.setattr(fleet, "run_example", lambda out, **kw: calls.append((out, kw)))
    argv = ["plan", "--example", "--seed", "3", "--packages", "321", "--days", "2"]
    assert cli.main([*argv, "--draws", "7", "--threads", "2", "--out-dir", str(tmp_path)]) == 0
    assert calls == [
        (
            str(tmp_path),
            dict(
                seed=3,
                n_packages=321,
                days=2,
                time_limit=2.0,
                threads=2,
                max_iterations=None,
                n_draws=7,
                vehicle="midvan68",
                report=None,
            ),
        )
    ]
    calls.clear()
    assert cli.main([*argv, "--max-iterations", "500", "--out-dir", str(tmp_path)]) == 0
    assert calls[0][1]["max_iterations"] == 500
    with pytest.raises(SystemExit, match="only --example"):
        cli.main(["plan"])


def test_module_entry_point_solves_the_example():
    """`python -m lastmile_core.cli solve --example` (the README's command) runs and reports."""
    import os
    import subprocess
    import sys

    import lastmile_core

    env = dict(os.environ)
    pkg_root = str(Path(lastmile_core.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join([pkg_root, env.get("PYTHONPATH", "")])
    args = ["solve", "--example", "--packages", "120", "--time-limit", "0.3", "--no-progress"]
    proc = subprocess.run(
        [sys.executable, "-m", "lastmile_core.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "check         feasible" in proc.stdout


def test_solve_max_iterations_gives_the_same_routes_on_any_machine(tmp_path, capsys):
    """`lastmile solve --max-iterations N` bounds the search by iterations: two runs with a long
    time limit write the same routes; a bad count is a one-line error naming the field."""
    outs = []
    for k in range(2):
        out = tmp_path / f"r{k}.csv"
        argv = ["solve", "--example", "--packages", "200", "--time-limit", "600"]
        assert cli.main([*argv, "--max-iterations", "40", "--out", str(out)]) == 0
        outs.append(out.read_text())
    assert outs[0] == outs[1]
    capsys.readouterr()
    assert cli.main(["solve", "--example", "--max-iterations", "0"]) == 2
    assert "max_iterations" in capsys.readouterr().err
