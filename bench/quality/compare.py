"""Solution-quality comparison: lastmile_core vs OR-Tools vs PyVRP vs HGS-CVRP (hygese).

Every (instance, solver) pair runs sequentially in its own subprocess (isolation, a clean peak
memory figure from ``os.wait4``). The worker returns only routes; the parent re-evaluates them with
our C++ ``Solution`` (and ``lastmile_core.check`` when available) -- a solver's own reported cost
is recorded but never trusted. Output: ``<out>/quality_<tag>.csv`` and ``.md`` (per-instance table,
averages per solver, wins/ties/losses against OR-Tools).

    python bench/quality/compare.py --time-limit 10 --instances default \
        --solvers lastmile,ortools,pyvrp,hygese --seed 1 --threads 1 --out bench/quality/results/

Instances: ``default`` (10 X instances, 101-1001 nodes), ``belgium`` (Leuven1, Antwerp1, Ghent1,
Brussels1, Flanders1: the XXL set, 5-minute default budget), ``routes`` (XL + DIMACS real-road instances, every
route-length class), or CVRPLIB names (looked up in the bks.csv of ``$LASTMILE_DATA/cvrplib`` and
``$LASTMILE_DATA/cvrplib_more``; or ``--data``). Results are also grouped by customers per route
(n / k, k from the name: <= 10, 10-50, > 50, one route); per run the table gives the time of the
last improvement of the best feasible cost and the iterations per second.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import platform
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # siblings, also when loaded by path
from cvrp_instances import (  # noqa: E402
    ROUTE_CLASSES,
    InstanceInfo,
    load_instance,
    resolve_instances,
    route_class,
)
from runners import RUNNERS, Unavailable  # noqa: E402

SOLVERS = tuple(RUNNERS)


def worker_main(args: argparse.Namespace) -> int:
    if args.max_memory_gb:  # address-space cap: an allocation beyond it fails in this worker only
        cap = int(args.max_memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    raw = json.loads(args.worker_info)
    info = InstanceInfo(**{**raw, "path": Path(raw["path"])})
    out: dict[str, Any]
    try:
        out = RUNNERS[args.worker_solver](info, args.time_limit, args.seed, args.threads)
    except Unavailable as exc:
        out = {"status": "unavailable", "error": str(exc)}
    except Exception as exc:  # report, never crash the whole benchmark
        out = {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
    Path(args.worker_out).write_text(json.dumps(out))
    return 0


# -- parent side -------------------------------------------------------------------------------


@dataclass
class Row:
    instance: str
    n_customers: int
    solver: str
    status: str
    cost: float = math.inf  # our C++ evaluation of the returned routes
    feasible: bool = False
    gap_pct: float = math.nan
    bks: float = math.nan
    routes: int = 0
    time_s: float = math.nan  # solver's wall time inside the worker
    wall_s: float = math.nan  # whole subprocess (interpreter start, load, solve)
    cpu_s: float = math.nan  # user + system CPU of the whole subprocess
    peak_rss_mb: float = math.nan
    reported_cost: float = math.nan
    check_cost: float = math.nan
    check_feasible: str = ""
    iterations: int = -1
    last_improvement_s: float = math.nan  # time of the last improvement of the best (solver's)
    route_class: str = ""  # customers per route of the instance (n / k)
    algorithm: str = ""  # lastmile: the search that produced the result
    symmetric: str = ""  # lastmile: ProblemData.symmetric of the instance
    violations: str = ""
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _run_subprocess(
    cmd: list[str], timeout: float, env: dict[str, str] | None = None
) -> tuple[int, float, float, float, str]:
    """Run cmd, return (returncode, wall_s, cpu_s, peak RSS MB of that child, stderr tail)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True, env=env
        )

        def kill() -> None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        err.seek(0)
        tail = err.read().decode(errors="replace")[-600:]
    cpu = usage.ru_utime + usage.ru_stime
    return proc.returncode, wall, cpu, usage.ru_maxrss / 1024.0, tail  # ru_maxrss: KiB on Linux


