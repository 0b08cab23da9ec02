"""Benchmark of lastmile_core.metrics.batch_metrics against a vectorised numpy implementation.

Run as a script (sizes via --routes/--stops; the brief's full run is --routes 1000000):

    python bench/bench_metrics.py --routes 100000

It prints, for planar and geographic inputs:
  * the C++ kernel wall and CPU time, stops/s, stops per CPU-second (= per core) and the number of
    cores it actually got (CPU/wall: the machine is shared, so 2 threads may get less than 2);
  * comparison A ("vectorised subset"): kernel with hull=False vs a numpy implementation of every
    metric except the convex hull (no Python loop per route: bincount group-sums over CSR, run in
    blocks of 100,000 routes to bound memory), on all routes;
  * comparison B ("all metrics"): kernel with the hull vs numpy subset + a per-route numpy hull
    (monotone chain: no vectorised form), the hull part run on a --subsample route subsample and
    scaled linearly to all routes;
  * the fraction of memory bandwidth the kernel reaches: bytes the kernel reads (stop arrays +
    offsets) / kernel time, over the machine's copy bandwidth measured in the same run with large
    numpy copies (read + write bytes per second, best of 1 and 2 threads).
Speedups are printed from wall time and from CPU time (the latter is fairer when other processes
compete for the cores: numpy runs on one thread, the kernel on --threads).

As pytest-benchmark functions on small fixed work: `python -m pytest bench/bench_metrics.py`.
"""

from __future__ import annotations

import argparse
import os
import threading
import time

import numpy as np
import numpy.typing as npt

from lastmile_core.metrics import batch_metrics

R_KM = 6371.0088
SPEED_KMH = 30.0


# --------------------------------------------------------------------------------------------
# data
# --------------------------------------------------------------------------------------------


def make_routes(routes: int, stops: int, seed: int = 0):
    """Planar routes in km: each route is a cloud of stops (about 3 km across) around a centre in
    a 40 km city, with per-stop packages and service times."""
    rng = np.random.default_rng(seed)
    n = routes * stops
    centre_x = rng.uniform(0.0, 40.0, routes)
    centre_y = rng.uniform(0.0, 40.0, routes)
    x = rng.normal(0.0, 1.5, n)
    x += np.repeat(centre_x, stops)
    y = rng.normal(0.0, 1.5, n)
    y += np.repeat(centre_y, stops)
    packages = rng.integers(1, 4, n).astype(np.float64)
    service = rng.uniform(30.0, 180.0, n)
    offsets = np.arange(0, n + 1, stops, dtype=np.int64)
    return x, y, offsets, packages, service


def to_lonlat(x: np.ndarray, y: np.ndarray, lon0: float = 13.2, lat0: float = 52.35):
    """Maps planar km onto lon/lat degrees around (lon0, lat0) (a Berlin-sized city)."""
    lat = y / (R_KM * np.pi / 180.0)
    lat += lat0
    lon = x / (R_KM * np.pi / 180.0 * np.cos(np.radians(lat0)))
    lon += lon0
    return lon, lat


# --------------------------------------------------------------------------------------------
# numpy baseline (vectorised over all stops; no Python loop per route)
# --------------------------------------------------------------------------------------------


