"""Routing with battery limits: every returned route keeps its charge above the reserve, checked
by an independent recomputation with the Python energy API (lastmile_core.energy)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import lastmile_core as lc
from lastmile_core import _core, energy, examples
from lastmile_core.errors import InfeasibleError, InputError

AMBIENT_C = -7.0
BATTERY_KWH = 24.0
RESERVE_KWH = 2.0


@pytest.fixture(scope="module")
def van() -> energy.Vehicle:
    return energy.Vehicle.preset("small_van")


def ev_spec(van: energy.Vehicle, **kw: Any) -> lc.VehicleSpec:
    args: dict[str, Any] = dict(
        capacity=(250, 8000, 600),
        fixed_cost=100.0,
        cost_per_distance=0.5,
        cost_per_duration=30.0 / 3600.0,
        max_duration=8 * 3600.0,
        name="ev",
        battery_kwh=BATTERY_KWH,
        reserve_kwh=RESERVE_KWH,
        energy_vehicle=van,
        ambient_c=AMBIENT_C,
        payload_dim="weight_kg",
    )
    args.update(kw)
    return lc.VehicleSpec(**args)


def station_ev(van: energy.Vehicle, seed: int = 3, n: int = 300, **kw: Any) -> lc.Instance:
    return examples.station(seed, n_packages=n, vehicle_types=[ev_spec(van, **kw)])


def checker_vehicle(van: energy.Vehicle, battery_kwh: float) -> energy.Vehicle:
    """The same vehicle with the routing battery as its usable energy (for SoC fractions)."""
    params: dict[str, Any] = {**van.to_dict(), "battery_usable_kwh": battery_kwh}
    return energy.Vehicle(**params)


def independent_check(inst: lc.Instance, solution: Any, van: energy.Vehicle):  # noqa: ANN201
    return energy.solution_energy(
        inst,
        solution,
        checker_vehicle(van, BATTERY_KWH),
        ambient_c=AMBIENT_C,
        reserve_kwh=RESERVE_KWH,
    )


@pytest.fixture(scope="module")
def solved(van: energy.Vehicle) -> tuple[lc.Instance, lc.Result]:
    inst = station_ev(van)
    return inst, lc.solve(inst, time_limit=3.0, seed=1)


def test_returned_routes_keep_charge_above_reserve_by_independent_recomputation(
    solved: tuple[lc.Instance, lc.Result], van: energy.Vehicle
) -> None:
    """Every solved route's minimum SoC (recomputed by energy.solution_energy) is >= reserve."""
    inst, res = solved
    assert res.feasible and res.solution.violations == []
    df = independent_check(inst, res.solution, van)
    assert len(df) == res.solution.num_routes
    assert (df.min_soc * BATTERY_KWH >= RESERVE_KWH - 1e-9).all(), df
    assert df.feasible.all()
    assert df.stops.sum() == inst.num_clients
    rep = lc.battery_report(inst, res.solution)  # the same check from the instance's own specs
    assert rep.feasible.all() and len(rep) == len(df)
    assert np.allclose(rep.energy_kwh, df.energy_kwh, rtol=1e-12)
    # The limit binds: at least one route uses most of the usable energy.
    assert df.energy_kwh.max() > 0.8 * (BATTERY_KWH - RESERVE_KWH)
    # The engine's own per-route figures agree with the independent recomputation.
    for route, row in zip(res.solution.routes, df.itertuples(), strict=True):
        assert route.energy_kwh == pytest.approx(row.energy_kwh, rel=1e-9)
        assert route.min_charge_kwh == pytest.approx(row.min_soc * BATTERY_KWH, rel=1e-9)


