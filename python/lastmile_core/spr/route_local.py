"""Local road-network effects: a spatial smoothing of the training routes' residuals.

The order-free route model (:mod:`.route_predict`) has one circuity and one speed per leg type
for a whole data set, but road networks differ from one district to the next (street grid or
cul-de-sacs, rivers, highway access, one-way streets): on the 98 Austin routes the between-stop
circuity ranges 1.31-1.78 and the between-stop speed 25-36 km/h (5 % - 95 % of routes), and
routes that cover the same streets share those effects. So a route's log residual
``log(observed / predicted)`` (km and driving time separately) is smoothed over space, as a
kernel regression with shrinkage (a Nadaraya-Watson estimate pulled to 0, the global model):

    ``u(q) = sum_j A(q, j) r_j / (sum_j A(q, j) + kappa)``

with ``A(q, j)`` the mean Gaussian kernel (bandwidth ``h``) between the stops of route ``q``
and those of training route ``j`` (each route represented by :data:`LOCAL_POINTS` of its stops,
spread along its Hilbert-curve order), so ``A`` is the share of the two routes' stops that
lie within about ``h`` of each other; ``kappa`` is the prior weight of the global model, in
routes. A route far from every training route gets ``u = 0`` (the global model): the smoothing
never extrapolates, it only corrects where training routes drove the same area.

``h`` and ``kappa`` are chosen per target by K-fold cross-validation on the training routes
only, and the smoothing is kept only when it beats the global model by more than one standard
error of the paired out-of-fold differences (the one-standard-error rule), so a data set
without spatially coherent residuals keeps the global model. Training and query points are aggregated into cells of ``h / 4`` (kernel density
binning: a point moves to its cell's centroid, less than a cell diagonal, 0.35 ``h``, away), which keeps the cost linear in the
number of occupied cells (at most about 450 training cells per query cell within the kernel's
3 ``h`` cut-off).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from ..geo import KM_PER_DEG
from .route_geometry import hilbert_key

#: Stops per route kept as its spatial footprint (spread along its Hilbert-curve order).
LOCAL_POINTS = 8

#: Candidate kernel bandwidths (km) and prior weights (routes) of the cross-validation.
BANDWIDTHS_KM: tuple[float, ...] = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0)
KAPPAS: tuple[float, ...] = (0.1, 0.25, 0.5, 1.0, 2.0)

#: Decimals of the footprint degrees stored in a model (3: about 100 m, a quarter of the
#: smallest bandwidth).
FOOTPRINT_DECIMALS = 3

#: Fewer training routes than this: no local correction.
MIN_LOCAL_ROUTES = 20

#: At most this many training routes enter the cross-validation (a deterministic subsample):
#: bounds the fitting cost on large histories.
MAX_CV_ROUTES = 1500

#: Folds of the cross-validation.
FOLDS = 5

#: Column names of the footprint points in a route table.
LON_COLUMNS = tuple(f"local_lon_{k}" for k in range(LOCAL_POINTS))
LAT_COLUMNS = tuple(f"local_lat_{k}" for k in range(LOCAL_POINTS))


def route_points(
    code: npt.ArrayLike, lon: npt.ArrayLike, lat: npt.ArrayLike, num_routes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Footprint of every route: ``(lon, lat)`` arrays of shape ``(num_routes,``
    :data:`LOCAL_POINTS` ``)``, the stops at the quantiles ``(k + 1/2) / LOCAL_POINTS`` of the
    route's Hilbert-curve order (repeated stops for routes shorter than that; NaN for a route
    without stops). Vectorised: one sort."""
    c = np.asarray(code, dtype=np.int64)
    lo, la = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    R, m = int(num_routes), LOCAL_POINTS
    out_lon, out_lat = np.full((R, m), np.nan), np.full((R, m), np.nan)
    if not len(c):
        return out_lon, out_lat
    cnt = np.bincount(c, minlength=R)
    o1 = np.argsort(c, kind="stable")  # O(n) when already grouped by route
    cs, lo1, la1 = c[o1], lo[o1], la[o1]
    at = np.r_[0, np.cumsum(cnt)[:-1]][cnt > 0]
    ids = cs[at]
    lo_x, hi_x, lo_y, hi_y = (np.zeros(R) for _ in range(4))
    lo_x[ids], hi_x[ids] = np.minimum.reduceat(lo1, at), np.maximum.reduceat(lo1, at)
    lo_y[ids], hi_y[ids] = np.minimum.reduceat(la1, at), np.maximum.reduceat(la1, at)
    span = np.maximum(np.maximum(hi_x - lo_x, hi_y - lo_y), 1e-12)
    key = hilbert_key((lo1 - lo_x[cs]) / span[cs], (la1 - lo_y[cs]) / span[cs])
    o = o1[np.lexsort((key, cs))]
    starts = np.r_[0, np.cumsum(cnt)[:-1]]
    present = np.flatnonzero(cnt > 0)
    pos = np.floor((np.arange(m) + 0.5) / m * cnt[present, None]).astype(np.int64)
    idx = o[starts[present, None] + pos]
    out_lon[present], out_lat[present] = lo[idx], la[idx]
    return out_lon, out_lat


