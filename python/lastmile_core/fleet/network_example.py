"""``lastmile fleet scenarios``: network scenarios from the command line.

:func:`cli_scenarios` reads a fitted SPR model, a stop table (station depots and zone
centroids: :func:`.network.network_from_stops`) and a monthly forecast, turns the options
``--open NAME,LON,LAT[,ZONE+ZONE...]``, ``--shift STATION,HOURS`` and
``--road-speed FACTOR[,CITY]`` into :mod:`.network_scenarios` changes and returns
:func:`.scenarios.run_scenarios`' table: the base network, each change alone and (with more
than one) all of them together, per station and month. ``--example`` writes the example data
(``lastmile example-data``) to a temporary directory, fits the model on its routes and opens a
second station at the zones farthest from the first, shortens that one's hours to 6 h and slows
the city's roads by 20 %. ``--sites SITES.csv`` (``station, parking, site_kw, window_h``
[``base_kw, evs_now, chargers_now``], a row for every station of every scenario, new ones
included) adds the electrification plan of each scenario's stations
(:mod:`.electrify_network`), with the network settings of ``--config NETWORK.json``
(:class:`.electrify_inputs.Network`; default: its defaults).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..io import read_table
from ..spr import SPRModel
from .backends import dask_client
from .electrify_inputs import Network
from .electrify_network import ScenarioElectrify
from .network import DeliveryNetwork, network_from_stops
from .network_scenarios import NetworkChange, OpenStation, RoadSpeed, ShiftChange
from .scenarios import run_scenarios, scenario_grid


def _number(option: str, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{option}: expected a number, got {text!r}") from None


def parse_open(text: str) -> OpenStation:
    """``NAME,LON,LAT`` (takes the nearer zones) or ``NAME,LON,LAT,ZONE+ZONE+...``."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (3, 4) or not parts[0]:
        raise InputError(f"--open: expected NAME,LON,LAT[,ZONE+ZONE...], got {text!r}")
    lon, lat = _number("--open", parts[1]), _number("--open", parts[2])
    if len(parts) == 4:
        return OpenStation(parts[0], lon, lat, zones=tuple(z for z in parts[3].split("+") if z))
    return OpenStation(parts[0], lon, lat)


def parse_shift(text: str) -> ShiftChange:
    """``STATION,HOURS``."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) != 2 or not parts[0]:
        raise InputError(f"--shift: expected STATION,HOURS, got {text!r}")
    return ShiftChange(parts[0], _number("--shift", parts[1]))


def parse_road_speed(text: str) -> RoadSpeed:
    """``FACTOR`` (every zone) or ``FACTOR,CITY``."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) not in (1, 2):
        raise InputError(f"--road-speed: expected FACTOR[,CITY], got {text!r}")
    factor = _number("--road-speed", parts[0])
    return RoadSpeed(factor, city=parts[1] if len(parts) == 2 and parts[1] else None)


def example_changes(network: DeliveryNetwork) -> list[NetworkChange]:
    """A second station at the mean centroid of the first station's farthest third of zones,
    6 h operating hours at the first station, roads 20 % slower in its city."""
    first = network.stations[0]
    zt = network.zone_table()
    far = zt[zt["station"] == first.name].nlargest(max(1, len(zt) // 3), "r_km")
    lon, lat = float(np.mean(far["lon"])), float(np.mean(far["lat"]))
    changes: list[NetworkChange] = [
        OpenStation(f"{first.name}-2", lon, lat),
        ShiftChange(first.name, 6.0),
    ]
    changes.append(RoadSpeed(0.8, city=first.city) if first.city else RoadSpeed(0.8))
    return changes


def _example_inputs(directory: Path) -> tuple[SPRModel, pd.DataFrame, pd.DataFrame]:
    from ..example_data import write_example_data
    from ..spr import cli_fit

    paths = write_example_data(directory, days=2, months=6, max_iterations=3000)
    model = cli_fit(paths["real_routes"], directory / "model.json")
    return model, read_table(paths["stops"]), read_table(paths["forecast"])


def cli_scenarios(
    *,
    example: bool = False,
    model: str | Path | None = None,
    stops: str | Path | None = None,
    forecast: str | Path | None = None,
    open_station: Sequence[str] = (),
    shift: Sequence[str] = (),
    road_speed: Sequence[str] = (),
    ev_battery_kwh: float = 60.0,
    backend: str = "serial",
    scheduler: str | None = None,
    sites: str | Path | None = None,
    config: str | Path | None = None,
) -> pd.DataFrame:
    """The ``lastmile fleet scenarios`` table (see the module docstring)."""
    changes: list[NetworkChange] = [
        *(parse_open(t) for t in open_station),
        *(parse_shift(t) for t in shift),
        *(parse_road_speed(t) for t in road_speed),
    ]
    if not ev_battery_kwh > 0:
        raise InputError(f"--ev-battery-kwh: must be > 0, got {ev_battery_kwh!r}")
    with tempfile.TemporaryDirectory() as tmp:
        if example:
            if model or stops or forecast:
                raise InputError("--example: give either --example or MODEL --stops --forecast")
            spr_model, stop_table, fc = _example_inputs(Path(tmp))
        else:
            for name, value in (("model", model), ("--stops", stops), ("--forecast", forecast)):
                if value is None:
                    raise InputError(f"{name}: required without --example")
            assert model is not None and stops is not None and forecast is not None
            spr_model = SPRModel.from_json(model)
            stop_table = read_table(stops, field="stops")
            fc = read_table(forecast, field="forecast")
    network = network_from_stops(stop_table, spr_model)
    if example and not changes:
        changes = example_changes(network)
    axis: list[tuple[NetworkChange, ...]] = [(), *((c,) for c in changes)]
    if len(changes) > 1:
        axis.append(tuple(changes))
    vans = list(spr_model.van_types)
    if not vans:
        raise InputError("model: the model knows no van type with capacities (fit it with vans)")
    van = spr_model.resolve_van(vans[0])
    ev = replace(
        van, name=f"{van.name}-ev", battery_kwh=ev_battery_kwh, reserve_kwh=0.1 * ev_battery_kwh
    )
    grid = scenario_grid(network=axis)
    kw: dict[str, Any] = {"forecast": fc, "ev": ev}
    if config is not None and sites is None:
        raise InputError("--config: the network settings need --sites (the site rows)")
    if sites is not None:
        net = Network.from_json(config) if config is not None else Network()
        kw["electrify"] = ScenarioElectrify(read_table(sites, field="sites"), net)
    if scheduler is None and backend != "dask":
        return run_scenarios(spr_model, network, vans[:1], grid, backend=backend, **kw)
    with dask_client(scheduler) as client:
        return run_scenarios(
            spr_model, network, vans[:1], grid, backend="dask", client=client, **kw
        )


__all__ = ["cli_scenarios", "example_changes", "parse_open", "parse_road_speed", "parse_shift"]
