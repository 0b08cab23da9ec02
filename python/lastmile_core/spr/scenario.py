"""A station-day to predict: :class:`Scenario` and the check of its zone table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from .vans import VanType


@dataclass(frozen=True)
class Scenario:
    """A station-day to predict.

    ``zones`` columns: ``zone``, ``packages``, ``area_km2``, ``r_km`` (straight-line distance from
    the station to the zone centroid); optional ``station``, ``city``, ``packages_per_stop``
    (overrides the fitted stops model), ``volume_l_per_package``, ``weight_kg_per_package``.
    ``vans``: van types (or names of van types the model knows); each is predicted separately.
    ``shift_s`` / ``battery_kwh`` override the vans' values; ``temperature_c`` feeds the energy
    model; ``volume_factor`` scales every zone's packages.
    """

    zones: pd.DataFrame
    vans: tuple[VanType | str, ...] = ()
    shift_s: float | None = None
    battery_kwh: float | None = None
    temperature_c: float = 20.0
    volume_factor: float = 1.0
    station: str | None = None
    city: str | None = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Scenario:
        """From a parsed YAML/JSON mapping (keys as the fields; ``zones`` a list of mappings,
        ``vans``/``van_types`` names or van mappings, ``shift_h`` accepted)."""
        if not isinstance(d, Mapping):
            raise InputError(f"scenario: expected a mapping, got {type(d).__name__}")
        known = {
            "zones",
            "vans",
            "van_types",
            "shift_s",
            "shift_h",
            "battery_kwh",
            "temperature_c",
            "volume_factor",
            "station",
            "city",
        }
        unknown = set(d) - known
        if unknown:
            raise InputError(f"{sorted(unknown)[0]}: unknown scenario field")
        if "zones" not in d:
            raise InputError("zones: missing in scenario")
        zones = pd.DataFrame(list(d["zones"]))
        vans_raw = d.get("vans", d.get("van_types", ()))
        vans: list[VanType | str] = []
        for v in vans_raw or ():
            vans.append(v if isinstance(v, str) else VanType.from_dict(v))
        shift = d.get("shift_s")
        if d.get("shift_h") is not None:
            shift = float(d["shift_h"]) * 3600.0
        return cls(
            zones=zones,
            vans=tuple(vans),
            shift_s=shift,
            battery_kwh=d.get("battery_kwh"),
            temperature_c=float(d.get("temperature_c", 20.0)),
            volume_factor=float(d.get("volume_factor", 1.0)),
            station=d.get("station"),
            city=d.get("city"),
        )


def validate_zones(zones: pd.DataFrame) -> pd.DataFrame:
    """A checked copy of a scenario zone table (``zone`` names added when absent): numbers finite
    and >= 0, areas, packages per stop and the optional ``speed_factor`` (the zone's driving
    speed relative to the fitted one: its driving seconds per km are divided by it) > 0;
    InputError naming the column and the zone."""
    if not isinstance(zones, pd.DataFrame):
        raise InputError(f"zones: expected a DataFrame, got {type(zones).__name__}")
    for c in ("packages", "area_km2", "r_km"):
        if c not in zones.columns:
            raise InputError(f"{c}: missing column in scenario zones")
    z = zones.copy()
    if "zone" not in z.columns:
        z["zone"] = [f"zone{i}" for i in range(len(z))]
    for c in (
        "packages",
        "area_km2",
        "r_km",
        "packages_per_stop",
        "volume_l_per_package",
        "weight_kg_per_package",
        "r_ref_km",
        "speed_factor",
    ):
        if c not in z.columns:
            continue
        vals = pd.to_numeric(z[c], errors="coerce").astype(float)
        opt = c not in ("packages", "area_km2", "r_km", "speed_factor")
        bad = (~np.isfinite(vals) & ~(opt & vals.isna())) | (vals < 0)
        if c in ("area_km2", "packages_per_stop", "speed_factor"):
            bad |= vals == 0
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                f"{c}: invalid value {zones[c].iloc[i]!r} for zone {z['zone'].iloc[i]!r}"
            )
        z[c] = vals
    return z


#: Scenario fields that :meth:`SPRModel.predict <lastmile_core.spr.SPRModel.predict>` accepts as
#: keyword overrides (everything but the zones and the vans, which have their own arguments).
OVERRIDABLE: tuple[str, ...] = tuple(
    f.name for f in fields(Scenario) if f.name not in ("zones", "vans")
)

__all__ = ["OVERRIDABLE", "Scenario", "validate_zones"]
