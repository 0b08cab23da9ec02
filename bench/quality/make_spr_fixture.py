"""Regenerate tests/data/spr_routes.parquet: a SMALL table of solved routes (spr.observe rows)
so the SPR tests never re-run solves. Uses lastmile_core.solve when importable (time limit
small), else the fallback builder; the generator is stored in the ``router`` column.

    python bench/quality/make_spr_fixture.py [--time-limit 2]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spr_data import observe_day, router_name  # noqa: E402

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
    df = pd.concat(frames, ignore_index=True)
    df["router"] = router_name()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(args.out, index=False)
    print(f"{len(df)} routes from {len(frames)} station-days ({router_name()}) -> {args.out}")


if __name__ == "__main__":
    main()
