"""Van types as the SPR model sees them (user units: packages, litres, kg, seconds, kWh)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import numpy as np

from ..errors import InputError


@dataclass(frozen=True)
class VanType:
    """A van type as the SPR model sees it (user units: packages, litres, kg, seconds, kWh).

    ``battery_kwh = 0`` means no energy limit (combustion van or energy not modelled).
    The energy coefficients feed the default :func:`linear_energy_kwh` model:
    ``kwh_per_km`` (rolling, aero, auxiliaries of the empty van), ``kwh_per_stop`` (accelerating
    from each stop, door/heating losses) and ``kwh_per_tonne_km`` (extra energy per tonne of
    payload per km). Costs are per van-day (``fixed_cost``), per km and per hour on duty.
    """

    name: str
    capacity_packages: float
    capacity_volume_l: float = math.inf
    capacity_weight_kg: float = math.inf
    shift_s: float = 8 * 3600.0
    battery_kwh: float = 0.0
    reserve_kwh: float = 0.0
    kwh_per_km: float = 0.20
    kwh_per_stop: float = 0.02
    kwh_per_tonne_km: float = 0.06
    fixed_cost: float = 100.0
    cost_per_km: float = 0.5
    cost_per_hour: float = 30.0

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"name: van type needs a non-empty name, got {self.name!r}")
        for f in fields(self):
            if f.name == "name":
                continue
            v = getattr(self, f.name)
            try:
                fv = float(v)
            except (TypeError, ValueError):
                raise InputError(f"{f.name}: van {self.name!r} needs a number, got {v!r}") from None
            if math.isnan(fv) or fv < 0:
                raise InputError(f"{f.name}: van {self.name!r} must be >= 0, got {v!r}")
        if self.capacity_packages <= 0:
            raise InputError(
                f"capacity_packages: van {self.name!r} must be > 0, got {self.capacity_packages!r}"
            )
        if self.shift_s <= 0:
            raise InputError(f"shift_s: van {self.name!r} must be > 0, got {self.shift_s!r}")
        if self.battery_kwh and self.reserve_kwh >= self.battery_kwh:
            raise InputError(
                f"reserve_kwh: van {self.name!r} reserve {self.reserve_kwh!r} >= battery {self.battery_kwh!r}"
            )

    @property
    def capacities(self) -> dict[str, float]:
        return {
            "packages": float(self.capacity_packages),
            "volume": float(self.capacity_volume_l),
            "weight": float(self.capacity_weight_kg),
        }

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: (None if isinstance(v, float) and math.isinf(v) else v) for k, v in d.items()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> VanType:
        known = {f.name for f in fields(cls)}
        unknown = set(d) - known - {"capacity", "shift_h"}
        if unknown:
            raise InputError(f"{sorted(unknown)[0]}: unknown van type field")
        kw = {k: v for k, v in d.items() if k in known}
        cap = d.get("capacity")
        if isinstance(cap, Mapping):
            for key, attr in (
                ("packages", "capacity_packages"),
                ("volume_l", "capacity_volume_l"),
                ("weight_kg", "capacity_weight_kg"),
            ):
                if key in cap:
                    kw[attr] = cap[key]
        elif cap is not None:
            vals = list(np.atleast_1d(cap))
            for attr, v in zip(
                ("capacity_packages", "capacity_volume_l", "capacity_weight_kg"), vals, strict=False
            ):
                kw[attr] = v
        if d.get("shift_h") is not None:
            kw["shift_s"] = float(d["shift_h"]) * 3600.0
        for k in ("capacity_volume_l", "capacity_weight_kg"):
            if k in kw and kw[k] is None:
                kw[k] = math.inf
        if "name" not in kw:
            raise InputError("name: van type needs a name")
        return cls(**kw)

    @classmethod
    def from_vehicle_spec(
        cls, spec: Any, dim_names: Sequence[str] = ("packages", "volume_l", "weight_kg"), **kw: Any
    ) -> VanType:
        """Convert an :class:`lastmile_core.VehicleSpec` (geographic units: s, km)."""
        cap = [float(c) for c in np.atleast_1d(spec.capacity)]
        names = list(dim_names)
        dims = dict(zip(names, cap, strict=False))
        pk = dims.get("packages", cap[0])
        args: dict[str, Any] = {
            "name": spec.name or "van",
            "capacity_packages": pk,
            "capacity_volume_l": dims.get("volume_l", math.inf),
            "capacity_weight_kg": dims.get("weight_kg", math.inf),
            "shift_s": spec.max_duration if spec.max_duration is not None else 24 * 3600.0,
            "battery_kwh": float(getattr(spec, "battery_kwh", 0.0)),
            "reserve_kwh": float(getattr(spec, "reserve_kwh", 0.0)),
            "fixed_cost": float(spec.fixed_cost),
            "cost_per_km": float(spec.cost_per_distance),
            "cost_per_hour": float(spec.cost_per_duration) * 3600.0,
        }
        args.update(kw)
        return cls(**args)


#: Per-van columns of a route table (``lastmile solve --out``) and the VanType field each fills.
VAN_COLUMNS = {
    "capacity_packages": "capacity_packages",
    "capacity_volume_l": "capacity_volume_l",
    "capacity_weight_kg": "capacity_weight_kg",
    "shift_s": "shift_s",
}


def vans_from_table(df: Any) -> list[VanType]:
    """One :class:`VanType` per ``van_type`` of a per-stop route table from its
    ``capacity_packages`` (required), ``capacity_volume_l``, ``capacity_weight_kg`` and
    ``shift_s`` columns (one value per van type, else InputError naming the column)."""
    import pandas as pd

    if "van_type" not in df.columns or "capacity_packages" not in df.columns:
        raise InputError("capacity_packages: the table has no van_type/capacity_packages columns")
    vans = []
    for name, g in df.groupby("van_type", sort=True):
        kw: dict[str, Any] = {}
        for col, attr in VAN_COLUMNS.items():
            if col not in g.columns:
                continue
            values = pd.to_numeric(g[col], errors="coerce").dropna().unique()
            if len(values) != 1:
                raise InputError(
                    f"{col}: van type {name!r} needs one value in the table, got {list(values)}"
                )
            kw[attr] = float(values[0])
        vans.append(VanType(name=str(name), **kw))
    return vans


__all__ = ["VAN_COLUMNS", "vans_from_table", "VanType"]
