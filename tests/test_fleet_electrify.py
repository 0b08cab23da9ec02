"""The electrification plan: hand-checked optima, monotonicity and every constraint checked on
the plan's own output (small synthetic stations and the bundled example)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from lastmile_core import energy
from lastmile_core.errors import InfeasibleError
from lastmile_core.fleet.charging import ChargerType
from lastmile_core.fleet.electrify import PLAN_COLUMNS, plan_electrification
from lastmile_core.fleet.electrify_example import example_inputs
from lastmile_core.fleet.electrify_inputs import Network
from lastmile_core.fleet.ev_fit import EVType

MONTHS = ["2026-01", "2026-02", "2026-03"]


def tiny(
    *,
    vans: float = 4,
    site_kw: float = 100.0,
    parking: int = 10,
    n_routes: int = 4,
    months: list[str] = MONTHS,
    temperature_c: float = 20.0,
    evs_now: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One station, identical short flat routes (they all fit), constant van need."""
    forecast = pd.DataFrame({"station": "s1", "month": months, "vans": float(vans)})
    stations = pd.DataFrame(
        [
            {
                "station": "s1",
                "city": "c",
                "parking": parking,
                "site_kw": site_kw,
                "window_h": 8.0,
                "evs_now": evs_now,
            }
        ]
    )
    temps = pd.DataFrame({"city": "c", "month": months, "temperature_c": temperature_c})
    arcs = []
    for r in range(n_routes):
        arcs.append(
            pd.DataFrame(
                {
                    "station": "s1",
                    "route": f"r{r}",
                    "distance_m": [5000.0] + [800.0] * 40 + [5000.0],
                    "elevation_diff_m": 0.0,
                    "dwell_s": [0.0] + [90.0] * 40 + [0.0],
                    "payload_kg": [0.0] + [10.0] * 40 + [0.0],
                }
            )
        )
    return forecast, stations, temps, pd.concat(arcs, ignore_index=True)


NET = Network(
    ev_types=(EVType("ev", price=50000.0, charge_kw=11.0),),
    charger_types=(ChargerType("ac", kw=11.0, cost=2000.0),),
)


def test_hand_checked_optimum_buys_late_and_just_enough() -> None:
    """4 routes a day, 50 % EV share from the third month: the cheapest plan buys 2 EVs and 2
    charge points, delivered in the third month (nothing earlier)."""
    net = dataclasses.replace(NET, targets={"2026-03": 0.5})
    plan = plan_electrification(*tiny(), net)
    t = plan.table
    assert list(t["evs"]) == [0, 0, 2]
    assert list(t["evs_active"]) == [0, 0, 2]
    assert list(t["chargers"]) == [0, 0, 2]
    assert plan.cost == pytest.approx(2 * 50000 + 2 * 2000)
    assert list(t["spend_per_month"]) == pytest.approx([0, 0, 104000])
    assert plan.status == "optimal"
    assert set(plan.cpu_s) == set(plan.timings_s) == {"route_fit", "mip_data", "mip", "table"}
    assert all(v >= 0 for v in plan.cpu_s.values())
    for c in PLAN_COLUMNS:
        assert c in t.columns


def test_site_power_caps_the_evs_and_is_named_when_the_target_needs_more() -> None:
    """The site takes one EV's night energy, not two: max_share electrifies one route; a 50 %
    target (two EVs) is infeasible with site_kw named as binding."""
    f, s, te, r = tiny()
    probe = plan_electrification(f, s, te, r, dataclasses.replace(NET, targets={"2026-01": 0.25}))
    g = float(probe.table["night_kwh"].iloc[0])  # one EV's grid kWh per night
    s = s.assign(site_kw=1.5 * g / 8.0)
    best = plan_electrification(f, s, te, r, dataclasses.replace(NET, objective="max_share"))
    assert list(best.table["evs_active"]) == [1, 1, 1]
    assert (best.table["peak_kw"] <= best.table["site_kw"] + 1e-9).all()
    assert "site_kw" in best.table["tight"].iloc[0]
    with pytest.raises(InfeasibleError, match=r"^targets: .*binding: .*site_kw"):
        plan_electrification(f, s, te, r, dataclasses.replace(NET, targets={"2026-01": 0.5}))


def test_lead_time_makes_an_early_target_infeasible_and_says_so() -> None:
    net = dataclasses.replace(NET, targets={"2026-01": 0.5}, lead_time_months=1)
    with pytest.raises(InfeasibleError, match=r"^targets: EV share 0.5 in 2026-01.*lead_time"):
        plan_electrification(*tiny(), net)
    later = plan_electrification(*tiny(), dataclasses.replace(net, targets={"2026-02": 0.5}))
    assert list(later.table["evs_bought"]) == [0, 2, 0]


