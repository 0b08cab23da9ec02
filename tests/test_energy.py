"""EV energy model: FASTSim agreement, route model vs trace, physics invariants, bad input."""

from __future__ import annotations

import json
import math
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from lastmile_core import energy as E
from lastmile_core import geo
from lastmile_core.errors import InputError

PRESETS = ("midvan68", "small_van", "large_van")


# ----------------------------------------------------------------------------------------------
# shared data helpers (LASTMILE_DATA: skip when unset, fail when set but the file is missing)
# ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def energy_dir() -> Path:
    """$LASTMILE_DATA/energy: skip when LASTMILE_DATA is unset, fail when files are missing."""
    value = os.environ.get("LASTMILE_DATA")
    if not value:
        pytest.skip("LASTMILE_DATA is not set")
    path = Path(value) / "energy"
    for name in ("fastsim_midvan68.json", "fastsim_bolt_hvac.json", "cycles/udds.csv"):
        if not (path / name).exists():
            pytest.fail(f"missing shared data file {path / name}")
    return path


@pytest.fixture(scope="module")
def fastsim_ref(energy_dir: Path) -> dict:
    """The FASTSim 3.1.0 MidVan-68 reference runs."""
    return json.loads((energy_dir / "fastsim_midvan68.json").read_text())


def _cycle(energy_dir: Path, name: str):
    path = energy_dir / "cycles" / f"{name}.csv"
    if not path.exists():
        pytest.fail(f"missing shared data file {path}")
    return E.read_cycle_csv(path)


def _delivery_route(seed: int = 0, n: int = 25, rise_sd: float = 0.0, vehicle=None):
    rng = np.random.default_rng(seed)
    dist = rng.uniform(150.0, 1500.0, n + 1)
    dist[0] = dist[-1] = 4000.0
    dwell = rng.uniform(30.0, 180.0, n)
    cap = 1000.0 if vehicle is None else vehicle.max_payload_kg
    deliv = rng.uniform(5.0, 0.9 * cap / n, n)
    rise = rng.normal(0.0, rise_sd, n + 1) if rise_sd > 0 else np.zeros(n + 1)
    return dist, dwell, deliv, rise


def _lossless_vehicle(**changes) -> E.Vehicle:
    params = dict(
        curb_mass_kg=2000.0,
        max_payload_kg=1000.0,
        drag_coef=0.0,
        frontal_area_m2=0.0,
        rolling_coef=0.0,
        motor_max_kw=10000.0,
        battery_usable_kwh=50.0,
        motor_eff_load_grid=[0.0, 1.0],
        motor_eff_values=[1.0, 1.0],
        transmission_eff=1.0,
        battery_eff=1.0,
        aux_power_w=0.0,
        regen_rule="full",
    )
    params.update(changes)
    return E.Vehicle(**params)


# ----------------------------------------------------------------------------------------------
# FASTSim agreement (shared data)
# ----------------------------------------------------------------------------------------------


def test_fastsim_mode_within_one_percent_on_every_reference_run(energy_dir, fastsim_ref):
    """mode='fastsim' matches FASTSim 3.1.0 e_terminal_kwh within 1 % on all 21 runs."""
    van = E.Vehicle.preset("midvan68")
    print(f"\n{'cycle':10s} {'payload':>7s} {'ours kWh':>10s} {'FASTSim':>10s} {'diff':>9s}")
    worst = 0.0
    for run in fastsim_ref["runs"]:
        t, s, g = _cycle(energy_dir, run["cycle"])
        res = E.simulate_trace(van, t, s, g, payload_kg=run["payload_kg"], mode="fastsim")
        ref = run["e_terminal_kwh"]
        err = res.terminal_kwh / ref - 1.0
        worst = max(worst, abs(err))
        print(
            f"{run['cycle']:10s} {run['payload_kg']:7.0f} {res.terminal_kwh:10.5f} {ref:10.5f} {err:+9.5%}"
        )
        assert abs(err) < 0.01, (run["cycle"], run["payload_kg"], err)
        assert res.distance_km == pytest.approx(run["dist_km"], rel=1e-6)
        assert res.chemical_kwh == pytest.approx(run["e_chem_kwh"], rel=0.01)
        assert res.drag_kwh == pytest.approx(run["e_drag_kwh"], rel=0.01)
        assert res.rolling_kwh == pytest.approx(run["e_rr_kwh"], rel=0.01)
        assert res.soc_end == pytest.approx(run["soc_end"], abs=1e-4)
    print(f"worst |diff| = {worst:.5%}")


