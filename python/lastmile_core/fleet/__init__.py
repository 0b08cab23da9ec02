"""Fleet planning on top of the SPR model: van mix (MIP), scenarios, horizon and Monte Carlo.

Modules, one concept each:

* :mod:`.mix`: :func:`plan_mix`, which van type serves which zone of a station-day, as a small
  mixed integer program (OR-Tools ``pywraplp``, CBC with SCIP as fallback).
* :mod:`.scenarios`: :class:`FleetScenario` / :func:`scenario_grid` (volume growth, extra van
  types, battery size, shift length, ambient temperature, network changes) and
  :func:`run_scenarios`.
* :mod:`.network`: :class:`DeliveryNetwork` of :class:`Station` and :class:`Zone` (centroid, area,
  volume share, assigned station, road speed factor); :mod:`.network_scenarios`: the changes
  :class:`OpenStation`, :class:`ShiftChange`, :class:`RoadSpeed` and the re-plan of every
  station per month (:func:`run_network_scenarios`, also through :func:`run_scenarios`).
* :mod:`.montecarlo`: :class:`MonteCarlo`, simulated days of a station with its mix fixed
  (log-normal day-to-day and zone noise, parameter uncertainty via :meth:`SPRModel.perturbed`),
  all days of a station-month counted at once on ``(draws, zones)`` arrays
  (``spr.predict_draws``; the same numbers as one ``predict`` per day).
* :mod:`.horizon`: :func:`plan_horizon`, a monthly volume forecast (month x station) -> vans
  needed per month and type (mix of the average day, mean/P50/P90 over Monte Carlo days),
  :func:`fleet_totals`, :func:`example_forecast` and the ``lastmile fleet plan`` hook
  :func:`cli_plan`; :mod:`.horizon_tasks`: its task, one station with all its months.
* :mod:`.backends`: the one parallel executor (serial, local process pool, Dask cluster);
  every task's random stream is ``SeedSequence(seed).spawn(n_tasks)[i]`` so all backends give
  identical numbers; a ``shared`` argument (the fitted model) travels once per worker.
* :mod:`.example`: the example pipeline of ``lastmile plan --example`` (:func:`run_example`,
  :func:`plan_example`).
* Electrification (``lastmile fleet electrify``): :mod:`.ev_fit` (which routes an EV type can
  drive per station and month, with the binding cause), :mod:`.charging` (energy per night,
  chargers, smart-charging peak), :mod:`.buy_quantile` (newsvendor fleet size),
  :mod:`.electrify_inputs` (tables and :class:`Network` settings), :mod:`.electrify_mip` (the
  integer program), :mod:`.electrify` (:func:`plan_electrification`) and
  :mod:`.electrify_example` (bundled synthetic stations, the CLI hook);
  :mod:`.electrify_network` (:class:`ScenarioElectrify`: the plan of each network scenario's
  re-planned stations, ``run_scenarios(..., electrify=...)``).
* :mod:`.solve_many`: :func:`solve_many`, batch routing of many station-days
  (:class:`StationDay`) on the same backends, and :func:`fit_spr`, one SPR model on all their
  routes (calibrating SPR across a network).
"""

from __future__ import annotations

from .backends import BACKENDS, parallel_map
from .buy_quantile import newsvendor_quantile
from .charging import ChargerType, charging_need
from .electrify import ElectrifyPlan, plan_electrification
from .electrify_example import example_inputs
from .electrify_inputs import Network
from .electrify_network import ScenarioElectrify
from .ev_fit import EVType, route_fit
from .example import engine_router, plan_example, run_example  # noqa: F401
from .horizon import cli_plan, example_forecast, fleet_totals, plan_horizon
from .mix import MixResult, plan_mix
from .montecarlo import MonteCarlo
from .network import DeliveryNetwork, Station, Zone, network_from_stops
from .network_scenarios import (
    OpenStation,
    RoadSpeed,
    ShiftChange,
    apply_changes,
    electrify_network_scenarios,
    run_network_scenarios,
)
from .scenarios import FleetScenario, run_scenarios, scenario_grid
from .solve_many import SolvedDay, StationDay, fit_spr, solve_many

__all__ = [
    "BACKENDS",
    "ChargerType",
    "DeliveryNetwork",
    "EVType",
    "ElectrifyPlan",
    "FleetScenario",
    "MixResult",
    "MonteCarlo",
    "Network",
    "OpenStation",
    "RoadSpeed",
    "ScenarioElectrify",
    "ShiftChange",
    "SolvedDay",
    "Station",
    "StationDay",
    "Zone",
    "apply_changes",
    "charging_need",
    "electrify_network_scenarios",
    "cli_plan",
    "engine_router",
    "example_forecast",
    "example_inputs",
    "fit_spr",
    "fleet_totals",
    "network_from_stops",
    "newsvendor_quantile",
    "parallel_map",
    "plan_electrification",
    "plan_example",
    "plan_horizon",
    "plan_mix",
    "route_fit",
    "run_example",
    "run_network_scenarios",
    "run_scenarios",
    "scenario_grid",
    "solve_many",
]