def test_parking_limits_evs_bought_on_top_of_the_combustion_fleet() -> None:
    """Parking 5 with 4 routes a day and 2 EVs now: every EV bought must replace a combustion
    van on the road, so owned EVs + combustion vans never exceed 5."""
    plan = plan_electrification(
        *tiny(parking=5, evs_now=2), dataclasses.replace(NET, objective="max_share")
    )
    t = plan.table
    assert (t["vans"] <= t["parking"]).all()
    assert (t["evs"] + t["combustion"] == t["vans"]).all()
    assert list(t["evs"]) == [4, 4, 4]


def test_budget_bounds_max_share_and_more_budget_never_lowers_it() -> None:
    shares = []
    for budget in (0.0, 52000.0, 104000.0, 1e7):
        net = dataclasses.replace(NET, objective="max_share", budget_total=budget)
        plan = plan_electrification(*tiny(), net)
        assert plan.cost <= budget + 1e-6
        shares.append(float(plan.table["evs_active"].sum()))
    assert shares[0] == 0 and shares[1] == 3 and shares[2] == 6 and shares[3] == 12
    assert shares == sorted(shares)


def test_cost_is_monotone_in_the_target_and_ev_counts_never_fall() -> None:
    costs = []
    for share in (0.0, 0.25, 0.5, 0.75, 1.0):
        plan = plan_electrification(*tiny(), dataclasses.replace(NET, targets={"2026-02": share}))
        costs.append(plan.cost)
        assert (np.diff(plan.table["evs"]) >= 0).all()
        assert (plan.table["evs_active"].iloc[1:] >= 4 * share - 1e-9).all()
    assert costs == sorted(costs)
    assert costs[-1] == pytest.approx(4 * 52000)


def test_cold_month_caps_evs_to_the_routes_that_fit() -> None:
    """Routes that fit at 20 C but not at -30 C (found with the energy API): a cold first month
    caps the active EVs at 0 there while the owned EVs never fall."""
    f, s, te, r = tiny(n_routes=4)
    # lengthen two of the four routes until they fail at -30 C but fit at 20 C
    ev = NET.ev_types[0]
    veh = ev.energy_vehicle()
    long_arcs = [5000.0] + [800.0] * 40 + [5000.0]
    for scale in np.arange(1.0, 20.0, 0.25):
        d = np.array(long_arcs) * scale
        kw = dict(dwell_s=[90.0] * 40 + [0.0], payload_delivered_kg=[10.0] * 40 + [0.0])
        cold = energy.route_energy(veh, d, **kw, ambient_c=-30.0, reserve_kwh=ev.reserve_kwh)
        warm = energy.route_energy(veh, d, **kw, ambient_c=20.0, reserve_kwh=ev.reserve_kwh)
        if not cold.feasible and warm.feasible:
            break
    else:
        pytest.fail("no route length separates -30 C from 20 C")
    r = r.copy()
    long_mask = r["route"].isin(["r0", "r1"])
    r.loc[long_mask, "distance_m"] *= scale
    te = te.assign(temperature_c=[-30.0, 20.0, 20.0])
    plan = plan_electrification(f, s, te, r, dataclasses.replace(NET, objective="max_share"))
    t = plan.table
    assert t["fit_share"].tolist() == [0.5, 1.0, 1.0]
    assert t["no_fit_cause"].iloc[0] == "cold"
    assert t["evs_active"].iloc[0] <= 2 and t["evs_active"].iloc[1] == 4
    assert (np.diff(t["evs"]) >= 0).all()


# --- the bundled example: every constraint on the plan's own output -----------------------


@pytest.fixture(scope="module")
def example_plan():  # type: ignore[no-untyped-def]
    ex = example_inputs()
    return ex, plan_electrification(
        ex.forecast, ex.stations, ex.temperatures, ex.routes, ex.network, upgrades=ex.upgrades
    )