def test_physics_mode_within_five_percent_on_udds_and_hwfet(energy_dir, fastsim_ref):
    """mode='physics' (linear regen fade, load-dependent regen efficiency) stays within 5 %."""
    van = E.Vehicle.preset("midvan68")
    for run in fastsim_ref["runs"]:
        if run["cycle"] not in ("udds", "hwfet"):
            continue
        t, s, g = _cycle(energy_dir, run["cycle"])
        res = E.simulate_trace(van, t, s, g, payload_kg=run["payload_kg"], mode="physics")
        err = res.terminal_kwh / run["e_terminal_kwh"] - 1.0
        print(f"physics {run['cycle']:6s} {run['payload_kg']:6.0f} kg: {err:+.2%}")
        assert abs(err) < 0.05


def test_midvan_preset_equals_reference_van_record(fastsim_ref):
    """The midvan68 preset carries the numbers of the FASTSim reference van record."""
    rec = fastsim_ref["van"]
    van = E.Vehicle.preset("midvan68")
    assert van.curb_mass_kg == rec["m_curb"] and van.driver_mass_kg == rec["m_driver"]
    assert van.max_payload_kg == rec["payload_max"]
    assert (van.drag_coef, van.frontal_area_m2, van.rolling_coef) == (
        rec["cd"],
        rec["area"],
        rec["crr"],
    )
    assert (van.wheel_count, van.wheel_inertia_kgm2, van.wheel_radius_m) == (
        rec["n_wheels"],
        rec["wheel_inertia"],
        rec["wheel_radius"],
    )
    assert van.motor_max_kw * 1e3 == rec["em_pwr_max"]
    assert van.motor_eff_load_grid == rec["em_eff_grid"]
    assert van.motor_eff_values == rec["em_eff_vals"]
    assert (van.transmission_eff, van.battery_eff) == (rec["trans_eff"], rec["batt_eff"])
    assert (van.battery_usable_kwh, van.aux_power_w) == (rec["batt_usable_kwh"], rec["p_aux"])
    assert van.air_density_kgpm3 == rec["rho"]


def test_hvac_penalty_on_udds_inside_calibrated_range_and_bolt_reference(energy_dir):
    """UDDS energy rises 40-220 % at -7 C and 5-35 % at 35 C, like FASTSim's Bolt model."""
    bolt = json.loads((energy_dir / "fastsim_bolt_hvac.json").read_text())
    bolt_pct = {(r["cycle"], r["t_amb_c"]): r["pct_vs_22C"] for r in bolt}
    t, s, g = _cycle(energy_dir, "udds")
    for name in PRESETS:
        van = E.Vehicle.preset(name)
        base = E.simulate_trace(van, t, s, g, payload_kg=300, ambient_c=22).terminal_kwh
        cold = E.simulate_trace(van, t, s, g, payload_kg=300, ambient_c=-6.7).terminal_kwh
        hot = E.simulate_trace(van, t, s, g, payload_kg=300, ambient_c=35).terminal_kwh
        pc, ph = 100 * (cold / base - 1), 100 * (hot / base - 1)
        print(
            f"{name}: UDDS -6.7 C {pc:+.0f} % (Bolt {bolt_pct[('udds', -6.7)]:+.0f} %), "
            f"35 C {ph:+.0f} % (Bolt {bolt_pct[('udds', 35)]:+.0f} %)"
        )
        assert 40 <= pc <= 220
        assert 5 <= ph <= 35