def test_without_battery_limit_the_same_instance_breaks_it(
    solved: tuple[lc.Instance, lc.Result], van: energy.Vehicle
) -> None:
    """The same station-day solved without the battery has routes the battery cannot drive."""
    inst_ev, res_ev = solved
    spec = ev_spec(van, battery_kwh=0.0, reserve_kwh=0.0, energy_vehicle=None)
    plain = examples.station(3, n_packages=300, vehicle_types=[spec])
    res = lc.solve(plain, time_limit=3.0, seed=1)
    df = independent_check(plain, res.solution, van)
    assert not df.feasible.all()
    assert (df.min_soc * BATTERY_KWH < RESERVE_KWH).any()
    # The C++ evaluation of those routes under the EV fleet reports the battery violation.
    sol = inst_ev.solution(res.solution.routes)
    assert not sol.feasible
    assert any("battery - reserve" in v for v in sol.violations)
    rep = lc.battery_report(inst_ev, sol)
    assert sorted(rep.route[~rep.feasible]) == sorted(np.flatnonzero(~df.feasible.to_numpy()))
    # The battery costs: more routes or a longer day than the unconstrained optimum.
    assert res_ev.solution.num_routes >= res.solution.num_routes
    assert res_ev.cost > res.cost


def _independent_route_energy(
    inst: lc.Instance, van: energy.Vehicle, seq: list[int], speed_mps: float
) -> float:
    """Route energy with energy.route_energy (arc arrays built here in numpy)."""
    data = inst.data
    nodes = [0, *[c for c in seq if c != 0], 0]
    dist_m = np.array(
        [data.dist(nodes[k], nodes[k + 1]) for k in range(len(nodes) - 1)], dtype=float
    ) * (1000.0 / inst.distance_scale)
    stops = nodes[1:-1]
    assert data.elevation is not None
    elev = data.elevation[nodes[:-1]]
    r = energy.route_energy(
        van,
        dist_m,
        dwell_s=data.service_time[stops].astype(float) / inst.time_scale,
        payload_delivered_kg=data.demand[stops, 2].astype(float),
        elevation_m=elev,
        ambient_c=AMBIENT_C,
        cruise_speed_mps=speed_mps,
    )
    return r.energy_kwh


def _arc_coefficient_matrices(
    inst: lc.Instance, van: energy.Vehicle, speed_mps: float
) -> tuple[np.ndarray, np.ndarray]:
    """a[i, j], b[i, j] (kWh, kWh/kg) of every arc i -> j with energy.arc_energy_coefficients:
    the instance's distances, elevation rise and the service at j as dwell."""
    data = inst.data
    n = data.num_nodes
    assert data.elevation is not None
    dist_m = data.distance_matrix().astype(float) * (1000.0 / inst.distance_scale)
    rise = data.elevation[None, :] - data.elevation[:, None]
    dwell = np.broadcast_to(data.service_time.astype(float) / inst.time_scale, (n, n))
    a, b = energy.arc_energy_coefficients(
        van,
        dist_m.ravel(),
        rise.ravel(),
        dwell.ravel(),
        ambient_c=AMBIENT_C,
        cruise_speed_mps=speed_mps,
    )
    return a.reshape(n, n), b.reshape(n, n)


class _Prefix:
    """Prefix sums of one route (depot, visits..., depot) for the segment algebra
    E(S) = A + B W - C of a node sequence S entered with payload W (cpp/energy/ev_routing.h),
    forward and reversed; written here in numpy, independently of the C++ code."""

    def __init__(self, nodes: list[int], a: np.ndarray, b: np.ndarray, q: np.ndarray) -> None:
        nd = np.asarray(nodes)
        self.d = np.cumsum(q[nd])  # delivered up to and including each position
        d_before = np.r_[0.0, self.d[:-1]]
        fa, fb = a[nd[:-1], nd[1:]], b[nd[:-1], nd[1:]]  # forward arcs p-1 -> p
        ra, rb = a[nd[1:], nd[:-1]], b[nd[1:], nd[:-1]]  # the same arcs reversed
        self.a, self.b = np.r_[0.0, np.cumsum(fa)], np.r_[0.0, np.cumsum(fb)]
        self.c = np.r_[0.0, np.cumsum(fb * d_before[1:])]
        self.ar, self.br = np.r_[0.0, np.cumsum(ra)], np.r_[0.0, np.cumsum(rb)]
        self.cr = np.r_[0.0, np.cumsum(rb * d_before[1:])]

    def seg(self, i: int, j: int, rev: bool) -> tuple[float, float, float, float]:
        """(A, B, C, D) of positions i..j, traversed from j down to i when rev."""
        before = self.d[i - 1] if i > 0 else 0.0
        D = self.d[j] - before
        if not rev:
            B = self.b[j] - self.b[i]
            return self.a[j] - self.a[i], B, (self.c[j] - self.c[i]) - B * before, D
        B = self.br[j] - self.br[i]
        return self.ar[j] - self.ar[i], B, B * self.d[j] - (self.cr[j] - self.cr[i]), D


