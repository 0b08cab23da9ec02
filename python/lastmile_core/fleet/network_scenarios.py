"""DeliveryNetwork scenarios bottom-up from zones: a new station, a station's hours, slower roads.

The changes (:class:`OpenStation`, :class:`ShiftChange`, :class:`RoadSpeed`) apply to a
:class:`~.network.DeliveryNetwork` in order (:func:`apply_changes`). :func:`run_network_scenarios` then
re-plans every station of each changed network, month by month of a forecast: each zone's daily
packages are its share of its ``forecast_station``'s forecast (a zone that moves to a new station
takes its packages, packages per stop, volume and weight per package along); the SPR inputs of a
station are its zones with ``r_km`` recomputed from each zone centroid to the station that now
serves it, the station's operating hours as the shift, and each zone's speed factor on the
fitted driving times (seconds per km of line-haul and of local driving divided by the factor;
distances and energy unchanged). The SPR model then gives the van mix (:func:`.mix.plan_mix`)
and, with an EV type, the share of the station's routes whose energy fits the EV's battery at
that month's temperature and the EVs the station can run. One task per scenario x station x
month, on any backend of :mod:`.backends` (plain data, no randomness: every backend gives the
same numbers). :func:`.scenarios.run_scenarios` calls this when given a network.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import InputError
from ..geo import haversine_km
from ..spr import EnergyModel, SPRModel, VanType
from .backends import parallel_map
from .electrify import ElectrifyPlan
from .electrify_network import ScenarioElectrify, electrify_scenarios
from .horizon import _validate_forecast
from .mix import plan_mix
from .network import DeliveryNetwork, Station, check_shift_h


@dataclass(frozen=True)
class OpenStation:
    """A new station at (lon, lat) that takes ``zones`` (names) from their stations, or with
    ``"nearest"`` every zone whose centroid is nearer to it than to its current station.
    ``city`` defaults to the city of the first zone's station; ``shift_h`` its hours."""

    name: str
    lon: float
    lat: float
    zones: tuple[str, ...] | Literal["nearest"] = "nearest"
    city: str | None = None
    shift_h: float | None = None

    def __post_init__(self) -> None:
        if self.zones != "nearest":
            if isinstance(self.zones, str) or not all(isinstance(z, str) for z in self.zones):
                raise InputError(
                    f"zones: OpenStation {self.name!r} takes zone names or 'nearest', "
                    f"got {self.zones!r}"
                )
            object.__setattr__(self, "zones", tuple(self.zones))
        Station(self.name, self.lon, self.lat, self.city, self.shift_h)  # checks the fields

    @property
    def label(self) -> str:
        return f"open-{self.name}"


@dataclass(frozen=True)
class ShiftChange:
    """A station's operating hours per day change to ``hours`` (its vans' shift), in (0, 24]."""

    station: str
    hours: float

    def __post_init__(self) -> None:
        check_shift_h("hours", self.hours)

    @property
    def label(self) -> str:
        return f"{self.station}-{self.hours:g}h"


@dataclass(frozen=True)
class RoadSpeed:
    """Driving speeds times ``factor`` (> 0; 0.8 = 20 % slower) in the named ``zones``, in the
    zones of the stations of ``city``, or (neither given) everywhere."""

    factor: float
    zones: tuple[str, ...] | None = None
    city: str | None = None

    def __post_init__(self) -> None:
        f = self.factor
        if not (isinstance(f, (int, float)) and math.isfinite(f) and f > 0):
            raise InputError(f"factor: road speed factor must be finite and > 0, got {f!r}")
        if self.zones is not None:
            if isinstance(self.zones, str):
                raise InputError(f"zones: RoadSpeed takes a list of zone names, got {self.zones!r}")
            object.__setattr__(self, "zones", tuple(self.zones))
        if self.zones is not None and self.city is not None:
            raise InputError("city: give RoadSpeed zones or a city, not both")

    @property
    def label(self) -> str:
        where = self.city or ("+".join(self.zones) if self.zones else "all")
        return f"speed{self.factor:g}-{where}"


