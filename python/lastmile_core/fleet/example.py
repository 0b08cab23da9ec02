"""The example pipeline of ``lastmile plan --example``, in one place.

:func:`run_example` is the whole job: the embedded example station-day routed by the engine,
route metrics and EV energy at 20/-7/35 C, then :func:`plan_example` (more station-days routed,
an SPR model fitted on the routes, a 16-month fleet plan with P50/P90 vans and its plots). The
CLI only parses arguments and calls :func:`run_example`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import energy, examples, metrics
from ..errors import InputError
from ..solve import solve
from ..spr import Observations, SPRModel, observe
from .horizon import example_forecast, plan_horizon
from .montecarlo import MonteCarlo

#: ``router(instance) -> Solution | Result``: how the example station-days are routed.
Router = Callable[[Any], Any]

#: Ambient temperatures (C) of the energy check of :func:`run_example`.
EXAMPLE_TEMPERATURES_C = (20.0, -7.0, 35.0)
ENGINE_LABEL = "lastmile_core.solve"


def engine_router(
    *,
    time_limit: float = 2.0,
    seed: int = 1,
    threads: int = 1,
    max_iterations: int | None = None,
) -> Router:
    """A router solving each instance once with :func:`lastmile_core.solve` and the given
    ``seed`` (results cached by instance name, so a station-day routed twice is routed once)."""
    cache: dict[str, Any] = {}

    def router(inst: Any) -> Any:
        if inst.name not in cache:
            cache[inst.name] = solve(
                inst,
                time_limit=time_limit,
                seed=seed,
                threads=threads,
                max_iterations=max_iterations,
            )
        return cache[inst.name]

    return router


def _fit_and_plan(
    out: Path,
    *,
    seed: int,
    n_packages: int,
    days: int,
    months: int,
    router: Router,
    router_label: str,
    n_draws: int,
    backend: str,
    client: Any,
) -> dict[str, Any]:
    from ..plotting import spr as splot

    out.mkdir(parents=True, exist_ok=True)
    station = f"example-s{seed}"
    obs = []
    for d in range(days):
        inst = examples.station(seed, n_packages + d)
        obs.append(observe(inst, router(inst), station=station, day=str(d), city="example"))
    observations = Observations.concat(obs)
    model = SPRModel.fit(observations)
    model.to_json(out / "spr_model.json")
    forecast = example_forecast([station], {station: float(n_packages)}, months=months)
    plan = plan_horizon(
        model,
        forecast,
        monte_carlo=MonteCarlo(n_draws=n_draws),
        backend=backend,
        client=client,
        seed=seed,
    )
    plan.to_csv(out / "fleet_plan.csv", index=False)
    zones = model.station_zones(station)
    zones = zones.assign(packages=zones["mean_packages"])[
        ["zone", "packages", "area_km2", "r_km", "station", "city"]
    ]
    p1 = splot.plot_spr_vs_volume(model, zones, list(model.van_types), out / "spr_vs_volume.png")
    p2 = splot.plot_fleet_horizon(plan, out / "fleet_horizon.png")
    base = model.predict(zones)
    st = base[base["level"] == "station"].iloc[0]
    holdout = _holdout_check(obs) if days >= 2 else None
    return {
        "station": station,
        "router": router_label,
        "days": days,
        "routes_observed": int(len(observations)),
        "spr_observed": float(observations.routes["packages"].sum() / len(observations)),
        "spr_predicted": float(st["spr"]),
        "holdout": holdout,
        "binding": str(st["binding"]),
        "fit": model.summary(),
        "vans_p50_peak": float(plan["vans_p50"].max()),
        "vans_p90_peak": float(plan["vans_p90"].max()),
        "months": int(plan["month"].nunique()),
        "files": [str(out / "spr_model.json"), str(out / "fleet_plan.csv"), str(p1), str(p2)],
    }


def _holdout_check(days: list[Observations]) -> dict[str, float]:
    """Fit on every day but the last, predict the last day from its zones (packages, area,
    distance to the station): observed vs predicted SPR and routes of a day the fit never saw."""
    model = SPRModel.fit(Observations.concat(days[:-1]))
    last = days[-1]
    z = last.zones
    zones = (
        z.groupby("zone", sort=True)
        .agg(
            packages=("packages", "sum"),
            area_km2=("area_km2", "first"),
            r_km=("r_km", "first"),
            station=("station", "first"),
            city=("city", "first"),
        )
        .reset_index()
    )
    pred = model.predict(zones)
    st = pred[pred["level"] == "station"].iloc[0]
    routes = int(len(last))
    return {
        "spr_observed": float(last.routes["packages"].sum() / routes),
        "spr_predicted": float(st["spr"]),
        "routes_observed": float(routes),
        "routes_predicted": float(st["routes"]),
    }


def plan_example(
    out_dir: str | Path,
    *,
    seed: int = 1,
    n_packages: int = 1500,
    days: int = 3,
    months: int = 16,
    time_limit: float = 2.0,
    router: Router | None = None,
    n_draws: int = 50,
    backend: str = "serial",
    client: Any = None,
    threads: int = 1,
    max_iterations: int | None = None,
) -> dict[str, Any]:
    """Example station-days -> routing -> SPR fit -> ``months``-month fleet plan with P50/P90 ->
    plots in ``out_dir``. Returns a short report dict.

    ``router(instance) -> Solution`` defaults to :func:`engine_router` (``lastmile_core.solve``
    with this ``seed``, ``time_limit``, ``threads`` and ``max_iterations``; give
    ``max_iterations`` for routes that do not depend on the machine's speed).
    """
    label = "custom router" if router is not None else ENGINE_LABEL
    if router is None:
        router = engine_router(
            time_limit=time_limit, seed=seed, threads=threads, max_iterations=max_iterations
        )
    return _fit_and_plan(
        Path(out_dir),
        seed=seed,
        n_packages=n_packages,
        days=days,
        months=months,
        router=router,
        router_label=label,
        n_draws=n_draws,
        backend=backend,
        client=client,
    )


def _route_stage(out: Path, inst: Any, res: Any, echo: Callable[[str], None]) -> Path:
    """Routing summary and mean route metrics of the first station-day (``route_id`` = the
    route's position in the solution, as in the route table)."""
    echo(f"== routing: {inst.name}, {inst.num_clients} stops")
    echo(
        f"   {res.algorithm}, {res.runtime_s:.1f} s: {res.solution.num_routes} routes, "
        f"{inst.to_user_distance(res.solution.distance):.1f} km"
    )
    m = metrics.route_metrics(inst, res.solution).to_frame()
    ids = [i for i, r in enumerate(res.solution.routes) if r.visits]
    m.insert(0, "route_id", ids)
    echo("== route metrics (mean over routes)")
    echo(
        f"   stops {m['n_stops'].mean():.1f}, packages {m['packages'].mean():.1f}, "
        f"km {m['total_km'].mean():.1f} (line-haul {m['line_haul_km'].mean():.1f}), "
        f"stops/km2 {m['stops_per_km2'].mean():.1f}, duration {m['duration_s'].mean() / 3600:.2f} h"
    )
    path = out / "route_metrics.csv"
    m.to_csv(path, index=False)
    return path


def _energy_stage(
    out: Path, inst: Any, res: Any, vehicle: str, echo: Callable[[str], None]
) -> list[Path]:
    """Energy and state of charge of the solved routes at :data:`EXAMPLE_TEMPERATURES_C` (one
    CSV each) and the plot of energy per solved route. kWh/km is total kWh over total km."""
    import matplotlib.pyplot as plt

    from ..plotting import energy as eplot

    van = energy.Vehicle.preset(vehicle)
    echo(
        f"== energy ({vehicle}, {van.battery_usable_kwh:.0f} kWh usable, "
        f"max payload {van.max_payload_kg:g} kg)"
    )
    tables: dict[float, Any] = {}
    paths: list[Path] = []
    for temp in EXAMPLE_TEMPERATURES_C:
        e = energy.solution_energy(inst, res.solution, van, ambient_c=temp)
        tables[temp] = e
        kwh, km = float(e["energy_kwh"].sum()), float(e["distance_km"].sum())
        echo(
            f"   {temp:>5.0f} C: {kwh:7.1f} kWh over {km:.1f} km = {kwh / km:.3f} kWh/km, "
            f"min SoC {e['min_soc'].min():.2f}, {int((~e['energy_ok']).sum())} route(s) below "
            f"the reserve, {int((~e['payload_ok']).sum())} above the max payload"
        )
        path = out / f"energy_{temp:+.0f}C.csv"
        e.to_csv(path, index=False)
        paths.append(path)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    eplot.plot_route_energy(tables, ax, battery_kwh=van.battery_usable_kwh)
    fig.tight_layout()
    path = out / "energy_per_route.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    paths.append(path)
    return paths


def _route_map(out: Path, inst: Any, res: Any) -> Path:
    import matplotlib.pyplot as plt

    from ..plotting.routes import plot_route_map

    fig, ax = plt.subplots(figsize=(8, 7))
    plot_route_map(inst, res.solution, ax, title=f"{inst.name}: {res.solution.num_routes} routes")
    fig.tight_layout()
    path = out / "route_map.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return path


def _write_report(
    path: Path,
    out: Path,
    console: list[str],
    metrics_path: Path,
    map_path: Path,
    energy_paths: list[Path],
) -> Path:
    """The HTML page of :func:`run_example`: everything it printed and wrote, in one file."""
    import pandas as pd

    from ..report import Report

    rep = Report("lastmile plan --example")
    rep.heading("Summary").lines(console)
    rep.heading("Routes of the first station-day").image(map_path, "route map (no basemap)")
    rep.table(pd.read_csv(metrics_path))
    rep.heading("Energy per solved route")
    rep.image(energy_paths[-1], "energy per route at each temperature; hollow = infeasible")
    for p in energy_paths[:-1]:
        rep.text(p.stem).table(pd.read_csv(p))
    rep.heading("SPR against volume").image(out / "spr_vs_volume.png", "predicted SPR and routes")
    rep.heading("Fleet over the horizon").image(out / "fleet_horizon.png", "vans P50 / P90")
    rep.table(pd.read_csv(out / "fleet_plan.csv"), max_rows=60)
    return rep.write(path)


def run_example(
    out_dir: str | Path,
    *,
    seed: int = 1,
    n_packages: int = 1500,
    days: int = 3,
    months: int = 16,
    time_limit: float = 2.0,
    threads: int = 1,
    n_draws: int = 50,
    vehicle: str = "midvan68",
    max_iterations: int | None = None,
    echo: Callable[[str], None] = print,
    report: str | Path | None = None,
) -> dict[str, Any]:
    """The main job (``lastmile plan --example``): route the example station-day, its route
    metrics and EV energy, then :func:`plan_example` on ``days`` station-days routed by the
    engine with this ``seed``. Progress lines go to ``echo``; tables and plots to ``out_dir``.
    Returns the :func:`plan_example` report with every written file under ``files``.
    ``report``: also write one self-contained HTML page (console output, route map, tables and
    plots embedded) to this path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if report is not None and Path(report).suffix.lower() not in (".html", ".htm"):
        raise InputError(f"report: expected an .html path, got {str(report)!r}")
    console: list[str] = []

    def say(line: str) -> None:
        console.append(line)
        echo(line)

    router = engine_router(
        time_limit=time_limit, seed=seed, threads=threads, max_iterations=max_iterations
    )
    inst = examples.station(seed=seed, n_packages=n_packages)
    res = router(inst)
    metrics_path = _route_stage(out, inst, res, say)
    map_path = _route_map(out, inst, res)
    energy_paths = _energy_stage(out, inst, res, vehicle, say)
    result = _fit_and_plan(
        out,
        seed=seed,
        n_packages=n_packages,
        days=days,
        months=months,
        router=router,
        router_label=ENGINE_LABEL,
        n_draws=n_draws,
        backend="serial",
        client=None,
    )
    files = [*result["files"], str(metrics_path), str(map_path), *map(str, energy_paths)]
    result["files"] = files
    fit = result["fit"]
    say(f"== SPR model fitted on {result['routes_observed']} routes over {result['days']} day(s)")
    say(
        f"   k {fit['k']:.3f}, circuity {fit['circuity']:.2f}, service {fit['service_per_stop_s']:.0f} s/stop + "
        f"{fit['service_per_package_s']:.1f} s/package"
    )
    say(
        f"   in-sample (the fitted days): SPR observed {result['spr_observed']:.1f}, fitted "
        f"{result['spr_predicted']:.1f} (binding: {result['binding']})"
    )
    h = result["holdout"]
    if h is not None:
        err = 100.0 * (h["spr_predicted"] / h["spr_observed"] - 1.0)
        say(
            f"   held-out day (fit on the other days): SPR observed {h['spr_observed']:.1f}, "
            f"predicted {h['spr_predicted']:.1f} ({err:+.1f} %); routes observed "
            f"{h['routes_observed']:.0f}, predicted {h['routes_predicted']:.1f}"
        )
    say(
        f"== fleet plan, {result['months']} months: peak vans P50 {result['vans_p50_peak']:.0f}, "
        f"P90 {result['vans_p90_peak']:.0f}"
    )
    if report is not None:
        files.append(str(Path(report)))
    say("== files")
    for f in files:
        say(f"   {f}")
    if report is not None:
        _write_report(Path(report), out, console, metrics_path, map_path, energy_paths)
    return result


__all__ = ["Router", "engine_router", "plan_example", "run_example"]
