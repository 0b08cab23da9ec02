"""Stop-table time columns (tw_early, tw_late, release): clock times or seconds, round trip through
CSV and Parquet, bad values named by column and row."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import _core, solve
from lastmile_core.check import check
from lastmile_core.errors import InputError
from lastmile_core.io import read_stops, write_stops


def _table(**cols: list[object]) -> pd.DataFrame:
    base = pd.DataFrame(
        {
            "stop_id": ["D", "A", "B", "C"],
            "lon": [4.35, 4.36, 4.34, 4.355],
            "lat": [50.85, 50.855, 50.845, 50.86],
            "is_depot": [True, False, False, False],
            "packages": [0, 2, 1, 3],
            "service_s": [0, 60, 60, 60],
        }
    )
    for k, v in cols.items():
        base[k] = v
    return base


def test_clock_times_and_seconds_are_read() -> None:
    df = _table(
        tw_early=["07:00", "09:00", 36000, None],
        tw_late=["19:00", "11:00:30", "12:00", None],
        release=[None, 0, "08:30", 30600.0],
    )
    inst = read_stops(df)
    d = inst.data
    assert d.has_time_windows
    assert list(d.tw_early) == [7 * 3600, 9 * 3600, 36000, 0]
    assert list(d.tw_late) == [19 * 3600, 11 * 3600 + 30, 12 * 3600, int(_core.UNLIMITED)]
    assert list(d.release_time) == [0, 0, 8 * 3600 + 1800, 30600]


def test_depot_row_is_found_wherever_it_is() -> None:
    df = _table(tw_early=["07:00", "09:00", None, None], tw_late=["19:00", "10:00", None, None])
    df = df.iloc[[1, 0, 2, 3]].reset_index(drop=True)  # depot on row 1
    inst = read_stops(df)
    assert inst.node_ids[0] == "D" and inst.node_ids[1] == "A"
    assert list(inst.data.tw_early)[:2] == [7 * 3600, 9 * 3600]


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    df = _table(
        tw_early=["06:30", "09:00", None, "10:00"],
        tw_late=["20:00", "11:00", None, "inf"],
        release=[None, None, "09:15", 0],
    )
    inst = read_stops(df)
    path = tmp_path / f"stops{suffix}"
    write_stops(inst, path)
    back = read_stops(path)
    for attr in ("tw_early", "tw_late", "release_time", "service_time", "demand"):
        assert np.array_equal(
            np.asarray(getattr(back.data, attr)), np.asarray(getattr(inst.data, attr))
        ), attr
    assert back.node_ids == inst.node_ids
    written = pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)
    assert math.isnan(written["tw_early"][2]) and math.isinf(written["tw_late"][3])
    assert written["release"][2] == 9 * 3600 + 15 * 60


def test_tables_without_time_columns_are_unchanged(tmp_path: Path) -> None:
    inst = read_stops(_table())
    assert not inst.data.has_time_windows
    path = tmp_path / "s.csv"
    write_stops(inst, path)
    assert not {"tw_early", "tw_late", "release"} & set(pd.read_csv(path).columns)


def test_windows_are_respected_by_solve() -> None:
    df = _table(
        tw_early=["07:00", "09:00", "07:00", "10:00"],
        tw_late=["19:00", "09:30", "08:00", "11:00"],
        release=[None, None, None, "09:45"],
    )
    inst = read_stops(df)
    res = solve(inst, time_limit=0.3, seed=1)
    rep = check(inst, res.solution)
    assert rep.feasible, rep.summary()


@pytest.mark.parametrize(
    ("cols", "match"),
    [
        ({"tw_early": [None, "10:00", None, None], "tw_late": [None, "09:00", None, None]},
         r"tw_early: row 1 \(stop_id 'A'\) opens at '10:00' after tw_late '09:00' \(early > late\)"),
        ({"tw_early": [None, "09:00", None, None], "tw_late": [None, None, None, None]},
         r"tw_late: row 1 \(stop_id 'A'\) is blank but tw_early is given"),
        ({"tw_early": [None, None, np.nan, None], "tw_late": [None, None, 40000, None]},
         r"tw_early: row 2 \(stop_id 'B'\) is blank but tw_late is given"),
        ({"tw_early": [None, "9h30", None, None], "tw_late": [None, "11:00", None, None]},
         r"tw_early: row 1 \(stop_id 'A'\): '9h30' is not a number or an 'HH:MM\[:SS\]'"),
        ({"tw_early": [None, "09:75", None, None], "tw_late": [None, "11:00", None, None]},
         r"tw_early: row 1 .*not a valid clock time"),
        ({"tw_early": [None, -5, None, None], "tw_late": [None, 10, None, None]},
         r"tw_early: row 1 .*negative time"),
        ({"tw_early": [None, "inf", None, None], "tw_late": [None, "inf", None, None]},
         r"tw_early: row 1 .*not a finite time"),
        ({"tw_early": [None, "09:00", None, None]}, r"tw_late: column missing"),
        ({"release": [None, "later", None, None]}, r"release: row 1 \(stop_id 'A'\): 'later'"),
        ({"release": [None, None, None, -1.0]}, r"release: row 3 \(stop_id 'C'\): negative"),
        ({"release": ["08:00", None, None, None]}, r"release: row 0 .* depot"),
    ],
)  # fmt: skip
def test_bad_time_values(cols: dict[str, list[object]], match: str) -> None:
    with pytest.raises(InputError, match=match):
        read_stops(_table(**cols))


def test_bad_row_is_named_in_the_original_table_order(tmp_path: Path) -> None:
    df = _table(tw_early=[None, "10:00", None, None], tw_late=[None, "09:00", None, None])
    df = df.iloc[[1, 2, 0, 3]].reset_index(drop=True)  # A on row 0, depot on row 2
    path = tmp_path / "s.csv"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"tw_early: row 0 \(stop_id 'A'\)"):
        read_stops(path)
