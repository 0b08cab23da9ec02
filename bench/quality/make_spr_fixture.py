"""Regenerate tests/data/spr_routes.parquet: a SMALL table of solved routes (spr.observe rows;
the zone table goes to spr_routes.zones.parquet next to it, read by ``spr.Observations.read``)
so the SPR tests never re-run solves. Uses lastmile_core.solve when importable (time limit
small), else the fallback builder; the generator is stored in the ``router`` column.

    python bench/quality/make_spr_fixture.py [--time-limit 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spr_data import observe_day, router_name  # noqa: E402

from lastmile_core.spr import Observations  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "spr_routes.parquet"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    frames = [
        observe_day(seed, packages, day, van, args.time_limit)
        for seed in (1, 2)
        for packages in (800, 1200)
        for day in (0, 1)
        for van in ("midvan", "midvan6h")
    ]
    obs = Observations.concat(frames)
    obs.routes["router"] = router_name()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    routes_path, zones_path = obs.write(args.out)
    print(
        f"{len(obs)} routes from {len(frames)} station-days ({router_name()}) -> "
        f"{routes_path} + {zones_path}"
    )


if __name__ == "__main__":
    main()
