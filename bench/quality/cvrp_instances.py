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
#: The five Arnold-Gendreau-Soerensen (2019) Belgium instances, 3,000-20,000 customers.
BELGIUM = ["Leuven1", "Antwerp1", "Ghent1", "Brussels1", "Flanders1"]
#: XL + DIMACS (real road matrices) instances of modest size (10 s runs are meaningful), at least
#: two per route-length class (customers per route from n / k, k = the name's minimum routes).
ROUTES = [
    "XL-n1421-k232",  # ~6 per route
    "XL-n2727-k546",  # ~5 per route
    "ORTEC-n323-k21",  # ~15 per route, real road matrix
    "Loggi-n601-k19",  # ~32 per route, real road matrix
    "XL-n1234-k55",  # ~22 per route
    "XL-n2634-k17",  # ~155 per route
    "XL-n3287-k30",  # ~110 per route
]
#: Named lists accepted by resolve_instances.
LISTS = {"default": DEFAULT, "belgium": BELGIUM, "routes": ROUTES}
#: Route-length classes (customers per route), in report order.
ROUTE_CLASSES = ("<= 10", "10-50", "> 50", "one route")
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
    min_routes: int = 0  # k from the name (0 when the name has none)


def route_class(n_customers: int, routes: int) -> str:
    """Route-length class of an instance or a solution: customers per route."""
    if routes == 1:
        return "one route"
    per = n_customers / max(routes, 1)
    return "<= 10" if per <= 10 else "10-50" if per <= 50 else "> 50"


def _bks_table(roots: list[Path]) -> dict[str, tuple[Path, dict[str, str]]]:
    """bks.csv rows of every root (cvrplib/, cvrplib_more/), with the root that holds them."""
    out: dict[str, tuple[Path, dict[str, str]]] = {}
    for root in roots:
        path = root / "bks.csv"
        if not path.is_file():
            continue
        with open(path, newline="") as fh:
            for row in csv.DictReader(fh):
                out.setdefault(row["instance"], (root, row))
    return out


def resolve_instances(names: list[str], roots: Path | list[Path]) -> list[InstanceInfo]:
    """Instances by name (or a list name of LISTS) under the data roots (first root first)."""
    roots = [roots] if isinstance(roots, Path) else list(roots)
    table = _bks_table(roots)
    if len(names) == 1 and names[0] in LISTS:
        names = LISTS[names[0]]
    out = []
    for name in names:
        root = roots[0]
        entry = table.get(name)
        if entry is not None:
            root, row = entry
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
        kmin = int(k.group(1)) if k else 0
        out.append(InstanceInfo(name, path, folder, distance, bks, n_cust, fleet, kmin))
    return out


def load_instance(info: InstanceInfo) -> Any:
    """Our Instance for a CVRPLIB file (lastmile_core.io.read_vrplib: CVRPLIB conventions)."""
    from lastmile_core.io import read_vrplib

    return read_vrplib(str(info.path))
