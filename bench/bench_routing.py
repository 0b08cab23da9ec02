"""Micro-benchmarks of the routing engine (pytest-benchmark).

Run: python -m pytest bench/bench_routing.py --benchmark-only
Each local-search benchmark runs one search with a single operator from the same fixed start
(random routes on a fixed 300-client instance); savings runs on 10k generated stops (non-dense,
k-nearest candidate lists). Ratios against a baseline measured in the same process are printed.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core import _core


def _instance(n: int, seed: int = 0, dense_limit: int = 4000) -> lc.ProblemData:
    rng = np.random.default_rng(seed)
    coords = rng.uniform(0, 1000, size=(n + 1, 2))
    demand = rng.integers(1, 10, size=(n + 1, 1))
    return lc.ProblemData(
        coords,
        demand,
        np.zeros(n + 1, dtype=np.int64),
        [lc.VehicleType([60])],
        dense_limit=dense_limit,
    )


DATA = _instance(300)
_perm = [int(c) for c in np.random.default_rng(1).permutation(np.arange(1, 301))]
ROUTES = [lc.Route(_perm[i : i + 10]) for i in range(0, 300, 10)]


def _fresh() -> tuple[tuple[_core.LocalSearch], dict]:
    return (_core.LocalSearch(DATA, ROUTES, granular=20, seed=1, load_penalty=[10.0]),), {}


@pytest.mark.parametrize("op", _core.LocalSearch.operators)
def test_local_search_single_operator(benchmark, op):
    """One local search using only `op` from the fixed start."""
    benchmark.pedantic(lambda ls: ls.run([op]), setup=_fresh, rounds=15, iterations=1)


def test_local_search_all_operators(benchmark):
    """Full local search (all operators) from the fixed start."""
    benchmark.pedantic(lambda ls: ls.run(), setup=_fresh, rounds=15, iterations=1)


BIG = _instance(10_000, seed=2, dense_limit=0)


def test_savings_10k_stops(benchmark):
    """Clarke-Wright savings on 10k stops with on-the-fly distances."""
    sol = benchmark.pedantic(lambda: _core.savings(BIG), rounds=3, iterations=1)
    assert sol.feasible


def test_print_ratios():
    """Prints operator and construction times as ratios of a baseline from this process."""

    def timed(fn, reps: int = 5) -> float:
        best = float("inf")
        for _ in range(reps):
            (ls,), _ = _fresh()
            t0 = time.perf_counter()
            fn(ls)
            best = min(best, time.perf_counter() - t0)
        return best

    base = timed(lambda ls: ls.run())
    print(f"\nfull local search (baseline): {base * 1e3:.2f} ms")
    for op in _core.LocalSearch.operators:
        t = timed(lambda ls, op=op: ls.run([op]))
        print(f"  {op:14s} {t / base:6.3f} x baseline")
    t0 = time.perf_counter()
    _core.sweep(BIG)
    sweep = time.perf_counter() - t0
    t0 = time.perf_counter()
    _core.savings(BIG)
    sav = time.perf_counter() - t0
    print(f"savings 10k: {sav * 1e3:.1f} ms = {sav / sweep:.1f} x sweep ({sweep * 1e3:.1f} ms)")