def test_constant_time_segment_energy_equals_route_energy(van: energy.Vehicle) -> None:
    """The O(1) segment concatenation the local search uses (prefix sums of the routes, pieces
    joined by one arc each, forward or reversed) gives the energy of the joined route computed
    directly by energy.route_energy and by the engine's evaluation (Solution route energy)."""
    inst = station_ev(van, seed=5, n=150)
    speed = inst.data.vehicle_types[0].cruise_speed_mps
    assert speed is not None and speed == pytest.approx(30.0 / 3.6)
    a_m, b_m = _arc_coefficient_matrices(inst, van, speed)
    q = inst.data.demand[:, 2].astype(float)
    q[0] = 0.0
    rng = np.random.default_rng(7)
    clients = rng.permutation(np.arange(1, inst.num_clients + 1)).tolist()
    checked = 0
    for _ in range(60):
        a = clients[: rng.integers(2, 25)]
        b = clients[30 : 30 + rng.integers(2, 25)]
        ma, mb = len(a), len(b)
        i = int(rng.integers(0, ma + 1))  # cut of route a after position i
        p = int(rng.integers(1, mb + 1))
        q_end = int(rng.integers(p, mb + 1))  # piece of route b
        rev = bool(rng.integers(0, 2))
        kind = int(rng.integers(0, 3))
        if kind == 0:  # insert b[p..q] (maybe reversed) into a after position i
            pieces = [(0, 0, i, False), (1, p, q_end, rev), (0, i + 1, ma + 1, False)]
        elif kind == 1:  # 2-opt*: head of a, tail of b
            pieces = [(0, 0, i, False), (1, p, mb + 1, False)]
        else:  # reverse a middle part of a (2-opt)
            j = int(rng.integers(i, ma + 1))
            pieces = [(0, 0, i, False), (0, i + 1, j, True), (0, j + 1, ma + 1, False)]
            pieces = [pc for pc in pieces if pc[1] <= pc[2]]
        routes = [[0, *a, 0], [0, *b, 0]]
        pre = [_Prefix(r, a_m, b_m, q) for r in routes]
        acc: tuple[float, float, float, float] | None = None
        prev = -1
        seq: list[int] = []
        for r, lo, hi, back in pieces:
            g = pre[r].seg(lo, hi, back)
            part = routes[r][lo : hi + 1]
            part = part[::-1] if back else part
            if acc is None:
                acc = g
            else:  # acc, then the arc prev -> part[0], then g
                A1, B1, C1, D1 = acc
                A2, B2, C2, D2 = g
                arc_a, arc_b = a_m[prev, part[0]], b_m[prev, part[0]]
                acc = (A1 + arc_a + A2, B1 + arc_b + B2, C1 + C2 + (arc_b + B2) * D1, D1 + D2)
            prev = part[-1]
            seq += part
        assert acc is not None and seq[0] == 0 and seq[-1] == 0
        A, B, C, D = acc
        e = A + B * D - C
        ref = _independent_route_energy(inst, van, seq, speed)
        assert e == pytest.approx(ref, rel=1e-9, abs=1e-9)
        visits = [c for c in seq if c != 0]
        engine = inst.solution([visits]).routes[0].energy_kwh
        assert engine == pytest.approx(ref, rel=1e-9, abs=1e-9)
        checked += 1
    assert checked == 60


