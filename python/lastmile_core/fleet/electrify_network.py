"""The electrification plan of each network scenario's re-planned stations.

:func:`run_network_scenarios <.network_scenarios.run_network_scenarios>` re-plans every station
of each scenario's network month by month (vans from the SPR van mix). Given a
:class:`ScenarioElectrify` (the EV, charger and network settings of :class:`.Network` and a
site row per station: ``station, parking, site_kw, window_h`` and optionally ``base_kw``,
``evs_now``, ``chargers_now``), :func:`electrify_scenario` runs
:func:`.electrify.plan_electrification` on each scenario's stations:

* the van need of a station-month is the scenario's ``vans`` (the SPR van mix);
* the temperature is the scenario row's ``temperature_c``;
* the routes of a station-month are the SPR model's route-level prediction of the station's
  zones in that month (a month without packages takes those of the month with the most),
  fitted at that month's temperature: per zone, ``max(1, round(routes per day))`` routes, each a line-haul
  arc out, ``round(stops per route)`` stops joined by equal local arcs, and a line-haul arc
  back, with the predicted stop time and payload per stop spread evenly over the stops, on
  flat ground (the zones carry no elevation).

A station of the scenario without a site row (e.g. the new station of an
:class:`~.network_scenarios.OpenStation`) is an InputError naming ``site_kw``. The plan's
columns (:data:`PLAN_JOIN`) join the scenario table under their plan names, except the fleet
``vans_plan`` (the scenario's ``vans`` is the van need) and ``evs_plan`` (the scenario's
``evs`` counts the battery-fit routes of its ``ev``), with ``plan_status``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .electrify import ElectrifyPlan, plan_electrification
from .electrify_inputs import Network

#: Plan columns copied into the scenario table (``vans`` and ``evs`` as ``vans_plan`` and
#: ``evs_plan``).
PLAN_JOIN = (
    "vans",
    "evs",
    "evs_active",
    "evs_bought",
    "chargers",
    "parking",
    "site_kw",
    "peak_kw",
    "night_kwh",
    "ev_share",
    "fit_share",
    "no_fit_share",
    "no_fit_cause",
    "tight",
)


@dataclass(frozen=True)
class ScenarioElectrify:
    """What the electrification plan of a network scenario needs beyond the scenario: the
    network settings (EV and charger types, targets, budgets, lead times) and one site row
    per station (``station, parking, site_kw, window_h`` [``base_kw, evs_now,
    chargers_now``]); ``upgrades`` (``station, month, site_kw``) as for the plan."""

    sites: pd.DataFrame
    network: Network = field(default_factory=Network)
    upgrades: pd.DataFrame | None = None
    site_kw_scale: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.sites, pd.DataFrame):
            raise InputError(f"sites: expected a DataFrame, got {type(self.sites).__name__}")
        for c in ("station", "parking", "site_kw", "window_h"):
            if c not in self.sites.columns:
                raise InputError(f"{c}: missing column in the electrify sites table")
        if not isinstance(self.network, Network):
            raise InputError(f"network: expected a Network, got {type(self.network).__name__}")


def route_arcs(station: str, shapes: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The per-arc route table (:data:`.ev_fit.ARC_COLUMNS`) of one station from its zones'
    route shapes (:func:`.network_scenarios.route_shapes`); see the module docstring."""
    parts = []
    for s in shapes:
        k = max(1, round(float(s["stops"])))
        lh = 500.0 * float(s["linehaul_km"])  # each way, metres
        local = np.full(k - 1, 1000.0 * float(s["local_km"]) / max(k - 1, 1))
        dist = np.concatenate(([lh], local, [lh]))
        # arc i starts at node i: the depot (no dwell, nothing delivered), then the k stops
        dwell = np.concatenate(([0.0], np.full(k, float(s["dwell_s"]))))
        kg = np.concatenate(([0.0], np.full(k, float(s["kg_per_stop"]))))
        for j in range(max(1, round(float(s["routes"])))):
            parts.append(
                pd.DataFrame(
                    {
                        "station": station,
                        "route": f"{s['zone']}#{j}",
                        "distance_m": dist,
                        "elevation_diff_m": 0.0,
                        "dwell_s": dwell,
                        "payload_kg": kg,
                    }
                )
            )
    if not parts:
        return pd.DataFrame(
            columns=["station", "route", "distance_m", "elevation_diff_m", "dwell_s", "payload_kg"]
        )
    return pd.concat(parts, ignore_index=True)


