"""SPR and fleet plots: SPR against volume per van type (binding constraint marked) and vans
needed per month with P50/P90 bands. matplotlib is imported lazily; figures are saved as PNG."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_MARKERS = {"packages": "o", "volume": "s", "weight": "D", "time": "^", "energy": "v"}


def _plt() -> Any:
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        try:
            import matplotlib.pyplot as plt  # noqa: F401
        except ImportError:  # pragma: no cover
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_spr_vs_volume(
    model: Any,
    zones: pd.DataFrame,
    vans: Sequence[Any],
    path: str | Path,
    *,
    factors: Sequence[float] = tuple(np.round(np.linspace(0.4, 2.5, 22), 3)),
    **predict_kw: Any,
) -> Path:
    """SPR (packages per route, station level) against daily volume for each van type: solid with
    whole routes (the saw-tooth of ``ceil``), dashed with fractional routes (the trend); marker
    shape = the station's binding constraint. ``zones`` is one station's zone table."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    seen: set[str] = set()
    for van in vans:
        xs, ys, yf, bs = [], [], [], []
        for f in factors:
            p = model.predict(zones, vans=[van], volume_factor=float(f), **predict_kw)
            st = p[p["level"] == "station"].iloc[0]
            xs.append(float(st["packages"]))
            ys.append(float(st["spr"]))
            yf.append(float(st["packages"]) / max(float(st["routes_fractional"]), 1e-9))
            bs.append(str(st["binding"]))
        name = van if isinstance(van, str) else van.name
        (line,) = ax.plot(xs, ys, "-", lw=1.2, label=f"{name} (whole routes)")
        ax.plot(
            xs,
            yf,
            "--",
            lw=1.0,
            color=line.get_color(),
            alpha=0.7,
            label=f"{name} (fractional routes)",
        )
        for x, y, b in zip(xs, ys, bs, strict=True):
            lab = f"binding: {b}" if b not in seen else None
            seen.add(b)
            ax.plot(
                [x], [y], _MARKERS.get(b, "x"), color=line.get_color(), ms=6, mfc="white", label=lab
            )
    ax.set_xlabel("packages per station-day")
    ax.set_ylabel("SPR (packages per route)")
    ax.set_title("Shipments per route vs volume")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_fleet_horizon(plan: pd.DataFrame, path: str | Path) -> Path:
    """Vans needed per month and van type (summed over stations): P50 line, P50-P90 band and the
    average-day mix as dots. ``plan`` from :func:`lastmile_core.fleet.plan_horizon`."""
    plt = _plt()
    tot = (
        plan.groupby(["month", "van_type"], sort=True)[["vans_mix", "vans_p50", "vans_p90"]]
        .sum()
        .reset_index()
    )
    months = sorted(tot["month"].unique())
    x = np.arange(len(months))
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for van, g in tot.groupby("van_type", sort=True):
        g = g.set_index("month").reindex(months)
        (line,) = ax.plot(x, g["vans_p50"], "-", lw=1.5, label=f"{van} P50")
        ax.fill_between(
            x,
            g["vans_p50"],
            g["vans_p90"],
            color=line.get_color(),
            alpha=0.25,
            label=f"{van} P50-P90",
        )
        ax.plot(x, g["vans_mix"], ".", color=line.get_color(), label=f"{van} average day")
    ax.set_xticks(x)
    ax.set_xticklabels(months, rotation=60, fontsize=7)
    ax.set_ylabel("vans needed per day")
    ax.set_title("Fleet plan")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


__all__ = ["plot_fleet_horizon", "plot_spr_vs_volume"]
