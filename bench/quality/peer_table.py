"""Shared pieces of the PyVRP-instance benches (vrptw.py, vrpb.py, mdvrptw.py, hfvrp.py): the data
folder of a set and the markdown gap table of lastmile next to PyVRP from JSON-lines result rows
(``instance``, ``bks``, ``<solver>_cost`` / ``_feasible`` / ``_routes`` / ``_error``)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SOLVERS = ("lastmile", "pyvrp")
#: Column title of each solver key.
TITLES = {"lastmile": "lastmile", "pyvrp": "PyVRP", "ortools": "OR-Tools"}


def data_folder(set_name: str) -> Path:
    """``$LASTMILE_DATA/pyvrp_instances/<set_name>``; exits with a message when unset or missing."""
    root = os.environ.get("LASTMILE_DATA")
    if not root:
        sys.exit("LASTMILE_DATA is not set")
    p = Path(root) / "pyvrp_instances" / set_name
    if not p.is_dir():
        sys.exit(f"{p} is missing")
    return p


def read_rows(files: Sequence[str], order: Sequence[str]) -> list[dict[str, Any]]:
    """The result rows of the JSON-lines files, in the order of ``order`` (others last)."""
    rows = [json.loads(line) for f in files for line in Path(f).read_text().splitlines() if line]
    rows.sort(key=lambda r: order.index(r["instance"]) if r["instance"] in order else 999)
    return rows


def gap_table(
    rows: Sequence[dict[str, Any]],
    digits: int,
    lead: Sequence[str] = (),
    lead_cells: Callable[[dict[str, Any]], list[str]] | None = None,
    missing_cell: Callable[[dict[str, Any], str], str] | None = None,
    solvers: Sequence[str] = SOLVERS,
) -> str:
    """Markdown table: instance, ``lead`` columns, BKS, then cost / gap % / routes per solver,
    and the mean gap over the feasible runs of each solver. ``missing_cell(row, solver)`` words
    a run without a cost (default "error"); ``solvers``: the solver keys, in column order."""
    head = ["instance", *lead, "BKS"]
    for s in solvers:
        head += [TITLES.get(s, s), "gap %", "routes"]
    out = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    gaps: dict[str, list[float]] = {s: [] for s in solvers}
    for r in rows:
        cells = [r["instance"], *(lead_cells(r) if lead_cells else []), f"{r['bks']:.{digits}f}"]
        for s in solvers:
            if f"{s}_cost" not in r:
                cells += [missing_cell(r, s) if missing_cell else "error", "", ""]
                continue
            ok = r[f"{s}_feasible"]
            g = 100.0 * (r[f"{s}_cost"] / r["bks"] - 1.0)
            if ok:
                gaps[s].append(g)
            cells += [
                f"{r[s + '_cost']:.{digits}f}" + ("" if ok else " (INFEASIBLE)"),
                f"{g:.2f}",
                str(r[f"{s}_routes"]),
            ]
        out.append("| " + " | ".join(cells) + " |")
    for s, g in gaps.items():
        if g:
            out.append(f"\n{s}: mean gap {sum(g) / len(g):.2f} % over {len(g)} feasible")
    return "\n".join(out)


def record_check(row: dict[str, Any], key: str, rep: Any, digits: int, scale: float = 1.0) -> None:
    """Store one solver's checked result in ``row``: the independent checker's cost (divided by
    ``scale``, rounded to ``digits``), routes, feasibility and the first three violations."""
    row[f"{key}_cost"] = round(rep.cost / scale, digits)
    row[f"{key}_routes"] = rep.num_routes
    row[f"{key}_feasible"] = rep.feasible
    row[f"{key}_violations"] = [str(v) for v in rep.violations[:3]]
