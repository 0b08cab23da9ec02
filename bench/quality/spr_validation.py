"""Validate the SPR model against re-solved routes, next to a pure-ML baseline.

Generates station-days with ``examples.station`` over several geometries (seeds) and volumes,
routes them (``lastmile_core.solve`` if importable, else the labelled fallback builder), fits
:class:`lastmile_core.spr.SPRModel` on low volumes (two van configurations: 8-h and 6-h shift)
and predicts

  (a) held-out days at the training volumes,
  (b) 1.5x and 2x the training volumes,
  (c) a larger van never seen in training,

comparing with the routes solved for those days. The ML baseline (sklearn
GradientBoostingRegressor/Classifier) is trained on the same station-days with the same inputs
(volume, zone geometry summaries, van capacities, shift).

    python bench/quality/spr_validation.py [--seeds 5] [--time-limit 2] [--quick]

With ``--router truth`` every station-day is solved by lastmile_core and PyVRP at
``--time-limit`` each and the cheaper solution, polished (route elimination, PyVRP warm start,
see ``spr_truth.py``), is the truth; records are cached as JSON in ``--cache DIR`` (keep it out
of the repository). The set solved for RESULTS.md (54 station-days, 3 geometries):

    python bench/quality/spr_validation.py --router truth --sets truth --seeds 3 --train-days 2 \
        --time-limit 15 --cache /work/cache/spr_truth --per-day
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from spr_data import VANS, observe_day, router_name  # noqa: E402
from spr_truth import observe_truth  # noqa: E402

from lastmile_core import spr  # noqa: E402

FEATURES = [
    "packages",
    "area_km2",
    "r_mean_km",
    "spread_km",
    "cap_packages",
    "cap_volume_l",
    "cap_weight_kg",
    "shift_s",
]


def station_days(observations: spr.Observations) -> pd.DataFrame:
    """One row per station-day x van: totals, observed binding, ML features."""
    rows = []
    key = ["station", "day", "van_type"]
    obs = observations.routes.drop_duplicates(subset=[*key, "route"])
    zone_rows = observations.zones.drop_duplicates(subset=[*key, "route", "zone"])
    by_day = dict(iter(zone_rows.groupby(key, sort=True)))
    for (st, day, van), g in obs.groupby(key, sort=True):
        long = by_day[(st, day, van)]
        zones = long.groupby("zone").agg(
            P=("zone_packages", "first"), area=("area_km2", "first"), r=("r_km", "first")
        )
        P = float(g["packages"].sum())
        full = g[g["max_fill"] >= 0.8]
        # station binding: the pooled resource with the highest total fill over the routes
        fills = {c: float(g[f"fill_{c}"].fillna(0.0).sum()) for c in spr.CONSTRAINTS}
        binding = max(fills, key=lambda c: fills[c])
        majority = full["binding"].value_counts().idxmax() if len(full) else g["binding"].iloc[0]
        # zone-level observed binding: majority over full routes dominated by the zone
        zb = full.groupby("zone")["binding"].agg(lambda s: s.value_counts().idxmax()).to_dict()
        rows.append(
            {
                "station": st,
                "day": day,
                "van_type": van,
                "volume_level": int(g["volume_level"].iloc[0]),
                "packages": P,
                "routes": len(g),
                "spr": P / len(g),
                "km": float(g["distance_km"].sum()),
                "binding": binding,
                "binding_majority": majority,
                "zone_binding": zb,
                "zones": zones.reset_index(),
                "area_km2": float(zones["area"].sum()),
                "r_mean_km": float(np.average(zones["r"], weights=zones["P"])),
                "spread_km": float(
                    np.average(
                        np.sqrt(zones["area"] / np.maximum(zones["P"], 1)), weights=zones["P"]
                    )
                ),
                "cap_packages": float(g["cap_packages"].iloc[0]),
                "cap_volume_l": float(g["cap_volume_l"].iloc[0]),
                "cap_weight_kg": float(g["cap_weight_kg"].iloc[0]),
                "shift_s": float(g["shift_s"].iloc[0]),
            }
        )
    return pd.DataFrame(rows)


def predict_days(model: spr.SPRModel, days: pd.DataFrame) -> pd.DataFrame:
    out = []
    for d in days.itertuples(index=False):
        z = d.zones
        prof = model.station_zones(d.station, "synthetic").set_index("zone")
        scen = pd.DataFrame(
            {
                "zone": z["zone"],
                "packages": z["P"],
                "area_km2": [
                    prof["area_km2"].get(zz, a) for zz, a in zip(z["zone"], z["area"], strict=True)
                ],
                "r_km": [prof["r_km"].get(zz, r) for zz, r in zip(z["zone"], z["r"], strict=True)],
                "station": d.station,
                "city": "synthetic",
            }
        )
        van = spr.VanType.from_vehicle_spec(VANS[d.van_type])
        res = model.predict(scen, vans=[van])
        st = res[res["level"] == "station"].iloc[0]
        zr = res[res["level"] == "zone"].set_index("zone")
        zone_hits = [
            zr.loc[zz, "binding"] == b for zz, b in d.zone_binding.items() if zz in zr.index
        ]
        out.append(
            {
                "routes_pred": float(st["routes"]),
                "spr_pred": float(st["spr"]),
                "km_pred": float(st["km"]),
                "binding_pred": st["binding"],
                "zone_hits": sum(zone_hits),
                "zone_n": len(zone_hits),
            }
        )
    return pd.concat([days.reset_index(drop=True), pd.DataFrame(out)], axis=1)


def ml_baseline(train: pd.DataFrame, seed: int = 0):
    from sklearn.ensemble import GradientBoostingClassifier, GradientBoostingRegressor

    X = train[FEATURES].to_numpy(float)
    # routes (not SPR) as the target, rounded to the nearest integer: the fairest ML analogue
    # of the CA model's ceil(F); predicting SPR and taking ceil(P / SPR) flips a route on tiny errors
    reg_routes = GradientBoostingRegressor(random_state=seed).fit(X, train["routes"])
    reg_km = GradientBoostingRegressor(random_state=seed).fit(X, train["km"])
    labels = train["binding"].to_numpy()
    clf = (
        GradientBoostingClassifier(random_state=seed).fit(X, labels)
        if len(set(labels)) > 1
        else None
    )

    def predict(days: pd.DataFrame) -> pd.DataFrame:
        Xt = days[FEATURES].to_numpy(float)
        routes = np.rint(reg_routes.predict(Xt))
        return days.assign(
            spr_ml=days["packages"] / np.maximum(routes, 1),
            km_ml=reg_km.predict(Xt),
            binding_ml=clf.predict(Xt) if clf is not None else labels[0],
        )

    return predict


def errors(df: pd.DataFrame, suffix: str) -> dict[str, float]:
    spr_col, km_col, b_col = (
        ("spr_pred", "km_pred", "binding_pred")
        if suffix == "ca"
        else ("spr_ml", "km_ml", "binding_ml")
    )
    spr_err = np.abs(df[spr_col] - df["spr"]) / df["spr"]
    km_err = np.abs(df[km_col] - df["km"]) / df["km"]
    out = {
        "spr_mape": float(spr_err.mean()),
        "spr_p90": float(np.quantile(spr_err, 0.9)),
        "spr_max": float(spr_err.max()),
        "km_mape": float(km_err.mean()),
        "km_total_err": float(abs(df[km_col].sum() - df["km"].sum()) / df["km"].sum()),
        "binding_acc": float(np.mean(df[b_col] == df["binding"])),
        "binding_majority_acc": float(np.mean(df[b_col] == df["binding_majority"])),
    }
    if suffix == "ca":
        out["zone_binding_acc"] = float(df["zone_hits"].sum() / max(df["zone_n"].sum(), 1))
        out["routes_exact"] = float(np.mean(df["routes_pred"] == df["routes"]))
    return out


def print_per_day(per_day: dict[str, pd.DataFrame], sources: list[dict]) -> None:
    """One line per test station-day: observed and predicted routes / SPR, the truth source."""
    src = {(d["station"], d["day"], d["van_type"]): d for d in sources}
    print(
        f"{'set':<16}{'station':>8}{'day':>9}{'van':>10}{'routes':>7}{'pred':>7}{'SPR':>7}"
        f"{'err%':>7}  truth: cold routes engine / pyvrp (better one, other's cost gap) -> "
        "polished routes (stage, gain)"
    )
    for name, days in per_day.items():
        for d in days.itertuples(index=False):
            e = 100 * (d.spr_pred - d.spr) / d.spr
            t = src.get((d.station, d.day, d.van_type))
            how = (
                f"{t['routes_engine']} / {t['routes_pyvrp']} ({t['winner']}, "
                f"{100 * t['gap']:.1f}%) -> {t['routes_truth']} ({t['truth']}, "
                f"{100 * t['polish_gain']:.1f}%)"
                if t
                else "-"
            )
            print(
                f"{name:<16}{d.station:>8}{d.day:>9}{d.van_type:>10}{d.routes:>7}"
                f"{d.routes_pred:>7.0f}{d.spr:>7.1f}{e:>+7.1f}  {how}"
            )


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--volumes", type=int, nargs="+", default=[2000, 3000])
    ap.add_argument("--train-days", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--quick", action="store_true", help="2 seeds, 2 training days")
    ap.add_argument(
        "--router",
        default="auto",
        choices=["auto", "engine", "fallback", "ortools", "truth"],
        help="auto = lastmile_core.solve if importable, else the fallback builder; truth = the "
        "better of lastmile_core and PyVRP per station-day (bench/quality/spr_truth.py) at "
        "--time-limit each, --cache a directory of solved records",
    )
    ap.add_argument(
        "--sets",
        default="full",
        choices=["full", "truth"],
        help="full = held-out days, 1.5x, 2x, large van; truth = held-out days, 2x, large van at "
        "the training volumes (the set solved by both routers)",
    )
    ap.add_argument("--solve-only", action="store_true", help="fill the --cache and stop")
    ap.add_argument(
        "--truth-stage",
        default="truth",
        choices=["truth", "engine", "pyvrp", "eliminate", "pyvrp_warm", "engine_warm"],
        help="with --router truth: fit and test on this stage's routes (default: the cheapest)",
    )
    ap.add_argument(
        "--per-day", action="store_true", help="print every test station-day and its truth source"
    )
    ap.add_argument(
        "--route-count",
        default="fractional",
        choices=["fractional", "zones"],
        help="SPRModel.fit(route_count=...): ceil of the fractional total, or zone by zone",
    )
    ap.add_argument(
        "--cache",
        type=Path,
        default=None,
        help="pickle of the solved observations, reused if present and solved with the same "
        "seeds/volumes/train days/time limit/router (else an error)",
    )
    ap.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent / "results" / "spr_validation.json",
    )
    args = ap.parse_args(argv)
    if args.quick:
        args.seeds, args.train_days = 2, 2
    if args.router == "truth" and args.cache is not None and args.cache.suffix:
        raise SystemExit("--cache: with --router truth, a directory (one JSON per station-day)")
    seeds = range(1, args.seeds + 1)
    t0 = time.time()
    router = router_name(args.router)
    print(f"route generator: {router}")

    sources: list[dict] = []

    def one(s, v, d, van):
        if args.router != "truth":
            return observe_day(s, v, d, van, args.time_limit, args.router)
        obs, src = observe_truth(s, v, d, van, args.time_limit, args.cache, args.truth_stage)
        sources.append(src)
        return obs

    def collect(vols, days, vans):
        return spr.Observations.concat(
            one(s, v, d, van) for s in seeds for v in vols for d in days for van in vans
        )

    train_vans = ("midvan", "midvan6h")
    held_days = [args.train_days + 2, args.train_days + 3]
    # the cache is keyed by the options that change the solved observations
    cache_key = {
        "seeds": args.seeds,
        "volumes": list(args.volumes),
        "train_days": args.train_days,
        "time_limit": args.time_limit,
        "router": router,
    }
    cached = None
    if args.cache is not None and args.router != "truth" and args.cache.exists():
        import pickle

        cached = pickle.loads(args.cache.read_bytes())
        if len(cached) == 3:  # older cache without its options: trust the router label only
            cached = (None, *cached)
        if cached[0] is not None and cached[0] != cache_key:
            raise SystemExit(
                f"--cache: {args.cache} holds observations for {cached[0]}, not {cache_key}; "
                "use another file or delete it"
            )
        if cached[1] != router:
            raise SystemExit(f"--cache: {args.cache} was solved by {cached[1]!r}, not {router!r}")
    if cached is not None:
        _, router, train_obs, tests = cached
        print(f"observations from cache {args.cache} (route generator: {router})")
    else:
        train_obs = collect(args.volumes, range(args.train_days), train_vans)
        tests = {
            "a_heldout_days": collect(
                args.volumes, held_days if args.sets == "full" else held_days[:1], train_vans
            )
        }
        if args.sets == "full":
            tests["b_volume_x1.5"] = collect(
                [int(v * 1.5) for v in args.volumes], held_days[:1], train_vans
            )
        tests["b_volume_x2"] = collect([2 * v for v in args.volumes], held_days[:1], train_vans)
        big = (
            sorted({*args.volumes, *(int(v * 1.5) for v in args.volumes)})
            if args.sets == "full"
            else list(args.volumes)
        )
        tests["c_new_largevan"] = collect(big, held_days[:1], ("largevan",))
        if args.cache is not None and args.router != "truth":
            import pickle

            args.cache.parent.mkdir(parents=True, exist_ok=True)
            args.cache.write_bytes(pickle.dumps((cache_key, router, train_obs, tests)))
    if args.solve_only:
        print(f"solved/cached {len(sources)} station-days in {time.time() - t0:.1f} s")
        return {}
    t_solve = time.time() - t0
    n_inst = train_obs.routes.groupby(["station", "day", "van_type"]).ngroups + sum(
        t.routes.groupby(["station", "day", "van_type"]).ngroups for t in tests.values()
    )
    print(f"solved {n_inst} station-days in {t_solve:.1f} s; training routes: {len(train_obs)}")

    t1 = time.time()
    model = spr.SPRModel.fit(train_obs, route_count=args.route_count)
    print(f"fit in {time.time() - t1:.2f} s")
    summ = model.summary()
    print(
        "fitted: k={k:.3f} (k*c={k_times_circuity:.3f}), line-haul circuity={linehaul_circuity:.3f}, "
        "service={service_per_stop_s:.1f} s/stop + {service_per_package_s:.2f} s/pkg, "
        "speeds lh/local={linehaul_speed_kmh:.1f}/{local_speed_kmh:.1f} km/h, "
        "packages/stop={packages_per_stop:.3f}, h={h_per_km2}".format(**summ)
    )
    print(
        "utilisation:",
        {k: round(v, 4) for k, v in model.utilisation.items()},
        "fitted:",
        model.utilisation_fitted,
    )
    print(
        f"line-haul own share lambda={model.linehaul_own_share:.2f}, zone mix={model.zone_mix:.2f}, "
        f"route count={model.route_count} (absorbed overflow {model.overflow_stops:.1f} stops)"
    )
    print(
        "fit quality:",
        {k: {kk: round(vv, 4) for kk, vv in v.items()} for k, v in model.quality.items()},
    )

    train_days = station_days(train_obs)
    ml = ml_baseline(train_days)
    report: dict = {"router": router, "n_station_days": n_inst, "fit": summ, "sets": {}}
    header = f"{'set':<18}{'n':>4} | {'CA SPR%':>8}{'max%':>7}{'p90%':>7}{'km%':>7}{'kmTot%':>7}{'bind':>6}{'bmaj':>6}{'zbind':>6}{'rt=':>6} | {'ML SPR%':>8}{'km%':>7}{'bind':>6}"
    print(header)
    print("-" * len(header))
    per_day: dict[str, pd.DataFrame] = {}
    for name, obs in tests.items():
        days = predict_days(model, station_days(obs))
        days = ml(days)
        ca, mlr = errors(days, "ca"), errors(days, "ml")
        report["sets"][name] = {"n": len(days), "ca": ca, "ml": mlr}
        per_day[name] = days
        print(
            f"{name:<18}{len(days):>4} | {100 * ca['spr_mape']:>8.2f}{100 * ca['spr_max']:>7.2f}{100 * ca['spr_p90']:>7.2f}{100 * ca['km_mape']:>7.2f}"
            f"{100 * ca['km_total_err']:>7.2f}{100 * ca['binding_acc']:>6.0f}{100 * ca['binding_majority_acc']:>6.0f}{100 * ca['zone_binding_acc']:>6.0f}{100 * ca['routes_exact']:>6.0f}"
            f" | {100 * mlr['spr_mape']:>8.2f}{100 * mlr['km_mape']:>7.2f}{100 * mlr['binding_acc']:>6.0f}"
        )
    # the physics + ML hybrid (spr/hybrid.py) on the same station-days: trusted in range,
    # fading back to the CA outside it; never worse than the CA out of range is the target
    hybrid = model.fit_hybrid(train_obs, targets=("spr",), seed=0)
    # observed station-days of a van new to the model need its VanType (the CA predicts with it)
    known = {**model.params.van_types}
    for v in VANS:
        known.setdefault(v, spr.VanType.from_vehicle_spec(VANS[v]))
    hybrid = type(hybrid)(replace(model.params, van_types=known), hybrid.corrections)
    print(
        f"{'hybrid (station-day SPR)':<26}{'n':>4} | {'CA %':>7}{'max':>7} | {'hyb %':>7}{'max':>7} | hybrid/faded/ca"
    )
    for name, obs in tests.items():
        hd = hybrid.predict_station_days(obs)
        y = hd["spr_observed"].to_numpy(float)
        e_ca = np.abs(hd["spr_ca"].to_numpy(float) - y) / y
        e_hy = np.abs(hd["spr"].to_numpy(float) - y) / y
        lab = hd["spr_correction"].value_counts().to_dict()
        report["sets"][name]["hybrid"] = {
            "ca_mape": float(e_ca.mean()),
            "ca_max": float(e_ca.max()),
            "hybrid_mape": float(e_hy.mean()),
            "hybrid_max": float(e_hy.max()),
            "rows": lab,
        }
        print(
            f"{name:<26}{len(hd):>4} | {100 * e_ca.mean():>7.2f}{100 * e_ca.max():>7.2f} | "
            f"{100 * e_hy.mean():>7.2f}{100 * e_hy.max():>7.2f} | "
            f"{lab.get('hybrid', 0)}/{lab.get('faded', 0)}/{lab.get('ca', 0)}"
        )
    ood = [n for n in report["sets"] if not n.startswith("a_")]
    ca_ood = float(np.mean([report["sets"][n]["ca"]["spr_mape"] for n in ood]))
    ml_ood = float(np.mean([report["sets"][n]["ml"]["spr_mape"] for n in ood]))
    report["ood_spr_mape"] = {
        "ca": ca_ood,
        "ml": ml_ood,
        "ratio": ca_ood / ml_ood if ml_ood else math.nan,
    }
    print(
        f"out-of-distribution SPR MAPE: CA {100 * ca_ood:.2f}% vs ML {100 * ml_ood:.2f}% (ratio {report['ood_spr_mape']['ratio']:.2f})"
    )
    print(
        "columns: SPR% = mean |SPR error|, p90 = 90th percentile, km% = mean |station km error|, kmTot% = error of the summed km,"
    )
    print(
        "         bind = station binding constraint right (pooled: highest total fill), bmaj = vs the majority of full routes,"
    )
    print(
        "         zbind = zone level (majority of full routes dominated by the zone), rt= = route count exactly right"
    )
    if args.per_day:
        print_per_day(per_day, sources)
    if sources:
        src = pd.DataFrame(sources)
        report["truth_sources"] = sources
        won = src["winner"].value_counts().to_dict()
        print(
            f"truth: {len(src)} station-days, winner {won}; cost gap of the other router "
            f"mean {100 * src['gap'].mean():.2f}% (min {100 * src['gap'].min():.2f}%, max "
            f"{100 * src['gap'].max():.2f}%); routes other - winner mean "
            f"{src['route_gap'].mean():+.2f} (min {src['route_gap'].min():+d}, max "
            f"{src['route_gap'].max():+d}); polished truth from {src['truth'].value_counts().to_dict()}, "
            f"cost {100 * src['polish_gain'].mean():.2f}% below the better cold solve on average "
            f"(max {100 * src['polish_gain'].max():.2f}%), routes cold - polished mean "
            f"{(src[['routes_engine', 'routes_pyvrp']].min(axis=1) - src['routes_truth']).mean():+.2f}; "
            f"solve CPU {src['cpu_s'].sum():.0f} s"
        )
    print(f"total time {time.time() - t0:.1f} s")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, default=str))
    return report


if __name__ == "__main__":
    main()
