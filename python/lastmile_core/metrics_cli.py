"""``lastmile metrics``: per-route metrics of a stop or route table (CSV/Parquet) to a file.

The command's parser and file handling; the metrics themselves are
:func:`lastmile_core.metrics.from_table`.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputError
from .io import read_table
from .metrics import from_table


def run_metrics_cli(input_path: str | Path, out_path: str | Path, **options: Any) -> pd.DataFrame:
    """Reads a stop or route table (CSV or Parquet, with :func:`lastmile_core.io.read_table`: a missing
    or unreadable file raises FormatError naming ``input_path``), computes per-route metrics
    with :func:`from_table` (``options`` are its keyword arguments) and writes one row per route
    to ``out_path`` (.parquet/.pq or .csv). A table with an ``is_depot`` column (the route table
    of ``lastmile solve --out``) has its station rows taken as the depot unless ``depot`` or
    ``depot_flag`` says otherwise, and its ``circuity`` / ``speed_kmh`` columns (the road model
    the routes were solved with) are used unless given. Returns the written frame."""
    dst = Path(out_path)
    df = read_table(input_path, field="input_path")
    if (
        "is_depot" in df.columns
        and options.get("depot_flag") is None
        and options.get("depot") is None
    ):
        options = {**options, "depot_flag": "is_depot"}  # a route table: its station rows
    # solve's route table says which road model its routes were solved with: use it
    if "circuity" in df.columns and options.get("circuity") is None:
        values = pd.to_numeric(df["circuity"], errors="coerce").unique()
        if len(values) != 1 or not np.isfinite(values[0]):
            raise InputError(
                f"circuity: the route table's circuity column must hold one finite value, got "
                f"{list(values)[:5]} (pass --circuity to choose one)"
            )
        options = {**options, "circuity": float(values[0])}
    if "speed_kmh" in df.columns and options.get("speed_kmh") is None:
        options = {**options, "speed_kmh": "speed_kmh"}
    frame = from_table(df, **options).to_frame().reset_index()
    suffix = dst.suffix.lower()
    if suffix in (".parquet", ".pq"):
        frame.to_parquet(dst, index=False)
    elif suffix == ".csv":
        frame.to_csv(dst, index=False)
    else:
        raise InputError(f"out_path: unsupported file type {dst.suffix!r} (use .parquet or .csv)")
    return frame


def main_metrics(argv: Sequence[str] | None = None) -> int:
    """``lastmile metrics INPUT OUTPUT [options]``: per-route metrics of a stop table."""
    p = argparse.ArgumentParser(prog="lastmile metrics", description=main_metrics.__doc__)
    p.add_argument(
        "input",
        help="stop table, .csv or .parquet (one row per stop; station rows flagged by "
        "is_depot, as in solve's route table, are the depot)",
    )
    p.add_argument("output", nargs="?", help="per-route metrics, .parquet or .csv (or --out)")
    p.add_argument("--out", default=None, help="per-route metrics, .parquet or .csv")
    p.add_argument("--route", default="route_id", help="route id column")
    p.add_argument("--order", default="seq", help="visit order column ('' = row order)")
    p.add_argument("--lon", default="lon")
    p.add_argument("--lat", default="lat")
    p.add_argument("--x", default=None, help="planar x column (with --y; replaces lon/lat)")
    p.add_argument("--y", default=None)
    p.add_argument("--packages", default=None)
    p.add_argument("--service-s", default=None)
    p.add_argument("--elevation-m", default=None)
    p.add_argument("--demand", default=None, help="comma-separated per-stop load columns")
    p.add_argument("--capacity", default=None, help="comma-separated capacity columns or numbers")
    p.add_argument("--depot", default=None, help="shared depot as 'X,Y' (lon,lat when geographic)")
    p.add_argument(
        "--depot-flag", default=None, help="boolean column marking depot rows (default: is_depot)"
    )
    p.add_argument("--speed-kmh", default=None, help="number or column (default: road speeds)")
    p.add_argument("--circuity", type=float, default=None, help="default: road circuities")
    p.add_argument("--threads", type=int, default=None)
    a = p.parse_args(argv)
    if (a.output is None) == (a.out is None):
        p.error("give the output file either as OUTPUT or as --out (exactly one)")
    a.output = a.output or a.out

    def split(s: str | None) -> list[str] | None:
        return None if s is None else [t.strip() for t in s.split(",") if t.strip()]

    capacity: Any = split(a.capacity)
    if capacity is not None:
        try:
            capacity = np.array([float(c) for c in capacity])
        except ValueError:
            pass
    depot = None
    if a.depot is not None:
        parts = split(a.depot) or []
        if len(parts) != 2:
            raise InputError(f"depot: expected 'X,Y', got {a.depot!r}")
        try:
            depot = (float(parts[0]), float(parts[1]))
        except ValueError:
            raise InputError(
                f"depot: expected two numbers 'X,Y' (lon,lat), got {a.depot!r}"
            ) from None
    try:
        speed: float | str | None = None if a.speed_kmh is None else float(a.speed_kmh)
    except ValueError:
        speed = a.speed_kmh
    frame = run_metrics_cli(
        a.input, a.output, route=a.route, order=a.order or None, lon=a.lon, lat=a.lat, x=a.x,
        y=a.y, packages=a.packages, service_s=a.service_s, elevation_m=a.elevation_m,
        demand=split(a.demand), capacity=capacity, depot=depot, depot_flag=a.depot_flag,
        speed_kmh=speed, circuity=a.circuity, threads=a.threads,
    )  # fmt: skip
    print(f"{len(frame)} routes -> {a.output}")
    return 0


__all__ = ["main_metrics", "run_metrics_cli"]
