"""The SPR model document: :class:`~lastmile_core.spr.params.SPRParams` to and from JSON.

The document (``"format": "lastmile_core.spr.SPRModel"``) is standard JSON: NaN is stored as
null and restored as NaN, floats round-trip exactly, and files written by earlier versions (the
single-module ``lastmile_core.spr``, whose optional fields may be absent) are read unchanged.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import InputError
from .params import SPRParams, ZoneProfile
from .vans import VanType

#: The ``format`` field of an SPR model document.
FORMAT = "lastmile_core.spr.SPRModel"

_ZONE_FLOATS = (
    "volume_l_per_package",
    "weight_kg_per_package",
    "rho",
    "share",
    "mean_packages",
    "area_km2",
    "r_km",
)


#: How an infinite float is written (JSON has no infinity): ``{"$float": "inf"}`` / ``"-inf"``.
INF_KEY = "$float"


def nan_to_none(x: Any) -> Any:
    """JSON-ready copy: NaN -> None, +-inf -> ``{"$float": "inf"|"-inf"}`` (read back by
    :func:`restore_inf`), tuples -> lists, numpy scalars -> Python numbers."""
    if isinstance(x, dict):
        return {k: nan_to_none(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [nan_to_none(v) for v in x]
    if isinstance(x, float) and math.isnan(x):
        return None
    if isinstance(x, float) and math.isinf(x):
        return {INF_KEY: "inf" if x > 0 else "-inf"}
    if hasattr(x, "item") and hasattr(x, "dtype"):  # numpy scalar
        return nan_to_none(x.item())
    return x


def params_to_dict(p: SPRParams) -> dict[str, Any]:
    """The JSON-ready model document."""
    doc = nan_to_none(
        {
            "format": FORMAT,
            "version": p.version,
            "coef": p.coef,
            "coef_se": p.coef_se,
            "rho": p.rho,
            "rho_cv": p.rho_cv,
            "h_per_km2": p.h_per_km2,
            "volume_per_package": p.volume_per_package,
            "weight_per_package": p.weight_per_package,
            "zones": p.zones,
            "utilisation": p.utilisation,
            "utilisation_fitted": p.utilisation_fitted,
            "linehaul_own_share": p.linehaul_own_share,
            "utilisation_station": p.utilisation_station,
            "kappa_days": p.kappa_days,
            "zone_mix": p.zone_mix,
            "route_count": p.route_count,
            "overflow_stops": p.overflow_stops,
            "van_types": {k: v.to_dict() for k, v in p.van_types.items()},
            "circuity": p.circuity,
            "quality": p.quality,
            "kappa_routes": p.kappa_routes,
            "kappa_stops": p.kappa_stops,
            "routes_fit": p.routes_fit,
        }
    )
    assert isinstance(doc, dict)
    return doc


def restore_inf(x: Any) -> Any:
    """The inverse of :func:`nan_to_none` for infinities (``{"$float": "inf"}`` -> ``inf``)."""
    if isinstance(x, dict):
        if set(x) == {INF_KEY} and x[INF_KEY] in ("inf", "-inf"):
            return float(x[INF_KEY])
        return {k: restore_inf(v) for k, v in x.items()}
    if isinstance(x, list):
        return [restore_inf(v) for v in x]
    return x


def _nan(v: Any) -> float:
    return math.nan if v is None else float(v)


def params_from_dict(d: Mapping[str, Any]) -> SPRParams:
    """Parameters from a model document (InputError when it is not one)."""
    if not isinstance(d, Mapping) or d.get("format") != FORMAT:
        raise InputError("model: not an SPRModel document (format field missing or wrong)")
    d = restore_inf(json.loads(json.dumps(nan_to_none(dict(d)))))  # deep copy, JSON types only
    try:
        zones: dict[str, ZoneProfile] = {}
        for key, prof in d["zones"].items():
            for f in _ZONE_FLOATS:
                if f in prof and prof[f] is None:
                    prof[f] = math.nan
            zones[key] = prof
        return SPRParams(
            coef={
                lv: {c: tuple(float(x) for x in v) for c, v in comps.items()}
                for lv, comps in d["coef"].items()
            },
            coef_se={c: tuple(float(x) for x in v) for c, v in d["coef_se"].items()},
            rho=dict(d["rho"]),
            rho_cv=d["rho_cv"],
            h_per_km2=d["h_per_km2"],
            volume_per_package={k: _nan(v) for k, v in d["volume_per_package"].items()},
            weight_per_package={k: _nan(v) for k, v in d["weight_per_package"].items()},
            zones=zones,
            utilisation=dict(d["utilisation"]),
            utilisation_fitted=tuple(d["utilisation_fitted"]),
            linehaul_own_share=float(d.get("linehaul_own_share", 1.0)),
            utilisation_station=d.get("utilisation_station", {}),
            kappa_days=float(d.get("kappa_days", 12.0)),
            zone_mix=float(d.get("zone_mix", 1.0)),
            route_count=str(d.get("route_count", "fractional")),
            overflow_stops=float(d.get("overflow_stops", 0.0)),
            van_types={k: VanType.from_dict(v) for k, v in d["van_types"].items()},
            circuity=d["circuity"],
            quality=d["quality"],
            kappa_routes=d["kappa_routes"],
            kappa_stops=d["kappa_stops"],
            version=d["version"],
            routes_fit={k: float(v) for k, v in (d.get("routes_fit") or {}).items()},
        )
    except KeyError as exc:
        raise InputError(f"{exc.args[0]}: missing in the SPR model document") from None


def write_json(p: SPRParams, path: str | Path) -> None:
    """Write the model document as standard JSON (floats round-trip exactly; NaN as null)."""
    Path(path).write_text(json.dumps(params_to_dict(p), indent=1, allow_nan=False))


def read_json(path: str | Path) -> SPRParams:
    """Read a model document written by :func:`write_json` (or by earlier versions)."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"path: model file {str(p)!r} does not exist")
    try:
        d = json.loads(p.read_text())
    except json.JSONDecodeError as exc:
        raise InputError(f"path: {str(p)!r} is not JSON ({exc})") from None
    return params_from_dict(d)


__all__ = [
    "FORMAT",
    "nan_to_none",
    "params_from_dict",
    "params_to_dict",
    "read_json",
    "write_json",
]