NetworkChange = OpenStation | ShiftChange | RoadSpeed


def _open(net: DeliveryNetwork, c: OpenStation) -> DeliveryNetwork:
    if c.name in {s.name for s in net.stations}:
        raise InputError(f"name: station {c.name!r} already exists in the network")
    if c.zones == "nearest":
        st = {s.name: s for s in net.stations}
        moved = [
            z.name
            for z in net.zones
            if float(haversine_km(c.lon, c.lat, z.lon, z.lat))
            < float(haversine_km(st[z.station].lon, st[z.station].lat, z.lon, z.lat))
        ]
    else:
        moved = list(c.zones)
    zones = {n: net.zone(n) for n in moved}
    city = c.city
    if city is None and moved:
        city = net.station(zones[moved[0]].station).city
    new = Station(c.name, c.lon, c.lat, city, c.shift_h)
    grown = replace(net, stations=(*net.stations, new))
    return grown.with_zones({n: replace(z, station=c.name) for n, z in zones.items()})


def _road(net: DeliveryNetwork, c: RoadSpeed) -> DeliveryNetwork:
    if c.zones is not None:
        names = list(c.zones)
        for n in names:
            net.zone(n)
    elif c.city is not None:
        cities = {s.name: s.city for s in net.stations}
        if c.city not in set(cities.values()):
            raise InputError(f"city: no station of the network is in city {c.city!r}")
        names = [z.name for z in net.zones if cities[z.station] == c.city]
    else:
        names = [z.name for z in net.zones]
    return net.with_zones(
        {n: replace(net.zone(n), speed_factor=net.zone(n).speed_factor * c.factor) for n in names}
    )


def apply_changes(network: DeliveryNetwork, changes: Sequence[NetworkChange]) -> DeliveryNetwork:
    """The network after ``changes``, in order (InputError naming the field of a bad one)."""
    net = network
    for c in changes:
        if isinstance(c, OpenStation):
            net = _open(net, c)
        elif isinstance(c, ShiftChange):
            net = net.with_station(replace(net.station(c.station), shift_h=c.hours))
        elif isinstance(c, RoadSpeed):
            net = _road(net, c)
        else:
            raise InputError(
                f"network: expected OpenStation, ShiftChange or RoadSpeed, got {type(c).__name__}"
            )
    return net


@dataclass(frozen=True)
class StationMonthTask:
    """One station x month of one scenario as plain data (picklable for pools and Dask)."""

    scenario: str
    station: str
    city: str | None
    month: str
    zones: list[dict[str, Any]]
    model: dict[str, Any]
    vans: list[dict[str, Any]]
    ev: dict[str, Any] | None
    shift_s: float | None
    battery_kwh: float | None
    temperature_c: float
    availability: dict[str, int]
    energy: EnergyModel | None
    routes: bool = False  #: also return each zone's SPR route shape (``_routes``, see below)


_SPR_COLUMNS = [
    "zone",
    "packages",
    "area_km2",
    "r_km",
    "station",
    "city",
    "packages_per_stop",
    "volume_l_per_package",
    "weight_kg_per_package",
    "speed_factor",
]


