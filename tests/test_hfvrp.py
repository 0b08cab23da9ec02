"""Heterogeneous fleet VRPLIB files (PyVRP's HFVRP dialect): reader, vehicle-aligned .sol files,
exact costs, the shipped BKS reproduced by the independent checker, bad input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from lastmile_core import solve
from lastmile_core.check import check
from lastmile_core.errors import FormatError, InputError
from lastmile_core.io import read_vrplib
from lastmile_core.io.vrplib_fleet import read_fleet_solution, write_fleet_solution

from .conftest import random_instance, shared_file

COORDS = [(0, 0), (3, 4), (6, 8), (-3, 4), (0, 10), (5, 0)]
DEMAND = [0, 4, 3, 5, 2, 6]


def _vrp(
    tmp_path: Path,
    *,
    capacity: list[int] | None = None,
    fixed: list[float] | None = None,
    unit: list[float] | None = None,
    depot: list[int] | None = None,
    vehicles: int | None = None,
    extra: str = "",
) -> Path:
    capacity = [10, 10, 10, 20] if capacity is None else capacity
    lines = [
        "NAME: tiny-HF",
        "TYPE: HFVRP",
        f"DIMENSION: {len(COORDS)}",
        f"VEHICLES: {len(capacity) if vehicles is None else vehicles}",
        "EDGE_WEIGHT_TYPE: EUC_2D",
        "NODE_COORD_SECTION",
        *(f"{i + 1}\t{x}\t{y}" for i, (x, y) in enumerate(COORDS)),
        "DEMAND_SECTION",
        *(f"{i + 1}\t{d}" for i, d in enumerate(DEMAND)),
        "CAPACITY_SECTION",
        *(f"{k + 1}\t{c}" for k, c in enumerate(capacity)),
    ]
    if fixed is not None:
        lines += ["VEHICLES_FIXED_COST_SECTION", *(f"{k + 1}\t{f}" for k, f in enumerate(fixed))]
    if unit is not None:
        lines += [
            "VEHICLES_UNIT_DISTANCE_COST_SECTION",
            *(f"{k + 1}\t{u}" for k, u in enumerate(unit)),
        ]
    lines += [extra] if extra else []
    lines += ["DEPOT_SECTION", *(str(d) for d in (depot or [1])), "-1", "EOF"]
    p = tmp_path / "tiny-HF.vrp"
    p.write_text("\n".join(lines) + "\n")
    return p


def _euclid(a: int, b: int) -> float:
    return float(np.hypot(COORDS[a][0] - COORDS[b][0], COORDS[a][1] - COORDS[b][1]))


def test_identical_vehicles_become_one_type_with_a_count(tmp_path: Path) -> None:
    p = _vrp(tmp_path, fixed=[500, 500, 700, 500], unit=[100, 100, 100, 141])
    inst = read_vrplib(p)
    specs = inst.vehicle_specs
    assert [(s.capacity, s.num_available) for s in specs] == [(10, 2), (10, 1), (20, 1)]
    assert inst.metadata["vehicle_type_of"] == (0, 0, 1, 2)
    assert inst.metadata["type"] == "HFVRP" and inst.metadata["cost_scale"] == 1e5
    core = inst.data.vehicle_types
    assert [vt.num_available for vt in core] == [2, 1, 1]
    # Internal costs are the file's integers (fixed x 1000, unit per 1/1000 distance): exact.
    assert [vt.fixed_cost for vt in core] == [500_000.0, 700_000.0, 500_000.0]
    assert [vt.cost_per_distance for vt in core] == [100.0, 100.0, 141.0]


def test_cost_is_exact_and_matches_the_hand_computation(tmp_path: Path) -> None:
    p = _vrp(tmp_path, fixed=[500, 500, 700, 500], unit=[100, 100, 100, 141])
    inst = read_vrplib(p)
    routes, vts = [[1, 2], [3, 4], [5]], [0, 2, 1]
    unit = {0: 100, 1: 100, 2: 141}
    fixed = {0: 500, 1: 700, 2: 500}
    want = 0
    for r, t in zip(routes, vts, strict=True):
        path = [0, *r, 0]
        d = sum(round(1000 * _euclid(a, b)) for a, b in zip(path, path[1:], strict=False))
        want += 1000 * fixed[t] + unit[t] * d
    rep = check(inst, routes, vts)
    assert rep.feasible, rep.summary()
    assert rep.cost == want == inst.solution(routes, vts).cost
    # unrounded reading: 1e-6 resolution, published cost = cost / 1e8
    fine = read_vrplib(p, rounding=False)
    assert fine.metadata["cost_scale"] == 1e8
    exact = sum(
        fixed[t] + unit[t] * sum(_euclid(a, b) for a, b in zip([0, *r], [*r, 0], strict=True))
        for r, t in zip(routes, vts, strict=True)
    )
    assert check(fine, routes, vts).cost / 1e8 == pytest.approx(exact / 100, abs=1e-7)


def test_defaults_without_cost_sections(tmp_path: Path) -> None:
    inst = read_vrplib(_vrp(tmp_path, capacity=[12, 12]))
    (spec,) = inst.vehicle_specs
    assert spec.num_available == 2 and spec.fixed_cost == 0
    assert inst.data.vehicle_types[0].cost_per_distance == 1.0  # PyVRP's default unit cost 1


def test_fleet_solution_is_aligned_with_vehicles(tmp_path: Path) -> None:
    p = _vrp(tmp_path, fixed=[500, 500, 700, 500], unit=[100, 100, 100, 141])
    inst = read_vrplib(p)
    sol = tmp_path / "tiny.sol"
    sol.write_text("Route #1: \nRoute #2: 1 2\nRoute #3: 5\nRoute #4: 3 4\nCost: 123\n")
    routes, vts, cost = read_fleet_solution(sol, inst)
    assert routes == [[1, 2], [5], [3, 4]] and vts == [0, 1, 2] and cost == 123.0
    assert check(inst, routes, vts).feasible


def test_fleet_solution_round_trip(tmp_path: Path) -> None:
    p = _vrp(tmp_path, fixed=[500, 500, 700, 500], unit=[100, 100, 100, 141])
    inst = read_vrplib(p)
    sol = inst.solution([[1, 2], [3, 4], [5]], [2, 0, 0])
    out = tmp_path / "out.sol"
    write_fleet_solution(out, inst, sol)
    lines = out.read_text().splitlines()
    assert lines[:4] == ["Route #1: 3 4", "Route #2: 5", "Route #3: ", "Route #4: 1 2"]
    routes, vts, cost = read_fleet_solution(out, inst)
    assert cost == sol.cost and check(inst, routes, vts).cost == sol.cost
    assert sorted(zip(vts, map(tuple, routes), strict=True)) == [
        (0, (3, 4)),
        (0, (5,)),
        (2, (1, 2)),
    ]
    too_many = inst.solution([[1], [2], [3, 4, 5]], [1, 1, 0])
    with pytest.raises(InputError, match=r"routes\[1\]: vehicle type 1 has only 1 vehicle"):
        write_fleet_solution(out, inst, too_many)


def test_fleet_limits_are_checked(tmp_path: Path) -> None:
    inst = read_vrplib(_vrp(tmp_path, capacity=[10, 10, 20, 20]))
    # three routes on the 10-type (two vehicles), one of them overloaded (5 + 2 + 6 > 10)
    rep = check(inst, [[1], [2], [3, 4, 5]], [0, 0, 0])
    kinds = {v.kind for v in rep.violations}
    assert kinds == {"fleet", "capacity"}


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Route #5: 1\n", r"Route #5: the instance has vehicles 1\.\.4"),
        ("Route #1: 1\nRoute #1: 2\n", "vehicle 1 has two routes"),
        ("Route #1: 1 x\n", "non-integer client index"),
        ("Route #1: \n", "no non-empty"),
        ("Route #1: 1\nhello\n", "line 2"),
        ("Route #1: 1\nCost: abc\n", "Cost: expected a number"),
    ],
)
def test_bad_fleet_solution(tmp_path: Path, text: str, match: str) -> None:
    inst = read_vrplib(_vrp(tmp_path))
    sol = tmp_path / "bad.sol"
    sol.write_text(text)
    with pytest.raises(FormatError, match=match):
        read_fleet_solution(sol, inst)


def test_fleet_solution_needs_an_hfvrp_instance(tmp_path: Path) -> None:
    sol = tmp_path / "x.sol"
    sol.write_text("Route #1: 1\n")
    cvrp = random_instance(seed=1, n=5)
    with pytest.raises(InputError, match="vehicle_type_of"):
        read_fleet_solution(sol, cvrp)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"unit": [100, 100.5, 100, 100]}, r"VEHICLES_UNIT_DISTANCE_COST_SECTION: vehicle 2: .*100\.5 is not an integer"),
        ({"fixed": [1, 2, 3.25, 4]}, r"VEHICLES_FIXED_COST_SECTION: vehicle 3: .*not an integer"),
        ({"capacity": [10, 10.5, 10, 10]}, r"CAPACITY_SECTION: vehicle 2"),
        ({"unit": [100, -1, 100, 100]}, r"VEHICLES_UNIT_DISTANCE_COST_SECTION: negative"),
        ({"unit": [100, 100, 100]}, r"VEHICLES_UNIT_DISTANCE_COST_SECTION: expected shape \(4,\)"),
        ({"depot": [1, 2]}, r"DEPOT_SECTION: only a single depot"),
        ({"extra": "SERVICE_TIME_SECTION\n1\t0\n2\t1\n3\t1\n4\t1\n5\t1\n6\t1"}, "SERVICE_TIME_SECTION: unsupported"),
        ({"capacity": [10, 10, 10, 20], "vehicles": 0}, r"VEHICLES: expected a positive integer"),
    ],
)  # fmt: skip
def test_bad_hfvrp_file(tmp_path: Path, kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(FormatError, match=match):
        read_vrplib(_vrp(tmp_path, **kwargs))  # type: ignore[arg-type]


def test_bad_hfvrp_options(tmp_path: Path) -> None:
    p = _vrp(tmp_path)
    with pytest.raises(InputError, match="rounding: HFVRP"):
        read_vrplib(p, rounding="dimacs")
    with pytest.raises(InputError, match="fleet: HFVRP"):
        read_vrplib(p, fleet=3)


def test_solve_uses_the_fleet_and_is_feasible(tmp_path: Path) -> None:
    # a big expensive van and small cheap ones: the solver may mix them, the checker agrees
    p = _vrp(tmp_path, capacity=[8, 8, 8, 20], fixed=[100, 100, 100, 900], unit=[100] * 4)
    inst = read_vrplib(p)
    res = solve(inst, time_limit=0.5, seed=3)
    routes = [r for r in res.solution.routes if r.visits]
    rep = check(inst, res.solution)
    assert rep.feasible, rep.summary()
    assert rep.cost == res.cost
    assert sum(len(r.visits) for r in routes) == len(COORDS) - 1
    again = solve(inst, time_limit=0.5, seed=3)
    assert again.cost == res.cost


def test_every_shipped_hfvrp_solution_is_reproduced(data_dir: Path, tmp_path: Path) -> None:
    """Every .sol of the HFVRP folder is feasible and costs exactly its Cost line: integer
    costs (written by PyVRP) with rounding 'exact', two-decimal BKS with unrounded distances."""
    folder = shared_file(data_dir, "pyvrp_instances", "HFVRP")
    sols = sorted(folder.glob("*.sol"))
    assert len(sols) == 49
    kinds = set()
    for sol in sols:
        vrp = shared_file(data_dir, "pyvrp_instances", "HFVRP", sol.stem + ".vrp")
        stated = re.search(r"^Cost:\s*(\S+)", sol.read_text(), re.M)
        assert stated is not None, sol.name
        decimal = "." in stated.group(1)
        inst = read_vrplib(vrp, rounding=False if decimal else "auto")
        routes, vts, cost = read_fleet_solution(sol, inst)
        rep = check(inst, routes, vts)
        assert rep.feasible, (sol.name, rep.summary())
        assert rep.cost == inst.solution(routes, vts).cost, sol.name
        if decimal:
            assert round(rep.cost / inst.metadata["cost_scale"], 2) == cost, sol.name
        else:
            assert rep.cost == cost, sol.name
        kinds.add(sol.stem.split("-")[1])
        out = tmp_path / sol.name  # written back vehicle-aligned, read again: same cost
        write_fleet_solution(out, inst, inst.solution(routes, vts))
        again = read_fleet_solution(out, inst)
        assert check(inst, again[0], again[1]).cost == rep.cost == again[2], sol.name
    assert kinds == {"HVRP", "HD", "FSMF", "FSMD", "FSMFD"}
