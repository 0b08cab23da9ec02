"""What-if scenarios of the van mix: volume growth, extra van types, battery, shift, temperature,
and network changes (a new station, a station's hours, road speeds: :mod:`.network_scenarios`).

:class:`FleetScenario` is one what-if, :func:`scenario_grid` the Cartesian product of the axes,
:func:`run_scenarios` the van mix (:func:`.mix.plan_mix`) of each, on any backend of
:mod:`.backends`; given a :class:`~.network.Network` instead of a zone table, every station of
each scenario's network month by month (:func:`.network_scenarios.run_network_scenarios`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import InputError
from ..spr import EnergyModel, SPRModel, VanType
from ..spr.scenario import validate_zones
from .backends import parallel_map
from .electrify_network import ScenarioElectrify
from .mix import plan_mix
from .network import DeliveryNetwork
from .network_scenarios import NetworkChange, run_network_scenarios


@dataclass(frozen=True)
class FleetScenario:
    """One what-if: volume growth factor, extra van types, battery size (kWh, overrides every
    van), shift length (hours), ambient temperature (C) and the changes to a network
    (:class:`~.network_scenarios.OpenStation`, :class:`~.network_scenarios.ShiftChange`,
    :class:`~.network_scenarios.RoadSpeed`; used when :func:`run_scenarios` gets a network)."""

    name: str = "base"
    volume_growth: float = 1.0
    extra_vans: tuple[VanType, ...] = ()
    battery_kwh: float | None = None
    shift_h: float | None = None
    temperature_c: float = 20.0
    network: tuple[NetworkChange, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "network", tuple(self.network))
        if not (self.volume_growth >= 0 and math.isfinite(self.volume_growth)):
            raise InputError(f"volume_growth: must be >= 0, got {self.volume_growth!r}")
        if self.shift_h is not None and not self.shift_h > 0:
            raise InputError(f"shift_h: must be > 0, got {self.shift_h!r}")
        if self.battery_kwh is not None and not self.battery_kwh >= 0:
            raise InputError(f"battery_kwh: must be >= 0, got {self.battery_kwh!r}")


def _scenario_name(
    g: float,
    ev: tuple[VanType, ...],
    b: float | None,
    sh: float | None,
    t: float,
    net: tuple[NetworkChange, ...] = (),
) -> str:
    parts = [c.label for c in net] + [f"x{g:g}"]
    if ev:
        parts.append("+" + "+".join(v.name for v in ev))
    if b is not None:
        parts.append(f"bat{b:g}")
    if sh is not None:
        parts.append(f"shift{sh:g}h")
    parts.append(f"{t:g}C")
    return "_".join(parts)


def scenario_grid(
    volume_growth: Sequence[float] = (1.0,),
    extra_vans: Sequence[tuple[VanType, ...]] = ((),),
    battery_kwh: Sequence[float | None] = (None,),
    shift_h: Sequence[float | None] = (None,),
    temperature_c: Sequence[float] = (20.0,),
    network: Sequence[Sequence[NetworkChange]] = ((),),
) -> list[FleetScenario]:
    """The Cartesian product of the axes as named :class:`FleetScenario` objects; ``network``
    is an axis of change lists (``()`` = the network as it is)."""
    return [
        FleetScenario(
            name=_scenario_name(g, tuple(ev), b, sh, t, tuple(net)),
            volume_growth=float(g),
            extra_vans=tuple(ev),
            battery_kwh=b,
            shift_h=sh,
            temperature_c=float(t),
            network=tuple(net),
        )
        for net, g, ev, b, sh, t in itertools.product(
            network, volume_growth, extra_vans, battery_kwh, shift_h, temperature_c
        )
    ]


@dataclass(frozen=True)
class _ScenarioTask:
    """One scenario of :func:`run_scenarios` as plain data (picklable for pools and Dask)."""

    index: int
    model: dict[str, Any]
    zones: list[dict[str, Any]]
    vans: list[dict[str, Any]]
    scenario: FleetScenario
    availability: dict[str, int]
    energy: EnergyModel | None


def _scenario_task(task: _ScenarioTask) -> list[dict[str, Any]]:
    """The van mix of one scenario, one row per van type (module level: picklable)."""
    sc = task.scenario
    model = SPRModel.from_dict(task.model)
    vlist = [VanType.from_dict(v) for v in task.vans] + list(sc.extra_vans)
    z = pd.DataFrame(task.zones)
    z["packages"] = z["packages"] * sc.volume_growth
    res = plan_mix(
        model,
        z,
        vlist,
        task.availability,
        shift_s=None if sc.shift_h is None else sc.shift_h * 3600.0,
        battery_kwh=sc.battery_kwh,
        temperature_c=sc.temperature_c,
        energy=task.energy,
    )
    a = res.assignment
    rows = []
    for v in vlist:
        g = a[a["van_type"] == v.name]
        rows.append(
            {
                "scenario": sc.name,
                "van_type": v.name,
                "vans": res.vans[v.name],
                "zones": len(g),
                "packages": float(g["packages"].sum()),
                "routes_fractional": float(g["routes"].sum()),
                "km": float(g["km"].sum()),
                "cost_total": res.cost,
                "binding": g.groupby("binding")["routes"].sum().idxmax() if len(g) else None,
            }
        )
    return rows


def run_scenarios(
    model: SPRModel,
    zones: pd.DataFrame | DeliveryNetwork,
    vans: Sequence[VanType | str],
    scenarios: Sequence[FleetScenario],
    availability: Mapping[str, int] | None = None,
    energy: EnergyModel | None = None,
    *,
    forecast: pd.DataFrame | None = None,
    ev: VanType | str | None = None,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
    progress: bool | None = None,
    electrify: ScenarioElectrify | None = None,
) -> pd.DataFrame:
    """Van mix per scenario: one row per scenario x van type (vans, routes, km, cost).

    With a :class:`~.network.Network` as ``zones`` (and a monthly ``forecast`` of its
    stations), each scenario's network changes apply and every station is re-planned month by
    month: one row per scenario x station x month (vans, SPR, line-haul, and the EVs of type
    ``ev``), see :func:`.network_scenarios.run_network_scenarios`; with ``electrify``
    (:class:`~.electrify_network.ScenarioElectrify`) also the electrification plan of each
    scenario's stations (extra columns, :mod:`.electrify_network`).

    ``backend``: "serial", "local" (process pool) or "dask" (``client``); an ``energy`` model
    must then be picklable (a module-level function)."""
    if isinstance(zones, DeliveryNetwork):
        if forecast is None:
            raise InputError("forecast: network scenarios need a monthly forecast per station")
        return run_network_scenarios(
            model, zones, forecast, vans, scenarios, availability, energy, ev=ev,
            backend=backend, client=client, max_workers=max_workers, progress=progress,
            electrify=electrify,
        )  # fmt: skip
    if electrify is not None:
        raise InputError("electrify: the electrification plan needs a DeliveryNetwork, not zones")
    if any(sc.network for sc in scenarios):
        raise InputError(
            "network: scenarios with network changes need a DeliveryNetwork, not zones"
        )
    base = [model.resolve_van(v) for v in vans]
    z = validate_zones(zones)
    md = model.to_dict()
    records = z.to_dict("records")
    van_dicts = [v.to_dict() for v in base]
    tasks = [
        _ScenarioTask(i, md, records, van_dicts, sc, dict(availability or {}), energy)
        for i, sc in enumerate(scenarios)
    ]
    results = parallel_map(
        _scenario_task, tasks, backend, client, max_workers, progress, "scenarios"
    )
    return pd.DataFrame([row for rows in results for row in rows])


__all__ = ["FleetScenario", "run_scenarios", "scenario_grid"]