# ----------------------------------------------------------------------------------------------
# generated data: route model vs trace, invariants
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PRESETS)
def test_route_model_within_five_percent_of_trace_on_stop_and_go_delivery(name):
    """The closed-form per-arc model tracks simulate_trace on the same stops, speeds and dwell."""
    van = E.Vehicle.preset(name)
    for seed, rise_sd in ((1, 0.0), (2, 6.0)):
        dist, dwell, deliv, rise = _delivery_route(seed, rise_sd=rise_sd, vehicle=van)
        for regen in E.REGEN_RULES:
            for speed, ambient in ((30 / 3.6, 20.0), (50 / 3.6, -7.0), (40 / 3.6, 35.0)):
                route = E.route_energy(
                    van,
                    dist,
                    dwell,
                    deliv,
                    elevation_diff_m=rise,
                    cruise_speed_mps=speed,
                    ambient_c=ambient,
                    regen=regen,
                )
                t, s, g, p = E.stop_and_go_trace(
                    dist, dwell, deliv, elevation_diff_m=rise, cruise_speed_mps=speed
                )
                trace = E.simulate_trace(van, t, s, g, p, ambient_c=ambient, regen=regen)
                assert trace.distance_km == pytest.approx(route.distance_km, rel=1e-9)
                err = route.energy_kwh / trace.chemical_kwh - 1.0
                assert abs(err) < 0.05, (seed, regen, speed, ambient, err)


def test_hvac_penalty_on_generated_stop_and_go_inside_calibrated_range():
    """On a stop-and-go delivery cycle the -7 C / 35 C penalties stay in 40-220 % / 5-35 %."""
    dist = np.full(21, 400.0)
    dist[0] = dist[-1] = 3000.0
    t, s, g, p = E.stop_and_go_trace(dist, 30.0, 10.0, cruise_speed_mps=40 / 3.6)
    for name in PRESETS:
        van = E.Vehicle.preset(name)
        e = {T: E.simulate_trace(van, t, s, g, p, ambient_c=T).terminal_kwh for T in (-7, 22, 35)}
        assert 0.40 <= e[-7] / e[22] - 1 <= 2.20
        assert 0.05 <= e[35] / e[22] - 1 <= 0.35
        assert van.hvac_power_w(21.0) == 0.0
        assert van.hvac_power_w(-20.0) >= van.hvac_power_w(-7.0) > van.hvac_power_w(10.0) > 0


def test_lossless_vehicle_on_closed_loop_uses_zero_net_energy():
    """With unit efficiencies, no aux, full regen and no road loads a closed hill loop is free."""
    van = _lossless_vehicle()
    dist = np.array([800.0, 600.0, 900.0, 700.0, 1000.0])
    elev = np.array([0.0, 25.0, 40.0, 10.0, -5.0])  # depot first, back to depot at the end
    rise = np.append(np.diff(elev), elev[0] - elev[-1])
    t, s, g, p = E.stop_and_go_trace(dist, 60.0, 0.0, elevation_diff_m=rise, extra_payload_kg=300)
    climb = (van.empty_mass_kg + 300) * 9.8 * 40 / 3.6e6
    for mode in ("physics", "fastsim"):
        res = E.simulate_trace(van, t, s, g, p, mode=mode)
        assert abs(res.terminal_kwh) < 1e-9 * climb
        assert abs(res.chemical_kwh) < 1e-9 * climb
        assert res.soc_end == pytest.approx(1.0, abs=1e-12)
        assert 1.0 - res.soc.min() > 0.5 * climb / van.battery_usable_kwh  # climbs, gets it back
    route = E.route_energy(van, dist, 60.0, 0.0, elevation_m=elev, extra_payload_kg=300)
    assert abs(route.energy_kwh) < 1e-9 * climb
    assert route.min_soc < 1.0
    # delivering packages uphill leaves their potential energy behind: net = sum m_i g h_i
    deliv = np.array([40.0, 60.0, 80.0, 20.0])
    t, s, g, p = E.stop_and_go_trace(dist, 60.0, deliv, elevation_diff_m=rise)
    expected = float(np.sum(deliv * 9.80665 * elev[1:])) / 3.6e6
    res = E.simulate_trace(van, t, s, g, p)
    assert res.terminal_kwh == pytest.approx(expected, rel=1e-6)
    route = E.route_energy(van, dist, 60.0, deliv, elevation_m=elev)
    assert route.energy_kwh == pytest.approx(expected, rel=1e-6)


