"""A delivery network bottom-up, as the planners see it: stations and the zones they serve.

A :class:`Station` has a location (lon/lat), a city and optionally its operating hours (the
shift its vans may drive, ``shift_h``); a :class:`Zone` has a centroid, an area, the share of its
``forecast_station``'s daily volume it carries, the station that serves it and a driving-speed
factor of its roads. :class:`DeliveryNetwork` checks that every name is unique and every reference
known, and gives the per-zone table the SPR model needs (:meth:`DeliveryNetwork.zone_table`): the
straight-line distance from each zone centroid to its station (``r_km``, what the SPR model's
line-haul coefficients expect) and the road line-haul of a round trip by
:data:`lastmile_core.road.DEFAULT_ROAD`'s station-leg circuity (``linehaul_road_km``).

:meth:`DeliveryNetwork.from_model` lays out the zones a fitted SPR model knows (area, share, and its
``r_km`` as the distance to a given station location); :func:`network_from_stops` takes the
centroids from a stop table. The scenarios that change a network are in
:mod:`.network_scenarios`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ..errors import InputError
from ..geo import EARTH_RADIUS_KM, haversine_km
from ..road import DEFAULT_ROAD, RoadFactors
from ..spr import SPRModel


def _finite(name: str, value: float, lo: float | None = None, hi: float | None = None) -> None:
    ok = isinstance(value, (int, float)) and math.isfinite(value)
    if ok and lo is not None:
        ok = value >= lo
    if ok and hi is not None:
        ok = value <= hi
    if not ok:
        rng = f" in [{lo}, {hi}]" if lo is not None and hi is not None else ""
        raise InputError(f"{name}: must be a finite number{rng}, got {value!r}")


def check_shift_h(name: str, hours: float | None) -> None:
    """Operating hours of a station: None (the van types' shift) or in (0, 24]."""
    if hours is None:
        return
    if not (isinstance(hours, (int, float)) and math.isfinite(hours) and 0 < hours <= 24):
        raise InputError(f"{name}: operating hours must be in (0, 24], got {hours!r}")


@dataclass(frozen=True)
class Station:
    """A station: name, location (degrees), city, operating hours per day (None = the shift of
    the van types)."""

    name: str
    lon: float
    lat: float
    city: str | None = None
    shift_h: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"station: a station needs a non-empty name, got {self.name!r}")
        _finite(f"lon: station {self.name!r}", self.lon, -180.0, 180.0)
        _finite(f"lat: station {self.name!r}", self.lat, -90.0, 90.0)
        check_shift_h(f"shift_h: station {self.name!r}", self.shift_h)


@dataclass(frozen=True)
class Zone:
    """A delivery zone: name (unique in the network), centroid (degrees), area (km2), share of
    ``forecast_station``'s daily volume (defaults to ``station``, the station serving it), the
    factor on its driving speeds (1 = as fitted; 0.8 = 20 % slower roads) and its name in the
    SPR model's zone profiles of ``forecast_station`` (``model_zone``, defaults to ``name``)."""

    name: str
    lon: float
    lat: float
    area_km2: float
    share: float
    station: str
    forecast_station: str | None = None
    speed_factor: float = 1.0
    model_zone: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"zone: a zone needs a non-empty name, got {self.name!r}")
        if self.model_zone is None:
            object.__setattr__(self, "model_zone", self.name)
        _finite(f"lon: zone {self.name!r}", self.lon, -180.0, 180.0)
        _finite(f"lat: zone {self.name!r}", self.lat, -90.0, 90.0)
        _finite(f"area_km2: zone {self.name!r}", self.area_km2)
        if not self.area_km2 > 0:
            raise InputError(f"area_km2: zone {self.name!r} must be > 0, got {self.area_km2!r}")
        _finite(f"share: zone {self.name!r}", self.share, 0.0)
        _finite(f"speed_factor: zone {self.name!r}", self.speed_factor)
        if not self.speed_factor > 0:
            raise InputError(
                f"speed_factor: zone {self.name!r} must be > 0, got {self.speed_factor!r}"
            )
        if self.forecast_station is None:
            object.__setattr__(self, "forecast_station", self.station)

    @property
    def volume_station(self) -> str:
        """The station whose forecast this zone's ``share`` divides."""
        return self.forecast_station if self.forecast_station is not None else self.station