def scenario_routes(rows: pd.DataFrame) -> pd.DataFrame:
    """Route arcs of every station-month of one scenario (rows with ``_routes``), with a
    ``month`` column: each month's routes are that month's SPR route prediction (volume grows,
    routes change); a month with no routes (no packages) takes those of the station's design
    month (most packages per day; the first such month on ties)."""
    out = []
    for st, g in rows.groupby("station", sort=True):
        g = g.sort_values("month", kind="stable")
        design = g.iloc[int(np.argmax(g["packages_per_day"].to_numpy(float)))]
        fallback = route_arcs(str(st), design["_routes"])
        if len(fallback) == 0:
            continue
        for month, shapes in zip(g["month"], g["_routes"], strict=True):
            arcs = route_arcs(str(st), shapes)
            out.append((arcs if len(arcs) else fallback).assign(month=str(month)))
    if not out:
        return route_arcs("", []).assign(month=pd.Series(dtype=str))
    return pd.concat(out, ignore_index=True)


def electrify_scenario(
    rows: pd.DataFrame,
    electrify: ScenarioElectrify,
    *,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
) -> ElectrifyPlan:
    """The electrification plan of one scenario's rows (scenario x station x month of
    :func:`.network_scenarios.run_network_scenarios` with the ``_routes`` shapes)."""
    sc = str(rows["scenario"].iloc[0])
    sites = electrify.sites.copy()
    sites["station"] = sites["station"].astype(str)
    known = set(sites["station"])
    for st in sorted(rows["station"].unique()):
        if st not in known:
            raise InputError(
                f"site_kw: station {st!r} of scenario {sc!r} has no row in the electrify sites "
                "table (give its site_kw, parking and window_h)"
            )
    arcs = scenario_routes(rows)
    empty = sorted(set(rows["station"]) - set(arcs["station"]))
    if empty:
        raise InputError(
            f"packages_per_day: station {empty[0]!r} of scenario {sc!r} has no routes in any "
            "month (nothing to electrify: leave it out of the network)"
        )
    forecast = rows[["station", "month"]].assign(vans=rows["vans"].astype(float))
    # the scenario's own temperature per station-month: one pseudo-city per station
    temps = pd.DataFrame(
        {"city": rows["station"], "month": rows["month"], "temperature_c": rows["temperature_c"]}
    )
    site_rows = sites[sites["station"].isin(set(rows["station"]))].copy()
    site_rows["city"] = site_rows["station"]
    net = electrify.network
    if net.vans_column != "vans":
        net = replace(net, vans_column="vans")
    plan = plan_electrification(
        forecast,
        site_rows,
        temps,
        arcs,
        net,
        upgrades=electrify.upgrades,
        site_kw_scale=electrify.site_kw_scale,
        backend=backend,
        client=client,
        max_workers=max_workers,
    )
    plan.arcs = arcs
    return plan


def electrify_scenarios(
    table: pd.DataFrame,
    electrify: ScenarioElectrify,
    *,
    backend: str = "serial",
    client: Any = None,
    max_workers: int | None = None,
) -> tuple[pd.DataFrame, dict[str, ElectrifyPlan]]:
    """The scenario table with the plan's columns and each scenario's plan."""
    plans: dict[str, ElectrifyPlan] = {}
    joined = []
    for sc, g in table.groupby("scenario", sort=False):
        plan = electrify_scenario(
            g, electrify, backend=backend, client=client, max_workers=max_workers
        )
        plans[str(sc)] = plan
        p = plan.table[["station", "month", *PLAN_JOIN]].rename(
            columns={"vans": "vans_plan", "evs": "evs_plan"}
        )
        p["plan_status"] = plan.status
        joined.append(g.drop(columns=["_routes"]).merge(p, on=["station", "month"], how="left"))
    return pd.concat(joined, ignore_index=True), plans


__all__ = [
    "PLAN_JOIN",
    "ScenarioElectrify",
    "electrify_scenario",
    "electrify_scenarios",
    "route_arcs",
    "scenario_routes",
]
