"""Several depots (issue 10): the model (Instance depots, VehicleSpec start_depot/end_depot), the
engine (routes leave and return at their type's depots), the independent checker, the OR-Tools
reference and PyVRP's MDVRPTW files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lastmile_core import Instance, VehicleSpec
from lastmile_core.check import check
from lastmile_core.errors import IndexOutOfRangeError, InputError
from lastmile_core.io import read_vrplib
from lastmile_core.io.vrplib_md import read_md_solution
from lastmile_core.solve import solve

from .conftest import shared_file


def three_depots(n: int = 45, seed: int = 0, windows: bool = False) -> Instance:
    """Clients on a 100 x 100 square, depot 0 at (10, 10), depots 1 and 2 at (90, 90) and
    (10, 90); a type per depot and one that leaves depot 2 and ends at depot 0."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, (n + 1, 2))
    xy[0] = 10
    specs = [
        VehicleSpec(capacity=40, num_available=4),
        VehicleSpec(capacity=40, num_available=4, start_depot=1, end_depot=1),
        VehicleSpec(capacity=40, num_available=4, start_depot=2, end_depot=2, fixed_cost=5),
        VehicleSpec(capacity=40, num_available=2, start_depot=2, end_depot=0),
    ]
    kw: dict[str, object] = {}
    if windows:
        tw = np.zeros((n + 1, 2))
        tw[0] = (0, 1000)
        opens = rng.uniform(150, 500, n)
        tw[1:, 0] = opens
        tw[1:, 1] = opens + rng.uniform(80, 200, n)
        kw = dict(
            time_window=tw,
            depot_time_window=[[30, 950], [0, 900]],
            service_time=np.r_[0, rng.uniform(0, 10, n)],
        )
    return Instance.from_arrays(
        xy,
        np.r_[0, rng.integers(1, 10, n)],
        specs,
        depots=[[90, 90], [10, 90]],
        distance="euclidean_rounded",
        **kw,  # type: ignore[arg-type]
    )


def test_single_depot_is_the_default() -> None:
    inst = Instance.from_arrays([[0, 0], [3, 4]], [0, 1], [VehicleSpec(capacity=5)])
    assert inst.data.num_depots == 1
    t = inst.data.vehicle_types[0]
    assert (t.start_depot, t.end_depot) == (0, 0)
    assert inst.num_clients == 1 and inst.num_nodes == 2


def test_depots_are_nodes_after_the_clients() -> None:
    inst = three_depots(n=10)
    assert inst.data.num_depots == 3
    assert inst.num_clients == 10
    assert inst.num_nodes == 13
    assert np.allclose(inst.data.coords[11], (90, 90))
    assert np.allclose(inst.data.coords[12], (10, 90))
    assert [(t.start_depot, t.end_depot) for t in inst.data.vehicle_types] == [
        (0, 0),
        (1, 1),
        (2, 2),
        (2, 0),
    ]
    # A route of type 3 (depot 2 -> depot 0) is costed with those legs.
    d = inst.data
    sol = inst.solution([[4]], vehicle_types=[3])
    assert sol.routes[0].distance == d.dist(12, 4) + d.dist(4, 0)
    # A depot node is not a client.
    with pytest.raises(IndexOutOfRangeError):
        inst.solution([[11]])
    with pytest.raises(IndexOutOfRangeError):
        check(inst, [[12]])


@pytest.mark.parametrize("windows", [False, True])
@pytest.mark.parametrize("algorithm", ["hgs", "sisr"])
def test_solve_uses_each_types_depots_and_the_checker_agrees(windows: bool, algorithm: str) -> None:
    inst = three_depots(windows=windows)
    res = solve(inst, time_limit=60, max_iterations=300, algorithm=algorithm, seed=2)
    sol = res.solution
    assert sol.feasible
    rep = check(inst, sol)
    assert rep.feasible, rep.summary()
    assert rep.cost == pytest.approx(sol.cost, abs=1e-9)
    assert [r.duration_internal for r in rep.routes] == [r.duration for r in sol.routes]
    # Several depots are used (the clients are spread over the square).
    used = {inst.data.vehicle_types[r.vehicle_type].start_depot for r in sol.routes}
    assert len(used) >= 2
    # Same seed, same iterations: same result.
    again = solve(inst, time_limit=60, max_iterations=300, algorithm=algorithm, seed=2)
    assert [list(r.visits) for r in again.solution.routes] == [list(r.visits) for r in sol.routes]


