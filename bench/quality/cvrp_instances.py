"""The CVRPLIB instances of the quality bench: names, sets, BKS, fleet rules, loading."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT = [
    "X-n101-k25",
    "X-n157-k13",
    "X-n209-k16",
    "X-n256-k16",
    "X-n303-k21",
    "X-n401-k29",
    "X-n502-k39",
    "X-n613-k62",
    "X-n801-k40",
    "X-n1001-k43",
]
BELGIUM = ["Leuven1", "Antwerp1", "Ghent1"]
#: Sets whose BKS use exactly k vehicles (k from the name): the fleet is limited to k.
EXACT_FLEET_SETS = {"A", "B", "E", "F", "M", "P"}

# -- instances --------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstanceInfo:
    name: str
    path: Path
    set: str
    distance: str  # EUC_2D_rounded | EUC_2D_real | EXPLICIT
    bks: float | None
    n_customers: int
    fleet: int | None  # None = unlimited


def _bks_table(root: Path) -> dict[str, dict[str, str]]:
    path = root / "bks.csv"
    if not path.is_file():
        return {}
    with open(path, newline="") as fh:
        return {row["instance"]: row for row in csv.DictReader(fh)}


def resolve_instances(names: list[str], root: Path) -> list[InstanceInfo]:
    table = _bks_table(root)
    if names == ["default"]:
        names = DEFAULT
    elif names == ["belgium"]:
        names = BELGIUM
    out = []
    for name in names:
        row = table.get(name)
        if row is not None:
            folder = row["set"]
            distance = row["distance"]
            bks = float(row["bks"]) if row["bks"] else None
            n_cust = int(row["n_customers"])
        else:
            m = re.match(r"([A-Z]+)-", name)
            folder = m.group(1) if m else "XXL"
            distance, bks, n_cust = "EUC_2D_rounded", None, -1
        path = root / folder / f"{name}.vrp"
        if not path.is_file():
            raise SystemExit(f"instance {name!r}: file {path} not found")
        k = re.search(r"-k(\d+)$", name)
        fleet = int(k.group(1)) if (k and folder in EXACT_FLEET_SETS) else None
        out.append(InstanceInfo(name, path, folder, distance, bks, n_cust, fleet))
    return out


def load_instance(info: InstanceInfo) -> Any:
    """Our Instance for a CVRPLIB file (lastmile_core.io.read_vrplib: CVRPLIB conventions)."""
    from lastmile_core.io import read_vrplib

    return read_vrplib(str(info.path))
