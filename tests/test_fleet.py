"""Tests of fleet planning (lastmile_core.fleet): van-mix MIP, scenarios, horizon Monte Carlo."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lastmile_core import fleet, spr
from lastmile_core.errors import InfeasibleError, InputError

FIXTURE = Path(__file__).parent / "data" / "spr_routes.parquet"
SMALL = spr.VanType("small", 250, 8000, 1000, shift_s=8 * 3600, fixed_cost=100.0, cost_per_km=0.5)
LARGE = spr.VanType("large", 400, 13000, 1600, shift_s=8 * 3600, fixed_cost=130.0, cost_per_km=0.6)


@pytest.fixture(scope="module")
def model() -> spr.SPRModel:
    return spr.SPRModel.fit(pd.read_parquet(FIXTURE))


def _station_zones(model: spr.SPRModel, station: str = "s1") -> pd.DataFrame:
    prof = model.station_zones(station, "synthetic")
    return prof.assign(packages=prof["mean_packages"])[
        ["zone", "packages", "area_km2", "r_km", "station", "city"]
    ]


def _forecast(months: int = 3) -> pd.DataFrame:
    return fleet.example_forecast(["s1", "s2"], {"s1": 1000.0, "s2": 1100.0}, months=months)


def test_plan_mix_covers_every_zone_once_and_counts_vans(model: spr.SPRModel) -> None:
    """Each zone gets exactly one van type and vans per type cover its fractional routes."""
    zones = _station_zones(model)
    res = fleet.plan_mix(model, zones, [SMALL, LARGE])
    assert res.status == "optimal"
    assert sorted(res.assignment["zone"]) == sorted(zones["zone"])
    for v in (SMALL, LARGE):
        need = res.assignment.loc[res.assignment["van_type"] == v.name, "routes"].sum()
        assert res.vans[v.name] >= need - 1e-9
        assert res.vans[v.name] < need + 1


def test_plan_mix_respects_availability_and_reports_infeasibility(model: spr.SPRModel) -> None:
    """Capping one type moves zones to the other; impossible caps raise InfeasibleError."""
    zones = _station_zones(model)
    free = fleet.plan_mix(model, zones, [SMALL, LARGE])
    busiest = max(free.vans, key=lambda k: free.vans[k])
    other = "small" if busiest == "large" else "large"
    capped = fleet.plan_mix(model, zones, [SMALL, LARGE], {busiest: 1})
    assert capped.vans[busiest] <= 1
    assert capped.vans[other] > free.vans[other]
    assert capped.cost >= free.cost
    with pytest.raises(InfeasibleError, match="^availability"):
        fleet.plan_mix(model, zones, [SMALL, LARGE], {"small": 0, "large": 0})
    with pytest.raises(InputError, match="^availability"):
        fleet.plan_mix(model, zones, [SMALL], {"nosuch": 1})


def test_scenario_grid_is_the_cartesian_product_and_growth_needs_more_vans(
    model: spr.SPRModel,
) -> None:
    """A 2x2x2 grid gives 8 named scenarios; more volume never needs fewer vans."""
    ev = spr.VanType("ev", 300, 9000, 1100, battery_kwh=40.0, reserve_kwh=4.0)
    grid = fleet.scenario_grid(
        volume_growth=(1.0, 1.5), extra_vans=((), (ev,)), temperature_c=(20.0, -5.0)
    )
    assert len(grid) == 8 and len({s.name for s in grid}) == 8
    table = fleet.run_scenarios(model, _station_zones(model), [SMALL], grid)
    tot = table.groupby("scenario")["vans"].sum()
    for s in grid:
        if s.volume_growth == 1.0:
            bigger = s.name.replace("x1_", "x1.5_")
            assert tot[bigger] >= tot[s.name]
    pooled = fleet.run_scenarios(
        model, _station_zones(model), [SMALL], grid[:3], backend="local", max_workers=2
    )
    pd.testing.assert_frame_equal(pooled, table.iloc[: len(pooled)].reset_index(drop=True))
    with pytest.raises(InputError, match="^volume_growth"):
        fleet.FleetScenario(volume_growth=-1.0)


def test_horizon_p90_at_least_p50_and_deterministic(model: spr.SPRModel) -> None:
    """Horizon: one row per month x station x van type, P90 >= P50, same seed -> same numbers."""
    mc = fleet.MonteCarlo(n_draws=6)
    a = fleet.plan_horizon(model, _forecast(), ["midvan"], monte_carlo=mc, seed=7, backend="serial")
    b = fleet.plan_horizon(model, _forecast(), ["midvan"], monte_carlo=mc, seed=7, backend="serial")
    assert len(a) == 3 * 2
    assert (a["vans_p90"] >= a["vans_p50"]).all()
    assert (a["vans_p50"] >= 1).all()
    pd.testing.assert_frame_equal(a, b)
    c = fleet.plan_horizon(model, _forecast(), ["midvan"], monte_carlo=mc, seed=8, backend="serial")
    assert not np.array_equal(a["vans_mean"].to_numpy(), c["vans_mean"].to_numpy())


def test_local_process_pool_matches_serial(model: spr.SPRModel) -> None:
    """The process-pool backend gives exactly the serial numbers for the same seed."""
    mc = fleet.MonteCarlo(n_draws=4)
    a = fleet.plan_horizon(
        model, _forecast(2), ["midvan"], monte_carlo=mc, seed=3, backend="serial"
    )
    b = fleet.plan_horizon(
        model, _forecast(2), ["midvan"], monte_carlo=mc, seed=3, backend="local", max_workers=2
    )
    pd.testing.assert_frame_equal(a, b)


def test_dask_cluster_matches_local_backend(model: spr.SPRModel) -> None:
    """A dask LocalCluster (2 worker processes) gives the local backend's numbers."""
    distributed = pytest.importorskip("distributed")
    mc = fleet.MonteCarlo(n_draws=4)
    local = fleet.plan_horizon(
        model, _forecast(2), ["midvan"], monte_carlo=mc, seed=11, backend="local", max_workers=2
    )
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = fleet.plan_horizon(
            model, _forecast(2), ["midvan"], monte_carlo=mc, seed=11, backend="dask", client=client
        )
    pd.testing.assert_frame_equal(local, remote)