def test_local_search_predicted_deltas_match_recomputed_costs(van: energy.Vehicle) -> None:
    """With the battery penalty the LS's incremental costs equal a from-scratch recomputation."""
    inst = station_ev(van, seed=4, n=200, battery_kwh=15.0)
    routes = [_core.Route([c], 0) for c in range(1, inst.num_clients + 1)]
    ls = _core.LocalSearch(inst.data, routes, granular=20, seed=3)
    for op in ("relocate1", "swap11", "two_opt", "two_opt_star", "relocate2", "swap_star"):
        for _ in range(30):
            before = ls.recompute_penalised_cost()
            delta = ls.improve_once(op)
            after = ls.recompute_penalised_cost()
            assert after - before == pytest.approx(delta, rel=1e-6, abs=1e-6)
            if delta == 0:
                break
    ls.run()
    assert ls.penalised_cost() == pytest.approx(ls.recompute_penalised_cost(), rel=1e-9)


def test_planar_instance_with_hills_solves_within_battery(van: energy.Vehicle) -> None:
    """A planar instance (km units, Gaussian hills) is solved within battery - reserve."""
    rng = np.random.default_rng(11)
    n = 80
    xy = np.vstack([[0.0, 0.0], rng.uniform(-9, 9, size=(n, 2))])
    elev = 40.0 + 120.0 * np.exp(-((xy[:, 0] - 4) ** 2 + (xy[:, 1] - 3) ** 2) / 10.0)
    demand = np.zeros((n + 1, 2))
    demand[1:, 0] = 1
    demand[1:, 1] = rng.integers(5, 60, size=n)
    service = np.r_[0.0, rng.uniform(60, 240, size=n)]
    spec = lc.VehicleSpec(
        capacity=(200, 600),
        fixed_cost=50.0,
        battery_kwh=14.0,
        reserve_kwh=1.0,
        energy_vehicle=van,
        ambient_c=AMBIENT_C,
        payload_dim="kg",
    )
    inst = lc.Instance.from_arrays(
        xy,
        demand,
        [spec],
        service_time=service,
        speed=30.0 / 3600.0,  # km per second
        time_scale=1.0,
        elevation_m=elev,
        dim_names=("stops", "kg"),
        metres_per_unit=1000.0,
    )
    res = lc.solve(inst, time_limit=2.0, seed=2)
    assert res.feasible
    df = energy.solution_energy(
        inst,
        res.solution,
        checker_vehicle(van, 14.0),
        metres_per_unit=1000.0,
        payload_dim="kg",
        ambient_c=AMBIENT_C,
        reserve_kwh=1.0,
    )
    assert (df.min_soc * 14.0 >= 1.0 - 1e-9).all(), df
    assert df.energy_kwh.max() > 0.7 * 13.0  # the limit binds
    assert df.stops.sum() == n


def test_mixed_fleet_keeps_ev_routes_within_battery(van: energy.Vehicle) -> None:
    """With EVs and diesel vans, EV routes respect the battery; diesel routes are unconstrained."""
    diesel = ev_spec(van, battery_kwh=0.0, reserve_kwh=0.0, energy_vehicle=None, name="diesel")
    diesel = lc.VehicleSpec(**{**diesel.__dict__, "num_available": 1, "fixed_cost": 150.0})
    inst = examples.station(3, n_packages=300, vehicle_types=[ev_spec(van), diesel])
    res = lc.solve(inst, time_limit=3.0, seed=1)
    assert res.feasible
    ev_routes = [r for r in res.solution.routes if r.vehicle_type == 0]
    assert ev_routes
    df = independent_check(inst, ev_routes, van)
    assert (df.min_soc * BATTERY_KWH >= RESERVE_KWH - 1e-9).all()
    rep = lc.battery_report(inst, res.solution)
    assert rep.feasible.all() and set(rep.vehicle_type) == {0}
    for r in res.solution.routes:
        if r.vehicle_type == 1:
            assert r.energy_kwh == 0.0


def test_same_seed_same_routes_with_battery(van: energy.Vehicle) -> None:
    """EV routing is deterministic for a fixed seed and iteration budget."""
    inst = station_ev(van, seed=6, n=150)
    a = lc.solve(inst, time_limit=30.0, seed=4, max_iterations=3000)
    b = lc.solve(inst, time_limit=30.0, seed=4, max_iterations=3000)
    assert [r.visits for r in a.solution.routes] == [r.visits for r in b.solution.routes]


