"""Pickups (returns): the model and its validation, the load profile in the C++ evaluation and in
the independent checker (they agree), the solver end to end (feasible at every point of every
route, unchanged without pickups), stop tables, the OR-Tools reference and the VRPB reader
(PyVRP's dialect; every shipped .sol reproduced exactly)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lastmile_core as lc
from lastmile_core.check import check
from lastmile_core.errors import FormatError, InputError
from lastmile_core.instance import Instance, VehicleSpec
from lastmile_core.io import read_solution_with_cost, read_vrplib
from lastmile_core.io.tables import read_stops, stops_frame

from .conftest import shared_file


def line(pickup: list[int] | None, cap: int = 10) -> Instance:
    """Depot at 0 and four clients at 1..4 on a line: deliveries 6, 4, 0, 0."""
    return Instance.from_arrays(
        [[0, 0], [1, 0], [2, 0], [3, 0], [4, 0]],
        [0, 6, 4, 0, 0],
        [VehicleSpec(capacity=cap)],
        distance="euclidean_rounded",
        pickup=pickup,
    )


def random_pickups(seed: int, n: int = 40, dims: int = 1, cap: int = 40) -> Instance:
    rng = np.random.default_rng(seed)
    coords = rng.uniform(0, 100, size=(n + 1, 2))
    dem = rng.integers(0, 10, size=(n + 1, dims))
    pick = rng.integers(0, 10, size=(n + 1, dims))
    return Instance.from_arrays(
        coords,
        dem,
        [VehicleSpec(capacity=[cap] * dims)],
        distance="euclidean_rounded",
        pickup=pick,
    )


def peak_loads(inst: Instance, route: list[int]) -> np.ndarray:
    """The largest load on board per dimension, walking the route."""
    dem, pick = inst.data.demand, inst.data.pickup
    load = dem[route].sum(axis=0)
    peak = load.copy()
    for c in route:
        load = load - dem[c] + pick[c]
        peak = np.maximum(peak, load)
    return peak


# -- model --------------------------------------------------------------------------------------


def test_pickups_are_kept_and_zero_pickups_are_none() -> None:
    inst = line([0, 0, 0, 7, 3])
    assert inst.data.has_pickups
    assert inst.data.pickup[:, 0].tolist() == [0, 0, 0, 7, 3]
    assert not line([0, 0, 0, 0, 0]).data.has_pickups
    assert not line(None).data.has_pickups
    assert line(None).data.pickup.sum() == 0


@pytest.mark.parametrize(
    ("pickup", "words"),
    [
        ([0, 0, float("nan"), 1, 1], ("pickup", "client 2", "not finite")),
        ([0, 0, 0, -1, 1], ("pickup", "client 3", "negative")),
        ([0, 0, 0, 1.5, 1], ("pickup", "client 3", "not an integer")),
        ([0, 0, 0, 11, 1], ("pickup", "client 3", "largest capacity 10")),
        ([0, 1, 1], ("pickup", "shape")),
        ("many", ("pickup", "numbers")),
    ],
)
def test_bad_pickups_are_refused_naming_field_and_client(pickup: object, words: tuple) -> None:
    with pytest.raises(InputError) as err:
        line(pickup)  # type: ignore[arg-type]
    for w in words:
        assert w in str(err.value)


def test_pickup_with_delivery_must_fit_one_type_together() -> None:
    # client 1 delivers 6 and picks up 3 on a 2-dimensional instance: dimension 1 fits nowhere
    with pytest.raises(InputError, match=r"pickup: client 1, dimension 'b'"):
        Instance.from_arrays(
            [[0, 0], [1, 1]],
            [[0, 0], [6, 1]],
            [VehicleSpec(capacity=[10, 2])],
            dim_names=("a", "b"),
            pickup=[[0, 0], [3, 3]],
        )


def test_pickups_and_battery_types_are_refused() -> None:
    from lastmile_core import energy

    spec = VehicleSpec(
        capacity=(250, 8000, 600),
        battery_kwh=60.0,
        energy_vehicle=energy.Vehicle.preset("small_van"),
        payload_dim="weight_kg",
    )
    with pytest.raises(InputError, match="pickup: pickups with a battery-constrained"):
        Instance.from_arrays(
            [[-97.74, 30.26], [-97.75, 30.27]],
            [[0, 0, 0], [1, 1, 1]],
            [spec],
            geographic=True,
            dim_names=("packages", "volume_l", "weight_kg"),
            pickup=[[0, 0, 0], [1, 0, 0]],
        )


# -- evaluation: the C++ Solution and the independent checker -----------------------------------


def test_pickup_order_matters_in_both_evaluations() -> None:
    inst = line([0, 0, 0, 7, 3])
    good = inst.solution([[1, 2, 3, 4]])  # loads 10, 4, 0, 7, 10
    assert good.feasible
    assert check(inst, [[1, 2, 3, 4]]).feasible
    bad = inst.solution([[1, 3, 2, 4]])  # 10, 4, 11 after client 3
    [v] = bad.details
    assert (v.kind, v.client, v.value, v.limit) == ("pickup_load", 3, 11.0, 10.0)
    [cv] = check(inst, [[1, 3, 2, 4]]).violations
    assert cv.kind == "pickup_load" and "client 3" in cv and "load 11" in cv
    assert inst.violations(bad) == [
        "route 0: load 11 after the pickup at client 3 exceeds capacity 10 in dimension 0 (packages)"
    ]
    # delivery total above the capacity: the capacity violation, not a second one
    over = line([0, 0, 0, 7, 3], cap=9)
    assert [v.kind for v in over.solution([[1, 2, 3, 4]]).details] == ["capacity"]
    assert [v.kind for v in check(over, [[1, 2, 3, 4]]).violations] == ["capacity"]


@pytest.mark.parametrize("seed", range(6))
def test_checker_agrees_with_the_engine_on_random_routes(seed: int) -> None:
    inst = random_pickups(seed, dims=1 + seed % 2)
    rng = np.random.default_rng(100 + seed)
    clients = rng.permutation(np.arange(1, inst.num_nodes))
    cuts = np.sort(rng.choice(np.arange(1, clients.size), size=6, replace=False))
    routes = [list(map(int, r)) for r in np.split(clients, cuts)]
    sol = inst.solution(routes)
    rep = check(inst, routes)
    eng = sorted((v.kind, v.route) for v in sol.details)
    ind = sorted((v.kind, v.route) for v in rep.violations)
    assert eng == ind
    assert rep.cost == sol.cost
    caps = np.asarray(inst.data.vehicle_types[0].capacity)
    for r, route in enumerate(routes):  # both flag exactly the routes whose peak is too high
        over = bool(np.any(peak_loads(inst, route) > caps))
        assert over == any(v.route == r for v in sol.details)


# -- solver -------------------------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["sisr", "hgs"])
def test_solver_keeps_the_load_within_capacity_at_every_point(algorithm: str) -> None:
    inst = random_pickups(7, n=60, cap=45)
    res = lc.solve(
        inst, max_iterations=400 if algorithm == "hgs" else 3000, seed=2, algorithm=algorithm
    )
    assert check(inst, res.solution).feasible
    caps = np.asarray(inst.data.vehicle_types[0].capacity)
    for r in res.routes:
        assert np.all(peak_loads(inst, list(r)) <= caps)
    # the delivery total alone would often fit: the pickups made the search work harder
    totals = [int(inst.data.demand[list(r)].sum()) for r in res.routes]
    assert max(totals) <= 45


def test_zero_pickups_give_the_same_routes_as_none() -> None:
    rng = np.random.default_rng(3)
    coords = rng.uniform(0, 100, size=(51, 2))
    dem = rng.integers(1, 10, size=51)
    a = Instance.from_arrays(coords, dem, [VehicleSpec(capacity=40)])
    b = Instance.from_arrays(coords, dem, [VehicleSpec(capacity=40)], pickup=np.zeros(51))
    ra = lc.solve(a, max_iterations=2000, seed=5)
    rb = lc.solve(b, max_iterations=2000, seed=5)
    assert ra.cost == rb.cost and ra.routes == rb.routes


def test_pickups_that_no_fleet_can_bring_back_are_infeasible() -> None:
    inst = Instance.from_arrays(
        [[0, 0], [1, 0], [2, 0]],
        [0, 1, 1],
        [VehicleSpec(capacity=10, num_available=1)],
        pickup=[0, 8, 8],
    )
    with pytest.raises(lc.errors.InfeasibleError, match="total pickup 16"):
        lc.solve(inst, max_iterations=50)


# -- stop tables --------------------------------------------------------------------------------


def test_stop_table_pickup_columns_round_trip() -> None:
    df = pd.DataFrame(
        {
            "stop_id": ["D", "a", "b", "c"],
            "x": [0.0, 1, 2, 3],
            "y": [0.0, 0, 0, 0],
            "packages": [None, 3, 2, 0],
            "pickup_packages": [None, 0, 1, 4],
        }
    )
    inst = read_stops(df, [VehicleSpec(capacity=6)])
    assert inst.data.pickup[:, 0].tolist() == [0, 0, 1, 4]
    back = stops_frame(inst)
    assert back["pickup_packages"].tolist() == [0, 0, 1, 4]
    assert read_stops(back, [VehicleSpec(capacity=6)]).data.pickup.tolist() == (
        inst.data.pickup.tolist()
    )
    with pytest.raises(FormatError, match="pickup_weight_kg"):
        read_stops(df.assign(pickup_weight_kg=1), [VehicleSpec(capacity=6)])
    with pytest.raises(InputError, match="pickup: client 2"):
        read_stops(df.assign(pickup_packages=[0, 0, -1, 0]), [VehicleSpec(capacity=6)])


# -- OR-Tools reference -------------------------------------------------------------------------


def test_ortools_models_the_load_on_board() -> None:
    pytest.importorskip("ortools")
    from lastmile_core.reference import solve_ortools

    inst = random_pickups(11, n=25, cap=30)
    res = solve_ortools(inst, time_limit=1.0)
    assert res.solution is not None and res.feasible, res.status
    assert check(inst, res.routes).feasible
    assert abs(res.objective - res.cost) < 1e-6
    caps = np.asarray(inst.data.vehicle_types[0].capacity)
    for r in res.routes:
        assert np.all(peak_loads(inst, r) <= caps)
    # the model is tight: the pickup-first order of a 2-client case is refused
    tiny = line([0, 0, 0, 7, 3])
    res2 = solve_ortools(tiny, time_limit=1.0, num_vehicles=1)
    assert res2.feasible and res2.routes
    assert check(tiny, res2.routes).feasible


# -- VRPB (PyVRP's dialect) ---------------------------------------------------------------------


def _vrpb_names(data_dir: Path) -> list[str]:
    folder = shared_file(data_dir, "pyvrp_instances", "VRPB")
    names = sorted(p.stem for p in folder.glob("*.sol"))
    assert len(names) >= 40
    return names


def test_checker_reproduces_every_shipped_vrpb_solution(data_dir: Path) -> None:
    for name in _vrpb_names(data_dir):
        path = shared_file(data_dir, "pyvrp_instances", "VRPB", f"{name}.vrp")
        inst = read_vrplib(path)
        routes, bks = read_solution_with_cost(path.with_suffix(".sol"))
        rep = check(inst, routes)
        assert rep.feasible, (name, rep.violations[:3])
        assert rep.cost == bks, name
        sol = inst.solution(routes)
        assert sol.feasible and sol.cost == bks, name
        # the order the BKS assume, recomputed from the sections: linehauls, then backhauls
        back = inst.data.pickup[:, 0] > 0
        for r in routes:
            kinds = "".join("B" if back[c] else "L" for c in r)
            assert kinds.startswith("L") and "BL" not in kinds, (name, kinds)


def test_vrpb_order_and_pickups_are_constraints(data_dir: Path) -> None:
    path = shared_file(data_dir, "pyvrp_instances", "VRPB", "X-n524-66-k129.vrp")
    inst = read_vrplib(path)
    assert inst.data.has_pickups and inst.metadata["type"] == "VRPB"
    assert "backhaul" in inst.metadata["backhaul_order"]
    routes, _ = read_solution_with_cost(path.with_suffix(".sol"))
    back = inst.data.pickup[:, 0] > 0
    r = next(r for r in routes if back[r[-1]] and not back[r[0]])
    flipped = [list(reversed(r))] + [x for x in routes if x is not r]
    kinds = {v.kind for v in check(inst, flipped).violations}
    assert "duration" in kinds  # backhaul first: the forbidden arcs
    assert kinds == {v.kind for v in inst.solution(flipped).details}


def test_vrpb_client_both_linehaul_and_backhaul_is_refused(tmp_path: Path) -> None:
    text = "\n".join(
        [
            "NAME: t",
            "TYPE: VRPB",
            "DIMENSION: 3",
            "CAPACITY: 10",
            "EDGE_WEIGHT_TYPE: EUC_2D",
            "NODE_COORD_SECTION",
            "1 0 0",
            "2 1 0",
            "3 2 0",
            "DEMAND_SECTION",
            "1 0",
            "2 3",
            "3 2",
            "BACKHAUL_SECTION",
            "1 0",
            "2 0",
            "3 1",
            "DEPOT_SECTION",
            "1",
            "-1",
            "EOF",
        ]
    )
    p = tmp_path / "t.vrp"
    p.write_text(text + "\n")
    with pytest.raises(FormatError, match="BACKHAUL_SECTION: node 3"):
        read_vrplib(p)
    p.write_text(text.replace("3 2\nBACKHAUL", "3 0\nBACKHAUL") + "\n")
    inst = read_vrplib(p)
    assert inst.data.pickup[:, 0].tolist() == [0, 0, 1]
    res = lc.solve(inst, max_iterations=100)
    assert res.routes == [[1, 2]] and check(inst, res.solution).feasible