def _project(lon: np.ndarray, lat: np.ndarray, lat0: float) -> np.ndarray:
    """Equirectangular km around latitude ``lat0`` (exact enough within a kernel's reach)."""
    kx = KM_PER_DEG * np.cos(np.radians(lat0))
    return np.column_stack([lon * kx, lat * KM_PER_DEG])


def _smooth(
    q_lon: np.ndarray,
    q_lat: np.ndarray,
    t_lon: np.ndarray,
    t_lat: np.ndarray,
    resid: np.ndarray,
    bandwidth_km: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Per query route: ``sum_j A(q, j) r_j`` and ``sum_j A(q, j)`` (see the module docstring),
    training and query points binned into cells of ``bandwidth_km / 4``."""
    Rq, m = q_lon.shape
    num, den = np.zeros(Rq), np.zeros(Rq)
    ok_t = np.isfinite(t_lon).all(axis=1) & np.isfinite(resid)
    ok_q = np.isfinite(q_lon).all(axis=1)
    if not ok_t.any() or not ok_q.any():
        return num, den
    lat0 = float(np.nanmean(t_lat[ok_t]))
    tp = _project(t_lon[ok_t].ravel(), t_lat[ok_t].ravel(), lat0)
    tr = np.repeat(resid[ok_t], m)
    cell = bandwidth_km / 4.0
    t_inv, t_centre = _bin(tp, cell)
    w = np.bincount(t_inv, minlength=len(t_centre)) / m  # routes' worth of points per cell
    wr = np.bincount(t_inv, weights=tr, minlength=len(t_centre)) / m
    qi = np.flatnonzero(ok_q)
    q_inv, q_centre = _bin(_project(q_lon[qi].ravel(), q_lat[qi].ravel(), lat0), cell)
    sm = cKDTree(q_centre).sparse_distance_matrix(
        cKDTree(t_centre), 3.0 * bandwidth_km, output_type="coo_matrix"
    )
    k = np.exp(-0.5 * (np.asarray(sm.data) / bandwidth_km) ** 2)
    rows, cols = np.asarray(sm.row), np.asarray(sm.col)
    cell_num = np.bincount(rows, weights=k * wr[cols], minlength=len(q_centre))
    cell_den = np.bincount(rows, weights=k * w[cols], minlength=len(q_centre))
    qr = np.repeat(qi, m)
    num = np.bincount(qr, weights=cell_num[q_inv], minlength=Rq) / m
    den = np.bincount(qr, weights=cell_den[q_inv], minlength=Rq) / m
    return num, den


def _bin(p: np.ndarray, cell: float) -> tuple[np.ndarray, np.ndarray]:
    """Points ``p`` (n, 2) binned into square cells of side ``cell``: the cell of each point
    and the cells' centroids."""
    ij = np.floor(p / cell).astype(np.int64)
    _, inv = np.unique(ij, axis=0, return_inverse=True)
    inv = np.asarray(inv).ravel()
    n = np.bincount(inv)
    centre = np.column_stack(
        [np.bincount(inv, weights=p[:, 0]) / n, np.bincount(inv, weights=p[:, 1]) / n]
    )
    return inv, centre


def has_local(fit: Mapping[str, float]) -> bool:
    """Whether a ``routes_fit`` mapping holds a local model of km or driving time."""
    return any(float(fit.get(f"local.{t}.routes", 0.0) or 0.0) > 0 for t in ("km", "s"))


def local_log_correction(
    fit: Mapping[str, float], target: str, q_lon: np.ndarray, q_lat: np.ndarray
) -> np.ndarray:
    """The smoothed log residual ``u`` of ``target`` (``"km"`` or ``"s"``) for query routes
    with footprints ``q_lon, q_lat`` (:func:`route_points`), from a ``routes_fit`` mapping
    holding a local model (see :func:`encode`); zeros when it holds none."""
    t_lon, t_lat, resid, h, kappa = decode(fit, target)
    if resid is None or not len(q_lon):
        return np.zeros(len(q_lon))
    num, den = _smooth(q_lon, q_lat, t_lon, t_lat, resid, h)
    return np.asarray(num / (den + kappa))


def choose(
    lon: np.ndarray,
    lat: np.ndarray,
    fit_predict: Callable[[np.ndarray, np.ndarray], np.ndarray],
    y: np.ndarray,
    *,
    seed: int = 0,
) -> tuple[float, float, float, float]:
    """Cross-validated ``(bandwidth_km, kappa, cv_mape_local, cv_mape_global)`` for one target
    (``bandwidth_km = 0`` = off). ``fit_predict(train_idx, test_idx)`` fits the global model on
    the training rows and predicts the given ones (train first, then test, concatenated)."""
    n = len(y)
    order = np.random.default_rng(seed).permutation(n)[: min(n, MAX_CV_ROUTES)]
    k = max(2, min(FOLDS, len(order) // 5))
    errs: dict[tuple[float, float], list[np.ndarray]] = {}
    for f in range(k):
        te = order[f::k]
        tr = np.setdiff1d(order, te)
        pred = fit_predict(tr, te)
        p_tr, p_te = pred[: len(tr)], pred[len(tr) :]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.log(y[tr] / p_tr)
        r = np.where(np.isfinite(r), r, np.nan)
        errs.setdefault((0.0, 0.0), []).append(np.abs(p_te - y[te]) / y[te])
        for h in BANDWIDTHS_KM:
            num, den = _smooth(lon[te], lat[te], lon[tr], lat[tr], r, h)
            for kap in KAPPAS:
                u = num / (den + kap)
                errs.setdefault((h, kap), []).append(np.abs(p_te * np.exp(u) - y[te]) / y[te])
    err = {key: np.concatenate(v) for key, v in errs.items()}
    score = {key: float(np.nanmean(v)) for key, v in err.items()}
    best = min(score, key=lambda key: (score[key], key))
    # one-standard-error rule: the smoothing must beat the global model by more than the
    # standard error of the paired out-of-fold differences, else the grid's best is chance
    d = err[best] - err[(0.0, 0.0)]
    d = d[np.isfinite(d)]
    if len(d) < 2 or not float(np.mean(d)) < -float(np.std(d, ddof=1) / math.sqrt(len(d))):
        best = (0.0, 0.0)
    return best[0], best[1], score[best], score[(0.0, 0.0)]


def encode(
    target: str,
    lon: np.ndarray,
    lat: np.ndarray,
    resid: np.ndarray,
    bandwidth_km: float,
    kappa: float,
) -> dict[str, float]:
    """The local model of ``target`` as flat ``routes_fit`` entries (floats, so the model
    document stays plain JSON): ``local.<target>.bandwidth_km``, ``.kappa``, ``.routes``, and
    per training route ``i``: ``.r.<i>`` (log residual), ``.lon.<i>.<k>``, ``.lat.<i>.<k>``
    (footprint points rounded to :data:`FOOTPRINT_DECIMALS` decimals: the model document
    holds no exact stop address)."""
    p = f"local.{target}"
    out = {f"{p}.bandwidth_km": float(bandwidth_km), f"{p}.kappa": float(kappa)}
    keep = np.flatnonzero(np.isfinite(resid) & np.isfinite(lon).all(axis=1))
    out[f"{p}.routes"] = float(len(keep))
    for j, i in enumerate(keep):
        out[f"{p}.r.{j}"] = float(resid[i])
        for k in range(lon.shape[1]):
            out[f"{p}.lon.{j}.{k}"] = round(float(lon[i, k]), FOOTPRINT_DECIMALS)
            out[f"{p}.lat.{j}.{k}"] = round(float(lat[i, k]), FOOTPRINT_DECIMALS)
    return out


def decode(
    fit: Mapping[str, float], target: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, float, float]:
    """The inverse of :func:`encode`: ``(lon, lat, resid, bandwidth_km, kappa)``; ``resid`` is
    None when ``fit`` has no local model of ``target`` (or its bandwidth is 0)."""
    p = f"local.{target}"
    h = float(fit.get(f"{p}.bandwidth_km", 0.0) or 0.0)
    n = int(fit.get(f"{p}.routes", 0.0) or 0)
    empty = np.zeros((0, LOCAL_POINTS))
    if h <= 0 or n <= 0:
        return empty, empty, None, 0.0, 0.0
    m = LOCAL_POINTS
    resid = np.array([fit[f"{p}.r.{j}"] for j in range(n)], dtype=float)
    lon = np.array([[fit[f"{p}.lon.{j}.{k}"] for k in range(m)] for j in range(n)], dtype=float)
    lat = np.array([[fit[f"{p}.lat.{j}.{k}"] for k in range(m)] for j in range(n)], dtype=float)
    return lon, lat, resid, h, float(fit[f"{p}.kappa"])


def global_keys(fit: Mapping[str, float]) -> dict[str, float]:
    """``fit`` without the per-route entries of the local models (the summary numbers)."""
    return {
        k: v
        for k, v in fit.items()
        if not (k.startswith("local.") and k.split(".")[2] in ("r", "lon", "lat"))
    }


__all__ = [
    "BANDWIDTHS_KM",
    "FOLDS",
    "FOOTPRINT_DECIMALS",
    "KAPPAS",
    "LAT_COLUMNS",
    "LOCAL_POINTS",
    "LON_COLUMNS",
    "MAX_CV_ROUTES",
    "MIN_LOCAL_ROUTES",
    "choose",
    "decode",
    "encode",
    "global_keys",
    "has_local",
    "local_log_correction",
    "route_points",
]
