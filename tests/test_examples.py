"""The synthetic example station-day."""

from __future__ import annotations

import numpy as np
import pytest

from lastmile_core import examples
from lastmile_core.errors import InputError


def test_same_seed_gives_same_station_day():
    """Determinism: identical arrays for the same seed, different for another seed."""
    a, b, c = examples.station(seed=7), examples.station(seed=7), examples.station(seed=8)
    assert np.array_equal(a.data.coords, b.data.coords)
    assert np.array_equal(a.data.demand, b.data.demand)
    assert not np.array_equal(a.data.coords, c.data.coords)


def test_station_day_has_requested_packages_and_zone_kinds():
    """Package total is exact; core zones are denser than outskirts."""
    inst = examples.station(seed=3, n_packages=2000)
    assert inst.geographic
    assert inst.data.demand[:, 0].sum() == 2000
    assert inst.dim_names == ("packages", "volume_l", "weight_kg")
    assert set(inst.metadata["zone_kind"].values()) == {"core", "suburb", "outskirts"}
    zone = inst.data.zone
    counts = {z: 0 for z in inst.zone_names}
    for zid in zone[1:]:
        counts[inst.zone_names[zid]] += 1
    dens = {}
    for z, kind in inst.metadata["zone_kind"].items():
        if counts.get(z):
            dens.setdefault(kind, []).append(counts[z] / inst.metadata["zone_area_km2"][z])
    assert np.mean(dens["core"]) > 3 * np.mean(dens["outskirts"])
    # service time = base + per package
    svc = inst.data.service_time[1:]
    assert np.all(svc == 60 + 15 * inst.data.demand[1:, 0])
    assert inst.data.elevation is not None


def test_bad_example_arguments_raise():
    """Non-positive package counts are rejected by name."""
    with pytest.raises(InputError, match="^n_packages"):
        examples.station(n_packages=0)