def station_month(task: StationMonthTask) -> dict[str, Any]:
    """Vans, SPR and EVs of one station-month (module level: picklable)."""
    vans = [VanType.from_dict(v) for v in task.vans]
    z = pd.DataFrame(task.zones)
    if len(z):  # zone id order: the result does not depend on the network's zone order
        z = z.sort_values("zone", kind="stable", ignore_index=True)
    row: dict[str, Any] = {
        "scenario": task.scenario,
        "station": task.station,
        "month": task.month,
        "city": task.city,
        "zones": len(z),
        "packages_per_day": float(z["packages"].sum()) if len(z) else 0.0,
        "shift_h": (task.shift_s if task.shift_s is not None else vans[0].shift_s) / 3600.0,
        "temperature_c": task.temperature_c,
    }
    if len(z) == 0 or row["packages_per_day"] <= 0:
        return {
            **row,
            "linehaul_km_per_route": math.nan,
            "speed_factor": math.nan,
            "vans": 0,
            **{f"vans_{v.name}": 0 for v in vans},
            "routes_fractional_per_day": 0.0,
            "km_per_day": 0.0,
            "spr": math.nan,
            "ev_fit_share": math.nan,
            "evs": 0,
            **({"_routes": []} if task.routes else {}),
        }
    w = z["packages"].to_numpy(float)
    row["linehaul_km_per_route"] = float(np.average(z["linehaul_km"], weights=w))
    row["speed_factor"] = float(np.average(z["speed_factor"], weights=w))
    model = SPRModel.from_dict(task.model)
    # each zone's road speed travels with its row (the SPR zones' ``speed_factor`` column)
    spr_zones = z[_SPR_COLUMNS].reset_index(drop=True)
    kw: dict[str, Any] = {
        "shift_s": task.shift_s,
        "battery_kwh": task.battery_kwh,
        "temperature_c": task.temperature_c,
        "energy": task.energy,
    }
    mix = plan_mix(model, spr_zones, vans, task.availability, **kw)
    a = mix.assignment
    total = sum(mix.vans.values())
    routes = float(a["routes"].sum())
    row.update(
        {
            "vans": total,
            **{f"vans_{v.name}": mix.vans[v.name] for v in vans},
            "routes_fractional_per_day": routes,
            "km_per_day": float(a["km"].sum()),
            "spr": row["packages_per_day"] / total if total else math.nan,
        }
    )
    fit, evs = math.nan, 0
    if task.ev is not None:
        ev = VanType.from_dict(task.ev)
        pred = model.predict(spr_zones, vans=[ev], **kw)
        pz = pred[pred["level"] == "zone"].set_index("zone")
        # the zone's routes as planned fit the EV when its battery allows their stops per route
        per_route = pz.loc[a["zone"], "stops"].to_numpy(float) / a["routes"].to_numpy(float)
        ok = pz.loc[a["zone"], "limit_energy"].to_numpy(float) >= per_route - 1e-9
        fit = float(a["routes"].to_numpy(float)[ok].sum() / routes) if routes > 0 else math.nan
        evs = int(math.floor(fit * total + 1e-9)) if math.isfinite(fit) else 0
    row["ev_fit_share"] = fit
    row["evs"] = evs
    if task.routes:
        row["_routes"] = route_shapes(model, spr_zones, vans, a, kw)
    return row


def route_shapes(
    model: SPRModel,
    spr_zones: pd.DataFrame,
    vans: Sequence[VanType],
    assignment: pd.DataFrame,
    kw: Mapping[str, Any],
) -> list[dict[str, Any]]:
    """Each zone's planned route as the SPR model predicts it for the van type the mix gives
    the zone: ``zone``, ``routes`` (per day), ``stops`` per route, ``linehaul_km`` and
    ``local_km`` per route, ``dwell_s`` per stop, ``kg_per_stop``."""
    pred = model.predict(spr_zones, vans=list(vans), **kw)
    pz = pred[pred["level"] == "zone"].set_index(["zone", "van_type"])
    out = []
    for r in assignment.itertuples(index=False):
        routes = float(r.routes)
        if not routes > 0:
            continue
        p = pz.loc[(r.zone, r.van_type)]
        n = float(p["routes"])
        stops = float(p["stops"])
        out.append(
            {
                "zone": str(r.zone),
                "routes": routes,
                "stops": stops / n,
                "linehaul_km": float(p["linehaul_km"]) / n,
                "local_km": float(p["local_km"]) / n,
                "dwell_s": float(p["stop_s"]) / stops if stops > 0 else 0.0,
                "kg_per_stop": float(p["weight_kg"]) / stops if stops > 0 else 0.0,
            }
        )
    return out


