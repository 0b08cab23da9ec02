"""The independent truth of the SPR validation (bench/quality/spr_truth.py): the PyVRP model is
the same problem as our Instance, and route elimination keeps solutions feasible and cheaper."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from lastmile_core.check import check

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench" / "quality"))


def _chunks(n: int, size: int) -> list[list[int]]:
    return [list(range(i, min(i + size, n + 1))) for i in range(1, n + 1, size)]


def test_route_elimination_is_feasible_and_cheaper() -> None:
    from spr_truth import eliminate_routes, station_day

    inst = station_day(1, 300, 0, "midvan")
    start = _chunks(inst.num_clients, 6)  # many tiny routes, feasible
    before = check(inst, start)
    assert before.feasible
    routes = eliminate_routes(inst, start)
    after = check(inst, routes)
    assert after.feasible
    assert sorted(c for r in routes for c in r) == list(range(1, inst.num_clients + 1))
    assert after.num_routes < before.num_routes and after.cost < before.cost
    # every route is needed: the packages fit in no fewer than ceil(total / capacity) vans
    total = int(np.asarray(inst.data.demand)[1:, 0].sum())
    assert after.num_routes >= -(-total // 250)
    assert eliminate_routes(inst, start) == routes  # deterministic


def test_pyvrp_model_has_our_costs_and_limits() -> None:
    pyvrp = pytest.importorskip("pyvrp")
    from spr_truth import COST_SCALE, pyvrp_data, station_day

    inst = station_day(2, 300, 0, "midvan6h")
    data = pyvrp_data(inst)
    assert data.num_clients == inst.num_clients
    routes = _chunks(inst.num_clients, 9)
    ours = check(inst, routes)
    sol = pyvrp.Solution(data, [[c - 1 for c in r] for r in routes])
    assert sol.is_feasible() == ours.feasible
    assert sol.distance() == ours.distance_internal
    assert sol.duration() == ours.duration_internal
    # PyVRP's integer weights: per metre and per van exact, per second rounded (83 vs 83.33)
    cost = sol.distance_cost() + sol.duration_cost() + sol.fixed_vehicle_cost()
    assert cost / COST_SCALE == pytest.approx(ours.cost, rel=5e-3)
    # one route with every stop breaks both the capacity and the 6-h shift in both models
    one = [list(range(1, inst.num_clients + 1))]
    assert not check(inst, one).feasible
    assert not pyvrp.Solution(data, [[c - 1 for c in one[0]]]).is_feasible()
