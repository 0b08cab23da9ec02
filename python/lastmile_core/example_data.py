"""A consistent sample of every input format, written by ``lastmile example-data DIR``.

The files fit together: ``stops.csv`` is one station-day of the station that ``scenario.yaml``
and ``forecast.csv`` name, ``real_routes.csv`` holds solved routes of several days of the same
station in the route-table format (the form in which real routes are read), and
``stations.csv``, ``temperatures.csv`` (monthly normals of the city), ``ev_routes.csv`` (the
same routes arc by arc) and ``network.json`` (EV share targets) are the electrification inputs
of that station. Everything is
generated from :func:`lastmile_core.examples.station`; same seed, same files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import examples
from .errors import InputError
from .fleet.ev_fit import arcs_from_solution
from .geo import haversine_km
from .io.tables import routes_table, stops_frame
from .solve import solve

#: Station and city names used throughout the sample.
STATION = "north"
CITY = "brussels"
FIRST_DAY = pd.Timestamp("2027-01-04")


def _zone_table(inst: Any, packages_factor: float = 1.0) -> list[dict[str, Any]]:
    """Scenario zones of a station-day: packages, hull area and straight-line km to the depot."""
    data = inst.data
    zone = np.asarray(data.zone)
    lonlat = np.asarray(data.coords)
    depot = lonlat[0]
    areas = inst.metadata["zone_area_km2"]
    rows = []
    for z, name in enumerate(inst.zone_names):
        nodes = np.flatnonzero(zone == z)
        nodes = nodes[nodes != 0]
        if len(nodes) == 0:
            continue
        c = lonlat[nodes].mean(axis=0)
        r = float(haversine_km(depot[0], depot[1], c[0], c[1]))
        rows.append(
            {
                "zone": name,
                "packages": round(float(data.demand[nodes, 0].sum()) * packages_factor, 1),
                "area_km2": round(float(areas[name]), 3),
                "r_km": round(r, 3),
            }
        )
    return rows


def write_example_data(
    directory: str | os.PathLike[str],
    *,
    seed: int = 1,
    n_packages: int = 600,
    days: int = 3,
    months: int = 16,
    max_iterations: int = 20_000,
) -> dict[str, Path]:
    """Write ``stops.csv``, ``scenario.yaml``, ``forecast.csv``, ``real_routes.csv``,
    ``stations.csv``, ``temperatures.csv``, ``ev_routes.csv`` and ``network.json`` to
    ``directory`` (created if needed) and return their paths by name.

    ``real_routes.csv`` is ``days`` station-days solved by SISR with ``max_iterations`` (deterministic).
    """
    import yaml

    for name, v in (("n_packages", n_packages), ("days", days), ("months", months)):
        if not isinstance(v, int | np.integer) or v < 1:
            raise InputError(f"{name}: must be a positive integer, got {v!r}")
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}

    inst = examples.station(seed=seed, n_packages=n_packages)
    stops = stops_frame(inst)
    stops.insert(1, "station", STATION)
    stops.insert(2, "day", FIRST_DAY.date().isoformat())
    paths["stops"] = out / "stops.csv"
    stops.to_csv(paths["stops"], index=False)

    frames = []
    arcs = []
    for d in range(days):
        day_inst = examples.station(seed=seed, n_packages=n_packages + 7 * d)
        res = solve(
            day_inst, time_limit=60.0, seed=seed, max_iterations=max_iterations, algorithm="sisr"
        )
        day = (FIRST_DAY + pd.Timedelta(days=d)).date().isoformat()
        t = routes_table(day_inst, res.solution, station=STATION, day=day)
        t["route_id"] = [f"{day}-{r}" for r in t["route_id"]]
        frames.append(t)
        a = arcs_from_solution(day_inst, res.solution, STATION)
        a["route"] = [f"{day}-{r}" for r in a["route"]]
        arcs.append(a)
    paths["real_routes"] = out / "real_routes.csv"
    pd.concat(frames, ignore_index=True).to_csv(paths["real_routes"], index=False)

    scenario = {
        "station": STATION,
        "temperature_c": -5.0,
        "volume_factor": 1.5,
        "vans": ["midvan"],
        "zones": _zone_table(inst),
    }
    paths["scenario"] = out / "scenario.yaml"
    paths["scenario"].write_text(yaml.safe_dump(scenario, sort_keys=False))

    months_idx = pd.period_range(FIRST_DAY, periods=months, freq="M")
    base = float(inst.data.demand[1:, 0].sum())
    forecast = pd.DataFrame(
        {
            "month": [str(p) for p in months_idx],
            "station": STATION,
            "packages_per_day": [round(base * 1.02**i, 1) for i in range(months)],
            "temperature_c": [
                round(10.0 - 8.0 * np.cos(2 * np.pi * (p.month - 1) / 12), 1) for p in months_idx
            ],
        }
    )
    paths["forecast"] = out / "forecast.csv"
    forecast.to_csv(paths["forecast"], index=False)

    # electrification inputs (lastmile fleet electrify): the station's site, its city's climate
    # and the solved routes arc by arc; its van need is `lastmile fleet plan`'s output
    paths["stations"] = out / "stations.csv"
    pd.DataFrame(
        [
            {
                "station": STATION,
                "city": CITY,
                "parking": 30,
                "site_kw": 150.0,
                "window_h": 10.0,
                "base_kw": 10.0,
            }
        ]
    ).to_csv(paths["stations"], index=False)
    paths["temperatures"] = out / "temperatures.csv"
    pd.DataFrame(
        {
            "city": CITY,
            "month": list(range(1, 13)),
            "temperature_c": [3.3, 3.7, 6.8, 9.8, 13.6, 16.2, 18.4, 18.0, 14.9, 11.1, 6.8, 3.9],
        }
    ).to_csv(paths["temperatures"], index=False)
    paths["ev_routes"] = out / "ev_routes.csv"
    pd.concat(arcs, ignore_index=True).to_csv(paths["ev_routes"], index=False)
    paths["network"] = out / "network.json"
    targets = {str(months_idx[min(5, months - 1)]): 0.3, str(months_idx[-1]): 0.6}
    paths["network"].write_text(json.dumps({"targets": targets}, indent=1) + "\n")
    return paths


__all__ = ["CITY", "STATION", "write_example_data"]
