"""examples.station(...) delivery windows and a second wave: shares, placement, determinism, the
default station-day unchanged, feasibility by the independent checker, bad options."""

from __future__ import annotations

import numpy as np
import pytest

from lastmile_core import _core, examples, solve
from lastmile_core.check import check
from lastmile_core.errors import InputError


def _arrays(inst: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = inst.data  # type: ignore[attr-defined]
    return np.asarray(d.tw_early), np.asarray(d.tw_late), np.asarray(d.release_time)


def test_default_has_no_windows_and_options_keep_the_stops() -> None:
    plain = examples.station(seed=3, n_packages=300)
    assert not plain.data.has_time_windows
    assert "window_share" not in plain.metadata
    timed = examples.station(seed=3, n_packages=300, window_share=0.25, wave_share=0.2)
    assert timed.data.has_time_windows
    for attr in ("coords", "demand", "service_time", "elevation"):
        assert np.array_equal(getattr(plain.data, attr), getattr(timed.data, attr)), attr
    assert plain.node_ids == timed.node_ids
    zero = examples.station(seed=3, n_packages=300, window_share=0.0, wave_share=0.0)
    assert not zero.data.has_time_windows


def test_windows_and_wave_are_placed_as_asked() -> None:
    inst = examples.station(
        seed=5,
        n_packages=400,
        window_share=0.3,
        window_hours=2,
        wave_share=0.25,
        wave_release="10:30",
        station_hours=("07:30", "18:00"),
    )
    early, late, rel = _arrays(inst)
    n = inst.num_clients
    open_s, close_s = 7.5 * 3600, 18 * 3600
    assert (early[0], late[0]) == (open_s, close_s)  # the depot's opening window
    windowed = np.flatnonzero(late[1:] - early[1:] == 7200) + 1
    assert len(windowed) == round(0.3 * n)
    assert np.all(early[windowed] >= open_s) and np.all(late[windowed] <= close_s)
    assert np.all((early[windowed] - open_s) % 900 == 0)  # quarter-hour starts
    assert len(np.unique(early[windowed])) > 5  # spread over the day
    wave = np.flatnonzero(rel > 0)
    assert len(wave) == round(0.25 * n)
    assert np.all(rel[wave] == 10.5 * 3600)
    assert not set(wave) & set(windowed)  # disjoint: no window closes before its goods arrive
    others = np.setdiff1d(np.arange(1, n + 1), windowed)
    assert np.all(early[others] == open_s) and np.all(late[others] == close_s)
    assert inst.metadata["windowed_stops"] == len(windowed)
    assert inst.metadata["wave_stops"] == len(wave)


def test_same_seed_same_windows_other_seed_other_windows() -> None:
    kw = {"n_packages": 300, "window_share": 0.4, "wave_share": 0.3}
    a = _arrays(examples.station(seed=2, **kw))
    b = _arrays(examples.station(seed=2, **kw))
    c = _arrays(examples.station(seed=4, **kw))
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])


def test_wave_only_has_no_client_windows() -> None:
    inst = examples.station(seed=1, n_packages=200, wave_share=0.5)
    early, late, rel = _arrays(inst)
    assert np.all(early[1:] == early[0]) and np.all(late[1:] == late[0])
    assert (rel > 0).sum() == round(0.5 * inst.num_clients)
    assert late[0] < int(_core.UNLIMITED)


def test_solution_respects_windows_and_release() -> None:
    inst = examples.station(seed=1, n_packages=250, window_share=0.2, wave_share=0.3)
    res = solve(inst, time_limit=1.0, seed=1)
    rep = check(inst, res.solution)
    assert rep.feasible, rep.summary()
    # a route serving a second-wave stop leaves at 10:30 or later, so it cannot also serve a
    # stop whose window closes by 10:30: the checker says so
    early, late, rel = _arrays(inst)
    wave = int(np.flatnonzero(rel > 0)[0])
    morning = int(np.flatnonzero((late > 0) & (late <= 10.5 * 3600))[0])
    others = [c for c in range(1, inst.num_clients + 1) if c not in (wave, morning)]
    bad = check(inst, [[morning, wave], others])
    assert any(v.kind == "time_window" and v.route == 0 for v in bad.violations), bad.summary()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"window_share": 1.5}, r"window_share: expected a share in \[0, 1\]"),
        ({"wave_share": -0.1}, r"wave_share: expected a share"),
        ({"window_share": 0.7, "wave_share": 0.5}, r"window_share \+ wave_share"),
        ({"window_share": 0.2, "window_hours": 11}, r"window_hours: expected > 0"),
        ({"window_share": 0.2, "window_hours": 0}, r"window_hours: expected > 0"),
        ({"wave_share": 0.2, "wave_release": "19:00"}, r"wave_release: expected a time inside"),
        ({"wave_share": 0.2, "wave_release": "half past ten"}, r"wave_release: .*not a number"),
        ({"window_share": 0.2, "station_hours": ("18:00", "08:00")}, r"station_hours: expected open < close"),
    ],
)  # fmt: skip
def test_bad_options(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(InputError, match=match):
        examples.station(seed=1, n_packages=100, **kwargs)  # type: ignore[arg-type]
