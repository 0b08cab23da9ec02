"""Route map of a solved station-day: lon/lat (or x/y), one colour per route, the depot marked.

No basemap (no tiles, no network): the map is the routes on equal-aspect axes, which is what a
planner needs to see overlap, long line-hauls and the shape of each route. matplotlib is imported
lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes


def plot_route_map(
    instance: Any,
    solution: Any,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    max_legend: int = 12,
) -> Axes:
    """Draw every non-empty route of ``solution`` (a Solution or a list of client-index lists)
    as a coloured polyline from the depot through its stops and back; stops are dots, the depot
    a black star. Geographic instances use lon/lat with the aspect corrected for latitude."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(7, 7))
    routes = solution.routes if hasattr(solution, "routes") else solution
    visits = [list(r.visits) if hasattr(r, "visits") else list(r) for r in routes]
    xy = np.asarray(instance.data.coords, dtype=float)
    n_routes = sum(1 for v in visits if v)
    cmap = plt.get_cmap("tab10" if n_routes <= 10 else "tab20")
    period = 10 if n_routes <= 10 else 20
    shown = 0
    for k, v in enumerate(visits):
        if not v:
            continue
        path = xy[[0, *v, 0]]
        colour = cmap(shown % period)
        label = f"route {k} ({len(v)} stops)" if shown < max_legend else None
        ax.plot(path[:, 0], path[:, 1], "-", color=colour, lw=1.0, alpha=0.8, label=label)
        ax.plot(xy[v, 0], xy[v, 1], "o", color=colour, ms=2.5)
        shown += 1
    ax.plot(xy[0, 0], xy[0, 1], "k*", ms=14, label="depot", zorder=5)
    geographic = bool(getattr(instance, "geographic", False))
    if geographic:
        ax.set_aspect(1.0 / max(np.cos(np.radians(xy[0, 1])), 1e-6))
        ax.set_xlabel("longitude (°)")
        ax.set_ylabel("latitude (°)")
    else:
        ax.set_aspect("equal")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
    ax.set_title(title or f"{shown} routes, {len(xy) - 1} stops")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, fontsize="small")
    return ax


__all__ = ["plot_route_map"]
