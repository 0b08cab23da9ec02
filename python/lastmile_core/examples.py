"""Deterministic synthetic station-days (the embedded default example).

A station-day is a depot and zip-code-like zones around a city centre: a dense urban core of
small zones, suburbs and sparse outskirts with large zones. Stops carry 1..k packages with a
volume (litres) and a weight (kg) each; service time grows with the number of packages. Elevation
follows a smooth synthetic terrain so energy models see hills. Same seed, same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .errors import InputError
from .example_times import windows_and_waves
from .geo import KM_PER_DEG
from .instance import Instance, VehicleSpec


@dataclass(frozen=True)
class ZoneKind:
    """A class of zones: ring distance from the centre (km), zone radius (km), volume share."""

    name: str
    ring_km: tuple[float, float]
    radius_km: float
    share: float
    mean_packages_per_stop: float


DEFAULT_ZONE_KINDS: tuple[ZoneKind, ...] = (
    ZoneKind("core", (0.5, 3.0), 0.8, 0.45, 2.2),
    ZoneKind("suburb", (4.0, 9.0), 1.8, 0.40, 1.5),
    ZoneKind("outskirts", (11.0, 20.0), 3.5, 0.15, 1.2),
)

#: Default van: capacity in (packages, volume litres, weight kg), an 8-hour shift (driving +
#: service). Volume 8,000 L and payload 1,000 kg are typical of a mid-size panel van.
DEFAULT_VAN = VehicleSpec(
    capacity=(250, 8000, 1000),
    num_available=None,
    fixed_cost=100.0,
    cost_per_distance=0.5,
    cost_per_duration=30.0 / 3600.0,
    max_duration=8 * 3600.0,
    name="midvan",
)


def station(
    seed: int = 1,
    n_packages: int = 1200,
    *,
    n_zones: int = 12,
    center_lonlat: tuple[float, float] = (4.35, 50.85),
    depot_offset_km: tuple[float, float] = (6.0, -2.0),
    max_packages_per_stop: int = 8,
    service_base_s: float = 60.0,
    service_per_package_s: float = 15.0,
    package_volume_l: tuple[float, float] = (3.0, 40.0),
    package_weight_kg: tuple[float, float] = (0.2, 6.0),
    speed_kmh: float = 30.0,
    circuity: float = 1.3,
    vehicle_types: Sequence[VehicleSpec] | None = None,
    zone_kinds: Sequence[ZoneKind] = DEFAULT_ZONE_KINDS,
    window_share: float = 0.0,
    window_hours: float = 2.0,
    wave_share: float = 0.0,
    wave_release: float | str = "10:30",
    station_hours: tuple[float | str, float | str] = ("08:00", "18:00"),
) -> Instance:
    """A deterministic synthetic station-day in geographic coordinates.

    Demand dimensions are (packages, volume_l, weight_kg) rounded to integers. Service time per
    stop is ``service_base_s + service_per_package_s * packages``. Zone labels look like
    ``"Z1003"`` and ``metadata["zone_kind"]`` maps each to core/suburb/outskirts.

    Windows and waves (off by default; see :mod:`lastmile_core.example_times`): a share
    ``window_share`` of the stops gets a delivery window of ``window_hours`` inside
    ``station_hours`` (the depot's opening window, clock times), and another share
    ``wave_share`` is a second wave whose packages reach the station at ``wave_release``.
    Same seed, same windows; the stops are the same as without them. A window that no route
    can reach in time is refused by :meth:`Instance.from_arrays` (InputError naming the client).
    """
    if n_packages < 1:
        raise InputError(f"n_packages: must be >= 1, got {n_packages}")
    if n_zones < len(zone_kinds):
        raise InputError(
            f"n_zones: need at least {len(zone_kinds)} zones (one per kind), got {n_zones}"
        )
    if max_packages_per_stop < 1:
        raise InputError(f"max_packages_per_stop: must be >= 1, got {max_packages_per_stop}")
    rng = np.random.default_rng(seed)
    lon0, lat0 = center_lonlat
    km_per_deg_lon = KM_PER_DEG * np.cos(np.radians(lat0))

    # Zones: split n_zones among kinds in proportion to share, at least one each; core zones are
    # small and many, outskirts few and large.
    shares = np.array([k.share for k in zone_kinds], dtype=float)
    counts = np.maximum(1, np.floor(shares / shares.sum() * n_zones).astype(int))
    while counts.sum() < n_zones:
        counts[int(np.argmax(shares / counts))] += 1
    zone_centres, zone_radius, zone_kind, zone_ppstop, zone_weight = [], [], [], [], []
    for kind, count in zip(zone_kinds, counts, strict=True):
        angles = rng.uniform(0, 2 * np.pi) + np.arange(count) * 2 * np.pi / count
        dist = rng.uniform(*kind.ring_km, size=count)
        for a, d in zip(angles, dist, strict=True):
            zone_centres.append((d * np.cos(a), d * np.sin(a)))
            zone_radius.append(kind.radius_km * rng.uniform(0.8, 1.2))
            zone_kind.append(kind.name)
            zone_ppstop.append(kind.mean_packages_per_stop)
            zone_weight.append(kind.share / count * rng.uniform(0.7, 1.3))
    zc = np.array(zone_centres)
    zw = np.array(zone_weight) / np.sum(zone_weight)

    # Packages per zone, then stops with 1..k packages (shifted geometric).
    pkgs_per_zone = rng.multinomial(n_packages, zw)
    stop_xy, stop_zone, stop_pk = [], [], []
    for z, total in enumerate(pkgs_per_zone):
        left = int(total)
        p = 1.0 / zone_ppstop[z]
        while left > 0:
            k = int(min(left, max_packages_per_stop, rng.geometric(p)))
            r = zone_radius[z] * np.sqrt(rng.uniform())
            a = rng.uniform(0, 2 * np.pi)
            stop_xy.append((zc[z, 0] + r * np.cos(a), zc[z, 1] + r * np.sin(a)))
            stop_zone.append(z)
            stop_pk.append(k)
            left -= k
    xy_km = np.array(stop_xy)
    pk = np.array(stop_pk, dtype=np.int64)
    n_stops = len(pk)
    vol = np.array([rng.uniform(*package_volume_l, size=k).sum() for k in pk])
    wgt = np.array([rng.uniform(*package_weight_kg, size=k).sum() for k in pk])

    depot_km = np.array(depot_offset_km, dtype=float)
    all_km = np.vstack([depot_km, xy_km])
    lon = lon0 + all_km[:, 0] / km_per_deg_lon
    lat = lat0 + all_km[:, 1] / KM_PER_DEG
    # Smooth terrain: a few Gaussian hills (metres).
    hills = rng.uniform(-15, 15, size=(4, 2))
    heights = rng.uniform(20, 80, size=4)
    elev = 30.0 + sum(
        h * np.exp(-((all_km[:, 0] - c[0]) ** 2 + (all_km[:, 1] - c[1]) ** 2) / (2 * 4.0**2))
        for h, c in zip(heights, hills, strict=True)
    )

    demand = np.zeros((n_stops + 1, 3), dtype=np.int64)
    demand[1:, 0] = pk
    demand[1:, 1] = np.maximum(1, np.rint(vol)).astype(np.int64)
    demand[1:, 2] = np.maximum(1, np.rint(wgt)).astype(np.int64)
    service = np.concatenate([[0.0], service_base_s + service_per_package_s * pk])
    zone_labels = ["DEPOT"] + [f"Z{1001 + z}" for z in stop_zone]
    node_ids = ["D0"] + [f"S{i:05d}" for i in range(1, n_stops + 1)]
    zone_kind_map = {f"Z{1001 + z}": zone_kind[z] for z in range(len(zone_kind))}
    zone_area = {f"Z{1001 + z}": float(np.pi * zone_radius[z] ** 2) for z in range(len(zone_kind))}
    times, times_meta = windows_and_waves(
        seed,
        n_stops,
        window_share=window_share,
        window_hours=window_hours,
        wave_share=wave_share,
        wave_release=wave_release,
        station_hours=station_hours,
    )

    return Instance.from_arrays(
        np.column_stack([lon, lat]),
        demand,
        list(vehicle_types) if vehicle_types is not None else [DEFAULT_VAN],
        service_time=service,
        geographic=True,
        speed=speed_kmh,
        circuity=circuity,
        elevation_m=elev,
        zone=zone_labels,
        node_ids=node_ids,
        dim_names=("packages", "volume_l", "weight_kg"),
        name=f"station-s{seed}-p{n_packages}",
        metadata={
            "seed": seed,
            "n_packages": int(n_packages),
            "zone_kind": zone_kind_map,
            "zone_area_km2": zone_area,
            "speed_kmh": speed_kmh,
            "service_base_s": service_base_s,
            "service_per_package_s": service_per_package_s,
            **times_meta,
        },
        time_window=times.get("time_window"),
        release_time=times.get("release_time"),
    )