def numpy_metrics(
    x, y, offsets, depot, packages, service, geographic: bool
) -> dict[str, np.ndarray]:
    """Every metric of batch_metrics except the hull ones, with numpy group-sums over CSR."""
    num_routes = offsets.size - 1
    lengths = np.diff(offsets)
    route_of_stop = np.repeat(np.arange(num_routes), lengths)
    if geographic:
        lat = np.radians(y)
        cos_lat = np.cos(lat)
        h = np.sin(np.diff(lat) * 0.5) ** 2
        h += cos_lat[:-1] * cos_lat[1:] * np.sin(np.radians(np.diff(x)) * 0.5) ** 2
        edge = 2.0 * R_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    else:
        edge = np.hypot(np.diff(x), np.diff(y))
    # an edge i -> i+1 belongs to the route of stop i+1 unless i+1 starts a route
    same = route_of_stop[1:] == route_of_stop[:-1]
    intra = np.bincount(route_of_stop[1:][same], weights=edge[same], minlength=num_routes)
    nonempty = lengths > 0
    first = offsets[:-1][nonempty]
    last = offsets[1:][nonempty] - 1
    dx, dy = depot
    if geographic:

        def dist(ax, ay, bx, by):
            la, lb = np.radians(ay), np.radians(by)
            a = (
                np.sin((lb - la) * 0.5) ** 2
                + np.cos(la) * np.cos(lb) * np.sin(np.radians(bx - ax) * 0.5) ** 2
            )
            return 2.0 * R_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    else:

        def dist(ax, ay, bx, by):
            return np.hypot(bx - ax, by - ay)

    line_haul = np.zeros(num_routes)
    line_haul[nonempty] = dist(dx, dy, x[first], y[first]) + dist(x[last], y[last], dx, dy)
    total = intra + line_haul
    pk = np.bincount(route_of_stop, weights=packages, minlength=num_routes)
    svc = np.bincount(route_of_stop, weights=service, minlength=num_routes)
    drive = total / SPEED_KMH * 3600.0
    with np.errstate(divide="ignore", invalid="ignore"):
        per_km = np.where(intra > 0, lengths / intra, np.nan)
        mean = np.where(lengths >= 2, intra / (lengths - 1), np.nan)
    return dict(
        n_stops=lengths,
        packages=pk,
        total_km=total,
        line_haul_km=line_haul,
        intra_route_km=intra,
        drive_time_s=drive,
        service_time_s=svc,
        duration_s=drive + svc,
        stops_per_intra_km=per_km,
        mean_inter_stop_km=mean,
    )


def numpy_metrics_chunked(
    x, y, offsets, depot, packages, service, geographic: bool, chunk: int = 100_000
):
    """numpy_metrics over blocks of `chunk` routes (bounds the temporaries' memory; one Python
    iteration per block, not per route), concatenated."""
    parts = []
    for r0 in range(0, offsets.size - 1, chunk):
        r1 = min(offsets.size - 1, r0 + chunk)
        b, e = int(offsets[r0]), int(offsets[r1])
        parts.append(
            numpy_metrics(
                x[b:e],
                y[b:e],
                offsets[r0 : r1 + 1] - b,
                depot,
                packages[b:e],
                service[b:e],
                geographic,
            )
        )
    if not parts:
        return numpy_metrics(x, y, offsets, depot, packages, service, geographic)
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def numpy_hull_area(px: npt.NDArray[np.float64], py: npt.NDArray[np.float64]) -> float:
    """Convex hull area of one route (numpy sort + monotone chain; per route, not vectorised)."""
    if px.size < 3:
        return 0.0
    order = np.lexsort((py, px))
    pts = list(zip(px[order].tolist(), py[order].tolist(), strict=True))

    def chain(seq):
        h: list[tuple[float, float]] = []
        for p in seq:
            while len(h) >= 2:
                (ox, oy), (ax, ay) = h[-2], h[-1]
                if (ax - ox) * (p[1] - oy) - (ay - oy) * (p[0] - ox) > 0:
                    break
                h.pop()
            h.append(p)
        return h[:-1]

    hull = np.array(chain(pts) + chain(reversed(pts)))
    if len(hull) < 3:
        return 0.0
    hx, hy = hull[:, 0], hull[:, 1]
    return 0.5 * abs(float(np.dot(hx, np.roll(hy, -1)) - np.dot(hy, np.roll(hx, -1))))


def numpy_hull_areas(x, y, offsets, geographic: bool) -> np.ndarray:
    out = np.empty(offsets.size - 1)
    for r in range(offsets.size - 1):
        b, e = offsets[r], offsets[r + 1]
        px, py = x[b:e], y[b:e]
        if geographic and e > b:
            lat_c = np.radians(py.mean())
            k = R_KM * np.pi / 180.0
            px = (px - px[0]) * k * np.cos(lat_c)
            py = (py - py[0]) * k
        out[r] = numpy_hull_area(px, py)
    return out