def test_battery_too_small_for_any_round_trip_raises_infeasible(van: energy.Vehicle) -> None:
    """A battery that cannot reach some client and back raises InfeasibleError naming it."""
    inst = station_ev(van, seed=3, n=100, battery_kwh=3.0, reserve_kwh=0.5)
    with pytest.raises(InfeasibleError, match="battery/energy"):
        lc.solve(inst, time_limit=1.0)


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"battery_kwh": -1.0}, "battery_kwh"),
        ({"reserve_kwh": 30.0}, "reserve_kwh"),
        ({"battery_kwh": 0.0, "reserve_kwh": 50.0}, "reserve_kwh"),
        ({"payload_dim": "mass"}, "payload_dim"),
        ({"payload_dim": 7}, "payload_dim"),
        ({"payload_dim": None}, "payload_dim"),
        ({"energy_vehicle": None}, "energy_vehicle"),
        ({"energy_vehicle": "small_van"}, "energy_vehicle"),
        ({"cruise_speed_mps": 0.0}, "cruise_speed_mps"),
        ({"ambient_c": float("nan")}, "ambient_c"),
        ({"regen": "magic"}, "regen"),
    ],
)
def test_bad_ev_input_raises_input_error_naming_the_field(
    van: energy.Vehicle, kw: dict[str, Any], field: str
) -> None:
    """Bad battery / energy-model fields raise InputError naming the field."""
    with pytest.raises(InputError, match=field):
        station_ev(van, n=30, **kw)


def test_planar_ev_instance_needs_metres_per_unit(van: energy.Vehicle) -> None:
    """A planar instance with an EV type and no unit length raises InputError."""
    with pytest.raises(InputError, match="metres_per_unit"):
        lc.Instance.from_arrays(
            [[0, 0], [1, 1]],
            [[0, 0], [1, 5]],
            [ev_spec(van, capacity=(10, 100))],
            dim_names=("n", "weight_kg"),
        )


def test_core_vehicle_type_requires_payload_dim_with_energy_model(van: energy.Vehicle) -> None:
    """_core.VehicleType with an energy_vehicle but no payload_dim raises InputError."""
    with pytest.raises(InputError, match="payload_dim"):
        _core.VehicleType([10], energy_vehicle=van)
    t = _core.VehicleType([10, 100], energy_vehicle=van, payload_dim=1, reserve_kwh=1.0)
    assert t.battery_kwh == van.battery_usable_kwh
    assert t.payload_dim == 1 and t.energy_vehicle is not None


def test_minimum_charge_before_a_downhill_return_is_respected(van: energy.Vehicle) -> None:
    """Depot in a valley: the charge is lowest at the last stop, not at the depot; routes keep
    that minimum above the reserve (exact check), not just the end-of-route charge."""
    rng = np.random.default_rng(21)
    n = 60
    ang = rng.uniform(0, 2 * np.pi, size=n)
    rad = rng.uniform(3.0, 5.0, size=n)
    xy = np.vstack([[0.0, 0.0], np.column_stack([rad * np.cos(ang), rad * np.sin(ang)])])
    elev = np.r_[0.0, rng.uniform(280.0, 320.0, size=n)]
    demand = np.zeros((n + 1, 2))
    demand[1:, 0] = 1
    demand[1:, 1] = rng.integers(5, 40, size=n)
    spec = lc.VehicleSpec(
        capacity=(100, 600),
        fixed_cost=50.0,
        battery_kwh=9.0,
        reserve_kwh=1.0,
        energy_vehicle=van,
        ambient_c=AMBIENT_C,
        payload_dim="kg",
    )
    inst = lc.Instance.from_arrays(
        xy,
        demand,
        [spec],
        service_time=np.r_[0.0, np.full(n, 90.0)],
        speed=30.0 / 3600.0,
        time_scale=1.0,
        elevation_m=elev,
        dim_names=("stops", "kg"),
        metres_per_unit=1000.0,
    )
    res = lc.solve(inst, time_limit=2.0, seed=1)
    df = energy.solution_energy(
        inst,
        res.solution,
        checker_vehicle(van, 9.0),
        metres_per_unit=1000.0,
        payload_dim="kg",
        ambient_c=AMBIENT_C,
        reserve_kwh=1.0,
    )
    assert (df.min_soc < df.end_soc - 1e-6).all()  # regeneration on the way home
    assert (df.min_soc * 9.0 >= 1.0 - 1e-9).all(), df
    assert lc.battery_report(inst, res.solution).feasible.all()
    assert df.min_soc.min() * 9.0 < 1.0 + 0.15 * 8.0  # the minimum charge binds


