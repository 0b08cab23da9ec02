"""Tests of lastmile_core.metrics: the C++ batch kernel against a slow pure-Python reference."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lastmile_core import _core
from lastmile_core.errors import InputError
from lastmile_core.metrics import (
    RouteMetrics,
    batch_metrics,
)

R_KM = 6371.0088
SCALAR_FIELDS = (
    "n_stops",
    "packages",
    "total_km",
    "line_haul_km",
    "intra_route_km",
    "drive_time_s",
    "service_time_s",
    "duration_s",
    "hull_area_km2",
    "stops_per_km2",
    "stops_per_intra_km",
    "mean_inter_stop_km",
)


# ---------------------------------------------------------------------------------------------
# slow reference (one Python loop per route, written independently of the kernel)
# ---------------------------------------------------------------------------------------------


def ref_dist(a, b, geographic):
    if not geographic:
        return math.hypot(b[0] - a[0], b[1] - a[1])
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * R_KM * math.asin(min(1.0, math.sqrt(h)))


def ref_hull_area(pts):
    pts = sorted(set(pts))
    if len(pts) < 3:
        return 0.0

    def turn(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    hull = lower[:-1] + upper[:-1]
    if len(hull) < 3:
        return 0.0
    s = 0.0
    for i in range(len(hull)):
        (x1, y1), (x2, y2) = hull[i], hull[(i + 1) % len(hull)]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2


def ref_projected(pts):
    """Local equirectangular projection (km) around the mean latitude, lon unwrapped at stop 0."""
    lon0 = pts[0][0]
    lat_c = math.radians(sum(p[1] for p in pts) / len(pts))
    out = []
    for lon, lat in pts:
        d = (lon - lon0 + 180.0) % 360.0 - 180.0
        out.append((R_KM * math.radians(d) * math.cos(lat_c), R_KM * math.radians(lat - pts[0][1])))
    return out


def reference(x, y, offsets, depot, geographic, packages, service, elevation, speed, circuity):
    rows = []
    for r in range(len(offsets) - 1):
        b, e = offsets[r], offsets[r + 1]
        pts = list(zip(x[b:e], y[b:e], strict=True))
        n = len(pts)
        intra = sum(ref_dist(pts[i - 1], pts[i], geographic) for i in range(1, n)) * circuity
        lh = 0.0
        if n and depot is not None:
            lh = (
                ref_dist(depot, pts[0], geographic) + ref_dist(pts[-1], depot, geographic)
            ) * circuity
        area = ref_hull_area(ref_projected(pts) if geographic and n else pts)
        total = intra + lh
        drive = total / speed * 3600
        svc = float(sum(service[b:e])) if service is not None else 0.0
        climb = sum(max(0.0, elevation[i] - elevation[i - 1]) for i in range(b + 1, e))
        rows.append(
            dict(
                n_stops=n,
                packages=float(sum(packages[b:e])) if packages is not None else float(n),
                total_km=total,
                line_haul_km=lh,
                intra_route_km=intra,
                drive_time_s=drive,
                service_time_s=svc,
                duration_s=drive + svc,
                hull_area_km2=area,
                stops_per_km2=n / area if area > 0 else math.nan,
                stops_per_intra_km=n / intra if intra > 0 else math.nan,
                mean_inter_stop_km=intra / (n - 1) if n >= 2 else math.nan,
                climb_m=climb,
            )
        )
    return pd.DataFrame(rows)


def random_routes(rng, num_routes, geographic, spread):
    lengths = rng.integers(0, 60, size=num_routes)
    lengths[: min(4, num_routes)] = [0, 1, 2, 3][: min(4, num_routes)]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    n = int(offsets[-1])
    if geographic:
        x = 13.4 + rng.normal(0, spread, n)
        y = 52.5 + rng.normal(0, spread, n)
        depot = (13.4, 52.5)
    else:
        x = rng.uniform(0, 100, n)
        y = rng.uniform(0, 100, n)
        depot = (50.0, 50.0)
    # some exact duplicates, as in real data (same building)
    dup = rng.random(n) < 0.1
    dup[0] = False
    x[dup] = np.roll(x, 1)[dup]
    y[dup] = np.roll(y, 1)[dup]
    packages = rng.integers(0, 5, n).astype(float)
    service = rng.uniform(0, 300, n)
    elevation = rng.normal(40, 10, n)
    return x, y, offsets, depot, packages, service, elevation


def assert_matches(m: RouteMetrics, ref: pd.DataFrame) -> None:
    for f in SCALAR_FIELDS:
        np.testing.assert_allclose(
            getattr(m, f), ref[f].to_numpy(), rtol=1e-9, atol=1e-9, err_msg=f
        )
    np.testing.assert_allclose(m.climb_m, ref["climb_m"].to_numpy(), rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# kernel vs reference
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4))
def test_planar_metrics_match_python_reference(seed):
    """Planar kernel output equals the slow reference on random routes."""
    rng = np.random.default_rng(seed)
    x, y, off, depot, pk, sv, el = random_routes(rng, 60, geographic=False, spread=0)
    m = batch_metrics(
        x, y, off, depot, packages=pk, service_s=sv, elevation_m=el, speed_kmh=25.0, circuity=1.3
    )
    assert_matches(m, reference(x, y, off, depot, False, pk, sv, el, 25.0, 1.3))


@pytest.mark.parametrize(("seed", "spread"), [(0, 0.01), (1, 0.05), (2, 2.0), (3, 20.0)])
def test_geographic_metrics_match_python_reference(seed, spread):
    """Geographic (haversine km, projected hull km^2) output equals the slow reference."""
    rng = np.random.default_rng(seed)
    x, y, off, depot, pk, sv, el = random_routes(rng, 60, geographic=True, spread=spread)
    y = np.clip(y, -89.0, 89.0)
    x = (x + 180.0) % 360.0 - 180.0
    m = batch_metrics(
        x, y, off, depot, geographic=True, packages=pk, service_s=sv, elevation_m=el,
        speed_kmh=18.0, circuity=1.25,
    )  # fmt: skip
    assert_matches(m, reference(x, y, off, depot, True, pk, sv, el, 18.0, 1.25))


def test_geographic_route_across_antimeridian_is_contiguous():
    """A route straddling lon 180 gets the same distance and hull as its shifted twin."""
    lon = np.array([179.99, -179.99, -179.99, 179.99])
    lat = np.array([-17.0, -17.0, -16.98, -16.98])
    shifted = np.array([-0.01, 0.01, 0.01, -0.01])
    a = batch_metrics(lon, lat, [0, 4], geographic=True)
    b = batch_metrics(shifted, lat, [0, 4], geographic=True)
    np.testing.assert_allclose(a.intra_route_km, b.intra_route_km, rtol=1e-9)
    np.testing.assert_allclose(a.hull_area_km2, b.hull_area_km2, rtol=1e-9)
    assert 4.0 < a.hull_area_km2[0] < 5.0


def test_per_route_depot_and_speed_are_used_per_route():
    """Per-route depots and speeds give each route its own line haul and drive time."""
    x = np.array([1.0, 2.0, 10.0])
    y = np.zeros(3)
    m = batch_metrics(x, y, [0, 2, 3], depot=[[0.0, 0.0], [10.0, 5.0]], speed_kmh=[10.0, 20.0])
    np.testing.assert_allclose(m.line_haul_km, [1.0 + 2.0, 10.0])
    np.testing.assert_allclose(m.drive_time_s, [4.0 / 10 * 3600, 10.0 / 20 * 3600])


def test_load_factors_per_dimension_with_per_route_and_shared_capacity():
    """Load and load factor per dimension use (dims,) or (routes, dims) capacities."""
    x = np.arange(5.0)
    demand = np.array([[1, 10, 2], [2, 0, 2], [3, 5, 2], [4, 1, 1], [5, 1, 1]], dtype=float)
    shared = batch_metrics(
        x, x, [0, 3, 5], demand=demand, capacity=[10, 20, 4], dim_names=["pk", "vol", "kg"]
    )
    np.testing.assert_allclose(shared.load, [[6, 15, 6], [9, 2, 2]])
    np.testing.assert_allclose(shared.load_factor, [[0.6, 0.75, 1.5], [0.9, 0.1, 0.5]])
    per = batch_metrics(x, x, [0, 3, 5], demand=demand, capacity=[[6, 15, 6], [18, 4, 4]])
    np.testing.assert_allclose(per.load_factor, [[1, 1, 1], [0.5, 0.5, 0.5]])
    frame = shared.to_frame()
    assert list(frame.columns[-6:]) == [
        f"{k}_{d}" for k in ("load", "load_factor") for d in ("pk", "vol", "kg")
    ]


def test_capacity_without_demand_uses_packages():
    """With capacity but no demand, packages is the single load dimension."""
    m = batch_metrics([0.0, 1.0], [0.0, 0.0], [0, 2], packages=[3, 5], capacity=[16])
    np.testing.assert_allclose(m.load_factor, [[0.5]])


def test_climb_includes_depot_legs_when_depot_elevation_given():
    """climb_m sums positive steps; depot elevation adds the out and back legs."""
    z = np.array([10.0, 15.0, 12.0, 20.0])
    m = batch_metrics(np.arange(4.0), np.zeros(4), [0, 4], elevation_m=z)
    assert m.climb_m[0] == pytest.approx(5 + 8)
    m2 = batch_metrics(np.arange(4.0), np.zeros(4), [0, 4], elevation_m=z, depot_elevation_m=0.0)
    assert m2.climb_m[0] == pytest.approx(10 + 5 + 8 + 0)


# ---------------------------------------------------------------------------------------------
# hull area on known shapes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pts", "area"),
    [
        ([(0, 0), (1, 0), (1, 1), (0, 1)], 1.0),
        (
            [(0, 0), (2, 0), (2, 2), (0, 2), (1, 1), (0.5, 1.5), (1, 0), (2, 1)],
            4.0,
        ),  # interior + edge points
        ([(0, 0), (1, 1), (2, 2), (3, 3)], 0.0),  # collinear
        ([(5, 5)] * 6, 0.0),  # all duplicates
        ([(0, 0), (0, 0), (4, 0), (4, 0), (0, 3), (0, 3)], 6.0),  # duplicated triangle corners
        ([(0, 0), (1, 0)], 0.0),
        ([(1e6, 5e6), (1e6 + 1, 5e6), (1e6 + 1, 5e6 + 1), (1e6, 5e6 + 1)], 1.0),  # far from origin
    ],
)
def test_hull_area_of_known_shapes(pts, area):
    """Hull area of squares, collinear points and duplicates is exact."""
    x = np.array([p[0] for p in pts], dtype=float)
    y = np.array([p[1] for p in pts], dtype=float)
    assert _core.convex_hull_area(x, y) == pytest.approx(area, abs=1e-9)
    m = batch_metrics(x, y, [0, len(pts)])
    assert m.hull_area_km2[0] == pytest.approx(area, abs=1e-9)
    if area == 0.0:
        assert np.isnan(m.stops_per_km2[0])
    else:
        assert m.stops_per_km2[0] == pytest.approx(len(pts) / area)


@pytest.mark.parametrize("grid", [3, 10, 1000])
def test_hull_area_of_large_point_sets_with_ties_matches_reference(grid):
    """Big routes on an integer grid (many ties and collinear points) match the reference hull."""
    rng = np.random.default_rng(grid)
    lengths = rng.integers(20, 400, size=30)
    off = np.concatenate([[0], np.cumsum(lengths)])
    x = rng.integers(0, grid, off[-1]).astype(float)
    y = rng.integers(0, grid, off[-1]).astype(float)
    m = batch_metrics(x, y, off)
    expected = [
        ref_hull_area(list(zip(x[b:e], y[b:e], strict=True)))
        for b, e in zip(off[:-1], off[1:], strict=True)
    ]
    np.testing.assert_allclose(m.hull_area_km2, expected, rtol=1e-12, atol=1e-12)


def test_geographic_hull_of_small_square_at_equator():
    """A 0.01 degree square on the equator has area (R * 0.01 rad/deg)^2 km^2."""
    lon = np.array([0.0, 0.01, 0.01, 0.0])
    lat = np.array([-0.005, -0.005, 0.005, 0.005])
    m = batch_metrics(lon, lat, [0, 4], geographic=True)
    side = R_KM * math.radians(0.01)
    assert m.hull_area_km2[0] == pytest.approx(side * side, rel=1e-12)


def test_hull_can_be_skipped():
    """hull=False leaves the hull fields NaN and the rest unchanged."""
    x = np.array([0.0, 1.0, 1.0, 0.0])
    a = batch_metrics(x, x[::-1].copy(), [0, 4], hull=False)
    b = batch_metrics(x, x[::-1].copy(), [0, 4])
    assert np.isnan(a.hull_area_km2[0]) and np.isnan(a.stops_per_km2[0])
    assert a.total_km[0] == b.total_km[0]


# ---------------------------------------------------------------------------------------------
# determinism, empty routes, read-only output
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("geographic", [False, True])
def test_thread_count_does_not_change_output(geographic):
    """threads=1 and threads=2 give bit-identical arrays."""
    rng = np.random.default_rng(7)
    lengths = rng.integers(0, 120, size=1500)
    off = np.concatenate([[0], np.cumsum(lengths)])
    n = int(off[-1])
    x = rng.uniform(13.3, 13.5, n)
    y = rng.uniform(52.4, 52.6, n)
    kw = dict(
        geographic=geographic, packages=rng.integers(0, 4, n), elevation_m=rng.normal(0, 5, n)
    )
    a = batch_metrics(x, y, off, (13.4, 52.5), threads=1, **kw)
    b = batch_metrics(x, y, off, (13.4, 52.5), threads=2, **kw)
    c = batch_metrics(x, y, off, (13.4, 52.5), threads=5, **kw)
    for f in (*SCALAR_FIELDS, "climb_m"):
        assert np.array_equal(getattr(a, f), getattr(b, f), equal_nan=True), f
        assert np.array_equal(getattr(a, f), getattr(c, f), equal_nan=True), f


def test_empty_routes_and_no_routes():
    """Routes with 0 stops give zeros/NaN; zero routes give empty arrays."""
    m = batch_metrics([1.0, 2.0], [0.0, 0.0], [0, 0, 2, 2], depot=(0.0, 0.0), service_s=[5, 5])
    assert m.n_stops.tolist() == [0, 2, 0]
    assert m.total_km.tolist() == [0.0, 4.0, 0.0]
    assert m.service_time_s.tolist() == [0.0, 10.0, 0.0]
    assert m.hull_area_km2.tolist() == [0.0, 0.0, 0.0]
    assert np.isnan(m.mean_inter_stop_km[0]) and np.isnan(m.stops_per_intra_km[2])
    empty = batch_metrics(np.zeros(0), np.zeros(0), [0])
    assert len(empty) == 0 and empty.to_frame().shape == (0, len(SCALAR_FIELDS))


def test_result_arrays_are_read_only():
    """RouteMetrics arrays cannot be modified in place."""
    m = batch_metrics([0.0, 1.0], [0.0, 1.0], [0, 2])
    with pytest.raises(ValueError, match="read-only"):
        m.total_km[0] = 1.0


# ---------------------------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------------------------

GOOD = dict(x=[0.0, 1.0, 2.0], y=[0.0, 1.0, 2.0], offsets=[0, 2, 3])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (dict(x=[0.0, np.nan, 2.0]), "x"),
        (dict(y=[0.0, 1.0, np.inf]), "y"),
        (dict(y=[0.0, 1.0]), "y"),
        (dict(x=[[0.0, 1.0, 2.0]]), "x"),
        (dict(offsets=[0, 3, 2]), "offsets"),
        (dict(offsets=[0, 2, 4]), "offsets"),
        (dict(offsets=[1, 2, 3]), "offsets"),
        (dict(offsets=[0.0, 2.0, 3.0]), "offsets"),
        (dict(packages=[1, -1, 0]), "packages"),
        (dict(packages=[1, 1]), "packages"),
        (dict(service_s=[0, 0, -5]), "service_s"),
        (dict(service_s=[0, np.nan, 0]), "service_s"),
        (dict(elevation_m=[0, np.nan, 0]), "elevation_m"),
        (dict(demand=[[1], [2]]), "demand"),
        (dict(demand=[[1], [-2], [0]]), "demand"),
        (dict(demand=[[1], [2], [0]], capacity=[1, 2]), "capacity"),
        (dict(demand=[[1], [2], [0]], capacity=[-1]), "capacity"),
        (dict(speed_kmh=0.0), "speed_kmh"),
        (dict(speed_kmh=[10.0, 20.0, 30.0]), "speed_kmh"),
        (dict(depot=(np.nan, 0.0)), "depot"),
        (dict(depot=(1.0, 2.0, 3.0)), "depot"),
        (dict(circuity=0.0), "circuity"),
        (dict(threads=0), "threads"),
        (dict(geographic=True, y=[0.0, 95.0, 1.0]), "y"),
        (dict(geographic=True, x=[0.0, 181.0, 1.0]), "x"),
        (dict(x=[0.0, 1e308, -1e308]), "x"),
    ],
)
def test_bad_inputs_raise_input_error_naming_the_field(change, field):
    """Invalid values and shapes raise InputError whose message starts with the field name."""
    kw = {**GOOD, **change}
    with pytest.raises(InputError, match=rf"^{field}:"):
        batch_metrics(**kw)


def test_error_reports_the_first_bad_route_whatever_the_thread_count():
    """With bad values in several routes, the lowest route is reported for any thread count."""
    n = 60000
    x = np.linspace(0, 1, n)
    off = np.arange(0, n + 1, 100)
    x[45012] = np.nan
    x[30007] = np.inf
    for threads in (1, 2, 3):
        with pytest.raises(InputError, match=r"^x: stop 30007 \(route 300, position 7\)"):
            batch_metrics(x, np.zeros(n), off, threads=threads)


# ---------------------------------------------------------------------------------------------
# tables
# ---------------------------------------------------------------------------------------------