def test_forecast_validation_names_the_field(model: spr.SPRModel) -> None:
    """Bad forecasts raise InputError naming the column."""
    f = _forecast(1)
    with pytest.raises(InputError, match="^packages_per_month"):
        fleet.plan_horizon(model, f.assign(packages_per_month=-1.0), backend="serial")
    with pytest.raises(InputError, match="^station"):
        fleet.plan_horizon(model, f.assign(station="nowhere"), backend="serial")
    with pytest.raises(InputError, match="^month"):
        fleet.plan_horizon(model, f.drop(columns="month"), backend="serial")
    with pytest.raises(InputError, match="^backend"):
        fleet.plan_horizon(model, f, monte_carlo=fleet.MonteCarlo(n_draws=1), backend="cloud")


def test_forecast_volume_column_names_its_period(model: spr.SPRModel) -> None:
    """A daily volume and the same volume as a monthly total give the same plan; a bare
    ``packages`` column (daily or monthly?) is refused instead of being guessed."""
    f = _forecast(1)
    mc = fleet.MonteCarlo(n_draws=2)
    monthly = fleet.plan_horizon(model, f, monte_carlo=mc, seed=3, backend="serial")
    daily = f.assign(packages_per_day=f["packages_per_month"] / f["working_days"]).drop(
        columns=["packages_per_month", "working_days"]
    )
    per_day = fleet.plan_horizon(model, daily, monte_carlo=mc, seed=3, backend="serial")
    pd.testing.assert_frame_equal(monthly, per_day)
    assert monthly["packages_per_day"].iloc[0] == pytest.approx(
        f["packages_per_month"].iloc[0] / f["working_days"].iloc[0]
    )
    with pytest.raises(InputError, match="^packages: ambiguous"):
        fleet.plan_horizon(model, f.rename(columns={"packages_per_month": "packages"}))
    with pytest.raises(InputError, match="exactly one"):
        fleet.plan_horizon(model, f.assign(packages_per_day=1.0))
    with pytest.raises(InputError, match="^working_days"):
        fleet.plan_horizon(model, f.assign(working_days=0.0))


