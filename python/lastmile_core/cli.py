"""The ``lastmile`` command line.

lastmile solve (FILE | --example) [--time-limit S] [--seed N] [--threads T] [--out FILE]
lastmile plan --example      (the pipeline is lastmile_core.fleet.run_example)
lastmile energy | metrics | spr fit/predict/update | fleet plan | fleet electrify   (see ``lastmile -h``)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import LastmileError


def _load_instance(args: argparse.Namespace) -> Any:
    from . import examples

    if args.example:
        return examples.station(seed=args.seed, n_packages=args.packages)
    if not args.file:
        raise SystemExit("lastmile solve: give an instance FILE or --example")
    path = Path(args.file)
    from .io import read_stops, read_vrplib

    if path.suffix.lower() in (".csv", ".parquet"):
        return read_stops(path)
    return read_vrplib(path)


def _route_table_solution(args: argparse.Namespace) -> Any:
    """(instance, solution) when ``args.file`` is a route table (``solve --out`` output), else
    None (a stop table or VRPLIB file to solve)."""
    if (
        args.example
        or not args.file
        or Path(args.file).suffix.lower()
        not in (
            ".csv",
            ".parquet",
        )
    ):
        return None
    from .io import is_route_table, read_route_table, read_table

    table = read_table(args.file, field="file")
    return read_route_table(table) if is_route_table(table) else None


def _summary(instance: Any, result: Any, seed: int, threads: int) -> str:
    from .check import check

    sol = result.solution
    report = check(instance, sol)
    routes = sol.routes
    stops = np.array([len(r.visits) for r in routes]) if routes else np.zeros(1)
    demand = instance.data.demand
    pk = (
        np.array([demand[np.asarray(r.visits, dtype=np.int64), 0].sum() for r in routes])
        if routes
        else np.zeros(1)
    )
    unit = instance.distance_unit
    lines = [
        f"instance      {instance.name or '(unnamed)'}: {instance.num_clients} stops, "
        f"{int(demand[:, 0].sum())} {instance.dim_names[0]}",
        f"solver        {result.algorithm} (seed {seed}, {threads} thread(s)), "
        f"{result.runtime_s:.1f} s, {result.iterations} iterations"
        + (" [interrupted]" if result.interrupted else ""),
        f"routes        {sol.num_routes}",
        f"total {unit:<8}{instance.to_user_distance(sol.distance):,.2f}",
        f"cost          {report.cost:,.2f}",
        f"stops/route   mean {stops.mean():.1f}  min {stops.min()}  max {stops.max()}",
        f"{instance.dim_names[0][:8]}/route mean {pk.mean():.1f}  min {pk.min()}  max {pk.max()}",
        f"check         {'feasible' if report.feasible else 'INFEASIBLE: ' + '; '.join(report.violations[:3])}",
    ]
    return "\n".join(lines)


def _progress_callback(time_limit: float, enabled: bool) -> tuple[Any, Any]:
    if not enabled:
        return None, None
    from tqdm import tqdm

    bar = tqdm(
        total=round(time_limit, 1),
        unit="s",
        bar_format="{l_bar}{bar}| {n:.1f}/{total:.1f} s {postfix}",
        leave=False,
    )

    def callback(elapsed_s: float, best_cost: float) -> bool:
        bar.n = min(round(elapsed_s, 1), bar.total)
        bar.set_postfix_str(f"best {best_cost:,.1f}")
        return False

    return callback, bar


def cmd_solve(args: argparse.Namespace) -> int:
    from .io import write_routes
    from .solve import solve

    instance = _load_instance(args)
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    callback, bar = _progress_callback(args.time_limit, show)
    try:
        result = solve(
            instance,
            time_limit=args.time_limit,
            seed=args.seed,
            threads=args.threads,
            max_iterations=args.max_iterations,
            callback=callback,
        )
    finally:
        if bar is not None:
            bar.close()
    print(_summary(instance, result, args.seed, args.threads))
    if args.out:
        write_routes(instance, result.solution, args.out)
        print(f"wrote         {args.out}")
    return 0


def cmd_energy(args: argparse.Namespace) -> int:
    from . import energy
    from .solve import solve

    vehicle = energy.Vehicle.preset(args.vehicle)
    solution = _route_table_solution(args)
    if solution is not None:
        instance, sol = solution
        print(f"routes        {args.file}: {sol.num_routes} routes as solved (no re-solve)")
    else:
        instance = _load_instance(args)
        result = solve(
            instance,
            time_limit=args.time_limit,
            seed=args.seed,
            threads=args.threads,
            max_iterations=args.max_iterations,
        )
        sol = result.solution
    table = energy.solution_energy(
        instance,
        sol,
        vehicle,
        ambient_c=args.ambient_c,
        payload_dim=args.payload_dim,
        metres_per_unit=args.metres_per_unit,
    )
    print(
        f"vehicle {vehicle.name or args.vehicle}: battery {vehicle.battery_usable_kwh:.1f} kWh, ambient {args.ambient_c:g} C"
    )
    print(table.round(3).to_string(index=False))
    low = int((~table["energy_ok"]).sum())
    heavy = int((~table["payload_ok"]).sum())
    print(
        f"total {table['energy_kwh'].sum():.1f} kWh over {table['distance_km'].sum():.1f} km; "
        f"{low} route(s) below the reserve; {heavy} route(s) above the max payload "
        f"{vehicle.max_payload_kg:g} kg; {int((~table['feasible']).sum())} infeasible"
    )
    if args.out:
        _write_table(table, args.out)
        print(f"wrote {args.out}")
    return 0


def cmd_metrics(args: argparse.Namespace) -> int:
    from .metrics_cli import main_metrics

    return main_metrics(args.args)


def cmd_plan(args: argparse.Namespace) -> int:
    """The main job: station-day -> routing -> metrics and energy -> SPR fit -> fleet plan
    (the pipeline is :func:`lastmile_core.fleet.run_example`)."""
    from .fleet import run_example

    if not args.example:
        raise SystemExit(
            "lastmile plan: only --example is supported; use `lastmile fleet plan` for a forecast"
        )
    run_example(
        args.out_dir,
        seed=args.seed,
        n_packages=args.packages,
        days=args.days,
        time_limit=args.time_limit,
        threads=args.threads,
        max_iterations=args.max_iterations,
        n_draws=args.draws,
        vehicle=args.vehicle,
        report=args.report,
    )
    return 0


def cmd_spr(args: argparse.Namespace) -> int:
    from . import spr

    if args.spr_command == "fit":
        vans = spr.cli.load_vans(args.vans) if args.vans else None
        model = spr.cli_fit(args.routes, args.output, vans=vans)
        print(f"fitted SPR model on {args.routes} -> {args.output}")
        print({k: v for k, v in model.summary().items() if k != "quality"})
    elif args.spr_command == "update":
        from .spr.update import format_drift

        drift = spr.cli_update(
            args.model, args.observations, args.output, history=args.history,
            window=args.window, drift_out=args.drift, z=args.z, rel_tol=args.rel_tol,
        )  # fmt: skip
        print(f"updated SPR model {args.model} on {args.observations} -> {args.output}")
        print(format_drift(drift))
    else:
        from .output_columns import prediction_output

        table = prediction_output(spr.cli_predict(args.model, args.scenario))
        print(table.to_string(index=False))
        if args.out:
            _write_table(table, args.out)
    return 0


def cmd_fleet(args: argparse.Namespace) -> int:
    from . import fleet

    plan = fleet.cli_plan(args.forecast, args.model, backend=args.backend, scheduler=args.scheduler)
    print(plan.to_string(index=False))
    if args.out:
        _write_table(plan, args.out)
    return 0


def cmd_example_data(args: argparse.Namespace) -> int:
    from .example_data import write_example_data

    paths = write_example_data(args.directory, seed=args.seed)
    for name, path in paths.items():
        print(f"{name:<12} {path}")
    return 0


def cmd_fleet_electrify(args: argparse.Namespace) -> int:
    from .fleet.electrify_example import cli_electrify, write_outputs

    plan = cli_electrify(
        example=args.example,
        forecast=args.forecast,
        stations=args.stations,
        temperatures=args.temperatures,
        routes=args.routes,
        config=args.config,
        upgrades=args.upgrades,
        site_kw_scale=args.site_kw_scale,
        backend=args.backend,
        scheduler=args.scheduler,
    )
    for line in write_outputs(plan, args.out, args.plots):
        print(line)
    return 0


def cmd_fleet_scenarios(args: argparse.Namespace) -> int:
    from .fleet.network_example import cli_scenarios

    table = cli_scenarios(
        example=args.example, model=args.model, stops=args.stops, forecast=args.forecast,
        open_station=args.open, shift=args.shift, road_speed=args.road_speed,
        ev_battery_kwh=args.ev_battery_kwh, backend=args.backend, scheduler=args.scheduler,
        sites=args.sites, config=args.config,
    )  # fmt: skip
    print(table.round(2).to_string(index=False))
    if args.out:
        _write_table(table, args.out)
        print(f"wrote {args.out}")
    return 0


def _write_table(table: Any, path: str) -> None:
    if path.endswith(".parquet"):
        table.to_parquet(path, index=False)
    else:
        table.to_csv(path, index=False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lastmile",
        description="lastmile_core: routing, route metrics, energy and SPR planning",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "solve", help="solve a VRPLIB file, a stop table (CSV/Parquet) or the example station-day"
    )
    p.add_argument("file", nargs="?", help="instance: .vrp, .csv or .parquet stop table")
    p.add_argument("--example", action="store_true", help="use the embedded example station-day")
    p.add_argument("--packages", type=int, default=1200, help="packages of the example station-day")
    p.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        help="also stop after this many search iterations (same seed, same routes on any machine)",
    )
    p.add_argument("--out", help="write routes: .csv, .parquet, .sol or .geojson")
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar (default: when stderr is a terminal)",
    )
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser(
        "energy", help="solve, then energy and state of charge of every route for an electric van"
    )
    p.add_argument(
        "file",
        nargs="?",
        help="a route table (solve --out .csv/.parquet: its routes are evaluated as solved), "
        "or an instance to solve first (.vrp, .csv or .parquet stop table)",
    )
    p.add_argument("--example", action="store_true", help="use the embedded example station-day")
    p.add_argument("--packages", type=int, default=1200)
    p.add_argument(
        "--vehicle", default="midvan68", help="energy preset: midvan68, small_van, large_van"
    )
    p.add_argument("--ambient-c", type=float, default=20.0, help="ambient temperature (C)")
    p.add_argument("--payload-dim", default="weight_kg", help="demand dimension holding kg")
    p.add_argument(
        "--metres-per-unit",
        type=float,
        default=None,
        help="planar instances: metres per coordinate unit",
    )
    p.add_argument("--time-limit", type=float, default=5.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        help="also stop after this many search iterations (same seed, same routes on any machine)",
    )
    p.add_argument("--out", help="write the per-route table (.csv or .parquet)")
    p.set_defaults(func=cmd_energy)

    p = sub.add_parser(
        "metrics",
        add_help=False,
        help="per-route metrics of a stop table (see lastmile metrics -h)",
    )
    p.add_argument("args", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_metrics)

    p = sub.add_parser(
        "plan", help="main job: routing, metrics, energy, SPR fit and a 16-month fleet plan"
    )
    p.add_argument("--example", action="store_true", help="run on the embedded example station")
    p.add_argument("--packages", type=int, default=1500, help="packages per example station-day")
    p.add_argument("--days", type=int, default=3, help="station-days to solve for the SPR fit")
    p.add_argument("--time-limit", type=float, default=2.0, help="routing seconds per station-day")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument(
        "--max-iterations",
        type=int,
        default=None,
        help="also stop after this many search iterations (same seed, same routes on any machine)",
    )
    p.add_argument("--draws", type=int, default=50, help="Monte Carlo draws per month")
    p.add_argument("--vehicle", default="midvan68", help="energy preset for the EV check")
    p.add_argument("--out-dir", default="lastmile_plan", help="where plots and tables go")
    p.add_argument("--report", default=None, help="also write one self-contained HTML page")
    p.set_defaults(func=cmd_plan)

    p = sub.add_parser(
        "example-data",
        help="write a sample of every input format (stops, routes, scenario, forecast) to DIR",
    )
    p.add_argument("directory", help="output directory (created if needed)")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(func=cmd_example_data)

    p = sub.add_parser("spr", help="SPR model: fit on routes, predict scenarios")
    ssub = p.add_subparsers(dest="spr_command", required=True)
    q = ssub.add_parser("fit", help="fit on a per-stop route table (CSV/Parquet)")
    q.add_argument("routes", help="per-stop route table (solve --out) or observations")
    q.add_argument("-o", "--output", required=True, help="model JSON")
    q.add_argument(
        "--vans",
        default=None,
        help="van types (YAML/JSON list of mappings); default: the table's van_type and "
        "capacity_* columns",
    )
    q = ssub.add_parser("predict", help="predict a scenario (YAML)")
    q.add_argument("model")
    q.add_argument("scenario")
    q.add_argument("--out", help="write the prediction table (.csv/.parquet)")
    q = ssub.add_parser("update", help="re-calibrate a model on new observations (drift report)")
    q.add_argument("model", help="previous model JSON")
    q.add_argument("observations", help="new observations (route table or per-stop table)")
    q.add_argument("-o", "--output", required=True, help="new model JSON")
    q.add_argument("--history", help="earlier observations to keep in the rolling window")
    q.add_argument("--window", type=int, help="refit on the last N days of history + new")
    q.add_argument("--drift", help="write the full drift table (.csv/.parquet)")
    q.add_argument("--z", type=float, default=1.0, help="flag changes beyond z standard errors")
    q.add_argument("--rel-tol", type=float, default=0.1, help="flag rule without an SE")
    p.set_defaults(func=cmd_spr)

    p = sub.add_parser("fleet", help="fleet planning")
    fsub = p.add_subparsers(dest="fleet_command", required=True)
    q = fsub.add_parser("plan", help="vans needed per month and type from a monthly forecast CSV")
    q.add_argument("forecast")
    q.add_argument("--model", required=True, help="SPR model JSON")
    q.add_argument("--backend", default="local", choices=["serial", "local", "dask"])
    q.add_argument("--scheduler", default=None, help="dask scheduler address (with --backend dask)")
    q.add_argument("--out", help="write the plan (.csv/.parquet)")
    p.set_defaults(func=cmd_fleet)
    q = fsub.add_parser(
        "electrify",
        help="EVs and chargers per station and month (input formats: "
        "lastmile_core.fleet.electrify_inputs)",
    )
    q.add_argument("forecast", nargs="?", help="van need: station, month, vans_p50, vans_p90")
    q.add_argument("--example", action="store_true", help="bundled synthetic stations")
    q.add_argument("--stations", help="station, city, parking, site_kw, window_h[, base_kw, ...]")
    q.add_argument("--temperatures", help="city, month (YYYY-MM or 1..12), temperature_c")
    q.add_argument("--routes", help="per-arc routes: station, route, distance_m, ...")
    q.add_argument("--config", help="network settings JSON (EV/charger types, targets, ...)")
    q.add_argument("--upgrades", help="site power upgrades: station, month, site_kw")
    q.add_argument("--site-kw-scale", type=float, default=1.0, help="scale every site limit")
    q.add_argument("--backend", default="serial", choices=["serial", "local", "dask"])
    q.add_argument("--scheduler", default=None, help="dask scheduler address")
    q.add_argument("--out", required=True, help="PLAN.csv (.csv/.parquet)")
    q.add_argument("--plots", default=None, help="directory for the plots (PNG)")
    q.set_defaults(func=cmd_fleet_electrify)
    q = fsub.add_parser(
        "scenarios",
        help="network what-ifs per station and month: open a station, change hours, road speed",
    )
    q.add_argument("model", nargs="?", help="SPR model JSON (spr fit -o)")
    q.add_argument("--example", action="store_true", help="on the example data")
    q.add_argument("--stops", help="stop table: station depots and zone centroids (stops.csv)")
    q.add_argument("--forecast", help="month, station, packages_per_day (forecast.csv)")
    q.add_argument("--open", action="append", default=[], help="NAME,LON,LAT[,ZONE+ZONE...]")
    q.add_argument("--shift", action="append", default=[], help="STATION,HOURS (0-24)")
    q.add_argument("--road-speed", action="append", default=[], help="FACTOR[,CITY] (> 0)")
    q.add_argument("--ev-battery-kwh", type=float, default=60.0, help="battery of the EV type")
    q.add_argument("--backend", default="serial", choices=["serial", "local", "dask"])
    q.add_argument("--scheduler", default=None, help="dask scheduler address")
    q.add_argument(
        "--sites", help="site rows (station, parking, site_kw, window_h): adds the EV plan"
    )
    q.add_argument("--config", help="EV plan network settings JSON (with --sites)")
    q.add_argument("--out", help="write the table (.csv/.parquet)")
    q.set_defaults(func=cmd_fleet_scenarios)
    return parser


def _one_line_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    return f"lastmile: warning: {message}\n"


def main(argv: Sequence[str] | None = None) -> int:
    import warnings

    warnings.formatwarning = _one_line_warning  # data warnings as one line, no source echo
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if argv[:1] == ["metrics"]:
        # the metrics command owns its parser (options in any order, -h): hand it everything
        args = argparse.Namespace(func=cmd_metrics, args=argv[1:])
    else:
        args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except LastmileError as exc:
        print(f"lastmile: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # unreadable or unwritable files named on the command line
        print(f"lastmile: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lastmile: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
