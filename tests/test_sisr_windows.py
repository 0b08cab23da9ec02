"""SISR on time-window instances (cpp/meta/sisr*.cpp): insertion next to the granular neighbours
(sisr_full_insert=0, the default; the lists are ranked by the time-window correlation measure),
at every position of the neighbours' routes (1) and 1 only with windows (2); the periodic
local-search polish of the best (sisr_polish_share, automatic by default: on up to
sisr_cheap_start_clients clients, off above; under a time limit at most sisr_polish_time_cap of
the elapsed time). Every result is checked by the independent checker and serves every client
once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core.check import check
from lastmile_core.errors import InputError
from lastmile_core.instance import Instance, VehicleSpec


def wide_windows(n: int, seed: int) -> Instance:
    """R2-like: random clients on a 100 x 100 square, windows of width 100..400 inside
    [0, 1000], service 10, a large capacity (the windows, not the load, decide the routes)."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n + 1, 2))
    xy[0] = 50
    tw = np.zeros((n + 1, 2))
    tw[0] = (0, 1000)
    opens = rng.uniform(0, 800, n)
    tw[1:, 0] = opens
    tw[1:, 1] = np.minimum(opens + rng.uniform(100, 400, n), 1000 - 80)
    return Instance.from_arrays(
        xy,
        np.r_[0, rng.integers(1, 10, n)],
        [VehicleSpec(capacity=1000)],
        service_time=np.r_[0, np.full(n, 10.0)],
        time_window=tw,
    )


def run(inst: Instance, seed: int, **params: float) -> tuple[float, int]:
    res = lc.solve(
        inst, time_limit=60, max_iterations=3000, seed=seed, threads=1, algorithm="sisr", **params
    )
    routes = [[int(c) for c in r.visits] for r in res.solution.routes if len(r.visits)]
    rep = check(inst, routes)
    assert rep.feasible, rep.violations[:3]
    assert sorted(c for r in routes for c in r) == list(range(1, inst.data.num_clients + 1))
    return rep.cost, len(routes)


SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def instances() -> list[Instance]:
    return [wide_windows(150, s) for s in SEEDS]


@pytest.mark.parametrize("params", [{}, {"sisr_full_insert": 1}, {"sisr_full_insert": 2}])
def test_every_variant_returns_feasible_routes(instances: list[Instance], params: Any) -> None:
    for inst, seed in zip(instances, SEEDS, strict=True):
        run(inst, seed, **params)


def test_option_2_is_full_insertion_with_windows_and_the_default_is_not() -> None:
    inst = wide_windows(150, 2)
    assert run(inst, 2, sisr_full_insert=2) == run(inst, 2, sisr_full_insert=1)
    assert run(inst, 2) == run(inst, 2, sisr_full_insert=0)
    assert run(inst, 2) != run(inst, 2, sisr_full_insert=1)


def test_full_insertion_is_cheaper_than_neighbour_positions_on_long_windowed_routes() -> None:
    # 300 clients, about 14 routes of 20+: next to a spatial neighbour many positions are late;
    # every position of the neighbours' routes finds the on-time ones. Same iterations (3000);
    # per second full insertion is slower, hence not the default.
    insts = [wide_windows(300, s) for s in SEEDS]
    full = sum(run(inst, s, sisr_full_insert=1)[0] for inst, s in zip(insts, SEEDS, strict=True))
    near = sum(run(inst, s, sisr_full_insert=0)[0] for inst, s in zip(insts, SEEDS, strict=True))
    assert full < near


def test_windows_search_is_deterministic() -> None:
    inst = wide_windows(150, 1)
    assert run(inst, 5) == run(inst, 5)