def _zone_inputs(
    model: SPRModel, net: DeliveryNetwork, per_day: Mapping[str, float]
) -> pd.DataFrame:
    """Every zone of ``net`` with its packages of the day and its SPR inputs."""
    zt = net.zone_table()
    totals = zt.groupby("forecast_station")["share"].sum()
    zt["packages"] = [
        per_day.get(fs, 0.0) * s / float(totals[fs]) if totals[fs] > 0 else 0.0
        for fs, s in zip(zt["forecast_station"], zt["share"], strict=True)
    ]
    zt["linehaul_km"] = zt["linehaul_road_km"]
    moved = (zt["station"] != zt["forecast_station"]).to_numpy()
    # the SPR label: the model's zone name at its own station, the network's unique name else
    zt["zone"] = np.where(moved, zt["zone"], zt["model_zone"])
    pps, vpp, wpp = [], [], []
    for r, mv in zip(zt.itertuples(index=False), moved, strict=True):
        prof = None
        if mv:  # moved: its profile stays that of its old station
            home = net.station(str(r.forecast_station))
            prof = model.zones.get(f"{home.city}/{home.name}/{r.model_zone}")
        if prof is None or not r.packages > 0:
            pps.append(math.nan)
            vpp.append(math.nan)
            wpp.append(math.nan)
            continue
        stops = float(model.stops(np.array([r.packages]), np.array([r.area_km2]), prof["rho"])[0])
        pps.append(r.packages / max(stops, 1e-9))
        vpp.append(float(prof["volume_l_per_package"]))
        wpp.append(float(prof["weight_kg_per_package"]))
    zt["packages_per_stop"] = pps
    zt["volume_l_per_package"] = vpp
    zt["weight_kg_per_package"] = wpp
    return zt


def _temperatures(net: DeliveryNetwork, month: pd.DataFrame, default: float) -> dict[str, float]:
    """Each station's temperature of the month: its forecast row's ``temperature_c``, else that
    of a forecast station of its city, else ``default``."""
    if "temperature_c" not in month.columns:
        return {s.name: default for s in net.stations}
    by_station = dict(
        zip(month["station"], pd.to_numeric(month["temperature_c"]).astype(float), strict=True)
    )
    by_city: dict[str | None, float] = {}
    for s in net.stations:
        if s.name in by_station:
            by_city.setdefault(s.city, by_station[s.name])
    out = {}
    for s in net.stations:
        t = by_station.get(s.name, by_city.get(s.city, default))
        if not (math.isfinite(t) and -60.0 <= t <= 60.0):
            raise InputError(f"temperature_c: {t!r} for station {s.name!r} is out of [-60, 60] C")
        out[s.name] = float(t)
    return out


def run_network_scenarios(
    model: SPRModel,
    network: DeliveryNetwork,
    forecast: pd.DataFrame,
    vans: Sequence[VanType | str],
    scenarios: Sequence[Any],
    availability: Mapping[str, int] | None = None,
    energy: EnergyModel | None = None,
    *,
    ev: VanType | str | None = None,
    working_days: float = 25.0,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
    progress: bool | None = None,
    electrify: ScenarioElectrify | None = None,
) -> pd.DataFrame:
    """One row per scenario x station x month (see the module docstring for the columns'
    meaning): ``scenario``, ``station``, ``month``, ``city``, ``zones``, ``packages_per_day``,
    ``shift_h``, ``temperature_c``, ``linehaul_km_per_route`` (package-weighted round trip on
    the road to the station's zones), ``speed_factor`` (package-weighted), ``vans`` and
    ``vans_<type>``, ``routes_fractional_per_day``, ``km_per_day``, ``spr`` (packages per
    van-day), ``ev_fit_share`` and ``evs`` (with ``ev``).

    ``scenarios``: :class:`~.scenarios.FleetScenario` objects; their ``network`` changes apply
    to ``network``, ``volume_growth`` scales every zone, ``extra_vans`` join ``vans``,
    ``shift_h`` is the shift of stations without operating hours of their own, ``battery_kwh``
    overrides the vans' battery, ``temperature_c`` holds when the forecast has no
    ``temperature_c``. ``forecast``: as for :func:`.horizon.plan_horizon` (``month``,
    ``station``, ``packages_per_day`` or ``packages_per_month``), stations of ``network``.

    ``electrify``: also the electrification plan of each scenario's stations, as extra
    columns (see :mod:`.electrify_network`; :func:`electrify_network_scenarios` returns the
    plans too)."""
    table, _ = electrify_network_scenarios(
        model, network, forecast, vans, scenarios, availability, energy, ev=ev,
        working_days=working_days, backend=backend, client=client, max_workers=max_workers,
        progress=progress, electrify=electrify,
    )  # fmt: skip
    return table


