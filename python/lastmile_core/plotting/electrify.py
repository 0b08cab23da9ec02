"""Plots of the electrification plan: network EV share by month against the target, each
station's smart-charging peak against its site limit, and the share of routes that cannot go
electric by month (stacked by binding cause). matplotlib is imported lazily; PNG files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .spr import _plt


def plot_ev_share(plan: Any, path: str | Path) -> Path:
    """Network EV share of the routes per month (bars) and the target in force (steps)."""
    plt = _plt()
    g = plan.share_by_month()
    fig, ax = plt.subplots(figsize=(9, 4))
    x = np.arange(len(g))
    ax.bar(x, g["ev_share"], color="tab:green", label="EV share of routes")
    ax.step(x, g["target"], where="mid", color="black", label="target")
    ax.set_xticks(x, g["month"], rotation=60, fontsize=8)
    ax.set_ylim(0, 1)
    ax.set_ylabel("share")
    ax.legend(loc="upper left")
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_peak_vs_limit(plan: Any, path: str | Path) -> Path:
    """Per station: smart-charging peak kW by month (solid) and the site limit (dashed)."""
    plt = _plt()
    t = plan.table
    stations = sorted(t["station"].unique())
    n = len(stations)
    cols = min(4, n)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.4 * rows), squeeze=False)
    for ax, st in zip(axes.ravel(), stations, strict=False):
        g = t[t["station"] == st]
        x = np.arange(len(g))
        ax.plot(x, g["peak_kw"], color="tab:blue", label="peak (smart)")
        ax.plot(x, g["site_kw"], color="tab:red", ls="--", label="site limit")
        ax.set_title(st, fontsize=9)
        ax.set_xticks(x[::3], g["month"].iloc[::3], rotation=60, fontsize=6)
        ax.tick_params(axis="y", labelsize=7)
    for ax in axes.ravel()[n:]:
        ax.set_visible(False)
    axes[0, 0].legend(fontsize=7)
    fig.supylabel("kW")
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def plot_no_fit(plan: Any, path: str | Path) -> Path:
    """Share of the network's routes that no EV type can drive, by month and cause."""
    plt = _plt()
    t = plan.table
    months = sorted(t["month"].unique())
    causes = sorted(c for c in t["no_fit_cause"].unique() if c)
    fig, ax = plt.subplots(figsize=(9, 4))
    x = np.arange(len(months))
    bottom = np.zeros(len(months))
    w = t["vans_need"] * t["no_fit_share"]
    for c in causes:
        share = np.array(
            [
                w[(t["month"] == m) & (t["no_fit_cause"] == c)].sum()
                / max(float(t.loc[t["month"] == m, "vans_need"].sum()), 1.0)
                for m in months
            ]
        )
        ax.bar(x, share, bottom=bottom, label=c)
        bottom += share
    ax.set_xticks(x, months, rotation=60, fontsize=8)
    ax.set_ylabel("share of routes that cannot go electric")
    if causes:
        ax.legend(title="station's main cause", fontsize=8)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


__all__ = ["plot_ev_share", "plot_no_fit", "plot_peak_vs_limit"]