def evaluate(info: InstanceInfo, inst: Any, out: dict[str, Any], row: Row) -> None:
    import lastmile_core as lm

    routes = out.get("routes") or []
    types = out.get("vehicle_types") or [0] * len(routes)
    row.routes = len(routes)
    try:
        sol = inst.solution(routes, types)
    except Exception as exc:
        row.status = "bad-routes"
        row.error = f"{type(exc).__name__}: {exc}"
        return
    row.cost = float(sol.cost)
    row.feasible = bool(sol.feasible)
    row.violations = "; ".join(list(sol.violations)[:3])
    check = getattr(lm, "check", None)
    if check is not None:
        try:
            rep = check(inst, routes)
            row.check_cost = float(rep.cost)
            row.check_feasible = str(bool(rep.feasible))
            if bool(rep.feasible) != row.feasible or not math.isclose(
                float(rep.cost), row.cost, rel_tol=1e-9, abs_tol=1e-6
            ):
                row.error = (row.error + " " if row.error else "") + "check() disagrees"
        except Exception as exc:
            row.check_feasible = f"error: {type(exc).__name__}: {exc}"
    if not row.feasible:
        row.cost = math.inf
    if info.bks and math.isfinite(row.cost):
        row.gap_pct = 100.0 * (row.cost - info.bks) / info.bks


def _fmt(x: float, digits: int = 2) -> str:
    if isinstance(x, float) and math.isnan(x):
        return ""
    if isinstance(x, float) and math.isinf(x):
        return "inf"
    if isinstance(x, float) and x == int(x) and digits == 0:
        return str(int(x))
    return f"{x:.{digits}f}"


