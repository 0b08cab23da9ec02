"""Parts of the electrification plan: route fit causes, charging, the newsvendor quantile, bad
inputs (InputError naming the field) and the ``lastmile fleet electrify`` command."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import energy
from lastmile_core.cli import main
from lastmile_core.errors import InfeasibleError, InputError
from lastmile_core.fleet import buy_quantile as bq
from lastmile_core.fleet.charging import ChargerType, charging_need, smart_profile
from lastmile_core.fleet.electrify import plan_electrification
from lastmile_core.fleet.electrify_example import example_inputs
from lastmile_core.fleet.electrify_inputs import Network
from lastmile_core.fleet.ev_fit import EVType, route_fit

from .test_fleet_electrify import NET, tiny

# --- route fit ---------------------------------------------------------------------------


def test_route_fit_causes_payload_and_hills() -> None:
    """A route over the payload limit is 'payload'; a flat-feasible route made infeasible by
    steep climbs (at 20 C) is 'hills'."""
    ev = EVType("ev", vehicle="small_van")
    veh = ev.energy_vehicle()
    _, _, _, r = tiny(n_routes=2)
    heavy = r["route"] == "r0"
    r.loc[heavy & (r["payload_kg"] > 0), "payload_kg"] = veh.max_payload_kg / 30.0
    # r1: three times longer, climbing at every arc and descending on the way back; find a
    # climb that breaks the battery (it fits on flat ground)
    r.loc[r["route"] == "r1", "distance_m"] *= 3.0
    hilly = r[r["route"] == "r1"]
    n = len(hilly)
    args = (
        veh,
        hilly["distance_m"].to_numpy(),
        hilly["dwell_s"].to_numpy()[1:],
        hilly["payload_kg"].to_numpy()[1:],
    )
    assert energy.route_energy(*args, reserve_kwh=ev.reserve_kwh).feasible
    for climb in np.arange(5.0, 400.0, 5.0):
        rise = np.full(n, climb)
        rise[-1] = -rise[:-1].sum()
        if not energy.route_energy(
            *args, elevation_diff_m=rise, reserve_kwh=ev.reserve_kwh
        ).feasible:
            break
    else:
        pytest.fail("no climb profile breaks the battery")
    r.loc[r["route"] == "r1", "elevation_diff_m"] = rise
    temps = pd.DataFrame({"station": "s1", "month": ["2026-01"], "temperature_c": [20.0]})
    fit = route_fit(r, [ev], temps).set_index("route")
    assert fit.loc["r0", "cause"] == "payload" and not fit.loc["r0", "fits"]
    assert fit.loc["r1", "cause"] == "hills" and not fit.loc["r1", "fits"]


def test_route_fit_charge_window() -> None:
    """A route that fits the battery but needs more than charge_kw x window is
    'charge_window'."""
    ev = EVType("ev", charge_kw=1.0)
    _, _, _, r = tiny(n_routes=1)
    temps = pd.DataFrame({"station": "s1", "month": ["2026-01"], "temperature_c": [20.0]})
    fit = route_fit(r, [ev], temps, window_h={"s1": 1.0})
    assert fit["cause"].tolist() == ["charge_window"] and not fit["fits"].iloc[0]
    assert route_fit(r, [ev], temps, window_h={"s1": 24.0})["fits"].all()


def test_route_fit_month_column_fits_each_months_own_routes() -> None:
    """Arcs with a ``month`` column (routes planned month by month): each month's fit holds
    exactly that month's routes; a month without routes is an InputError naming ``month``."""
    ev = EVType("ev")
    _, _, _, r = tiny(n_routes=2)
    jan = r[r["route"] == "r0"].assign(month="2026-01")
    feb = r.assign(month="2026-02", distance_m=r["distance_m"] * 2.0)
    temps = pd.DataFrame(
        {"station": "s1", "month": ["2026-01", "2026-02"], "temperature_c": [-5.0, 10.0]}
    )
    fit = route_fit(pd.concat([jan, feb]), [ev], temps)
    by = fit.groupby("month")["route"].apply(sorted).to_dict()
    assert by == {"2026-01": ["r0"], "2026-02": ["r0", "r1"]}
    km = fit.set_index(["month", "route"])["km"]
    assert km["2026-02", "r0"] == pytest.approx(2.0 * km["2026-01", "r0"])
    # the same routes without a month column: every month fits both
    assert len(route_fit(feb.drop(columns="month"), [ev], temps)) == 4
    with pytest.raises(InputError, match="^month"):
        route_fit(jan, [ev], temps)


