"""Routes as a GeoJSON FeatureCollection (RFC 7946)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import _core
from ..instance import Instance

PLANAR_NOTE = (
    "planar instance: coordinates are the instance's own x/y, not WGS84 lon/lat; "
    "display them in a local/cartesian frame"
)


def _plain(v: Any) -> Any:
    """A JSON-serialisable Python value (numpy scalars unwrapped)."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, str | int | float | bool) or v is None:
        return v
    return str(v)


def to_geojson(instance: Instance, solution: Any) -> dict[str, Any]:
    """A FeatureCollection: one LineString per non-empty route (depot -> stops -> depot) with its
    statistics, and one Point per node (the depot once, every visited client once per visit).

    Geographic instances use ``[lon, lat]``; planar ones ``[x, y]`` and carry a
    ``"lastmile": {"crs_note": ...}`` member saying so.
    """
    sol = solution if isinstance(solution, _core.Solution) else instance.solution(solution)
    data = instance.data
    xy = data.coords
    dem = data.demand
    ids = instance.node_ids or tuple(range(instance.num_nodes))
    types = data.vehicle_types

    def pos(node: int) -> list[float]:
        return [float(xy[node, 0]), float(xy[node, 1])]

    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": pos(0)},
            "properties": {"role": "depot", "node": 0, "stop_id": _plain(ids[0])},
        }
    ]
    for r, route in enumerate(sol.routes):
        if not route.visits:
            continue
        nodes = [0, *route.visits, 0]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [pos(v) for v in nodes]},
                "properties": {
                    "role": "route",
                    "route": r,
                    "vehicle_type": types[route.vehicle_type].name,
                    "num_stops": len(route.visits),
                    "distance": instance.to_user_distance(route.distance),
                    "distance_unit": instance.distance_unit,
                    "duration": instance.to_user_duration(route.duration),
                    "load": {
                        n: int(v) for n, v in zip(instance.dim_names, route.load, strict=True)
                    },
                    "cost": float(route.cost),
                },
            }
        )
        for seq, node in enumerate(route.visits, start=1):
            props: dict[str, Any] = {
                "role": "stop",
                "node": int(node),
                "stop_id": _plain(ids[node]),
                "route": r,
                "seq": seq,
            }
            for d, dname in enumerate(instance.dim_names):
                props[dname] = int(dem[node, d])
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": pos(node)},
                    "properties": props,
                }
            )
    fc: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    fc["lastmile"] = {
        "instance": instance.name,
        "coordinates": "lon/lat (WGS84)" if instance.geographic else "x/y (planar)",
        "cost": float(sol.cost),
        "num_routes": sum(1 for r in sol.routes if r.visits),
    }
    if not instance.geographic:
        fc["lastmile"]["crs_note"] = PLANAR_NOTE
    return fc


__all__ = ["PLANAR_NOTE", "to_geojson"]