def test_cli_plan_reads_forecast_csv_and_model_json(model: spr.SPRModel, tmp_path: Path) -> None:
    """cli_plan returns vans per month, station and van type."""
    mpath = tmp_path / "m.json"
    model.to_json(mpath)
    fpath = tmp_path / "forecast.csv"
    _forecast(2).to_csv(fpath, index=False)
    out = fleet.cli_plan(fpath, mpath, backend="serial", n_draws=3)
    assert set(out.columns) >= {"month", "station", "van_type", "vans_p50", "vans_p90"}
    assert len(out) == 2 * 2 * len(model.van_types)


def test_fleet_plot_and_plan_example_write_pngs(tmp_path: Path) -> None:
    """plan_example runs routing -> fit -> 16-month plan and writes non-trivial plots."""
    import matplotlib

    matplotlib.use("Agg")
    path = Path(__file__).resolve().parents[1] / "bench" / "quality" / "spr_fallback_router.py"
    specm = importlib.util.spec_from_file_location("spr_fallback_router", path)
    mod = importlib.util.module_from_spec(specm)
    specm.loader.exec_module(mod)  # type: ignore[union-attr]
    report = fleet.plan_example(
        tmp_path,
        n_packages=700,
        days=2,
        n_draws=5,
        router=lambda inst: inst.solution(mod.build_routes(inst)),
    )
    assert report["months"] == 16
    assert report["vans_p90_peak"] >= report["vans_p50_peak"] >= 1
    for f in report["files"]:
        assert Path(f).exists() and Path(f).stat().st_size > 500
    assert (tmp_path / "fleet_horizon.png").stat().st_size > 10_000
    assert (tmp_path / "spr_vs_volume.png").stat().st_size > 10_000


def test_engine_is_imported_normally_and_its_errors_propagate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: the default router is lastmile_core.solve imported normally (no importlib, no
    silent None); an engine error reaches the caller instead of being swallowed."""
    import sys

    from lastmile_core.fleet import example

    assert example.solve is sys.modules["lastmile_core.solve"].solve

    def broken(inst: object, **kw: object) -> None:
        raise InfeasibleError("max_duration: no route fits the shift")

    monkeypatch.setattr(example, "solve", broken)
    with pytest.raises(InfeasibleError, match="^max_duration"):
        fleet.plan_example(tmp_path, n_packages=200, days=1, months=1, n_draws=1)


def test_plan_example_routes_with_the_seed_it_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: plan_example(seed=s) routes every station-day with seed s (it used seed=0
    whatever the seed); same seed -> same plan, another seed -> other routes."""
    from lastmile_core.fleet import example

    real = example.solve
    seen: list[int] = []

    def spy(inst: object, **kw: object) -> object:
        seen.append(int(kw["seed"]))  # type: ignore[call-overload]
        return real(inst, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(example, "solve", spy)
    kw = dict(n_packages=250, days=2, months=2, n_draws=3, time_limit=60.0, max_iterations=20)
    runs = {}
    for name, seed in (("a", 5), ("b", 5), ("c", 6)):
        out = tmp_path / name
        runs[name] = (fleet.plan_example(out, seed=seed, **kw), out)  # type: ignore[arg-type]
    assert seen == [5, 5, 5, 5, 6, 6]
    (ra, a), (rb, b), (_, c) = runs["a"], runs["b"], runs["c"]
    assert ra["router"] == "lastmile_core.solve"
    for f in ("spr_model.json", "fleet_plan.csv"):
        assert (a / f).read_bytes() == (b / f).read_bytes()
    assert (ra["routes_observed"], ra["spr_observed"]) == (
        rb["routes_observed"],
        rb["spr_observed"],
    )
    assert (a / "spr_model.json").read_bytes() != (c / "spr_model.json").read_bytes()


def test_parallel_map_keeps_task_order_and_names_bad_backends() -> None:
    """The one executor: results in task order on every backend; bad names raise InputError."""
    import math

    from lastmile_core.fleet import backends

    tasks = [float(i * i) for i in range(12)]
    want = [math.sqrt(t) for t in tasks]
    assert backends.parallel_map(math.sqrt, tasks, "serial") == want
    assert backends.parallel_map(math.sqrt, tasks, "local", max_workers=2) == want
    with pytest.raises(InputError, match="^backend"):
        backends.parallel_map(math.sqrt, tasks, "threads")
    with pytest.raises(InputError, match="^client"):
        backends.parallel_map(math.sqrt, tasks, "dask")
