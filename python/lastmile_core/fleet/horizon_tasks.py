"""The per-station task of :func:`.horizon.plan_horizon`: a station's months, each spread over
its zones, given a van mix and simulated by Monte Carlo, in one task.

One task per station (not per station-month) so that the work a station's months share runs
where the task runs, and the fitted model, which every task reads, travels once per worker
(:func:`.backends.parallel_map` ``shared``), not once per task: at 500 stations the model of
the network is ~1 MB and re-reading it per station-month cost more than the simulation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..spr import SPRModel, VanType
from .mix import plan_mix
from .montecarlo import McTask, MonteCarlo, simulate


@dataclass(frozen=True)
class HorizonModels:
    """What every task of a horizon reads: the caller's model (zone spread, van mix) and the
    same model as saved and re-loaded (``SPRModel.from_dict(model.to_dict())``), which the
    Monte Carlo perturbs, as a saved model would be."""

    model: SPRModel
    saved: SPRModel


@dataclass
class StationMonths:
    """One station's forecast rows: ``rows[k] = (row index, month, packages per day,
    temperature)`` with the row's own random stream ``seeds[k]``."""

    station: str
    rows: list[tuple[int, str, float, float]]
    seeds: list[np.random.SeedSequence]
    vans: list[VanType]
    availability: Mapping[str, int] | None
    mc: MonteCarlo
    shift_s: float | None
    battery_kwh: float | None


def station_day(model: SPRModel, station: str, per_day: float, ref_van: VanType) -> pd.DataFrame:
    """The zones of ``station`` carrying ``per_day`` packages by their training shares, with the
    station's line-haul reference distance fixed (stop-weighted mean r of all its zones) so that
    zone subsets served by one van type see the same value as the mix."""
    prof = model.station_zones(station)
    city = str(prof["city"].iloc[0])
    zones = pd.DataFrame(
        {
            "zone": prof["zone"],
            "packages": per_day * prof["share"] / prof["share"].sum(),
            "area_km2": prof["area_km2"],
            "r_km": prof["r_km"],
            "station": station,
            "city": city,
        }
    )
    full = model.predict(zones, vans=[ref_van]).query("level == 'zone'")
    zones["r_ref_km"] = float(np.average(full["r_km"], weights=np.maximum(full["stops"], 1e-9)))
    return zones


def plan_station(task: StationMonths, shared: HorizonModels) -> list[dict[str, Any]]:
    """Every month of one station: ``{"index", "mix_rows", "result"}`` per forecast row, with
    the average day's van mix (:func:`.mix.plan_mix`) and the Monte Carlo draws
    (:func:`.montecarlo.simulate`) of that mix. Module level so pools and Dask can pickle it."""
    model = shared.model
    out = []
    for (i, month, per_day, temp), seed in zip(task.rows, task.seeds, strict=True):
        zones = station_day(model, task.station, per_day, task.vans[0])
        mix = plan_mix(
            model,
            zones,
            task.vans,
            task.availability,
            shift_s=task.shift_s,
            battery_kwh=task.battery_kwh,
            temperature_c=temp,
        )
        assignment = dict(
            zip(mix.assignment["zone"].astype(str), mix.assignment["van_type"], strict=True)
        )
        mix_rows = [
            {
                "month": month,
                "station": task.station,
                "van_type": v.name,
                "packages_per_day": per_day,
                "vans_mix": mix.vans[v.name],
            }
            for v in task.vans
        ]
        mc = McTask(
            index=i,
            month=month,
            station=task.station,
            city=str(zones["city"].iloc[0]),
            zones=zones.to_dict("records"),
            assignment=assignment,
            model=shared.saved,
            vans=[v.to_dict() for v in task.vans],
            mc=task.mc,
            seed=seed,
            extra={"shift_s": task.shift_s, "battery_kwh": task.battery_kwh, "temperature_c": temp},
        )
        out.append({"index": i, "mix_rows": mix_rows, "result": simulate(mc)})
    return out


__all__ = ["HorizonModels", "StationMonths", "plan_station", "station_day"]