# --------------------------------------------------------------------------------------------
# machine
# --------------------------------------------------------------------------------------------


def copy_bandwidth(nbytes: int = 1 << 30, threads: int = 2) -> tuple[float, float]:
    """(1-thread, n-thread) copy bandwidth in bytes/s (read + write), best of 3 numpy copies."""
    a = np.ones(nbytes // 8)
    b = np.empty_like(a)
    np.copyto(b, a)  # fault the pages in
    best1 = min(_timed(lambda: np.copyto(b, a)) for _ in range(3))
    parts = np.array_split(np.arange(a.size), threads)
    bounds = [(int(p[0]), int(p[-1]) + 1) for p in parts]

    def parallel():
        ts = [threading.Thread(target=np.copyto, args=(b[lo:hi], a[lo:hi])) for lo, hi in bounds]
        for t in ts:
            t.start()
        for t in ts:
            t.join()

    bestn = min(_timed(parallel) for _ in range(3))
    return 2 * a.nbytes / best1, 2 * a.nbytes / bestn


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _timed2(fn):
    """(result, wall seconds, CPU seconds of the whole process, all threads)."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - t, time.process_time() - c


# --------------------------------------------------------------------------------------------
# script
# --------------------------------------------------------------------------------------------


def run(
    mode: str, x, y, offsets, packages, service, depot, threads: int, subsample: int, bw: float
) -> None:
    geographic = mode == "geographic"
    routes, stops = offsets.size - 1, x.size
    kw = dict(
        geographic=geographic,
        packages=packages,
        service_s=service,
        speed_kmh=SPEED_KMH,
        threads=threads,
    )
    print(f"\n== {mode}: {routes:,} routes, {stops:,} stops ({stops // max(1, routes)} per route)")

    _, t_full, c_full = _timed2(lambda: batch_metrics(x, y, offsets, depot, **kw))
    m, t_nohull, c_nohull = _timed2(lambda: batch_metrics(x, y, offsets, depot, hull=False, **kw))
    ref, t_np, c_np = _timed2(
        lambda: numpy_metrics_chunked(x, y, offsets, depot, packages, service, geographic)
    )
    worst = 0.0
    for f, v in ref.items():
        got = getattr(m, f)
        ok = np.isfinite(v)
        rel = np.abs(got[ok] - v[ok]) / np.maximum(1e-12, np.abs(v[ok]))
        worst = max(worst, float(np.max(rel, initial=0.0)))
    sub = min(subsample, routes)
    _, t_hull_sub, c_hull_sub = _timed2(
        lambda: numpy_hull_areas(x, y, offsets[: sub + 1], geographic)
    )
    t_hull_scaled, c_hull_scaled = t_hull_sub * routes / sub, c_hull_sub * routes / sub
    k = min(100, routes)
    e = int(offsets[k])
    hull_check = numpy_hull_areas(x, y, offsets[: k + 1], geographic)
    kw_small = dict(kw, packages=packages[:e], service_s=service[:e])
    full = batch_metrics(x[:e], y[:e], offsets[: k + 1], depot, **kw_small)
    hull_err = float(
        np.max(np.abs(full.hull_area_km2 - hull_check) / np.maximum(1e-12, hull_check))
    )

    bytes_read = 4 * 8 * stops + 8 * (routes + 1)  # x, y, packages, service + offsets
    for label, t, c in (
        ("kernel, all metrics", t_full, c_full),
        ("kernel, hull=False", t_nohull, c_nohull),
    ):
        print(
            f"{label:26s}: {t:8.3f} s wall {c:8.3f} s CPU  {stops / t / 1e6:7.1f} M stops/s  "
            f"{stops / c / 1e6:7.1f} M stops per CPU-second (per core; {threads} threads, "
            f"CPU/wall = {c / t:.2f} cores used)"
        )
    print(
        f"{'numpy, vectorised subset':26s}: {t_np:8.3f} s wall {c_np:8.3f} s CPU  (all metrics but the "
        f"hull, 1 thread; max rel diff vs kernel {worst:.1e})"
    )
    print(
        f"{'numpy hull, per route':26s}: {t_hull_sub:8.3f} s wall {c_hull_sub:8.3f} s CPU on {sub:,} routes "
        f"-> scaled x{routes / sub:.0f} = {t_hull_scaled:.1f} s wall (max rel diff vs kernel on "
        f"{k} routes {hull_err:.1e})"
    )
    print(
        f"speedup A (vectorised subset, all routes, measured): wall {t_np / t_nohull:5.1f}x, "
        f"CPU {c_np / c_nohull:5.1f}x"
    )
    print(
        "speedup B (all metrics; numpy hull part scaled from the subsample): "
        f"wall {(t_np + t_hull_scaled) / t_full:5.1f}x, CPU {(c_np + c_hull_scaled) / c_full:5.1f}x"
    )
    for label, t in (("all metrics", t_full), ("hull=False", t_nohull)):
        rate = bytes_read / t
        print(
            f"bandwidth {label:12s}: kernel reads {bytes_read / 1e9:.2f} GB in {t:.3f} s = "
            f"{rate / 1e9:6.2f} GB/s = {100 * rate / bw:5.1f}% of the measured copy bandwidth"
        )
    print(f"load average now: {os.getloadavg()[0]:.2f}")


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--routes", type=int, default=100_000)
    p.add_argument("--stops", type=int, default=150, help="stops per route")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument(
        "--subsample", type=int, default=10_000, help="routes for the per-route numpy hull"
    )
    p.add_argument("--mode", choices=["planar", "geographic", "both"], default="both")
    a = p.parse_args(argv)

    print(
        f"cpus: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.2f} "
        "(the machine is shared; a load above 1 means the threads compete for cores)"
    )
    bw1, bwn = copy_bandwidth(threads=max(2, a.threads))
    bw = max(bw1, bwn)
    print(
        f"numpy copy bandwidth (read + write): 1 thread {bw1 / 1e9:.2f} GB/s, "
        f"{max(2, a.threads)} threads {bwn / 1e9:.2f} GB/s -> reference {bw / 1e9:.2f} GB/s"
    )
    t = time.perf_counter()
    x, y, offsets, packages, service = make_routes(a.routes, a.stops)
    print(f"generated {x.size:,} stops in {time.perf_counter() - t:.1f} s")
    if a.mode in ("planar", "both"):
        run("planar", x, y, offsets, packages, service, (20.0, 20.0), a.threads, a.subsample, bw)
    if a.mode in ("geographic", "both"):
        lon, lat = to_lonlat(x, y)
        del x, y
        depot = to_lonlat(np.array(20.0), np.array(20.0))
        run(
            "geographic",
            lon,
            lat,
            offsets,
            packages,
            service,
            (float(depot[0]), float(depot[1])),
            a.threads,
            a.subsample,
            bw,
        )


# --------------------------------------------------------------------------------------------
# pytest-benchmark (small fixed work: 2,000 routes x 150 stops)
# --------------------------------------------------------------------------------------------

_SMALL = make_routes(2_000, 150, seed=1)


def test_bench_kernel_planar(benchmark):
    x, y, off, pk, sv = _SMALL
    m = benchmark(batch_metrics, x, y, off, (20.0, 20.0), packages=pk, service_s=sv, threads=1)
    assert len(m) == 2_000


def test_bench_kernel_geographic(benchmark):
    x, y, off, pk, sv = _SMALL
    lon, lat = to_lonlat(x, y)
    m = benchmark(
        batch_metrics, lon, lat, off, (13.4, 52.5), geographic=True, packages=pk, threads=1
    )
    assert len(m) == 2_000


def test_bench_numpy_baseline_planar(benchmark):
    x, y, off, pk, sv = _SMALL
    out = benchmark(numpy_metrics, x, y, off, (20.0, 20.0), pk, sv, False)
    assert out["total_km"].shape == (2_000,)


if __name__ == "__main__":
    main()