def test_energy_split_balances_terminal_energy():
    """drag + rolling + grade + accel + friction + drivetrain + aux + hvac == terminal."""
    van = E.Vehicle.preset("large_van")
    dist, dwell, deliv, rise = _delivery_route(3, rise_sd=8.0, vehicle=van)
    t, s, g, p = E.stop_and_go_trace(dist, dwell, deliv, elevation_diff_m=rise)
    for regen in E.REGEN_RULES:
        res = E.simulate_trace(van, t, s, g, p, ambient_c=-5, regen=regen)
        parts = res.breakdown_kwh()
        total = sum(v for k, v in parts.items() if k not in ("battery_loss", "regen"))
        assert total == pytest.approx(res.terminal_kwh, rel=1e-9)
        assert res.chemical_kwh == pytest.approx(res.terminal_kwh + res.battery_loss_kwh)
        assert res.drivetrain_loss_kwh > 0 and res.friction_brake_kwh >= 0
        assert res.hvac_kwh == pytest.approx(van.hvac_power_w(-5) * res.duration_s / 3.6e6)
        assert len(res.soc) == len(t)
        assert res.soc[0] == 1.0
        assert res.soc[-1] == pytest.approx(1.0 - res.chemical_kwh / van.battery_usable_kwh)
        if regen == "none":
            assert res.regen_kwh == 0.0


def test_energy_rises_with_payload_grade_and_number_of_stops():
    """More payload, a steeper climb or more stops on the same distance cost more energy."""
    van = E.Vehicle.preset("midvan68")
    t, s, _, _ = E.stop_and_go_trace([1000.0, 1000.0, 1000.0], 60.0)
    e_pay = [E.simulate_trace(van, t, s, None, p).terminal_kwh for p in (0, 500, 1000)]
    assert e_pay[0] < e_pay[1] < e_pay[2]
    e_grade = [E.simulate_trace(van, t, s, gr, 200).terminal_kwh for gr in (-0.02, 0.0, 0.03)]
    assert e_grade[0] < e_grade[1] < e_grade[2]
    one = E.route_energy(van, [3000.0, 3000.0], 60.0, 100.0).energy_kwh
    many = E.route_energy(van, np.full(7, 6000.0 / 7), 60.0, 100.0 / 6).energy_kwh
    assert many > one
    # route model: monotone in payload and climb
    a, b = E.arc_energy_coefficients(van, [500.0, 500.0, 500.0], [-10.0, 0.0, 15.0])
    assert a[0] < a[1] < a[2] and 0 < b[1] < b[2]
    assert b[0] < 0  # 2 % downhill: extra mass pulls the van along


def test_regen_makes_hill_loop_cheaper():
    """A hill loop costs less with regen, and the rules order full < linear/fiori < none."""
    van = E.Vehicle.preset("small_van")
    elev = np.array([0.0, 30.0, 60.0, 30.0])
    dist = np.array([600.0, 600.0, 600.0, 600.0])
    rise = np.append(np.diff(elev), elev[0] - elev[-1])
    t, s, g, p = E.stop_and_go_trace(dist, 30.0, 20.0, elevation_diff_m=rise)
    trace = {r: E.simulate_trace(van, t, s, g, p, regen=r).terminal_kwh for r in E.REGEN_RULES}
    route = {
        r: E.route_energy(van, dist, 30.0, 20.0, elevation_m=elev, regen=r).energy_kwh
        for r in E.REGEN_RULES
    }
    for e in (trace, route):
        assert e["full"] < e["linear"] < e["none"]
        assert e["full"] < e["fiori"] < e["none"]