def test_two_ev_models_and_a_diesel_type_in_one_local_search() -> None:
    """Two battery models (two energy classes) plus a diesel type: the LS's predicted deltas
    (including change_type and reversed segments with regeneration) match recomputation."""
    rng = np.random.default_rng(3)
    n = 60
    ang, rad = rng.uniform(0, 2 * np.pi, n), rng.uniform(2, 6, n)
    xy = np.vstack([[0, 0], np.column_stack([rad * np.cos(ang), rad * np.sin(ang)])])
    demand = np.zeros((n + 1, 2))
    demand[1:, 0] = 1
    demand[1:, 1] = rng.integers(5, 80, n)
    small, large = energy.Vehicle.preset("small_van"), energy.Vehicle.preset("large_van")
    common: dict[str, Any] = dict(
        ambient_c=AMBIENT_C, payload_dim="kg", reserve_kwh=1.0, num_available=6
    )
    specs = [
        lc.VehicleSpec(
            capacity=(40, 600), fixed_cost=50, battery_kwh=8, energy_vehicle=small, **common
        ),
        lc.VehicleSpec(
            capacity=(60, 1190), fixed_cost=80, battery_kwh=12, energy_vehicle=large, **common
        ),
        lc.VehicleSpec(capacity=(30, 500), fixed_cost=120, cost_per_distance=1.5),
    ]
    inst = lc.Instance.from_arrays(
        xy,
        demand,
        specs,
        service_time=np.r_[0, np.full(n, 90.0)],
        speed=30 / 3600,
        time_scale=1.0,
        elevation_m=np.r_[0.0, rng.uniform(150, 350, n)],
        dim_names=("stops", "kg"),
        metres_per_unit=1000.0,
    )
    ops = ["relocate1", "relocate2", "relocate3", "swap11", "swap21", "swap22", "two_opt"]
    ops += ["two_opt_star", "swap_star", "change_type"]
    ls = _core.LocalSearch(inst.data, [_core.Route([c], 0) for c in range(1, n + 1)], seed=2)
    applied = 0
    for _ in range(40):
        for op in ops:
            before = ls.recompute_penalised_cost()
            delta = ls.improve_once(op)
            applied += delta != 0
            assert ls.recompute_penalised_cost() - before == pytest.approx(delta, abs=1e-6)
    assert applied > 50
    res = lc.solve(inst, time_limit=1.5, seed=1)
    rep = lc.battery_report(inst, res.solution)
    assert res.feasible and rep.feasible.all()
    assert {0, 1} & set(rep.vehicle_type)


def test_capacity_above_the_vehicle_max_payload_is_refused(van) -> None:
    """Routing and the energy evaluation agree on what the van carries: a payload capacity above
    the energy vehicle's max_payload_kg is an InputError naming the capacity (the energy table
    would flag every heavier route as infeasible)."""
    assert van.max_payload_kg == 600
    with pytest.raises(InputError, match=r"vehicle_types\[0\]\.capacity: .*600"):
        examples.station(1, n_packages=100, vehicle_types=[ev_spec(van, capacity=(250, 8000, 601))])
    inst = examples.station(
        1, n_packages=100, vehicle_types=[ev_spec(van, capacity=(250, 8000, 600))]
    )
    assert inst.data.vehicle_types[0].capacity[2] == 600
