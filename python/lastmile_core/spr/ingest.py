"""A user's per-stop route table -> the canonical stop table of the SPR model.

:func:`canonical_stops` renames the user's columns (``columns={user_name: canonical_name}``),
separates the station rows (``is_depot``) from the stops, fills the optional columns with
explicit, documented defaults (and a warning where a default is a guess), validates every value
and sorts the stops by route and sequence. Everything is vectorised (no per-route Python).

Canonical columns (:data:`CANONICAL_COLUMNS`): ``route_id``, ``seq``, ``lon``, ``lat``,
``zone``, ``packages``, ``service_s`` and the optional ``station``, ``city``, ``day``,
``van_type``, ``volume_l``, ``weight_kg``, ``leg_km`` / ``leg_s`` (road km / seconds from this
row to the next in ``seq`` order; on the last stop, back to the station; on a station row, to
the first stop), ``is_depot`` (a boolean column), ``energy_kwh``, ``route_km`` and
``route_duration_s`` (per-route totals repeated on every row), ``depot_lon`` / ``depot_lat``.

Defaults when a column is absent:

* ``zone``: missing values (NaN, empty, or the text ``"nan"`` / ``"none"`` / ``"null"``, any
  case) become the explicit zone :data:`UNZONED`, with a warning; they count in the route's
  stops and in the zone table alike.
* ``day``: every route is its own day (``day = route_id``), with a warning. Routes are never
  lumped into one day: a zone's day statistics (its stop density) then come from the route's
  own stops, which is right when, as in Amazon's data, one route serves a zone on a day. Station
  route counts cannot be learnt from single-route days; give a ``day`` column for them.
* ``packages``: 1 per stop, ``service_s``: 0, each with a warning; ``station`` ``"station"``,
  ``city`` ``"city"``, ``van_type`` ``"van"``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError
from ..station_rows import depot_mask

#: Name of the zone given to stops without one.
UNZONED = "unzoned"

#: Every column name :func:`canonical_stops` understands.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "route_id",
    "seq",
    "lon",
    "lat",
    "zone",
    "packages",
    "service_s",
    "station",
    "city",
    "day",
    "van_type",
    "volume_l",
    "weight_kg",
    "leg_km",
    "leg_s",
    "is_depot",
    "energy_kwh",
    "route_km",
    "route_duration_s",
    "depot_lon",
    "depot_lat",
)

#: The route key of the canonical table (a route id is unique within a station and day).
KEY: tuple[str, ...] = ("station", "day", "route_id")

_MISSING_ZONE = {"", "nan", "none", "null"}
_NONNEG = ("packages", "service_s", "volume_l", "weight_kg", "leg_km", "leg_s")


class SPRDataWarning(UserWarning):
    """A default was applied to the stop table (see :mod:`lastmile_core.spr.ingest`)."""


@dataclass(frozen=True)
class CanonicalStops:
    """The canonical stop table: ``stops`` (no station rows, sorted by :data:`KEY` and ``seq``,
    a ``_route`` column numbering the routes 0..R-1 in that order) and ``routes`` (one row per
    route: the key, ``city``, ``van_type``, the depot ``depot_lon`` / ``depot_lat`` (NaN when
    unknown) and, from a station row, its ``depot_leg_km`` / ``depot_leg_s`` (NaN without)).
    ``has_seq`` says whether the stop order is known (a ``seq`` column or station rows with
    legs)."""

    stops: pd.DataFrame
    routes: pd.DataFrame
    has_seq: bool


def _rename(stops: pd.DataFrame, columns: Mapping[str, str] | None) -> pd.DataFrame:
    if not isinstance(stops, pd.DataFrame):
        raise InputError(f"stops: expected a pandas DataFrame, got {type(stops).__name__}")
    if not columns:
        return stops
    if not isinstance(columns, Mapping):
        raise InputError(f"columns: expected a mapping, got {type(columns).__name__}")
    absent = [u for u in columns if u not in stops.columns]
    if absent:
        raise InputError(f"columns: {absent!r} not in the table (columns: {list(stops.columns)})")
    unknown = [c for c in columns.values() if c not in CANONICAL_COLUMNS]
    if unknown:
        raise InputError(
            f"columns: unknown canonical name(s) {unknown!r} (known: {', '.join(CANONICAL_COLUMNS)})"
        )
    targets = list(columns.values())
    dup = sorted({t for t in targets if targets.count(t) > 1})
    if dup:
        raise InputError(f"columns: several columns map to {dup!r}")
    # a canonical name kept in the table but also a mapping target would be ambiguous
    clash = [t for t in targets if t in stops.columns and t not in columns]
    if clash:
        raise InputError(f"columns: {clash!r} already exist in the table and are also mapped to")
    return stops.rename(columns=dict(columns))


def _numeric(df: pd.DataFrame, c: str, src: pd.DataFrame) -> None:
    vals = pd.to_numeric(df[c], errors="coerce").astype(float)
    bad = ~np.isfinite(vals.to_numpy())
    if c in _NONNEG:
        bad |= vals.to_numpy() < 0
    if c in ("volume_l", "weight_kg", "leg_km", "leg_s", "energy_kwh"):
        bad &= ~vals.isna().to_numpy()  # NaN = unknown, allowed
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        label = df.index[i]
        v = src.loc[label, c]
        v = v.item() if isinstance(v, np.generic) else v
        raise InputError(f"{c}: invalid value {v!r} in row {label!r}")
    df[c] = vals


def _warn(msg: str) -> None:
    warnings.warn(msg, SPRDataWarning, stacklevel=4)


def canonical_stops(
    stops: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    is_depot: str | tuple[str, Any] | None = None,
    depot: tuple[float, float] | Mapping[str, tuple[float, float]] | None = None,
) -> CanonicalStops:
    """The canonical stop table of a user's table (see the module docstring).

    ``columns``: {user column: canonical name}; a user column absent from the table or an
    unknown canonical name raises InputError naming them. ``is_depot``: see :func:`depot_mask`.
    ``depot``: (lon, lat), or {station: (lon, lat)}, for routes without a station row or
    ``depot_lon`` / ``depot_lat`` columns (their depot stays unknown, NaN, otherwise)."""
    df = _rename(stops, columns).copy()
    if columns and isinstance(is_depot, str):
        is_depot = columns.get(is_depot, is_depot)
    elif columns and isinstance(is_depot, tuple) and len(is_depot) == 2:
        is_depot = (columns.get(is_depot[0], is_depot[0]), is_depot[1])
    for c in ("route_id", "lon", "lat"):
        if c not in df.columns:
            raise InputError(f"{c}: missing column in the stop table")
    if df["route_id"].isna().any():
        label = df.index[int(np.flatnonzero(df["route_id"].isna().to_numpy())[0])]
        raise InputError(f"route_id: missing value in row {label!r}")
    dep = depot_mask(df, is_depot)
    n_stops = int((~dep).sum())
    if dep.any():  # station rows inherit their route's station / day / ... when they lack one
        for c in ("station", "city", "day", "van_type"):
            if c in df.columns:
                first = df.loc[~dep].groupby("route_id", sort=False)[c].first()
                own = df.loc[dep, c]
                df.loc[dep, c] = own.where(own.notna(), df.loc[dep, "route_id"].map(first))
    for c, default, warn in (
        ("packages", 1.0, True),
        ("service_s", 0.0, True),
        ("station", "station", False),
        ("city", "city", False),
        ("van_type", "van", False),
    ):
        if c not in df.columns:
            if warn and n_stops:
                _warn(f"{c}: no column; taken as {default:g} per stop")
            df[c] = default
    if "day" not in df.columns:
        if n_stops:
            _warn(
                "day: no column; every route is taken as its own day (routes are not lumped "
                "into one day; give a day column to fit station route counts)"
            )
        df["day"] = df["route_id"].astype(str)
    for c in ("station", "city", "day", "van_type"):
        df[c] = df[c].astype(str)
    if "zone" not in df.columns:
        df["zone"] = np.nan
    z = df["zone"]
    missing = z.isna().to_numpy() | z.astype(str).str.strip().str.lower().isin(_MISSING_ZONE)
    missing &= ~dep
    df["zone"] = z.astype(str).where(~missing, UNZONED)
    if missing.any():
        _warn(f"zone: {int(missing.sum())} stop(s) without a zone put in the zone {UNZONED!r}")
    stop_part = df.loc[~dep].copy()  # loads and service are read on the stops only
    for c in ("packages", "service_s", "volume_l", "weight_kg", "energy_kwh"):
        if c in df.columns:
            _numeric(stop_part, c, df)
            df[c] = df[c].astype(float) if c == "packages" and not dep.any() else df[c]
            df.loc[~dep, c] = stop_part[c]
            df[c] = pd.to_numeric(df[c], errors="coerce").astype(float)
    for c in ("lon", "lat"):
        _numeric(df, c, df)
    for c in ("leg_km", "leg_s", "seq"):
        if c in df.columns:
            _numeric(df, c, df)
    if "leg_km" in df.columns and "seq" not in df.columns:
        raise InputError("seq: legs (leg_km) need a seq column giving their order")
    has_seq = "seq" in df.columns
    df = df[[c for c in df.columns if c in CANONICAL_COLUMNS]]  # the user's other columns stay
    df["_depot"] = dep
    df["route_id"] = df["route_id"].astype(str)
    # one stable lexicographic sort by (station, day, route_id[, seq]), one take of the rows
    keys = [pd.factorize(df[c], sort=True)[0] for c in KEY]
    if has_seq:
        keys.append(df["seq"].to_numpy(float))
    df = df.iloc[np.lexsort(keys[::-1])]
    depot_rows = df[df["_depot"]]
    st = df[~df["_depot"]].drop(columns="_depot")
    routes = (
        st.groupby(list(KEY), sort=False)
        .agg(city=("city", "first"), van_type=("van_type", "first"))
        .reset_index()
    )
    routes["depot_lon"] = np.nan
    routes["depot_lat"] = np.nan
    routes["depot_leg_km"] = np.nan
    routes["depot_leg_s"] = np.nan
    idx = pd.MultiIndex.from_frame(routes[list(KEY)])
    if len(depot_rows):
        # a closed tour written out (station row first and last, as in solve's route table):
        # the return row at the same place adds nothing; two places are two stations
        depot_rows = depot_rows.drop_duplicates(subset=[*KEY, "lon", "lat"], keep="first")
        dkey = pd.MultiIndex.from_frame(depot_rows[list(KEY)])
        if dkey.duplicated().any():
            k = tuple(dkey[dkey.duplicated()][0])
            raise InputError(f"is_depot: route {k!r} has station rows at different places")
        pos = idx.get_indexer(dkey)
        ok = pos >= 0
        routes.loc[pos[ok], "depot_lon"] = depot_rows["lon"].to_numpy()[ok]
        routes.loc[pos[ok], "depot_lat"] = depot_rows["lat"].to_numpy()[ok]
        for c in ("leg_km", "leg_s"):
            if c in depot_rows.columns:
                routes.loc[pos[ok], f"depot_{c}"] = depot_rows[c].to_numpy()[ok]
    if "depot_lon" in st.columns and "depot_lat" in st.columns:
        first = st.groupby(list(KEY), sort=False)[["depot_lon", "depot_lat"]].first()
        fill = routes["depot_lon"].isna().to_numpy()
        routes.loc[fill, "depot_lon"] = first["depot_lon"].to_numpy(float)[fill]
        routes.loc[fill, "depot_lat"] = first["depot_lat"].to_numpy(float)[fill]
    if depot is not None:
        fill = routes["depot_lon"].isna().to_numpy()
        if isinstance(depot, Mapping):
            dmap = {str(k): (float(v[0]), float(v[1])) for k, v in depot.items()}
            unknown = sorted(set(routes.loc[fill, "station"]) - set(dmap))
            if unknown:
                raise InputError(f"depot: no depot for station {unknown[0]!r}")
            lonlat = np.array([dmap[s] for s in routes.loc[fill, "station"]]).reshape(-1, 2)
        else:
            lonlat = np.tile([float(depot[0]), float(depot[1])], (int(fill.sum()), 1))
        routes.loc[fill, "depot_lon"] = lonlat[:, 0]
        routes.loc[fill, "depot_lat"] = lonlat[:, 1]
    code = idx.get_indexer(pd.MultiIndex.from_frame(st[list(KEY)]))
    st = st.assign(_route=code.astype(np.int64))
    return CanonicalStops(stops=st, routes=routes, has_seq=has_seq)


__all__ = [
    "CANONICAL_COLUMNS",
    "KEY",
    "UNZONED",
    "CanonicalStops",
    "SPRDataWarning",
    "canonical_stops",
    "depot_mask",
]