def test_route_energy_is_linear_in_payload_and_batch_agrees():
    """E = a + b * payload per arc; batch, coefficient and single-route evaluations agree."""
    van = E.Vehicle.preset("midvan68")
    rng = np.random.default_rng(5)
    routes = [
        _delivery_route(seed, n=int(rng.integers(1, 12)), rise_sd=5.0, vehicle=van)
        for seed in range(20)
    ]
    offsets, dist, rise, dwell, deliv = [0], [], [], [], []
    singles = []
    for d, w, q, r in routes:
        singles.append(E.route_energy(van, d, w, q, elevation_diff_m=r, ambient_c=0.0))
        dist.append(d)
        rise.append(r)
        dwell.append(np.append(w, 0.0))
        deliv.append(np.append(q, 0.0))
        offsets.append(offsets[-1] + len(d))
    cat = [np.concatenate(x) for x in (dist, rise, dwell, deliv)]
    batch = E.route_energy_batch(van, offsets, *cat, ambient_c=0.0, return_arc_energy=True)
    a, b = E.arc_energy_coefficients(van, cat[0], cat[1], cat[2], ambient_c=0.0)
    coef = E.evaluate_routes(
        offsets,
        a,
        b,
        cat[3],
        battery_usable_kwh=van.battery_usable_kwh,
        reserve_kwh=0.1 * van.battery_usable_kwh,
        return_arc_energy=True,
    )
    np.testing.assert_allclose(batch.energy_kwh, [r.energy_kwh for r in singles], rtol=1e-12)
    np.testing.assert_allclose(coef.energy_kwh, batch.energy_kwh, rtol=1e-12)
    np.testing.assert_allclose(coef.arc_energy_kwh, batch.arc_energy_kwh, rtol=1e-12)
    np.testing.assert_array_equal(coef.feasible, batch.feasible)
    np.testing.assert_allclose(batch.min_soc, [r.min_soc for r in singles], rtol=1e-12)
    r0 = singles[0]
    np.testing.assert_allclose(
        r0.arc_energy_kwh, a[: len(r0.arc_energy_kwh)] + b[: len(r0.arc_energy_kwh)] * r0.payload_kg
    )
    assert r0.soc[0] == 1.0 and len(r0.soc) == len(r0.arc_energy_kwh) + 1
    assert r0.min_soc == pytest.approx(r0.soc.min())
    assert r0.payload_kg[-1] == pytest.approx(0.0, abs=1e-9)


def test_feasibility_flag_follows_reserve():
    """A long route fails a high reserve and passes a low one; reserve_kwh overrides fractions."""
    van = E.Vehicle.preset("small_van")
    dist = np.full(41, 2500.0)
    res = E.route_energy(van, dist, 120.0, 5.0, ambient_c=-10.0, reserve_fraction=0.0)
    assert res.feasible and 0.0 < res.min_soc < 1.0
    needed = (1.0 - res.min_soc) * van.battery_usable_kwh
    tight = E.route_energy(
        van, dist, 120.0, 5.0, ambient_c=-10.0, reserve_kwh=van.battery_usable_kwh - needed + 0.01
    )
    assert not tight.feasible
    low = E.route_energy(
        van, dist, 120.0, 5.0, ambient_c=-10.0, initial_soc=0.5, reserve_fraction=0.2
    )
    assert low.feasible == (low.min_soc >= 0.2)


def test_results_are_deterministic():
    """Same inputs, bit-identical results."""
    van = E.Vehicle.preset("large_van")
    dist, dwell, deliv, rise = _delivery_route(9, rise_sd=4.0, vehicle=van)
    t, s, g, p = E.stop_and_go_trace(dist, dwell, deliv, elevation_diff_m=rise)
    r1 = E.simulate_trace(van, t, s, g, p, ambient_c=3.0, regen="fiori")
    r2 = E.simulate_trace(van, t, s, g, p, ambient_c=3.0, regen="fiori")
    assert r1.terminal_kwh == r2.terminal_kwh and np.array_equal(r1.soc, r2.soc)
    q1 = E.route_energy(van, dist, dwell, deliv, elevation_diff_m=rise)
    q2 = E.route_energy(van, dist, dwell, deliv, elevation_diff_m=rise)
    assert np.array_equal(q1.arc_energy_kwh, q2.arc_energy_kwh)