def test_route_fit_bad_input_names_the_field() -> None:
    _, _, _, r = tiny(n_routes=1)
    temps = pd.DataFrame({"station": "s1", "month": ["2026-01"], "temperature_c": [20.0]})
    with pytest.raises(InputError, match="^distance_m"):
        route_fit(r.assign(distance_m=-1.0), [EVType("ev")], temps)
    with pytest.raises(InputError, match="^temperature_c"):
        route_fit(r, [EVType("ev")], temps.assign(temperature_c=80.0))
    with pytest.raises(InputError, match="^payload_kg"):
        route_fit(r.drop(columns="payload_kg"), [EVType("ev")], temps)
    with pytest.raises(InputError, match="^vehicle"):
        EVType("ev", vehicle="tractor")
    with pytest.raises(InputError, match="^reserve_share"):
        EVType("ev", reserve_share=1.0)


# --- charging ----------------------------------------------------------------------------


def test_smart_charging_peak_is_energy_over_window_and_below_unmanaged() -> None:
    need = charging_need([30.0, 20.0, 10.0], 8.0, 11.0, base_kw=4.0)
    assert need.night_kwh == pytest.approx(60.0)
    assert need.peak_kw == pytest.approx(4.0 + 60.0 / 8.0)
    assert need.unmanaged_peak_kw == pytest.approx(4.0 + 3 * 11.0)
    assert need.chargers == 3
    prof = smart_profile([30.0, 20.0, 10.0], 8.0)
    assert prof.max() == pytest.approx(need.peak_kw - 4.0)
    assert prof.sum() * 0.25 == pytest.approx(60.0)


def test_shared_chargers_balance_sessions_within_the_list_scheduling_bound() -> None:
    e = np.array([40.0, 35.0, 20.0, 10.0, 5.0])
    need = charging_need(e, 10.0, 22.0, evs_per_charger=2)
    assert need.chargers == 3
    assert need.peak_kw >= e.sum() / 10.0 - 1e-9
    assert need.peak_kw <= (e.sum() + e.max()) / 10.0 + 1e-9
    prof = smart_profile(e, 10.0, evs_per_charger=2, step_h=0.5)
    assert prof.max() == pytest.approx(need.peak_kw)
    assert prof.sum() * 0.5 == pytest.approx(e.sum())


def test_charging_errors_name_the_field() -> None:
    with pytest.raises(InfeasibleError, match="^window_h"):
        charging_need([100.0], 2.0, 11.0)
    with pytest.raises(InputError, match="^charger_kw"):
        charging_need([10.0], 8.0, -11.0)
    with pytest.raises(InputError, match="^kw"):
        ChargerType("bad", kw=-3.0)


# --- newsvendor --------------------------------------------------------------------------


def test_newsvendor_quantile_minimises_expected_cost() -> None:
    rng = np.random.default_rng(3)
    draws = rng.poisson(40, size=500).astype(float)
    for cm, ci in ((100.0, 100.0), (450.0, 120.0), (50.0, 300.0), (1.0, 0.0)):
        n = bq.newsvendor_quantile(draws, cm, ci)
        costs = {k: bq.expected_cost(draws, k, cm, ci) for k in range(20, 70)}
        assert bq.expected_cost(draws, n, cm, ci) == pytest.approx(min(costs.values()))
    # dearer missing vans never mean fewer vans
    sizes = [bq.newsvendor_quantile(draws, cm, 100.0) for cm in (10, 50, 100, 400, 2000)]
    assert sizes == sorted(sizes)


def test_newsvendor_from_p50_p90() -> None:
    p50, p90 = np.array([10.0, 20.0]), np.array([12.0, 26.0])
    assert list(bq.newsvendor_from_quantiles(p50, p90, 1.0, 1.0)) == [10.0, 20.0]
    assert list(bq.newsvendor_from_quantiles(p50, p90, 9.0, 1.0)) == [12.0, 26.0]
    with pytest.raises(InputError, match="^vans_p90"):
        bq.newsvendor_from_quantiles(p50, p50 - 1, 1.0, 1.0)
    with pytest.raises(InputError, match="^cost_idle"):
        bq.critical_ratio(1.0, -2.0)


