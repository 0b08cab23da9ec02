"""Observed routes as two tables: one row per route and one row per route x zone.

:func:`~lastmile_core.spr.observe` and :func:`~lastmile_core.spr.observe_table` return an
:class:`Observations`; :meth:`SPRModel.fit <lastmile_core.spr.SPRModel.fit>` takes one (or a
route table alone, see :func:`zones_from_routes`). The zone table replaces the ``zone_mix`` string
column of earlier versions; route tables saved with that column are still read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import FormatError, InputError
from ..io import read_table
from ..io.tables import CSV_SUFFIXES, PARQUET_SUFFIXES

#: Columns every route table must have for fitting (see :func:`~lastmile_core.spr.observe`).
REQUIRED_COLUMNS: tuple[str, ...] = (
    "station",
    "day",
    "van_type",
    "stops",
    "packages",
    "distance_km",
    "duration_s",
    "service_s",
    "r_km",
    "local_x",
    "cap_packages",
    "shift_s",
)

#: Columns identifying a route, in both tables.
ROUTE_KEY: tuple[str, ...] = ("city", "station", "day", "van_type", "route")

#: Columns of the zone table: the route key, the zone, the route's stops, packages, volume and
#: weight in that zone, and the zone's day totals (``zone_packages``, ``zone_stops``), area (km^2)
#: and straight-line distance from the station to its centroid (``r_km``).
ZONE_COLUMNS: tuple[str, ...] = (
    *ROUTE_KEY,
    "zone",
    "stops",
    "packages",
    "volume_l",
    "weight_kg",
    "zone_packages",
    "zone_stops",
    "area_km2",
    "r_km",
)

_ZONE_NUMERIC = ZONE_COLUMNS[6:]
_KEY_TEXT = ("city", "station", "day", "van_type")
_LEGACY_COLUMN = "zone_mix"
#: Field order of one entry of the legacy ``zone_mix`` string (``|``-separated, ``;`` between).
_LEGACY_FIELDS = ZONE_COLUMNS[5:]


@dataclass(frozen=True)
class Observations:
    """Observed routes: ``routes`` (one row per route, the columns of
    :func:`~lastmile_core.spr.observe`) and ``zones`` (one row per route x zone,
    :data:`ZONE_COLUMNS`), joined on :data:`ROUTE_KEY`."""

    routes: pd.DataFrame
    zones: pd.DataFrame

    def __post_init__(self) -> None:
        for name in ("routes", "zones"):
            if not isinstance(getattr(self, name), pd.DataFrame):
                got = type(getattr(self, name)).__name__
                raise InputError(f"{name}: expected a pandas DataFrame, got {got}")
        missing = [c for c in ZONE_COLUMNS if c not in self.zones.columns]
        if missing:
            raise InputError(f"{missing[0]}: missing column in the zone table")

    def __len__(self) -> int:
        """Number of routes."""
        return len(self.routes)

    @classmethod
    def concat(cls, items: Iterable[Observations]) -> Observations:
        """Stack observations (e.g. of several station-days); indexes are renumbered."""
        parts = list(items)
        if not parts:
            raise InputError("observations: nothing to concatenate")
        for p in parts:
            if not isinstance(p, Observations):
                raise InputError(f"observations: expected Observations, got {type(p).__name__}")
        return cls(
            routes=pd.concat([p.routes for p in parts], ignore_index=True),
            zones=pd.concat([p.zones for p in parts], ignore_index=True),
        )

    @classmethod
    def from_routes(cls, routes: pd.DataFrame) -> Observations:
        """From a route table alone: its legacy ``zone_mix`` column (dropped), else each route in
        its dominant zone (see :func:`zones_from_routes`)."""
        zones = zones_from_routes(routes)
        return cls(routes=routes.drop(columns=_LEGACY_COLUMN, errors="ignore"), zones=zones)

    def write(self, path: str | Path) -> tuple[Path, Path]:
        """Write the route table to ``path`` and the zone table next to it
        (:func:`zones_path`); CSV or Parquet by the suffix. Returns both paths."""
        p = Path(path)
        zp = zones_path(p)
        for frame, target in ((self.routes, p), (self.zones, zp)):
            if _suffix(target) in PARQUET_SUFFIXES:
                frame.to_parquet(target, index=False)
            else:
                frame.to_csv(target, index=False)
        return p, zp

    @classmethod
    def read(cls, path: str | Path) -> Observations:
        """Read what :meth:`write` wrote; a route table without a zone file next to it is read
        with :meth:`from_routes` (files saved with the legacy ``zone_mix`` column)."""
        p = Path(path)
        routes = read_table(p, field="path")
        zp = zones_path(p)
        if not zp.is_file():
            return cls.from_routes(routes)
        zones = read_table(zp, field="path")
        for frame in (routes, zones):
            for c in _KEY_TEXT:
                if c in frame.columns:
                    frame[c] = frame[c].astype(str)
        return cls(routes=routes, zones=zones)


def _suffix(p: Path) -> str:
    return ".gz" if p.name.lower().endswith(".gz") else p.suffix.lower()


def zones_path(path: str | Path) -> Path:
    """The zone table file written next to a route table: ``routes.parquet`` ->
    ``routes.zones.parquet`` (``.csv``, ``.csv.gz`` likewise)."""
    p = Path(path)
    name = p.name
    for suf in sorted(CSV_SUFFIXES + PARQUET_SUFFIXES + (".csv.gz",), key=len, reverse=True):
        if name.lower().endswith(suf):
            return p.with_name(name[: -len(suf)] + ".zones" + name[-len(suf) :])
    raise FormatError(f"path: unsupported table suffix {p.suffix!r} in {str(p)!r}")


def zones_from_routes(routes: pd.DataFrame) -> pd.DataFrame:
    """The zone table of a route table that has none: parsed from its legacy ``zone_mix`` column,
    or (without it) one row per route in its dominant zone (``zone``, ``zone_packages``,
    ``zone_stops``, ``zone_area_km2``, ``zone_r_km`` columns). Needs the :data:`ROUTE_KEY`
    columns."""
    key_cols = list(ROUTE_KEY)
    for c in key_cols:
        if c not in routes.columns:
            raise InputError(f"{c}: missing column in the route table")
    if _LEGACY_COLUMN in routes.columns:
        rows = []
        for idx, (keys, mix) in enumerate(
            zip(routes[key_cols].itertuples(index=False), routes[_LEGACY_COLUMN], strict=True)
        ):
            for part in str(mix).split(";"):
                if not part:
                    continue
                vals = part.split("|")
                if len(vals) != len(_LEGACY_FIELDS):
                    raise InputError(f"zone_mix: malformed entry {part!r} in row {idx}")
                rows.append((*keys, vals[0], *(float(v) for v in vals[1:])))
        return pd.DataFrame(rows, columns=list(ZONE_COLUMNS))
    need = ("zone", "zone_packages", "zone_stops", "zone_area_km2", "zone_r_km")
    for c in need:
        if c not in routes.columns:
            raise InputError(f"{c}: missing column (needed when there is no zone table)")
    out = routes[[*key_cols, "zone", "stops", "packages"]].copy()
    out["volume_l"] = routes["volume_l"] if "volume_l" in routes else np.nan
    out["weight_kg"] = routes["weight_kg"] if "weight_kg" in routes else np.nan
    out["zone_packages"] = routes["zone_packages"].astype(float)
    out["zone_stops"] = routes["zone_stops"].astype(float)
    out["area_km2"] = routes["zone_area_km2"].astype(float)
    out["r_km"] = routes["zone_r_km"].astype(float)
    return out


def validate_zone_table(zones: pd.DataFrame, routes: pd.DataFrame) -> pd.DataFrame:
    """A checked copy of a zone table for fitting: key columns as text, numbers as floats (finite
    and >= 0 except NaN volume/weight), every row belonging to a route of ``routes``."""
    missing = [c for c in ZONE_COLUMNS if c not in zones.columns]
    if missing:
        raise InputError(f"{missing[0]}: missing column in the zone table")
    z = zones[list(ZONE_COLUMNS)].copy()
    for c in _KEY_TEXT:
        z[c] = z[c].astype(str)
    for c in _ZONE_NUMERIC:
        vals = pd.to_numeric(z[c], errors="coerce").astype(float)
        bad = (vals < 0) | (~np.isfinite(vals) & ~(vals.isna() & (c in ("volume_l", "weight_kg"))))
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(f"{c}: invalid value {zones[c].iloc[i]!r} in zone table row {i}")
        z[c] = vals
    key = list(ROUTE_KEY)
    known = pd.MultiIndex.from_frame(routes[key].astype(str))
    have = pd.MultiIndex.from_frame(z[key].astype(str))
    orphan = ~have.isin(known)
    if orphan.any():
        i = int(np.flatnonzero(orphan)[0])
        raise InputError(
            f"route: zone table row {i} names route {tuple(z[key].iloc[i])!r} "
            "that is not in the route table"
        )
    return z


__all__ = [
    "REQUIRED_COLUMNS",
    "ROUTE_KEY",
    "ZONE_COLUMNS",
    "Observations",
    "validate_zone_table",
    "zones_from_routes",
    "zones_path",
]
