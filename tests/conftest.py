"""Shared fixtures: the shared-data directory (LASTMILE_DATA) and small generated instances."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import lastmile_core as lm


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """$LASTMILE_DATA: skip when unset, fail when set but missing."""
    value = os.environ.get("LASTMILE_DATA")
    if not value:
        pytest.skip("LASTMILE_DATA is not set")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"LASTMILE_DATA={value} is not a directory")
    return path


def shared_file(data_dir: Path, *parts: str) -> Path:
    """A file under LASTMILE_DATA that must exist (the test fails otherwise)."""
    path = data_dir.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing shared data file {path}")
    return path


def random_instance(
    seed: int = 0, n: int = 30, dims: int = 1, cap: int = 50, **kwargs
) -> lm.Instance:
    """A random planar instance with integer demands in [1, 10]."""
    rng = np.random.default_rng(seed)
    coords = rng.uniform(0, 100, size=(n + 1, 2))
    demand = rng.integers(1, 11, size=(n + 1, dims))
    demand[0] = 0
    vehicle_types = kwargs.pop("vehicle_types", [lm.VehicleSpec([cap] * dims)])
    return lm.Instance.from_arrays(coords, demand, vehicle_types, **kwargs)