def test_buy_table_reports_the_quantile_beside_p50_p90() -> None:
    rng = np.random.default_rng(1)
    results = [
        {"month": "2026-01", "station": "s", "vans": ["v"], "draws": rng.poisson(30, (200, 1))}
    ]
    t = bq.buy_table(results, 450.0, 120.0)
    row = t.iloc[0]
    assert row["vans_p50"] <= row["vans_buy"] <= row["vans_p90"] + 5
    assert row["cost_buy"] <= min(row["cost_p50"], row["cost_p90"]) + 1e-9
    assert row["buy_quantile"] == pytest.approx(450 / 570)


# --- bad plan inputs ---------------------------------------------------------------------


def test_plan_bad_inputs_name_the_field() -> None:
    f, s, te, r = tiny()
    with pytest.raises(InputError, match="^site_kw"):
        plan_electrification(f, s.assign(site_kw=-5.0), te, r, NET)
    with pytest.raises(InputError, match="^targets: share 1.2"):
        dataclasses.replace(NET, targets={"2026-02": 1.2})
    with pytest.raises(InputError, match="^station: forecast station 's2'"):
        plan_electrification(pd.concat([f, f.assign(station="s2")]), s, te, r, NET)
    with pytest.raises(InputError, match="^temperature_c"):
        plan_electrification(f, s, te.assign(temperature_c=-75.0), r, NET)
    with pytest.raises(InputError, match="^parking"):
        plan_electrification(f, s.assign(parking=3), te, r, NET)
    with pytest.raises(InputError, match="^window_h"):
        plan_electrification(f, s.assign(window_h=30.0), te, r, NET)
    with pytest.raises(InputError, match="^objective"):
        Network(objective="cheapest")
    with pytest.raises(InputError, match="^lead_time_months"):
        Network(lead_time_months=-1)
    with pytest.raises(InputError, match="^cost_idle_van"):
        Network(cost_missing_van=10.0)


def test_newsvendor_sets_the_van_need_from_p50_p90() -> None:
    f, s, te, r = tiny()
    f = f.drop(columns="vans").assign(vans_p50=3.0, vans_p90=5.0)
    cheap = plan_electrification(f, s, te, r, dataclasses.replace(NET, vans_column="vans_p50"))
    assert (cheap.table["vans_need"] == 3).all()
    net = dataclasses.replace(NET, cost_missing_van=9.0, cost_idle_van=1.0)
    assert (plan_electrification(f, s, te, r, net).table["vans_need"] == 5).all()


# --- CLI ---------------------------------------------------------------------------------


def test_cli_example_writes_the_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "plan.csv"
    assert (
        main(["fleet", "electrify", "--example", "--out", str(out), "--plots", str(tmp_path)]) == 0
    )
    plan = pd.read_csv(out)
    for c in ("station", "month", "vans", "evs", "chargers", "site_kw", "peak_kw", "night_kwh"):
        assert c in plan.columns
    assert "no_fit_share" in plan.columns and "no_fit_cause" in plan.columns
    assert (plan["peak_kw"] <= plan["site_kw"] + 1e-6).all()
    for png in ("ev_share.png", "peak_vs_limit.png", "no_fit.png"):
        assert (tmp_path / png).stat().st_size > 0
    assert "wrote" in capsys.readouterr().out