def electrify_network_scenarios(
    model: SPRModel,
    network: DeliveryNetwork,
    forecast: pd.DataFrame,
    vans: Sequence[VanType | str],
    scenarios: Sequence[Any],
    availability: Mapping[str, int] | None = None,
    energy: EnergyModel | None = None,
    *,
    ev: VanType | str | None = None,
    working_days: float = 25.0,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
    progress: bool | None = None,
    electrify: ScenarioElectrify | None = None,
) -> tuple[pd.DataFrame, dict[str, ElectrifyPlan]]:
    """:func:`run_network_scenarios` and, with ``electrify``, each scenario's
    :class:`~.electrify.ElectrifyPlan` by scenario name (else no plans)."""
    if electrify is not None and not isinstance(electrify, ScenarioElectrify):
        raise InputError(f"electrify: expected a ScenarioElectrify, got {type(electrify).__name__}")
    if not isinstance(network, DeliveryNetwork):
        raise InputError(f"network: expected a DeliveryNetwork, got {type(network).__name__}")
    f = _validate_forecast(forecast, model, working_days)
    names = {s.name for s in network.stations}
    for st in f["station"].unique():
        if st not in names:
            raise InputError(f"station: forecast station {st!r} is not in the network")
    base = [model.resolve_van(v) for v in vans]
    if not base:
        raise InputError("vans: at least one van type is required")
    ev_dict = None
    if ev is not None:
        ev_van = model.resolve_van(ev)
        if not ev_van.battery_kwh > 0:
            raise InputError(f"ev: van type {ev_van.name!r} has no battery (battery_kwh > 0)")
        ev_dict = ev_van.to_dict()
    md = model.to_dict()
    tasks: list[StationMonthTask] = []
    for sc in scenarios:
        net = apply_changes(network, tuple(getattr(sc, "network", ())))
        vlist = [v.to_dict() for v in (*base, *sc.extra_vans)]
        for month, g in f.groupby("month", sort=True):
            per_day = {
                str(k): float(v) * sc.volume_growth
                for k, v in g.groupby("station")["packages_per_day"].sum().items()
            }
            temps = _temperatures(net, g, sc.temperature_c)
            zones = _zone_inputs(model, net, per_day)
            for s in net.stations:
                hours = s.shift_h if s.shift_h is not None else sc.shift_h
                mine = zones[zones["station"] == s.name]
                tasks.append(
                    StationMonthTask(
                        scenario=sc.name,
                        station=s.name,
                        city=s.city,
                        month=str(month),
                        zones=mine.to_dict("records"),
                        model=md,
                        vans=vlist,
                        ev=ev_dict,
                        shift_s=None if hours is None else float(hours) * 3600.0,
                        battery_kwh=sc.battery_kwh,
                        temperature_c=temps[s.name],
                        availability=dict(availability or {}),
                        energy=energy,
                        routes=electrify is not None,
                    )
                )
    rows = parallel_map(
        station_month, tasks, backend, client, max_workers, progress, "network scenarios"
    )
    table = pd.DataFrame(rows)
    if electrify is None:
        return table, {}
    return electrify_scenarios(
        table, electrify, backend=backend, client=client, max_workers=max_workers
    )


__all__ = [
    "NetworkChange",
    "OpenStation",
    "RoadSpeed",
    "ShiftChange",
    "StationMonthTask",
    "apply_changes",
    "electrify_network_scenarios",
    "run_network_scenarios",
    "route_shapes",
    "station_month",
]