@dataclass(frozen=True)
class DeliveryNetwork:
    """Stations and zones; every zone's ``station`` and ``forecast_station`` is a station."""

    stations: tuple[Station, ...]
    zones: tuple[Zone, ...]
    road: RoadFactors = DEFAULT_ROAD

    def __post_init__(self) -> None:
        object.__setattr__(self, "stations", tuple(self.stations))
        object.__setattr__(self, "zones", tuple(self.zones))
        names = [s.name for s in self.stations]
        if not names:
            raise InputError("stations: a network needs at least one station")
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise InputError(f"station: duplicate station name {sorted(dup)[0]!r}")
        znames = [z.name for z in self.zones]
        zdup = {n for n in znames if znames.count(n) > 1}
        if zdup:
            raise InputError(f"zone: duplicate zone name {sorted(zdup)[0]!r}")
        known = set(names)
        for z in self.zones:
            for field_name, st in (("station", z.station), ("forecast_station", z.volume_station)):
                if st not in known:
                    raise InputError(
                        f"{field_name}: zone {z.name!r} names unknown station {st!r} "
                        f"(known: {sorted(known)})"
                    )

    def station(self, name: str) -> Station:
        """The station of that name (InputError naming ``station`` otherwise)."""
        for s in self.stations:
            if s.name == name:
                return s
        raise InputError(
            f"station: unknown station {name!r} (known: {sorted(s.name for s in self.stations)})"
        )

    def zone(self, name: str) -> Zone:
        """The zone of that name (InputError naming ``zone`` otherwise)."""
        for z in self.zones:
            if z.name == name:
                return z
        raise InputError(f"zone: unknown zone {name!r}")

    def with_station(self, station: Station) -> DeliveryNetwork:
        """This network with one station added or replaced (same name)."""
        others = tuple(s for s in self.stations if s.name != station.name)
        return replace(self, stations=(*others, station))

    def with_zones(self, zones: Mapping[str, Zone]) -> DeliveryNetwork:
        """This network with the zones named in ``zones`` replaced (order kept)."""
        for name in zones:
            self.zone(name)
        return replace(self, zones=tuple(zones.get(z.name, z) for z in self.zones))

    def zone_table(self) -> pd.DataFrame:
        """One row per zone: ``zone``, ``model_zone``, ``station``, ``forecast_station``,
        ``city``, ``lon``, ``lat``, ``area_km2``, ``share``, ``speed_factor``, ``r_km`` (straight line from the
        station to the centroid) and ``linehaul_road_km`` (a round trip on the road:
        ``2 * road.station_circuity * r_km``)."""
        st = {s.name: s for s in self.stations}
        rows = []
        for z in self.zones:
            s = st[z.station]
            r = float(haversine_km(s.lon, s.lat, z.lon, z.lat))
            rows.append(
                {
                    "zone": z.name,
                    "model_zone": z.model_zone,
                    "station": z.station,
                    "forecast_station": z.volume_station,
                    "city": s.city,
                    "lon": z.lon,
                    "lat": z.lat,
                    "area_km2": z.area_km2,
                    "share": z.share,
                    "speed_factor": z.speed_factor,
                    "r_km": r,
                    "linehaul_road_km": 2.0 * self.road.station_circuity * r,
                }
            )
        return pd.DataFrame(rows)

    @classmethod
    def from_model(
        cls,
        model: SPRModel,
        stations: Mapping[str, tuple[float, float]],
        centroids: Mapping[str, tuple[float, float]] | None = None,
        *,
        road: RoadFactors = DEFAULT_ROAD,
    ) -> DeliveryNetwork:
        """The zones a fitted model knows for ``stations`` (name -> (lon, lat)): area and volume
        share from the zone profiles, centroid from ``centroids`` (zone -> (lon, lat)) or, for
        a zone not in it, placed at the profile's ``r_km`` from its station on a bearing spread
        evenly over the station's zones (so the straight-line distance is the fitted one). A
        zone name that several of the stations use becomes ``station/zone`` (``centroids``
        keys likewise)."""
        out_st: list[Station] = []
        out_z: list[Zone] = []
        cents = dict(centroids or {})
        profiles = {name: model.station_zones(name) for name in stations}
        seen = [str(z) for p in profiles.values() for z in p["zone"]]
        for name, (lon, lat) in stations.items():
            prof = profiles[name]
            out_st.append(Station(name, float(lon), float(lat), city=str(prof["city"].iloc[0])))
            n = len(prof)
            for i, row in enumerate(prof.itertuples(index=False)):
                mzone = str(row.zone)
                zname = mzone if seen.count(mzone) == 1 else f"{name}/{mzone}"
                if zname in cents:
                    zlon, zlat = cents[zname]
                else:
                    zlon, zlat = destination(lon, lat, 360.0 * i / n, float(row.r_km))
                out_z.append(
                    Zone(
                        zname,
                        float(zlon),
                        float(zlat),
                        float(row.area_km2),
                        float(row.share),
                        name,
                        model_zone=mzone,
                    )
                )
        return cls(tuple(out_st), tuple(out_z), road)


def destination(lon: float, lat: float, bearing_deg: float, km: float) -> tuple[float, float]:
    """The point ``km`` along the great circle from (lon, lat) at ``bearing_deg`` (degrees)."""
    p1, l1, b = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    d = km / EARTH_RADIUS_KM
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(
        math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
    )
    return (math.degrees(l2) + 540.0) % 360.0 - 180.0, math.degrees(p2)


def network_from_stops(
    stops: pd.DataFrame,
    model: SPRModel,
    stations: Sequence[str] | None = None,
    *,
    road: RoadFactors = DEFAULT_ROAD,
) -> DeliveryNetwork:
    """A network from a stop table (``station``, ``zone``, ``lon``, ``lat``, ``is_depot``; the
    format of ``lastmile example-data``'s ``stops.csv``): each station at its depot rows, each
    zone's centroid the mean of its stops, area and share from the model's zone profiles."""
    for c in ("station", "zone", "lon", "lat", "is_depot"):
        if c not in stops.columns:
            raise InputError(f"{c}: missing column in the stop table")
    depot = stops["is_depot"].astype(bool).to_numpy()
    names = list(stations) if stations is not None else sorted(map(str, stops["station"].unique()))
    locs: dict[str, tuple[float, float]] = {}
    cents: dict[str, tuple[float, float]] = {}
    for name in names:
        mine = stops["station"].astype(str).to_numpy() == name
        d = stops[mine & depot]
        if d.empty:
            raise InputError(f"is_depot: station {name!r} has no depot row in the stop table")
        locs[name] = (float(d["lon"].iloc[0]), float(d["lat"].iloc[0]))
        s = stops[mine & ~depot]
        for zname, g in s.groupby(s["zone"].astype(str), sort=True):
            xy = (float(np.mean(g["lon"])), float(np.mean(g["lat"])))
            cents[str(zname)] = xy
            cents[f"{name}/{zname}"] = xy
    return DeliveryNetwork.from_model(model, locs, cents, road=road)


__all__ = [
    "DeliveryNetwork",
    "Station",
    "Zone",
    "check_shift_h",
    "destination",
    "network_from_stops",
]