def test_search_moves_clients_to_the_near_depot() -> None:
    # All clients next to depot 1; the initial solution serves them from far-away depot 0.
    rng = np.random.default_rng(3)
    n = 20
    xy = np.vstack([[0, 0], rng.uniform(95, 100, (n, 2))])
    specs = [
        VehicleSpec(capacity=100, num_available=2),
        VehicleSpec(capacity=100, num_available=2, start_depot=1, end_depot=1),
    ]
    inst = Instance.from_arrays(xy, np.r_[0, np.ones(n)], specs, depots=[[100, 100]])
    start = [list(range(1, n + 1))]
    res = solve(inst, time_limit=30, max_iterations=50, initial_solution=inst.solution(start))
    assert {r.vehicle_type for r in res.solution.routes} == {1}
    assert check(inst, res.solution).cost == pytest.approx(res.solution.cost)


def test_bad_depot_input_is_refused_naming_the_field() -> None:
    xy = [[0, 0], [1, 1], [2, 2]]
    with pytest.raises(InputError, match=r"vehicle_types\[1\]\.start_depot: depot 2 does not"):
        Instance.from_arrays(
            xy,
            [0, 1, 1],
            [VehicleSpec(capacity=5), VehicleSpec(capacity=5, start_depot=2)],
            depots=[[5, 5]],
        )
    with pytest.raises(InputError, match=r"vehicle_types\[0\]\.end_depot: depot 1 does not"):
        Instance.from_arrays(xy, [0, 1, 1], [VehicleSpec(capacity=5, end_depot=1)])
    with pytest.raises(InputError, match=r"VehicleSpec\.start_depot"):
        VehicleSpec(capacity=5, start_depot=-1)
    with pytest.raises(InputError, match=r"VehicleSpec\.end_depot"):
        VehicleSpec(capacity=5, end_depot=True)  # type: ignore[arg-type]
    spec = [VehicleSpec(capacity=5)]
    with pytest.raises(InputError, match=r"depots: expected shape"):
        Instance.from_arrays(xy, [0, 1, 1], spec, depots=[5, 5])
    with pytest.raises(InputError, match=r"depots: coordinates must be finite"):
        Instance.from_arrays(xy, [0, 1, 1], spec, depots=[[np.nan, 5]])
    with pytest.raises(InputError, match=r"depot_time_window: given without depots"):
        Instance.from_arrays(xy, [0, 1, 1], spec, depot_time_window=[[0, 5]])
    with pytest.raises(InputError, match=r"depot_time_window: expected shape"):
        Instance.from_arrays(xy, [0, 1, 1], spec, depots=[[5, 5]], depot_time_window=[0, 5])
    with pytest.raises(InputError, match=r"demand: expected 3 rows"):
        Instance.from_arrays(xy, [0, 1], spec, depots=[[5, 5]])
    with pytest.raises(InputError, match=r"depot_time_window: depot 1 opens at 9 after"):
        Instance.from_arrays(xy, [0, 1, 1], spec, depots=[[5, 5]], depot_time_window=[[9, 3]])
    with pytest.raises(InputError, match=r"depot_time_window: depot 1 has a negative"):
        Instance.from_arrays(xy, [0, 1, 1], spec, depots=[[5, 5]], depot_time_window=[[-1, 3]])


def test_depot_window_binds_the_routes_of_its_types() -> None:
    # Depot 1 (at x = 60) opens at 100: a type-1 route cannot start before, so client 1 (at
    # x = 20, window [0, 110]) is only reachable in time from depot 0.
    xy = [[0, 0], [20, 0], [40, 0]]
    tw = [[0, 1000], [0, 110], [0, 1000]]
    specs = [VehicleSpec(capacity=5, num_available=1), VehicleSpec(capacity=5, start_depot=1)]
    inst = Instance.from_arrays(
        xy, [0, 1, 1], specs, time_window=tw, depots=[[60, 0]], depot_time_window=[[100, 500]]
    )
    bad = inst.solution([[1], [2]], vehicle_types=[1, 0])
    assert not bad.feasible
    rep = check(inst, [[1], [2]], [1, 0])
    assert [v.kind for v in rep.violations] == ["time_window"]
    assert rep.routes[0].duration_internal == bad.routes[0].duration
    res = solve(inst, time_limit=10, max_iterations=50)
    assert res.solution.feasible
    assert check(inst, res.solution).feasible