def _versions() -> dict[str, str]:
    from importlib import metadata

    out = {}
    for pkg in ("lastmile_core", "ortools", "pyvrp", "hygese"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def summarize(rows: list[Row], solvers: list[str], header: dict[str, Any]) -> str:
    lines = ["# Solution quality comparison", ""]
    for k, v in header.items():
        lines.append(f"- **{k}**: {v}")
    lines += [
        "",
        "Costs are our C++ evaluation of each solver's routes (infeasible or missing = inf); "
        "gap = 100 (cost - BKS) / BKS; time = solver wall time inside its subprocess; "
        "cpu s = CPU time of the whole subprocess (on a loaded machine a wall-clock limit buys "
        "less CPU; hygese/HGS limits CPU time); "
        "peak RSS = max resident memory of that subprocess (includes ~interpreter + imports).",
        "",
        "| instance | class | solver | status | cost | gap % | routes | time s | last impr. s "
        "| iter/s | cpu s | peak RSS MB | reported |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ips = r.iterations / r.time_s if r.iterations >= 0 and r.time_s > 0 else math.nan
        lines.append(
            f"| {r.instance} | {r.route_class} | {r.solver}{' (' + r.algorithm + ')' if r.algorithm else ''} "
            f"| {r.status} | {_fmt(r.cost, 0)} | {_fmt(r.gap_pct)} | "
            f"{r.routes} | {_fmt(r.time_s, 1)} | {_fmt(r.last_improvement_s, 2)} | {_fmt(ips, 0)} | "
            f"{_fmt(r.cpu_s, 1)} | {_fmt(r.peak_rss_mb, 0)} | {_fmt(r.reported_cost, 0)} |"
        )
    lines += [
        "",
        "## Averages per solver",
        "",
        "| solver | solved feasible | mean gap % | mean gap % (common) | mean time s | max peak RSS MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    instances = list(dict.fromkeys(r.instance for r in rows))
    available = [
        s for s in solvers if any(r.solver == s and r.status != "unavailable" for r in rows)
    ]
    # "common": instances every available solver solved feasibly (fair average).
    common = {
        i
        for i in instances
        if all(
            any(r.instance == i and r.solver == s and r.feasible for r in rows) for s in available
        )
    }
    for s in solvers:
        mine = [r for r in rows if r.solver == s]
        if s not in available:
            lines.append(f"| {s} | unavailable | | | | |")
            continue
        ok = [r for r in mine if r.feasible]
        gaps = [r.gap_pct for r in ok if not math.isnan(r.gap_pct)]
        cgaps = [r.gap_pct for r in ok if r.instance in common and not math.isnan(r.gap_pct)]
        times = [r.time_s for r in mine if not math.isnan(r.time_s)]
        rss = [r.peak_rss_mb for r in mine if not math.isnan(r.peak_rss_mb)]
        lines.append(
            f"| {s} | {len(ok)}/{len(mine)} | {_fmt(sum(gaps) / len(gaps)) if gaps else ''} | "
            f"{_fmt(sum(cgaps) / len(cgaps)) if cgaps else ''} | "
            f"{_fmt(sum(times) / len(times), 1) if times else ''} | {_fmt(max(rss), 0) if rss else ''} |"
        )
    lines += _by_class(rows, [s for s in solvers if s in available])
    if "ortools" in solvers:
        lines += [
            "",
            "## Wins / ties / losses against OR-Tools (lower cost wins; infeasible loses)",
            "",
            "| solver | wins | ties | losses |",
            "|---|---:|---:|---:|",
        ]
        by = {(r.instance, r.solver): r for r in rows}
        for s in solvers:
            if s == "ortools":
                continue
            if s not in available:
                lines.append(f"| {s} | unavailable | | |")
                continue
            w = t = lo = 0
            for inst in instances:
                a, b = by.get((inst, s)), by.get((inst, "ortools"))
                if a is None or b is None or "unavailable" in (a.status, b.status):
                    continue
                if a.cost < b.cost - 1e-6:
                    w += 1
                elif abs(a.cost - b.cost) <= 1e-6 or (math.isinf(a.cost) and math.isinf(b.cost)):
                    t += 1
                else:
                    lo += 1
            lines.append(f"| {s} | {w} | {t} | {lo} |")
    return "\n".join(lines) + "\n"


def _by_class(rows: list[Row], solvers: list[str]) -> list[str]:
    """Mean gap per route-length class and solver (feasible runs with a BKS)."""
    head = "| class | instances | " + " | ".join(f"{s} mean gap %" for s in solvers) + " |"
    out = ["", "## Mean gap by customers per route", "", head]
    out.append("|---|---:|" + "---:|" * len(solvers))
    for c in ROUTE_CLASSES:
        mine = [r for r in rows if r.route_class == c]
        if not mine:
            continue
        cells = []
        for s in solvers:
            g = [
                r.gap_pct
                for r in mine
                if r.solver == s and r.feasible and not math.isnan(r.gap_pct)
            ]
            n = len([r for r in mine if r.solver == s])
            cells.append(f"{_fmt(sum(g) / len(g))} ({len(g)}/{n})" if g else f"- (0/{n})")
        n_inst = len({r.instance for r in mine})
        out.append(f"| {c} | {n_inst} | " + " | ".join(cells) + " |")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--time-limit", type=float, default=None, help="s per run (default 10; 300 for belgium)"
    )
    p.add_argument(
        "--instances", nargs="+", default=["default"], help="default | belgium | NAME..."
    )
    p.add_argument("--solvers", default="lastmile,ortools,pyvrp,hygese")
    p.add_argument(
        "--baseline",
        default=None,
        help="directory holding another build of the lastmile_core package (e.g. the code before "
        "a change): solver 'baseline' runs it in the same run, side by side with 'lastmile'",
    )
    p.add_argument(
        "--peer-params",
        default=None,
        help='engine parameters (JSON) of solver "peer": lastmile with e.g. '
        '{"sisr_restart_share": 0.1}, side by side with the defaults',
    )
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default="bench/quality/results/")
    p.add_argument("--data", default=None, help="data root (default $LASTMILE_DATA)")
    p.add_argument(
        "--max-memory-gb",
        type=float,
        default=None,
        help="cap each solver subprocess's address space (GiB, RLIMIT_AS); a run that needs more "
        "reports a MemoryError/crash instead of exhausting the machine (e.g. PyVRP's full "
        "matrices on Flanders1)",
    )
    p.add_argument("--tag", default=None, help="output file tag (default: timestamp)")
    p.add_argument("--worker-solver", help=argparse.SUPPRESS)
    p.add_argument("--worker-info", help=argparse.SUPPRESS)
    p.add_argument("--worker-out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    belgium = args.instances == ["belgium"]
    if args.time_limit is None:
        args.time_limit = 300.0 if belgium else 10.0
    if args.worker_solver:
        return worker_main(args)

    root_s = args.data or os.environ.get("LASTMILE_DATA")
    if not root_s:
        raise SystemExit("set LASTMILE_DATA (e.g. /work/shared/data) or pass --data")
    roots = [Path(root_s) / "cvrplib", Path(root_s) / "cvrplib_more"]
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    for s in solvers:
        if s not in SOLVERS:
            raise SystemExit(f"--solvers: unknown solver {s!r} (known: {', '.join(SOLVERS)})")
    baseline_env: dict[str, str] | None = None
    if "baseline" in solvers or "baseline2" in solvers:
        if not args.baseline or not (Path(args.baseline) / "lastmile_core").is_dir():
            raise SystemExit("--solvers baseline needs --baseline DIR (DIR/lastmile_core/ exists)")
        path = os.environ.get("PYTHONPATH", "")
        baseline_env = {
            **os.environ,
            "PYTHONPATH": os.path.abspath(args.baseline) + (os.pathsep + path if path else ""),
        }
    if args.peer_params is not None:
        json.loads(args.peer_params)  # fail early on bad JSON
        os.environ["LASTMILE_PEER_PARAMS"] = args.peer_params  # read by the "peer" workers
    infos = resolve_instances(args.instances, roots)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    tag = args.tag or dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    header = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()}, {_cpu()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}",
        "time limit": f"{args.time_limit:g} s per run, seed {args.seed}, threads {args.threads}"
        + (f", address space <= {args.max_memory_gb:g} GiB per run" if args.max_memory_gb else ""),
        "versions": ", ".join(f"{k} {v}" for k, v in _versions().items()),
        "instances": ", ".join(i.name for i in infos),
    }
    if baseline_env is not None:
        header["baseline"] = f"'baseline' = the lastmile_core package in {args.baseline}"
    if args.peer_params is not None:
        header["peer"] = f"'peer' = lastmile with parameters {args.peer_params}"
    if not hasattr(__import__("lastmile_core"), "solve") and "lastmile" in solvers:
        print(
            "note: lastmile_core.solve not available in this build -> 'unavailable' rows",
            file=sys.stderr,
        )

    rows: list[Row] = []
    for info in infos:
        inst = load_instance(info)
        for s in solvers:
            row = Row(info.name, info.n_customers, s, "running", bks=info.bks or math.nan)
            row.route_class = (
                route_class(info.n_customers, info.min_routes) if info.min_routes else ""
            )
            with tempfile.TemporaryDirectory() as tmp:
                res_path = Path(tmp) / "out.json"
                info_json = json.dumps({**asdict(info), "path": str(info.path)})
                cmd = [
                    sys.executable, os.path.abspath(__file__),
                    "--worker-solver", s, "--worker-info", info_json, "--worker-out", str(res_path),
                    "--time-limit", str(args.time_limit), "--seed", str(args.seed),
                    "--threads", str(args.threads),
                ]  # fmt: skip
                if args.max_memory_gb:
                    cmd += ["--max-memory-gb", str(args.max_memory_gb)]
                timeout = 2.0 * args.time_limit + 120.0
                env = baseline_env if s in ("baseline", "baseline2") else None
                rc, wall, cpu, rss, err = _run_subprocess(cmd, timeout, env)
                row.wall_s, row.cpu_s, row.peak_rss_mb = wall, cpu, rss
                if res_path.is_file():
                    out = json.loads(res_path.read_text())
                else:
                    status = "timeout" if wall >= timeout else f"crashed (rc {rc})"
                    out = {
                        "status": status,
                        "error": err.strip().splitlines()[-1] if err.strip() else "",
                    }
            row.status = str(out.get("status", "?"))
            row.error = str(out.get("error", ""))
            row.time_s = float(out.get("runtime_s", math.nan))
            row.reported_cost = float(out.get("reported_cost", math.nan))
            row.iterations = int(out.get("iterations", -1))
            row.last_improvement_s = float(out.get("last_improvement_s", math.nan))
            row.algorithm = str(out.get("algorithm", ""))
            row.symmetric = str(out.get("symmetric", ""))
            if "routes" in out:
                evaluate(info, inst, out, row)
            rows.append(row)
            print(
                f"{info.name:>14} {s:>9}: {row.status:<12} cost {_fmt(row.cost, 0):>8} "
                f"gap {_fmt(row.gap_pct):>6}% routes {row.routes:>3} time {_fmt(row.time_s, 1)} s "
                f"last {_fmt(row.last_improvement_s, 2)} s it {row.iterations} {row.algorithm} "
                f"rss {_fmt(row.peak_rss_mb, 0)} MB {row.error}",
                flush=True,
            )

    csv_path = out_dir / f"quality_{tag}.csv"
    fields = [f for f in Row.__dataclass_fields__ if f != "extra"]
    with open(csv_path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(fields)
        for r in rows:
            w.writerow([getattr(r, f) for f in fields])
    md_path = out_dir / f"quality_{tag}.md"
    md_path.write_text(summarize(rows, solvers, header))
    print(f"wrote {csv_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
