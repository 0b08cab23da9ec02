"""The vectorised Monte Carlo (``montecarlo.simulate`` on all draws at once) against one full
``SPRModel.predict`` per simulated day (``simulate_by_predict``): the same numbers, draw by draw,
on every branch of the prediction (parameter draws or not, energy-bound EVs in the cold, the
zone-by-zone route count, zone mixing, the line-haul reference, road speed factors)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lastmile_core import fleet, spr
from lastmile_core.errors import InputError
from lastmile_core.fleet import horizon_tasks, montecarlo
from lastmile_core.fleet.backends import parallel_map

FIXTURE = Path(__file__).parent / "data" / "spr_routes.parquet"
SMALL = spr.VanType("small", 250, 8000, 1000, shift_s=8 * 3600, fixed_cost=100.0, cost_per_km=0.5)
EV = spr.VanType(
    "ev",
    300,
    9000,
    1100,
    shift_s=8 * 3600,
    battery_kwh=40.0,
    reserve_kwh=4.0,
    fixed_cost=120.0,
    cost_per_km=0.3,
)


@pytest.fixture(scope="module")
def model() -> spr.SPRModel:
    return spr.SPRModel.fit(pd.read_parquet(FIXTURE))


@pytest.fixture(scope="module")
def tasks(model: spr.SPRModel) -> list[montecarlo.McTask]:
    """The Monte Carlo tasks of a 2-station, 3-month horizon (cold, mild, hot months)."""
    seen: list[montecarlo.McTask] = []
    real = horizon_tasks.simulate

    def record(task: montecarlo.McTask) -> dict[str, Any]:
        seen.append(task)
        return real(task)

    f = fleet.example_forecast(["s1", "s2"], {"s1": 1000.0, "s2": 1100.0}, months=3)
    f["temperature_c"] = [-10.0, 20.0, 35.0, 0.0, 5.0, 30.0]
    horizon_tasks.simulate = record  # type: ignore[assignment]
    try:
        fleet.plan_horizon(
            model, f, [SMALL, EV], monte_carlo=fleet.MonteCarlo(n_draws=25), backend="serial"
        )
    finally:
        horizon_tasks.simulate = real  # type: ignore[assignment]
    assert len(seen) == 6
    return seen


def _variant(task: montecarlo.McTask, name: str) -> montecarlo.McTask:
    m = task.model if isinstance(task.model, spr.SPRModel) else spr.SPRModel.from_dict(task.model)
    if name == "fixed parameters":
        return dataclasses.replace(task, mc=fleet.MonteCarlo(n_draws=25, parameters=False))
    if name == "zone route count":
        p = dataclasses.replace(m.params, route_count="zones", overflow_stops=3.0)
        return dataclasses.replace(task, model=spr.SPRModel(p))
    if name == "mixing, own line-haul reference, road speeds":
        p = dataclasses.replace(m.params, zone_mix=0.6, linehaul_own_share=0.7)
        zones = [
            {k: v for k, v in z.items() if k != "r_ref_km"} | {"speed_factor": 0.8 + 0.05 * i}
            for i, z in enumerate(task.zones)
        ]
        return dataclasses.replace(task, model=spr.SPRModel(p), zones=zones)
    if name == "volume factor":
        return dataclasses.replace(task, extra={**task.extra, "volume_factor": 1.7})
    assert name == "as planned"
    return task


@pytest.mark.parametrize(
    "variant",
    [
        "as planned",
        "fixed parameters",
        "zone route count",
        "mixing, own line-haul reference, road speeds",
        "volume factor",
    ],
)
def test_vectorised_draws_equal_one_prediction_per_day(
    tasks: list[montecarlo.McTask], variant: str
) -> None:
    spread = []
    for t in tasks:
        tv = _variant(t, variant)
        fast = montecarlo.simulate(tv)
        slow = montecarlo.simulate_by_predict(tv)
        assert fast["vans"] == slow["vans"] == ["small", "ev"]
        np.testing.assert_array_equal(fast["draws"], slow["draws"])
        spread.append(fast["draws"].std(axis=0))
    # the draws vary (volume noise reaches the counts), so equality is not between constants
    assert np.sum(spread) > 0


def test_cold_months_bind_the_ev_battery(
    tasks: list[montecarlo.McTask], model: spr.SPRModel
) -> None:
    """The EV branch is exercised: at -10 C the EV serves fewer stops per route than at 20 C
    on the same zones, so the vectorised energy limit is compared where it binds."""
    t = tasks[0]
    zones = pd.DataFrame(t.zones)
    cold = model.predict(zones, vans=[EV], temperature_c=-10.0)
    mild = model.predict(zones, vans=[EV], temperature_c=20.0)
    st = lambda p: float(p.loc[p["level"] == "station", "routes"].sum())  # noqa: E731
    assert st(cold) > st(mild)
    assert (cold.loc[cold["level"] == "zone", "binding"] == "energy").any()


def test_unknown_or_bad_predict_options_name_the_field(tasks: list[montecarlo.McTask]) -> None:
    t = tasks[0]
    with pytest.raises(InputError, match="^colour: unknown predict option"):
        montecarlo.simulate(dataclasses.replace(t, extra={**t.extra, "colour": 1}))
    with pytest.raises(InputError, match="^shift_s: must be > 0"):
        montecarlo.simulate(dataclasses.replace(t, extra={**t.extra, "shift_s": 0.0}))
    with pytest.raises(InputError, match="^volume_factor: must be >= 0"):
        montecarlo.simulate(dataclasses.replace(t, extra={**t.extra, "volume_factor": -1.0}))


def _scaled(task: int, shared: dict[str, int]) -> int:
    return task * shared["k"]


def test_parallel_map_passes_the_shared_argument_on_every_backend() -> None:
    from dask.distributed import Client, LocalCluster

    want = [3 * i for i in range(7)]
    assert parallel_map(_scaled, list(range(7)), "serial", shared={"k": 3}) == want
    assert parallel_map(_scaled, list(range(7)), "local", max_workers=2, shared={"k": 3}) == want
    with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            got = parallel_map(_scaled, list(range(7)), "dask", client, shared={"k": 3})
    assert got == want


def test_van_mix_is_the_same_solve_after_solve(model: spr.SPRModel) -> None:
    """plan_mix of the same station-day gives the same cost, vans and assignment every time
    (SCIP through pywraplp did not: 6 of these 48 station-days varied over 4 solves), which the
    backends of plan_horizon rely on now that each task plans its own station's mixes."""
    for station in ("s1", "s2"):
        for volume in np.linspace(600.0, 1600.0, 12):
            for temp in (-10.0, 20.0):
                zones = horizon_tasks.station_day(model, station, float(volume), SMALL)
                runs = {
                    (r.cost, tuple(sorted(r.vans.items())), tuple(r.assignment["van_type"]))
                    for r in (
                        fleet.plan_mix(model, zones, [SMALL, EV], temperature_c=temp)
                        for _ in range(4)
                    )
                }
                assert len(runs) == 1, (station, volume, temp, runs)