def test_automatic_polish_is_on_up_to_the_size_limit_on_every_kind_of_instance() -> None:
    inst = wide_windows(150, 3)
    base = run(inst, 3)
    assert run(inst, 3, sisr_polish_share=0.05) == base  # windows: automatic = 0.05
    assert run(inst, 3, sisr_polish_share=0) != base
    # above sisr_cheap_start_clients clients (a full local search is slow there): off
    big = {"sisr_cheap_start_clients": 100}
    assert run(inst, 3, **big) == run(inst, 3, sisr_polish_share=0, **big)
    assert run(inst, 3, **big) != run(inst, 3, sisr_polish_share=0.05, **big)
    rng = np.random.default_rng(4)
    xy, demand = rng.uniform(0, 100, (151, 2)), np.r_[0, rng.integers(1, 10, 150)]
    plain = Instance.from_arrays(xy, demand, [VehicleSpec(capacity=50)])
    assert run(plain, 3) == run(plain, 3, sisr_polish_share=0.05)  # one type, no windows: on
    assert run(plain, 3) != run(plain, 3, sisr_polish_share=0)
    mixed = Instance.from_arrays(
        xy,
        demand,
        [
            VehicleSpec(capacity=50, cost_per_distance=1.0),
            VehicleSpec(capacity=30, cost_per_distance=0.7),
        ],
    )
    assert run(mixed, 3) == run(mixed, 3, sisr_polish_share=0.05)  # several types: on
    assert run(mixed, 3) != run(mixed, 3, sisr_polish_share=0)
    pick = rng.integers(0, 5, 151)
    pick[0] = 0
    returns = Instance.from_arrays(xy, demand, [VehicleSpec(capacity=50)], pickup=pick)
    assert run(returns, 3) == run(returns, 3, sisr_polish_share=0.05)  # pickups: on
    assert run(returns, 3) != run(returns, 3, sisr_polish_share=0)


@pytest.mark.parametrize("value", [-0.5, -2, 1.5, float("nan")])
def test_bad_polish_share_is_refused(value: float) -> None:
    with pytest.raises(InputError, match="sisr_polish_share"):
        lc.solve(wide_windows(20, 1), time_limit=1, sisr_polish_share=value)


def test_polish_time_cap_is_ignored_under_max_iterations() -> None:
    # the iteration budget does not pay for polishes: the cap (a share of the elapsed time)
    # would make the run depend on the clock, so under max_iterations it is not applied
    inst = wide_windows(150, 3)
    assert run(inst, 3, sisr_polish_time_cap=0) == run(inst, 3, sisr_polish_time_cap=1)


@pytest.mark.parametrize("cap", [0.0, 0.1, 1.0])
def test_polish_time_cap_under_a_time_limit_gives_a_checked_solution(cap: float) -> None:
    inst = wide_windows(150, 2)
    res = lc.solve(
        inst,
        time_limit=0.5,
        seed=1,
        algorithm="sisr",
        sisr_polish_share=0.05,
        sisr_polish_time_cap=cap,
    )
    routes = [[int(c) for c in r.visits] for r in res.solution.routes if len(r.visits)]
    rep = check(inst, routes)
    assert rep.feasible, rep.violations[:3]
    assert sorted(c for r in routes for c in r) == list(range(1, inst.data.num_clients + 1))
    assert rep.cost == pytest.approx(res.cost, rel=1e-9)


@pytest.mark.parametrize("value", [-0.1, 1.5, float("nan")])
def test_bad_polish_time_cap_is_refused(value: float) -> None:
    with pytest.raises(InputError, match="sisr_polish_time_cap"):
        lc.solve(wide_windows(20, 1), time_limit=1, sisr_polish_time_cap=value)


def test_cheap_polish_operators_follow_the_size_rule() -> None:
    # sisr_polish_cheap: 0 = every operator, 1 = the cheap ones (relocate, swap, 2-opt, 2-opt*),
    # 2 (default) = cheap above sisr_cheap_start_clients, every operator up to it
    inst = wide_windows(150, 3)
    on = {"sisr_polish_share": 0.05}
    base = run(inst, 3, **on)
    assert run(inst, 3, sisr_polish_cheap=0, **on) == base  # 150 <= 2000: all operators
    assert run(inst, 3, sisr_polish_cheap=1, **on) != base
    big = {"sisr_cheap_start_clients": 100, **on}
    assert run(inst, 3, **big) == run(inst, 3, sisr_polish_cheap=1, **big)
    assert run(inst, 3, **big) != run(inst, 3, sisr_polish_cheap=0, **big)


@pytest.mark.parametrize("value", [-1, 3])
def test_bad_polish_cheap_is_refused(value: int) -> None:
    with pytest.raises(InputError, match="sisr_polish_cheap"):
        lc.solve(wide_windows(20, 1), time_limit=1, sisr_polish_cheap=value)