def test_presets_are_distinct_validated_and_round_trip_through_to_dict():
    """All presets exist, rebuild from to_dict, and scale sensibly small < mid < large."""
    assert E.Vehicle.preset_names() == list(PRESETS)
    vans = [E.Vehicle.preset(n) for n in PRESETS]
    for van in vans:
        again = E.Vehicle(**van.to_dict())
        assert again.to_dict() == van.to_dict()
        assert pickle.loads(pickle.dumps(van)).to_dict() == van.to_dict()
    mid, small, large = vans
    assert small.curb_mass_kg < mid.curb_mass_kg < large.curb_mass_kg
    assert small.battery_usable_kwh < mid.battery_usable_kwh < large.battery_usable_kwh
    t, s, g, p = E.stop_and_go_trace([2000.0, 2000.0], 60.0, 0.0)
    kwh = [E.simulate_trace(v, t, s, g, p).terminal_kwh for v in (small, mid, large)]
    assert kwh[0] < kwh[1] < kwh[2]


# ----------------------------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------------------------


def _kwargs(**changes):
    base = E.Vehicle.preset("midvan68").to_dict()
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("curb_mass_kg", -1.0),
        ("driver_mass_kg", -80.0),
        ("max_payload_kg", -5.0),
        ("curb_mass_kg", math.nan),
        ("drag_coef", math.inf),
        ("transmission_eff", 0.0),
        ("transmission_eff", 1.2),
        ("battery_eff", math.nan),
        ("battery_eff", -0.5),
        ("motor_eff_values", [0.9] * 10 + [1.5]),
        ("motor_eff_load_grid", [0.0, 0.5, 0.4, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 1.0]),
        ("battery_usable_kwh", 0.0),
        ("wheel_radius_m", 0.0),
        ("regen_rule", "magic"),
    ],
)
def test_bad_vehicle_parameters_raise_input_error_naming_the_field(field, value):
    """Negative masses, efficiencies outside (0, 1], NaN/inf -> InputError naming the field."""
    with pytest.raises(InputError, match=f"^{field}"):
        E.Vehicle(**_kwargs(**{field: value}))


def test_bad_trace_and_route_inputs_raise_input_error():
    """NaN speeds, mismatched lengths, bad modes/rules/offsets -> InputError naming the argument."""
    van = E.Vehicle.preset("midvan68")
    t = np.arange(10.0)
    s = np.full(10, 5.0)
    with pytest.raises(InputError, match="^speed_mps"):
        E.simulate_trace(van, t, np.where(t == 3, np.nan, s))
    with pytest.raises(InputError, match="^speed_mps"):
        E.simulate_trace(van, t, s[:-1])
    with pytest.raises(InputError, match="^speed_mps"):
        E.simulate_trace(van, t, -s)
    with pytest.raises(InputError, match="^grade"):
        E.simulate_trace(van, t, s, np.zeros(4))
    with pytest.raises(InputError, match="^payload_kg"):
        E.simulate_trace(van, t, s, None, -10.0)
    with pytest.raises(InputError, match="^time_s"):
        E.simulate_trace(van, t[::-1].copy(), s)
    with pytest.raises(InputError, match="^mode"):
        E.simulate_trace(van, t, s, mode="advisor")
    with pytest.raises(InputError, match="^regen"):
        E.simulate_trace(van, t, s, regen="sometimes")
    with pytest.raises(InputError, match="^ambient_c"):
        E.simulate_trace(van, t, s, ambient_c=math.nan)
    with pytest.raises(InputError, match="^name"):
        E.Vehicle.preset("hovercraft")
    with pytest.raises(InputError, match="^distance_m"):
        E.route_energy(van, [100.0, -5.0])
    with pytest.raises(InputError, match="^dwell_s"):
        E.route_energy(van, [100.0, 100.0, 100.0], [1.0, 2.0, 3.0, 4.0])
    with pytest.raises(InputError, match="^cruise_speed_mps"):
        E.route_energy(van, [100.0, 100.0], cruise_speed_mps=0.0)
    with pytest.raises(InputError, match="^elevation_m"):
        E.route_energy(van, [100.0, 100.0], elevation_m=[0.0, 1.0, 2.0])
    with pytest.raises(InputError, match="^route_offsets"):
        E.route_energy_batch(van, [0, 2], [100.0, 100.0, 100.0])
    with pytest.raises(InputError, match="^route_offsets"):
        E.route_energy_batch(van, [0, 2, 1, 3], [100.0, 100.0, 100.0])
    with pytest.raises(InputError, match="^payload_delivered_kg"):
        E.route_energy_batch(van, [0, 3], [100.0] * 3, payload_delivered_kg=[1.0, np.nan, 0.0])
    with pytest.raises(InputError, match="^b_kwh_per_kg"):
        E.evaluate_routes([0, 2], [0.1, 0.1], [0.0], [0.0, 0.0], battery_usable_kwh=10.0)
    with pytest.raises(InputError, match="^accel_mps2"):
        E.arc_energy_coefficients(van, [100.0], accel_mps2=0.0)


