"""Regressions of the planner workflow (issue 13): each failure a new user met, as a test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lastmile_core import cli, examples, io, solve
from lastmile_core.fleet import backends


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object, Path]:
    inst = examples.station(seed=3, n_packages=260)
    res = solve(inst, time_limit=60, seed=1, max_iterations=3000, algorithm="sisr")
    path = tmp_path_factory.mktemp("chain") / "routes.parquet"
    io.write_routes(inst, res.solution, path)
    return inst, res.solution, path


def test_metrics_on_solve_output_counts_stops_and_station_legs(solved, tmp_path: Path) -> None:
    """solve's route table into metrics unchanged: depot rows are not stops, the line-haul is
    there, and the km are the solver's (same road model, read from the table)."""
    inst, sol, path = solved
    out = tmp_path / "m.csv"
    assert cli.main(["metrics", str(path), "--out", str(out)]) == 0
    m = pd.read_csv(out)
    assert len(m) == sol.num_routes
    assert m["n_stops"].sum() == inst.num_clients
    assert (m["line_haul_km"] > 0).all()
    solver_km = inst.to_user_distance(sol.distance)
    assert m["total_km"].sum() == pytest.approx(solver_km, rel=2e-3)


def test_mixed_road_models_in_one_table_are_refused(solved, tmp_path: Path, capsys) -> None:
    """Two circuities in one route table (two solves concatenated) are not averaged or dropped:
    the CLI says so and names the option that decides."""
    _, _, path = solved
    t = pd.read_parquet(path)
    t.loc[t.index[: len(t) // 2], "circuity"] = 1.2
    mixed = tmp_path / "mixed.parquet"
    t.to_parquet(mixed, index=False)
    assert cli.main(["metrics", str(mixed), "--out", str(tmp_path / "m.csv")]) == 2
    assert "circuity" in capsys.readouterr().err
    argv = ["metrics", str(mixed), "--out", str(tmp_path / "m.csv"), "--circuity", "1.3"]
    assert cli.main(argv) == 0


def test_metrics_options_in_any_order_and_help(solved, tmp_path: Path, capsys) -> None:
    _, _, path = solved
    out = tmp_path / "m.csv"
    assert cli.main(["metrics", "--out", str(out), "--route", "route_id", str(path)]) == 0
    with pytest.raises(SystemExit) as exc:
        cli.main(["metrics", "-h"])
    assert exc.value.code == 0 and "--depot" in capsys.readouterr().out


def test_depot_placeholder_is_a_one_line_error(solved, tmp_path: Path, capsys) -> None:
    """`--depot LON,LAT` copied literally used to be a traceback."""
    _, _, path = solved
    rc = cli.main(["metrics", str(path), "--out", str(tmp_path / "m.csv"), "--depot", "LON,LAT"])
    err = capsys.readouterr().err
    assert rc == 2 and err.startswith("lastmile: error: depot:") and err.count("\n") == 1


def test_spr_fit_takes_vans_from_a_file(tmp_path: Path, capsys) -> None:
    """`spr fit --vans vans.yaml` gives the capacities a table without capacity columns lacks."""
    sample = tmp_path / "s"
    assert cli.main(["example-data", str(sample)]) == 0
    routes = pd.read_csv(sample / "real_routes.csv")
    bare = routes.drop(columns=[c for c in routes.columns if c.startswith("capacity_")])
    bare.to_csv(tmp_path / "bare.csv", index=False)
    (tmp_path / "vans.yaml").write_text(
        "- {name: midvan, capacity_packages: 250, capacity_volume_l: 8000, "
        "capacity_weight_kg: 1000, shift_h: 8}\n"
    )
    argv = ["spr", "fit", str(tmp_path / "bare.csv"), "-o", str(tmp_path / "m.json")]
    assert cli.main([*argv, "--vans", str(tmp_path / "vans.yaml")]) == 0
    from lastmile_core.spr import SPRModel

    model = SPRModel.from_json(tmp_path / "m.json")
    assert model.van_types["midvan"].capacity_packages == 250
    (tmp_path / "bad.yaml").write_text("- {name: midvan, wheels: 4}\n")
    assert cli.main([*argv, "--vans", str(tmp_path / "bad.yaml")]) == 2
    assert "wheels" in capsys.readouterr().err


def test_unreachable_scheduler_is_a_quick_one_line_error(tmp_path: Path, capsys, monkeypatch):
    """An unreachable Dask scheduler used to be a traceback after 30 s."""
    monkeypatch.setattr(backends, "SCHEDULER_TIMEOUT_S", 1.0)
    sample = tmp_path / "s"
    assert cli.main(["example-data", str(sample)]) == 0
    assert (
        cli.main(["spr", "fit", str(sample / "real_routes.csv"), "-o", str(tmp_path / "m.json")])
        == 0
    )
    capsys.readouterr()
    rc = cli.main(
        ["fleet", "plan", str(sample / "forecast.csv"), "--model", str(tmp_path / "m.json")]
        + ["--backend", "dask", "--scheduler", "tcp://127.0.0.1:1"]
    )
    err = capsys.readouterr().err
    assert rc == 2 and "lastmile: error: scheduler:" in err and "Traceback" not in err
