"""Column names of the command line's output tables, with their unit and period.

:meth:`lastmile_core.spr.SPRModel.predict` keeps its API column names (other modules read them);
``lastmile spr predict`` prints and writes the same table with the names of
:data:`PREDICTION_COLUMNS`, which say the unit and that the figures are per station-day.
"""

from __future__ import annotations

import pandas as pd

from .spr.constraints import CONSTRAINTS

#: ``SPRModel.predict`` column -> the column of ``lastmile spr predict`` (one scenario is one
#: station-day: totals are per day; ``limit_<c>`` is the most stops per route constraint c allows).
PREDICTION_COLUMNS: dict[str, str] = {
    "packages": "packages_per_day",
    "stops": "stops_per_day",
    "stop_density": "stops_per_km2",
    "routes": "routes_per_day",
    "routes_fractional": "routes_fractional_per_day",
    "vans": "vans_per_day",
    "linehaul_km": "linehaul_km_per_day",
    "local_km": "local_km_per_day",
    "km": "km_per_day",
    "energy_kwh": "energy_kwh_per_day",
    "duty_s": "duty_s_per_day",
    "linehaul_s": "linehaul_s_per_day",
    "stop_s": "stop_s_per_day",
    "volume_l": "volume_l_per_day",
    "weight_kg": "weight_kg_per_day",
    **{f"limit_{c}": f"limit_{c}_stops_per_route" for c in CONSTRAINTS},
}


def prediction_output(table: pd.DataFrame) -> pd.DataFrame:
    """The SPR prediction table with the command line's unit-and-period names (a copy)."""
    return table.rename(columns=PREDICTION_COLUMNS)


__all__ = ["PREDICTION_COLUMNS", "prediction_output"]