def test_energy_plots_draw_soc_and_energy_per_km():
    """plot_soc and plot_energy_per_km draw one line per series (matplotlib, Agg backend)."""
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from lastmile_core.plotting.energy import plot_energy_per_km, plot_soc

    van = E.Vehicle.preset("small_van")
    route = E.route_energy(van, np.full(11, 900.0), 60.0, 20.0, ambient_c=-5.0)
    ax = plot_soc(route)
    assert len(ax.lines) == 2  # SoC + reserve
    np.testing.assert_allclose(ax.lines[0].get_ydata(), 100 * route.soc)
    ax = plot_energy_per_km(van, [0, 300, 600], [-7, 20, 35])
    assert len(ax.lines) == 3
    plt.close("all")


def test_route_arc_lengths_from_coordinates_close_the_tour():
    """Euclidean and haversine arc lengths include the return to the depot; circuity scales."""
    xy = np.array([[0.0, 0.0], [300.0, 400.0], [300.0, 0.0]])
    np.testing.assert_allclose(E.route_arc_lengths_m(xy, "euclidean"), [500.0, 400.0, 300.0])
    np.testing.assert_allclose(E.route_arc_lengths_m(xy, "euclidean", 1.3), [650.0, 520.0, 390.0])
    ll = np.array([[11.0, 48.0], [11.0, 48.01]])  # (lon, lat)
    np.testing.assert_allclose(E.route_arc_lengths_m(ll), [1111.95, 1111.95], rtol=1e-4)
    with pytest.raises(InputError, match="^metric"):
        E.route_arc_lengths_m(xy, "manhattan")


def test_route_arc_lengths_take_lon_lat_like_the_rest_of_the_package():
    """Regression: coordinates are (lon, lat), as in Instance / geo / metrics, not (lat, lon)."""
    lonlat = np.array([[13.40, 52.50], [13.45, 52.52], [13.38, 52.55]])
    nxt = np.roll(lonlat, -1, axis=0)
    expected = geo.haversine_km(lonlat[:, 0], lonlat[:, 1], nxt[:, 0], nxt[:, 1]) * 1000.0
    np.testing.assert_allclose(E.route_arc_lengths_m(lonlat), expected, rtol=1e-12)
    # Along a parallel at 60 deg N a degree of longitude is half a degree of latitude.
    east = E.route_arc_lengths_m([[0.0, 60.0], [1.0, 60.0]])
    north = E.route_arc_lengths_m([[0.0, 60.0], [0.0, 61.0]])
    assert east[0] == pytest.approx(north[0] / 2, rel=2e-3)
    with pytest.raises(InputError, match="^coords"):
        E.route_arc_lengths_m([[10.0, 100.0], [10.0, 50.0]])  # latitude 100 is not (lon, lat)


def test_energy_all_lists_the_solution_helpers():
    """Regression: the README's energy.solution_energy / solution_arcs are public (__all__)."""
    assert {"solution_energy", "solution_arcs"} <= set(E.__all__)
    namespace: dict[str, object] = {}
    exec("from lastmile_core.energy import *", namespace)
    assert namespace["solution_energy"] is E.solution_energy
    assert namespace["solution_arcs"] is E.solution_arcs
