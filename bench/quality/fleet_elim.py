"""Routes and cost per synthetic station-day: lastmile_core (auto, SISR) and PyVRP.

Ten station-days (``spr_data.station_day``: examples.station with several seeds, volumes and
vans), each with the van's fixed cost and with the fixed cost set to zero. Every solution is
checked by :func:`lastmile_core.check.check` (cost and route count are the checker's). Run once
per package (``PYTHONPATH=DIR``) and solver, appending JSON lines to ``--out``; ``--summary``
prints the table of all records in that file.

    PYTHONPATH=python python bench/quality/fleet_elim.py --label after --solver sisr \
        --params '{"sisr_elim_share": 0.01}' --out F
    python bench/quality/fleet_elim.py --summary --out F
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spr_data import station_day  # noqa: E402
from spr_truth import _pyvrp  # noqa: E402

import lastmile_core as lm  # noqa: E402
from lastmile_core.check import check  # noqa: E402

#: (seed, packages, van) of the station-days
DAYS = [
    (1, 600, "midvan"),
    (2, 1200, "midvan"),
    (3, 900, "midvan6h"),
    (4, 1500, "largevan"),
    (5, 800, "largevan"),
]


def instance(seed: int, packages: int, van: str, fixed: bool) -> Any:
    inst = station_day(seed, packages, 0, van)
    if fixed:
        return inst
    spec = dataclasses.replace(inst.vehicle_specs[0], fixed_cost=0.0)
    import lastmile_core.examples as ex

    return ex.station(seed, packages, vehicle_types=[spec])


def solve(
    inst: Any, solver: str, budget: float, seed: int, params: dict[str, Any]
) -> list[list[int]]:
    if solver == "pyvrp":
        return _pyvrp(inst, budget, seed)
    kw: dict[str, Any] = {"algorithm": "sisr"} if solver == "sisr" else {}
    kw.update(params)
    res = lm.solve(inst, time_limit=budget, seed=seed, threads=1, **kw)
    sol = getattr(res, "solution", res)
    return [[int(c) for c in r.visits] for r in sol.routes if len(r.visits)]


def summary(path: Path) -> None:
    recs = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    keys = sorted({(r["seed"], r["packages"], r["van"], r["fixed"]) for r in recs})
    labels = list(dict.fromkeys(r["label"] for r in recs))
    by = {(r["label"], r["seed"], r["packages"], r["van"], r["fixed"]): r for r in recs}
    print("| day | fixed | " + " | ".join(f"{lb} routes / cost" for lb in labels) + " |")
    print("|---|---|" + "---:|" * len(labels))
    tot = {lb: [0.0, 0.0, 0] for lb in labels}
    for k in keys:
        cells = []
        for lb in labels:
            r = by.get((lb, *k))
            if r is None or not r["feasible"]:
                cells.append("-" if r is None else "infeasible")
                continue
            cells.append(f"{r['routes']} / {r['cost']:.1f}")
            tot[lb][0] += r["routes"]
            tot[lb][1] += r["cost"]
            tot[lb][2] += 1
        print(f"| s{k[0]} p{k[1]} {k[2]} | {'yes' if k[3] else 'no'} | " + " | ".join(cells) + " |")
    print(
        "| total | | "
        + " | ".join(f"{t[0]:.0f} / {t[1]:.1f} ({t[2]} days)" for t in tot.values())
        + " |"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--label", default="lastmile")
    ap.add_argument("--solver", choices=("auto", "sisr", "pyvrp"), default="auto")
    ap.add_argument("--budget", type=float, default=5.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument(
        "--params", default="{}", help='solver parameters, JSON: {"sisr_elim_share": 0.01}'
    )
    ap.add_argument("--summary", action="store_true")
    args = ap.parse_args()
    if args.summary:
        summary(args.out)
        return
    for seed, packages, van in DAYS:
        for fixed in (True, False):
            inst = instance(seed, packages, van, fixed)
            routes = solve(inst, args.solver, args.budget, args.seed, json.loads(args.params))
            rep = check(inst, routes)
            rec = {
                "label": args.label,
                "seed": seed,
                "packages": packages,
                "van": van,
                "fixed": fixed,
                "feasible": bool(rep.feasible),
                "routes": int(rep.num_routes),
                "cost": float(rep.cost),
            }
            with args.out.open("a") as f:
                f.write(json.dumps(rec) + "\n")
            print(json.dumps(rec), flush=True)


if __name__ == "__main__":
    main()
