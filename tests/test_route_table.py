"""Route tables read back (``solve --out`` -> energy/metrics without re-solving)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import check, cli, energy, examples, io, solve
from lastmile_core.errors import FormatError


@pytest.fixture(scope="module")
def solved() -> tuple[object, object]:
    inst = examples.station(seed=5, n_packages=240)
    res = solve(inst, time_limit=60, seed=1, max_iterations=3000, algorithm="sisr")
    return inst, res.solution


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_round_trip_gives_the_same_routes_and_costs(solved, tmp_path: Path, suffix: str) -> None:
    """Reading the written table gives routes with the same stops, distance, duration, loads
    and a feasible solution by the independent checker."""
    inst, sol = solved
    path = tmp_path / f"routes{suffix}"
    io.write_routes(inst, sol, path)
    back, back_sol = io.read_route_table(path)
    assert back_sol.num_routes == sol.num_routes
    assert back.num_clients == inst.num_clients
    ids = list(back.node_ids)
    for r, r2 in zip(sol.routes, back_sol.routes, strict=True):
        assert [inst.node_ids[c] for c in r.visits] == [ids[c] for c in r2.visits]
        assert r2.load == r.load
        assert r2.distance == pytest.approx(r.distance, abs=len(r.visits) + 1)
        assert r2.duration == pytest.approx(r.duration, abs=len(r.visits) + 1)
    assert check(back, back_sol).feasible
    a = energy.solution_energy(inst, sol, energy.Vehicle.preset("midvan68"))
    b = energy.solution_energy(back, back_sol, energy.Vehicle.preset("midvan68"))
    np.testing.assert_allclose(a["energy_kwh"], b["energy_kwh"], rtol=1e-3)


def test_energy_cli_evaluates_the_solved_routes(solved, tmp_path: Path, capsys) -> None:
    inst, sol = solved
    path = tmp_path / "routes.parquet"
    io.write_routes(inst, sol, path)
    out = tmp_path / "energy.csv"
    assert cli.main(["energy", str(path), "--vehicle", "small_van", "--out", str(out)]) == 0
    assert "as solved (no re-solve)" in capsys.readouterr().out
    table = pd.read_csv(out)
    assert len(table) == sol.num_routes
    heavy = table["payload_kg"] > energy.Vehicle.preset("small_van").max_payload_kg
    assert not table.loc[heavy, "feasible"].any()


def test_bad_route_tables_name_the_column(solved, tmp_path: Path) -> None:
    inst, sol = solved
    t = io.routes_table(inst, sol)
    with pytest.raises(FormatError, match="is_depot: missing"):
        io.read_route_table(t.drop(columns="is_depot"))
    with pytest.raises(FormatError, match="is_depot: expected true/false"):
        io.read_route_table(t.assign(is_depot="maybe"))
    moved = t.copy()
    moved.loc[moved.index[-1], "lon"] += 0.1  # a second depot location
    with pytest.raises(FormatError, match="one location"):
        io.read_route_table(moved)
    with pytest.raises(FormatError, match="seq: repeated"):
        io.read_route_table(t.assign(seq=1))
    with pytest.raises(FormatError, match="capacity_packages"):
        bad = t.copy()
        bad.loc[bad.index[1], "capacity_packages"] = 1
        io.read_route_table(bad)
