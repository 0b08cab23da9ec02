"""ProblemData.symmetric: computed once from the matrices (coordinates are symmetric)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core.io import read_vrplib

from .conftest import shared_file


def _data(dist: np.ndarray | None) -> lc.ProblemData:
    n = 4
    coords = np.array([[0.0, 0.0], [3.0, 4.0], [6.0, 0.0], [1.0, 1.0]])
    demand = np.ones((n, 1), dtype=np.int64)
    types = [lc.VehicleType([10])]
    if dist is None:
        return lc.ProblemData(coords, demand, np.zeros(n, dtype=np.int64), types)
    return lc.ProblemData(
        coords,
        demand,
        np.zeros(n, dtype=np.int64),
        types,
        distance="matrix",
        distance_matrix=dist,
        duration_matrix=dist,
    )


def test_coordinates_are_symmetric() -> None:
    assert _data(None).symmetric


def test_symmetric_and_asymmetric_matrices() -> None:
    m = np.array([[0, 5, 6, 2], [5, 0, 4, 3], [6, 4, 0, 5], [2, 3, 5, 0]], dtype=np.int64)
    assert _data(m).symmetric
    m[1, 2] = 7  # one arc differs from its reverse
    assert not _data(m).symmetric


@pytest.mark.parametrize("name", ["ORTEC-n323-k21", "Loggi-n501-k24"])
def test_dimacs_road_matrices_read_as_symmetric(data_dir: Path, name: str) -> None:
    """The DIMACS files hold LOWER_ROW matrices of real road networks: symmetric by format."""
    inst = read_vrplib(shared_file(data_dir, "cvrplib_more", "DIMACS", f"{name}.vrp"))
    assert inst.data.distance_kind == "matrix"
    assert inst.data.symmetric