def test_ortools_reference_starts_and_ends_per_vehicle() -> None:
    pytest.importorskip("ortools")
    from lastmile_core.reference import solve_ortools

    for windows in (False, True):
        inst = three_depots(n=25, seed=5, windows=windows)
        ref = solve_ortools(inst, time_limit=2)
        assert ref.feasible and ref.exact_cost_scale
        assert ref.objective == pytest.approx(ref.cost, abs=1e-6)
        rep = check(inst, ref.routes, ref.vehicle_types)
        assert rep.feasible, rep.summary()
        assert rep.cost == pytest.approx(ref.objective, abs=1e-6)


MDVRPTW = [f"PR{i}{v}" for i in range(11, 18) for v in "AB"]


@pytest.mark.parametrize("name", MDVRPTW)
def test_checker_reproduces_the_shipped_mdvrptw_solution_costs(data_dir: Path, name: str) -> None:
    path = shared_file(data_dir, "pyvrp_instances", "MDVRPTW", f"{name}.vrp")
    inst = read_vrplib(path)
    assert inst.data.num_depots > 1 and inst.data.has_time_windows
    routes, cost = read_md_solution(path.with_suffix(".sol"), inst)
    rep = check(inst, routes)
    assert rep.feasible, rep.summary()
    assert cost is not None
    assert rep.distance_internal == round(cost)  # the .sol cost: sum of round(1000 * euclid)
    sol = inst.solution(routes)
    assert sol.feasible
    assert round(sol.cost * 1000) == round(cost)


def test_mdvrptw_reader_layout(data_dir: Path) -> None:
    path = shared_file(data_dir, "pyvrp_instances", "MDVRPTW", "PR17A.vrp")
    inst = read_vrplib(path)
    d = inst.data
    assert d.num_depots == 6 and inst.num_clients == 360
    types = d.vehicle_types
    assert [(t.start_depot, t.end_depot) for t in types] == [(k, k) for k in range(6)]
    assert sum(t.num_available for t in types) == len(inst.metadata["vehicle_types"])
    # node ids: depot 1 first, then the clients, then depots 2..6
    assert inst.node_ids[0] == 1 and inst.node_ids[1] == 7 and inst.node_ids[-1] == 6
    xy = d.coords
    e = float(np.hypot(*(xy[1] - xy[d.num_nodes - 1])))
    assert d.dist(1, d.num_nodes - 1) == round(1000 * e)
    assert types[0].max_duration is not None


def test_mdvrptw_reader_refuses_a_bad_vehicle_depot(tmp_path: Path) -> None:
    from lastmile_core.errors import FormatError

    text = (
        "NAME: t\nTYPE: MDVRPTW\nEDGE_WEIGHT_TYPE: EUC_2D\nDIMENSION: 4\nVEHICLES: 2\n"
        "CAPACITY: 10\nNODE_COORD_SECTION\n1 0 0\n2 5 5\n3 1 1\n4 2 2\nDEMAND_SECTION\n"
        "1 0\n2 0\n3 1\n4 1\nSERVICE_TIME_SECTION\n1 0\n2 0\n3 1\n4 1\nTIME_WINDOW_SECTION\n"
        "1 0 100\n2 0 100\n3 0 100\n4 0 100\nVEHICLES_DEPOT_SECTION\n1 1\n2 3\n"
        "DEPOT_SECTION\n1\n2\n-1\nEOF\n"
    )
    p = tmp_path / "t.vrp"
    p.write_text(text)
    with pytest.raises(FormatError, match=r"VEHICLES_DEPOT_SECTION: depot 3 is not one of 1..2"):
        read_vrplib(p)
    p.write_text(text.replace("2 3\n", "2 2\n"))
    inst = read_vrplib(p)
    assert inst.data.num_depots == 2 and inst.num_clients == 2


def test_routes_table_has_each_routes_depots() -> None:
    from lastmile_core.io import routes_table

    inst = three_depots(n=12, seed=1)
    sol = inst.solution([[1, 2, 3], [4, 5], list(range(6, 13))], vehicle_types=[3, 1, 0])
    tab = routes_table(inst, sol)
    ends = tab[tab["is_depot"]].groupby("route_id")["node"].agg(list).to_dict()
    assert ends == {0: [14, 0], 1: [13, 13], 2: [0, 0]}
    last = tab.groupby("route_id")["distance"].last().to_dict()
    assert [last[r] for r in range(3)] == [r.distance for r in sol.routes]