def test_cli_files_and_one_line_errors(tmp_path: Path) -> None:
    ex = example_inputs(routes_per_station=6)
    paths = {}
    for name in ("forecast", "stations", "temperatures", "routes", "upgrades"):
        paths[name] = tmp_path / f"{name}.csv"
        getattr(ex, name).to_csv(paths[name], index=False)
    cfg = tmp_path / "net.json"
    cfg.write_text(
        json.dumps(
            {
                "ev_types": [{"name": "ev", "vehicle": "midvan68", "price": 50000}],
                "charger_types": [{"name": "ac", "kw": 11, "cost": 2000}],
                "targets": {"2026-12": 0.2},
                "lead_time_months": 2,
            }
        )
    )
    base = [
        sys.executable,
        "-m",
        "lastmile_core.cli",
        "fleet",
        "electrify",
        str(paths["forecast"]),
        "--stations",
        str(paths["stations"]),
        "--temperatures",
        str(paths["temperatures"]),
        "--routes",
        str(paths["routes"]),
        "--upgrades",
        str(paths["upgrades"]),
        "--config",
        str(cfg),
        "--out",
        str(tmp_path / "plan.csv"),
    ]
    ok = subprocess.run(base, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert len(pd.read_csv(tmp_path / "plan.csv")) == len(ex.forecast)
    bad_cfg = tmp_path / "bad.json"
    bad_cfg.write_text(json.dumps({"targets": {"2026-12": 1.5}}))
    cases = [
        (base[:-4] + ["--config", str(bad_cfg), "--out", str(tmp_path / "x.csv")], "targets"),
        (base + ["--site-kw-scale", "-1"], "site_kw_scale"),
        (base + ["--scheduler", "tcp://127.0.0.1:1"], "scheduler"),
    ]
    for cmd, field in cases:
        res = subprocess.run(cmd, capture_output=True, text=True, check=False)
        assert res.returncode == 2, (field, res.stderr)
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"lastmile: error: {field}"), lines
    assert math.isfinite(float(pd.read_csv(tmp_path / "plan.csv")["peak_kw"].max()))


def test_plan_horizon_reports_the_newsvendor_fleet_beside_p50_p90() -> None:
    from lastmile_core import fleet, spr

    fixture = Path(__file__).parent / "data" / "spr_routes.parquet"
    model = spr.SPRModel.fit(pd.read_parquet(fixture))
    forecast = fleet.example_forecast(["s1"], {"s1": 1000.0}, months=2)
    mc = fleet.MonteCarlo(n_draws=40)
    kw = dict(monte_carlo=mc, seed=5, backend="serial")
    base = fleet.plan_horizon(model, forecast, **kw)
    hi = fleet.plan_horizon(model, forecast, cost_missing_van=900.0, cost_idle_van=100.0, **kw)
    lo = fleet.plan_horizon(model, forecast, cost_missing_van=100.0, cost_idle_van=900.0, **kw)
    pd.testing.assert_frame_equal(base, hi[base.columns])
    assert (hi["buy_quantile"] == 0.9).all()
    assert (hi["vans_buy"] == hi["vans_p90"]).all()
    assert (lo["vans_buy"] <= lo["vans_p50"]).all()
    with pytest.raises(InputError, match="^cost_idle_van"):
        fleet.plan_horizon(model, forecast, cost_missing_van=1.0, **kw)


def test_van_mix_respects_parking() -> None:
    """The existing van-mix MIP with a parking cap: never more vans than spaces; too few spaces
    is an InfeasibleError naming parking."""
    from lastmile_core import fleet, spr

    fixture = Path(__file__).parent / "data" / "spr_routes.parquet"
    model = spr.SPRModel.fit(pd.read_parquet(fixture))
    prof = model.station_zones("s1", "synthetic")
    zones = prof.assign(packages=prof["mean_packages"])[
        ["zone", "packages", "area_km2", "r_km", "station", "city"]
    ]
    small = spr.VanType("small", 250, 8000, 1000, fixed_cost=100.0)
    large = spr.VanType("large", 400, 13000, 1600, fixed_cost=190.0)
    free = fleet.plan_mix(model, zones, [small, large])
    total = sum(free.vans.values())
    costs = [free.cost]
    cap = total
    while True:  # tighten the cap until no mix fits: costs never fall, the cap always holds
        try:
            res = fleet.plan_mix(model, zones, [small, large], parking=cap)
        except InfeasibleError as exc:
            assert str(exc).startswith("parking")
            break
        assert sum(res.vans.values()) <= cap
        assert res.cost >= costs[-1] - 1e-6
        costs.append(res.cost)
        cap -= 1
    assert cap >= 0
    with pytest.raises(InputError, match="^parking"):
        fleet.plan_mix(model, zones, [small, large], parking=-1)