def test_example_plan_respects_every_constraint(example_plan) -> None:  # type: ignore[no-untyped-def]
    ex, plan = example_plan
    t = plan.table
    net = ex.network
    assert (t["peak_kw"] <= t["site_kw"] + 1e-6).all()
    assert (t["evs"] <= t["vans"]).all() and (t["vans"] <= t["parking"]).all()
    assert (t["evs_active"] <= t["evs"]).all() and (t["evs_active"] <= t["vans_need"]).all()
    assert (t["chargers"] * net.evs_per_charger >= t["evs_active"]).all()
    assert (t["chargers"] <= t["parking"]).all()
    for _, g in t.groupby("station"):
        for c in [f"evs_{e.name}" for e in net.ev_types] + ["chargers"]:
            assert (np.diff(g[c].to_numpy()) >= 0).all(), c
        # lead time: nothing delivered in the first lead_time_months months
        assert (g["evs_bought"].iloc[: net.lead_time_months] == 0).all()
    share = plan.share_by_month()
    assert (share["ev_share"] >= share["target"] - 1e-9).all()
    # active EVs of each type never exceed the routes that type can drive that month
    fit = plan.fit.set_index(["station", "month", "ev_type"])
    for row in t.itertuples(index=False):
        for e in net.ev_types:
            share_t = fit.loc[(row.station, row.month, e.name), "fit_share"]
            active = t.loc[
                (t["station"] == row.station) & (t["month"] == row.month), f"evs_active_{e.name}"
            ].iloc[0]
            assert active <= np.floor(share_t * row.vans_need + 1e-9)
    # the power-limited station (before its upgrade) and the upgrade itself
    m = t[t["station"] == "mildham-1"]
    assert m["site_kw"].iloc[0] == 45.0 and m["site_kw"].iloc[-1] == 160.0
    # its limit binds: in some month one more EV's night energy would not fit under it
    tight = m[m["tight"].str.contains("site_kw")]
    assert len(tight) > 0
    assert (tight["peak_kw"] <= tight["site_kw"] + 1e-6).all()


def test_example_routes_marked_electric_fit_by_the_energy_api(example_plan) -> None:  # type: ignore[no-untyped-def]
    """Recompute a sample of routes one by one with energy.route_energy at the month's
    temperature: 'fits' matches, and each cause holds (fits flat at 20 C for cold/heat, ...)."""
    ex, plan = example_plan
    evs = {e.name: e for e in ex.network.ev_types}
    arcs = ex.routes
    rng = np.random.default_rng(0)
    rows = plan.routes.iloc[rng.choice(len(plan.routes), size=60, replace=False)]
    rows = pd.concat([rows, plan.routes[~plan.routes["fits"]].head(20)])
    for row in rows.itertuples(index=False):
        ev = evs[row.ev_type]
        veh = ev.energy_vehicle()
        a = arcs[arcs["route"] == row.route]
        kw = dict(
            dwell_s=a["dwell_s"].to_numpy()[1:],
            payload_delivered_kg=a["payload_kg"].to_numpy()[1:],
            reserve_kwh=ev.reserve_kwh,
        )
        d = a["distance_m"].to_numpy()
        rise = a["elevation_diff_m"].to_numpy()

        def ok(t: float, hills: bool, veh=veh, d=d, kw=kw, rise=rise) -> bool:  # type: ignore[no-untyped-def]
            return energy.route_energy(
                veh, d, **kw, ambient_c=t, elevation_diff_m=rise if hills else 0.0
            ).feasible

        payload_ok = a["payload_kg"].sum() <= veh.max_payload_kg
        full = ok(row.temperature_c, True)
        assert row.fits == (full and payload_ok) or row.cause == "charge_window"
        if row.cause == "payload":
            assert not payload_ok
        elif row.cause == "range":
            assert not ok(20.0, False)
        elif row.cause in ("cold", "heat"):
            assert ok(20.0, False) and not ok(row.temperature_c, False)
            assert (row.cause == "cold") == (row.temperature_c < 20.0)
        elif row.cause == "hills":
            assert ok(20.0, False) and ok(row.temperature_c, False) and not ok(20.0, True)
        elif row.cause.endswith("+hills"):
            assert ok(row.temperature_c, False) and ok(20.0, True) and not full


def test_site_kw_scale_never_lowers_the_best_share() -> None:
    ex = example_inputs(routes_per_station=12)
    net = dataclasses.replace(ex.network, objective="max_share", targets={})
    totals = []
    for scale in (0.3, 0.6, 1.0):
        p = plan_electrification(
            ex.forecast, ex.stations, ex.temperatures, ex.routes, net, site_kw_scale=scale
        )
        assert (p.table["peak_kw"] <= p.table["site_kw"] + 1e-6).all()
        totals.append(float(p.table["evs_active"].sum()))
    assert totals == sorted(totals) and totals[0] < totals[-1]


def test_dask_local_cluster_gives_the_serial_plan() -> None:
    distributed = pytest.importorskip("distributed")
    ex = example_inputs(routes_per_station=10)
    args = (ex.forecast, ex.stations, ex.temperatures, ex.routes, ex.network)
    serial = plan_electrification(*args, upgrades=ex.upgrades, backend="serial")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = plan_electrification(*args, upgrades=ex.upgrades, backend="dask", client=client)
    pd.testing.assert_frame_equal(serial.table, remote.table)
    pd.testing.assert_frame_equal(serial.routes, remote.routes)
