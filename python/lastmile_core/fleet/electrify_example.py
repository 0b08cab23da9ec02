"""Bundled synthetic inputs of the electrification plan and the ``lastmile fleet electrify``
hook.

:func:`example_inputs` builds a deterministic network: four cities (``nordby`` with cold
winters, ``solana`` with hot summers, ``bergdal`` with hills, ``mildham`` mild), seven stations,
observed routes per station as per-arc tables (line-haul out and back plus stop-to-stop arcs with
dwell, payload and the city's elevation profile), a 16-month P50/P90 van-need forecast with
growth and a November/December peak, and one station (``mildham-1``) with a small site limit
(45 kW) until its upgrade to 160 kW in the tenth month; in the default plan its limit binds
(``tight`` names ``site_kw``) in most months after the upgrade, when the targets rise.
:func:`cli_electrify` reads the tables from files (formats in :mod:`.electrify_inputs`) or uses
the example, plans, and writes the plan and its plots.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..io import read_table
from .charging import ChargerType
from .electrify import ElectrifyPlan, plan_electrification
from .electrify_inputs import Network
from .ev_fit import EVType

#: Monthly mean temperature (C) per calendar month, January first.
CLIMATES: dict[str, tuple[float, ...]] = {
    "nordby": (-13, -11, -5, 2, 9, 14, 17, 15, 9, 3, -4, -10),
    "solana": (12, 14, 18, 23, 29, 36, 41, 40, 34, 25, 17, 12),
    "bergdal": (-2, -1, 3, 7, 12, 16, 19, 18, 14, 9, 4, 0),
    "mildham": (4, 5, 8, 11, 14, 17, 19, 19, 16, 12, 8, 5),
}

#: (station, city, parking, site_kw, base_vans, route scale, hill std m per arc)
_STATIONS = (
    ("nordby-1", "nordby", 75, 220.0, 40, 1.00, 4.0),
    ("nordby-2", "nordby", 55, 160.0, 30, 1.25, 4.0),
    ("solana-1", "solana", 85, 260.0, 48, 2.5, 3.0),
    ("solana-2", "solana", 48, 150.0, 26, 2.3, 3.0),
    ("bergdal-1", "bergdal", 62, 200.0, 34, 0.95, 14.0),
    ("bergdal-2", "bergdal", 42, 140.0, 22, 1.3, 30.0),
    ("mildham-1", "mildham", 70, 45.0, 38, 0.90, 2.0),
)


@dataclass
class ExampleInputs:
    forecast: pd.DataFrame
    stations: pd.DataFrame
    temperatures: pd.DataFrame
    routes: pd.DataFrame
    upgrades: pd.DataFrame
    network: Network


def _routes(
    rng: np.random.Generator, station: str, n: int, scale: float, hill_m: float
) -> pd.DataFrame:
    cols: dict[str, list[Any]] = {k: [] for k in ("route", "d", "rise", "dwell", "kg")}
    for r in range(n):
        stops = int(rng.integers(70, 150))
        linehaul_m = float(rng.uniform(4e3, 22e3) * scale)
        local = rng.exponential(420.0 * scale, size=stops) + 60.0
        cols["d"].append(np.concatenate(([linehaul_m], local, [linehaul_m])))
        elev = np.cumsum(rng.normal(0.0, hill_m, size=stops + 1))
        cols["rise"].append(np.append(np.diff(np.concatenate(([0.0], elev))), -elev[-1]))
        dwell = np.concatenate((rng.uniform(45, 150, size=stops + 1), [0.0]))
        kg = np.concatenate((rng.uniform(2.0, 14.0, size=stops + 1), [0.0]))
        kg[0] = 0.0
        dwell[0] = 0.0
        cols["dwell"].append(dwell)
        cols["kg"].append(kg)
        cols["route"].append(np.full(stops + 2, f"{station}-r{r:02d}", dtype=object))
    return pd.DataFrame(
        {
            "station": station,
            "route": np.concatenate(cols["route"]),
            "distance_m": np.concatenate(cols["d"]),
            "elevation_diff_m": np.concatenate(cols["rise"]),
            "dwell_s": np.concatenate(cols["dwell"]),
            "payload_kg": np.concatenate(cols["kg"]),
        }
    )


def example_inputs(
    seed: int = 7,
    *,
    months: int = 16,
    start: str = "2026-01",
    routes_per_station: int = 30,
    n_stations: int | None = None,
) -> ExampleInputs:
    """The bundled synthetic network (deterministic in ``seed``). ``n_stations`` repeats the
    seven template stations with new routes (``<name>-<k>`` copies) for scale tests."""
    rng = np.random.default_rng(seed)
    templates = list(_STATIONS)
    n = len(templates) if n_stations is None else int(n_stations)
    specs = [
        (name if k == 0 else f"{name}-{k}", city, park, kw, vans, sc, hill)
        for k in range((n + len(templates) - 1) // len(templates))
        for (name, city, park, kw, vans, sc, hill) in templates
    ][:n]
    periods = pd.period_range(start=start, periods=months, freq="M")
    season = {11: 1.12, 12: 1.25, 1: 0.93, 8: 0.95}
    st_rows, fc_rows, routes = [], [], []
    for name, city, park, kw, vans, sc, hill in specs:
        st_rows.append(
            {
                "station": name,
                "city": city,
                "parking": park,
                "site_kw": kw,
                "window_h": 9.0,
                "base_kw": 5.0,
                "evs_now": 2,
                "chargers_now": 2,
            }
        )
        for i, p in enumerate(periods):
            p50 = vans * 1.015**i * season.get(p.month, 1.0)
            fc_rows.append(
                {
                    "station": name,
                    "month": str(p),
                    "vans_p50": float(np.round(p50)),
                    "vans_p90": float(np.ceil(p50 * 1.12)),
                }
            )
        routes.append(_routes(rng, name, routes_per_station, sc, hill))
    temps = pd.DataFrame(
        [
            {"city": c, "month": m + 1, "temperature_c": float(t)}
            for c, ts in CLIMATES.items()
            for m, t in enumerate(ts)
        ]
    )
    upgrade_month = str(periods[min(9, months - 1)])
    upgrades = pd.DataFrame(
        [
            {"station": s[0], "month": upgrade_month, "site_kw": 160.0}
            for s in specs
            if s[0].startswith("mildham-1")
        ]
    )
    network = Network(
        ev_types=(
            EVType("ev-mid", vehicle="midvan68", price=52000.0, charge_kw=11.0),
            EVType("ev-large", vehicle="large_van", price=71000.0, charge_kw=22.0),
        ),
        charger_types=(
            ChargerType("ac11", kw=11.0, cost=2500.0),
            ChargerType("ac22", kw=22.0, cost=4200.0),
        ),
        targets={
            str(periods[min(5, months - 1)]): 0.15,
            str(periods[min(11, months - 1)]): 0.4,
            str(periods[-1]): 0.65,
        },
        lead_time_months=2,
        charger_lead_time_months=1,
        cost_missing_van=450.0,
        cost_idle_van=120.0,
    )
    return ExampleInputs(
        forecast=pd.DataFrame(fc_rows),
        stations=pd.DataFrame(st_rows),
        temperatures=temps,
        routes=pd.concat(routes, ignore_index=True),
        upgrades=upgrades,
        network=network,
    )


def run_example_plan(seed: int = 7, **kw: Any) -> ElectrifyPlan:
    """:func:`plan_electrification` on :func:`example_inputs` (keywords go to the planner)."""
    ex = example_inputs(seed)
    return plan_electrification(
        ex.forecast, ex.stations, ex.temperatures, ex.routes, ex.network, upgrades=ex.upgrades, **kw
    )


def cli_electrify(
    *,
    example: bool,
    forecast: str | None = None,
    stations: str | None = None,
    temperatures: str | None = None,
    routes: str | None = None,
    config: str | None = None,
    upgrades: str | None = None,
    site_kw_scale: float = 1.0,
    backend: str = "serial",
    scheduler: str | None = None,
    connect_timeout_s: float = 5.0,
) -> ElectrifyPlan:
    """``lastmile fleet electrify``: the example or the tables from files -> the plan."""
    from ..errors import InputError
    from .backends import dask_client

    if example:
        ex = example_inputs()
        args: tuple[Any, ...] = (ex.forecast, ex.stations, ex.temperatures, ex.routes, ex.network)
        up: pd.DataFrame | None = ex.upgrades
    else:
        for name, v in (
            ("forecast", forecast),
            ("stations", stations),
            ("temperatures", temperatures),
            ("routes", routes),
        ):
            if not v:
                raise InputError(f"{name}: give the {name} table (or --example)")
        net = Network.from_json(config) if config else Network()
        args = (
            read_table(str(forecast), field="forecast"),
            read_table(str(stations), field="stations"),
            read_table(str(temperatures), field="temperatures"),
            read_table(str(routes), field="routes"),
            net,
        )
        up = read_table(upgrades, field="upgrades") if upgrades else None
    if backend == "dask" or scheduler:
        # dask_client raises a one-line InputError naming ``scheduler`` when it cannot connect
        with dask_client(scheduler, timeout_s=connect_timeout_s) as client:
            return plan_electrification(
                *args, upgrades=up, site_kw_scale=site_kw_scale, backend="dask", client=client
            )
    return plan_electrification(*args, upgrades=up, site_kw_scale=site_kw_scale, backend=backend)


def write_outputs(plan: ElectrifyPlan, out: str, plots: str | None = None) -> list[str]:
    """Write the plan table to ``out`` (.csv/.parquet) and, with ``plots``, the three plots
    there; returns the summary lines the CLI prints."""
    from ..plotting import electrify as eplot

    if str(out).endswith(".parquet"):
        plan.table.to_parquet(out, index=False)
    else:
        plan.table.to_csv(out, index=False)
    share = plan.share_by_month()
    lines = [
        f"plan          {plan.table['station'].nunique()} stations x {len(share)} months, "
        f"{plan.status} ({plan.solver}), spend {plan.cost:,.0f}",
        "month     ev_share target  evs",
    ]
    lines += [
        f"{r.month}  {r.ev_share:7.3f} {r.target:6.2f} {int(r.evs):4d}"
        for r in share.itertuples(index=False)
    ]
    t = plan.table
    lines.append(
        f"peak/limit    max {float((t['peak_kw'] / t['site_kw'].where(t['site_kw'] > 0)).max()):.3f}"
        f"; routes that cannot go electric: {float((t['no_fit_share'] * t['vans_need']).sum() / t['vans_need'].sum()):.3f}"
    )
    lines.append(f"wrote         {out}")
    if plots:
        d = Path(plots)
        d.mkdir(parents=True, exist_ok=True)
        for f in (
            eplot.plot_ev_share(plan, d / "ev_share.png"),
            eplot.plot_peak_vs_limit(plan, d / "peak_vs_limit.png"),
            eplot.plot_no_fit(plan, d / "no_fit.png"),
        ):
            lines.append(f"wrote         {f}")
    return lines


__all__ = [
    "CLIMATES",
    "ExampleInputs",
    "cli_electrify",
    "example_inputs",
    "run_example_plan",
    "write_outputs",
]
