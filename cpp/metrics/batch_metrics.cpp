#include "metrics/batch_metrics.h"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/errors.h"

namespace lastmile::metrics {
namespace {

constexpr double kEarthRadiusKm = 6371.0088;  // mean Earth radius (IUGG), as in core/problem.cpp
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kNoRoute = std::numeric_limits<std::size_t>::max();

template <class... Args>
std::string cat(Args&&... args) {
    std::ostringstream os;
    os.precision(17);
    (os << ... << args);
    return os.str();
}

inline bool nonneg_finite(double v) { return v >= 0.0 && v < kInf; }

// Loops that the compiler vectorises are also built for AVX2 and picked at run time (GCC function
// multi-versioning). FMA stays off, so every version gives bit-identical results.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define LASTMILE_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LASTMILE_SIMD_CLONES
#endif

struct Pt {
    double x, y;
};

// sin(t), using its Taylor polynomial for |t| < 0.02 (truncation error below 1e-21 relative, so
// exact to double precision) and the library function otherwise. Last-mile edges are far below
// the threshold, which avoids most libm calls.
inline double sin_poly(double t) {
    const double t2 = t * t;
    return t * (1.0 - t2 * (1.0 / 6.0) * (1.0 - t2 * (1.0 / 20.0) * (1.0 - t2 * (1.0 / 42.0))));
}
inline double sin_fast(double t) { return std::fabs(t) < 0.02 ? sin_poly(t) : std::sin(t); }

// cos(lat) for latitudes near a route's reference latitude lat0 (with s0 = sin lat0, c0 = cos
// lat0): cos(lat0 + d) = c0 cos d - s0 sin d with Taylor polynomials for |d| < 0.02 (truncation
// below 1e-22), the library cosine otherwise.
struct CosNear {
    double lat0, s0, c0;
    explicit CosNear(double lat) : lat0(lat), s0(std::sin(lat)), c0(std::cos(lat)) {}
    double operator()(double lat) const {
        const double d = lat - lat0;
        if (std::fabs(d) < 0.02) {
            const double d2 = d * d;
            const double cd =
                1.0 - d2 * 0.5 *
                          (1.0 - d2 * (1.0 / 12.0) *
                                     (1.0 - d2 * (1.0 / 30.0) * (1.0 - d2 * (1.0 / 56.0))));
            return c0 * cd - s0 * sin_poly(d);
        }
        return std::cos(lat);
    }
};

// asin(s) for s in [0, 1] (values slightly above 1 from rounding are clamped), with the Taylor
// polynomial up to s^9 for s < 0.02 (truncation error below 1e-18 relative).
inline double asin_poly(double s) {
    const double s2 = s * s;
    return s *
           (1.0 + s2 * (1.0 / 6.0 + s2 * (3.0 / 40.0 + s2 * (5.0 / 112.0 + s2 * (35.0 / 1152.0)))));
}

inline double asin_fast(double s) { return s < 0.02 ? asin_poly(s) : std::asin(std::min(1.0, s)); }

// Central angle (radians) between two points: latitudes in radians with their cosines, and the
// longitude difference in degrees.
inline double central_angle(double lat1, double cos1, double lat2, double cos2, double dlon_deg) {
    const double s1 = sin_fast(0.5 * (lat2 - lat1));
    const double s2 = sin_fast(0.5 * dlon_deg * kDegToRad);
    const double a = s1 * s1 + cos1 * cos2 * s2 * s2;
    return 2.0 * asin_fast(std::sqrt(a));
}

// Fast path of the great-circle length of a stop sequence (n >= 1 points). Every sine, cosine and
// arcsine is a Taylor polynomial (see sin_poly, CosNear, asin_poly), valid when all latitudes are
// within 1.1 degrees of the first one, every edge spans less than 2.2 degrees in latitude and in
// longitude (half-angles below 0.0192 rad) and every haversine root is below 0.02. The two
// polynomial loops have no branches so the compiler vectorises them; the checks, square roots and
// the sum (in stop order) run in a scalar loop. Returns false, and the caller uses the exact path,
// when a condition fails or a coordinate is not a finite in-range (lon, lat); otherwise stores
// the sum of central angles (radians) in `angle`. `cosv` and `hav` need room for n values.
LASTMILE_SIMD_CLONES
void cos_lat_poly(const double* __restrict y, std::size_t n, double lat0, double s0, double c0,
                  double* __restrict cosv) {
    for (std::size_t i = 0; i < n; ++i) {
        const double d = y[i] * kDegToRad - lat0;
        const double d2 = d * d;
        const double cd =
            1.0 -
            d2 * 0.5 *
                (1.0 - d2 * (1.0 / 12.0) * (1.0 - d2 * (1.0 / 30.0) * (1.0 - d2 * (1.0 / 56.0))));
        const double sd =
            d * (1.0 - d2 * (1.0 / 6.0) * (1.0 - d2 * (1.0 / 20.0) * (1.0 - d2 * (1.0 / 42.0))));
        cosv[i] = c0 * cd - s0 * sd;
    }
}

LASTMILE_SIMD_CLONES
void haversine_poly(const double* __restrict x, const double* __restrict y, std::size_t n,
                    const double* __restrict cosv, double* __restrict hav) {
    for (std::size_t i = 1; i < n; ++i) {
        const double s1 = sin_poly(0.5 * (y[i] * kDegToRad - y[i - 1] * kDegToRad));
        const double s2 = sin_poly(0.5 * (x[i] - x[i - 1]) * kDegToRad);
        hav[i] = s1 * s1 + cosv[i - 1] * cosv[i] * s2 * s2;
    }
}

// v[i] = sqrt(v[i]) for i in [0, n), values >= 0. With SSE2 two lanes at a time (the scalar
// std::sqrt carries an errno branch that keeps the compiler from vectorising it).
void sqrt_inplace(double* v, std::size_t n) {
    std::size_t i = 0;
#if defined(__SSE2__)
    for (; i + 2 <= n; i += 2) _mm_storeu_pd(v + i, _mm_sqrt_pd(_mm_loadu_pd(v + i)));
#endif
    for (; i < n; ++i) v[i] = std::sqrt(v[i]);
}

// Sum of v[0..n) with four interleaved accumulators (a fixed order for a given n, so the result
// is deterministic; four chains instead of one hide the latency of the additions).
double sum4(const double* v, std::size_t n) {
    double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0;
    std::size_t i = 0;
#if defined(__SSE2__)
    // The same four chains, two per register: bit-identical to the scalar loop.
    __m128d lo = _mm_setzero_pd(), hi = _mm_setzero_pd();
    for (; i + 4 <= n; i += 4) {
        lo = _mm_add_pd(lo, _mm_loadu_pd(v + i));
        hi = _mm_add_pd(hi, _mm_loadu_pd(v + i + 2));
    }
    double l[2], h[2];
    _mm_storeu_pd(l, lo);
    _mm_storeu_pd(h, hi);
    a0 = l[0], a1 = l[1], a2 = h[0], a3 = h[1];
#else
    for (; i + 4 <= n; i += 4) {
        a0 += v[i];
        a1 += v[i + 1];
        a2 += v[i + 2];
        a3 += v[i + 3];
    }
#endif
    for (; i < n; ++i) a0 += v[i];
    return (a0 + a1) + (a2 + a3);
}

// Whether every v[i] is >= 0 and finite (NaN fails).
bool all_nonneg_finite(const double* v, std::size_t n) {
    std::size_t i = 0;
    bool good = true;
#if defined(__SSE2__)
    const __m128d zero = _mm_setzero_pd(), inf = _mm_set1_pd(kInf);
    __m128d acc = _mm_castsi128_pd(_mm_set1_epi32(-1));
    for (; i + 2 <= n; i += 2) {
        const __m128d x = _mm_loadu_pd(v + i);
        acc = _mm_and_pd(acc, _mm_and_pd(_mm_cmpge_pd(x, zero), _mm_cmplt_pd(x, inf)));
    }
    good = _mm_movemask_pd(acc) == 3;
#endif
    for (; i < n; ++i) good &= nonneg_finite(v[i]);
    return good;
}

// Like sum4, and clears `ok` when a value is negative, NaN or infinite.
double sum4_nonneg(const double* v, std::size_t n, bool& ok) {
    ok &= all_nonneg_finite(v, n);
    return sum4(v, n);
}

// The fast path's validity conditions (see path_angle_fast) for stops 1..n-1, `root` holding the
// haversine roots of the edges ending at each stop.
bool fast_path_valid(const double* x, const double* y, const double* root, std::size_t n) {
    bool good = std::fabs(x[0]) <= 180.0 && std::fabs(y[0]) <= 90.0;
    std::size_t i = 1;
#if defined(__SSE2__)
    const __m128d sign = _mm_set1_pd(-0.0);
    const __m128d lon_max = _mm_set1_pd(180.0), lat_max = _mm_set1_pd(90.0),
                  band = _mm_set1_pd(1.1);
    const __m128d step = _mm_set1_pd(2.2), root_max = _mm_set1_pd(0.02), y0 = _mm_set1_pd(y[0]);
    __m128d acc = _mm_castsi128_pd(_mm_set1_epi32(-1));
    for (; i + 2 <= n; i += 2) {
        const __m128d xi = _mm_loadu_pd(x + i), xp = _mm_loadu_pd(x + i - 1);
        const __m128d yi = _mm_loadu_pd(y + i), yp = _mm_loadu_pd(y + i - 1);
        __m128d c = _mm_cmple_pd(_mm_andnot_pd(sign, xi), lon_max);
        c = _mm_and_pd(c, _mm_cmple_pd(_mm_andnot_pd(sign, yi), lat_max));
        c = _mm_and_pd(c, _mm_cmplt_pd(_mm_andnot_pd(sign, _mm_sub_pd(yi, y0)), band));
        c = _mm_and_pd(c, _mm_cmplt_pd(_mm_andnot_pd(sign, _mm_sub_pd(xi, xp)), step));
        c = _mm_and_pd(c, _mm_cmplt_pd(_mm_andnot_pd(sign, _mm_sub_pd(yi, yp)), step));
        c = _mm_and_pd(c, _mm_cmplt_pd(_mm_loadu_pd(root + i), root_max));
        acc = _mm_and_pd(acc, c);
    }
    good &= _mm_movemask_pd(acc) == 3;
#endif
    for (; i < n; ++i)
        good &= (std::fabs(x[i]) <= 180.0) & (std::fabs(y[i]) <= 90.0) &
                (std::fabs(y[i] - y[0]) < 1.1) & (std::fabs(x[i] - x[i - 1]) < 2.2) &
                (std::fabs(y[i] - y[i - 1]) < 2.2) & (root[i] < 0.02);
    return good;
}

LASTMILE_SIMD_CLONES
void asin_poly_inplace(double* __restrict v, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) v[i] = asin_poly(v[i]);
}

LASTMILE_SIMD_CLONES
void planar_sq_edges(const double* __restrict x, const double* __restrict y, std::size_t n,
                     double* __restrict out) {
    for (std::size_t i = 1; i < n; ++i) {
        const double dx = x[i] - x[i - 1], dy = y[i] - y[i - 1];
        out[i - 1] = dx * dx + dy * dy;
    }
}

bool path_angle_fast(const double* x, const double* y, std::size_t n, double* cosv, double* hav,
                     double& angle) {
    const double lat0 = y[0] * kDegToRad;
    cos_lat_poly(y, n, lat0, std::sin(lat0), std::cos(lat0), cosv);
    haversine_poly(x, y, n, cosv, hav);
    sqrt_inplace(hav + 1, n - 1);
    if (!fast_path_valid(x, y, hav, n)) return false;
    asin_poly_inplace(hav + 1, n - 1);
    angle = 2.0 * sum4(hav + 1, n - 1);
    return true;
}

inline double cross(const Pt& o, const Pt& a, const Pt& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

// Convex hull area by Andrew's monotone chain. Sorts `p` in place; `h` needs room for 2n points.
// Points are expected to be translated near the origin (the caller subtracts a reference point)
// so the cross products keep their precision.
double chain_area(Pt* p, std::size_t n, Pt* h) {
    if (n < 3) return 0.0;
    std::sort(p, p + n,
              [](const Pt& a, const Pt& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i) {
        while (k >= 2 && cross(h[k - 2], h[k - 1], p[i]) <= 0.0) --k;
        h[k++] = p[i];
    }
    const std::size_t lower = k + 1;
    for (std::size_t i = n - 1; i > 0; --i) {
        while (k >= lower && cross(h[k - 2], h[k - 1], p[i - 1]) <= 0.0) --k;
        h[k++] = p[i - 1];
    }
    // h[0..k-1] is the closed hull (h[k-1] == h[0]); fewer than 3 distinct vertices -> no area.
    if (k < 4) return 0.0;
    double twice = 0.0;
    for (std::size_t i = 1; i + 2 < k; ++i) twice += cross(h[0], h[i], h[i + 1]);
    return 0.5 * std::fabs(twice);
}

// Value of point (x, y) in extreme direction k, in CCW order of the directions: -y, x-y, x, x+y,
// y, -(x-y), -x, -(x+y) (directions 0, 5, 6, 7 are minima of y, x-y, x, x+y).
inline double direction_value(int k, double x, double y) {
    switch (k & 3) {
        case 0:
            return y;
        case 1:
            return x - y;
        case 2:
            return x;
        default:
            return x + y;
    }
}

// Index of the first point whose value in direction k equals v (it exists: v is one of them).
std::size_t first_with_value(const double* px, const double* py, std::size_t n, int k, double v) {
    std::size_t i = 0;
#if defined(__SSE2__)
    const __m128d target = _mm_set1_pd(v);
    for (; i + 2 <= n; i += 2) {
        const __m128d x = _mm_loadu_pd(px + i), y = _mm_loadu_pd(py + i);
        __m128d val;
        switch (k & 3) {
            case 0:
                val = y;
                break;
            case 1:
                val = _mm_sub_pd(x, y);
                break;
            case 2:
                val = x;
                break;
            default:
                val = _mm_add_pd(x, y);
                break;
        }
        const int hit = _mm_movemask_pd(_mm_cmpeq_pd(val, target));
        if (hit) return i + ((hit & 1) ? 0 : 1);
    }
#endif
    for (; i < n; ++i)
        if (direction_value(k, px[i], py[i]) == v) return i;
    return 0;  // unreachable for finite input
}

// score[i] = min over the 8 octagon edges k of A[k] x + B[k] y + C[k]: negative when the point is
// strictly outside the (counter-clockwise) octagon.
LASTMILE_SIMD_CLONES
void octagon_scores(const double* __restrict px, const double* __restrict py, std::size_t n,
                    const double* A, const double* B, const double* C, double* __restrict score) {
    const double a0 = A[0], a1 = A[1], a2 = A[2], a3 = A[3], a4 = A[4], a5 = A[5], a6 = A[6],
                 a7 = A[7];
    const double b0 = B[0], b1 = B[1], b2 = B[2], b3 = B[3], b4 = B[4], b5 = B[5], b6 = B[6],
                 b7 = B[7];
    const double c0 = C[0], c1 = C[1], c2 = C[2], c3 = C[3], c4 = C[4], c5 = C[5], c6 = C[6],
                 c7 = C[7];
    for (std::size_t i = 0; i < n; ++i) {
        const double x = px[i], y = py[i];
        double m = a0 * x + b0 * y + c0, t;
        t = a1 * x + b1 * y + c1, m = t < m ? t : m;
        t = a2 * x + b2 * y + c2, m = t < m ? t : m;
        t = a3 * x + b3 * y + c3, m = t < m ? t : m;
        t = a4 * x + b4 * y + c4, m = t < m ? t : m;
        t = a5 * x + b5 * y + c5, m = t < m ? t : m;
        t = a6 * x + b6 * y + c6, m = t < m ? t : m;
        t = a7 * x + b7 * y + c7, m = t < m ? t : m;
        score[i] = m;
    }
}

// Extreme values of the 8 directions (max of y, x-y, x, x+y as v[4], v[1], v[2], v[3]; min as
// v[0], v[5], v[6], v[7]) over finite points.
void direction_extremes(const double* px, const double* py, std::size_t n, double* v) {
    double mn_y = py[0], mx_y = py[0], mn_x = px[0], mx_x = px[0];
    double mn_d = px[0] - py[0], mx_d = mn_d, mn_s = px[0] + py[0], mx_s = mn_s;
    std::size_t i = 1;
#if defined(__SSE2__)
    __m128d vmn_y = _mm_set1_pd(mn_y), vmx_y = vmn_y, vmn_x = _mm_set1_pd(mn_x), vmx_x = vmn_x;
    __m128d vmn_d = _mm_set1_pd(mn_d), vmx_d = vmn_d, vmn_s = _mm_set1_pd(mn_s), vmx_s = vmn_s;
    for (; i + 2 <= n; i += 2) {
        const __m128d x = _mm_loadu_pd(px + i), y = _mm_loadu_pd(py + i);
        const __m128d d = _mm_sub_pd(x, y), s = _mm_add_pd(x, y);
        vmn_y = _mm_min_pd(vmn_y, y), vmx_y = _mm_max_pd(vmx_y, y);
        vmn_x = _mm_min_pd(vmn_x, x), vmx_x = _mm_max_pd(vmx_x, x);
        vmn_d = _mm_min_pd(vmn_d, d), vmx_d = _mm_max_pd(vmx_d, d);
        vmn_s = _mm_min_pd(vmn_s, s), vmx_s = _mm_max_pd(vmx_s, s);
    }
    auto lo = [](__m128d a) {
        return std::min(_mm_cvtsd_f64(a), _mm_cvtsd_f64(_mm_unpackhi_pd(a, a)));
    };
    auto hi = [](__m128d a) {
        return std::max(_mm_cvtsd_f64(a), _mm_cvtsd_f64(_mm_unpackhi_pd(a, a)));
    };
    mn_y = lo(vmn_y), mx_y = hi(vmx_y), mn_x = lo(vmn_x), mx_x = hi(vmx_x);
    mn_d = lo(vmn_d), mx_d = hi(vmx_d), mn_s = lo(vmn_s), mx_s = hi(vmx_s);
#endif
    for (; i < n; ++i) {
        const double x = px[i], y = py[i], d = x - y, s = x + y;
        mn_y = std::min(mn_y, y), mx_y = std::max(mx_y, y), mn_x = std::min(mn_x, x),
        mx_x = std::max(mx_x, x);
        mn_d = std::min(mn_d, d), mx_d = std::max(mx_d, d), mn_s = std::min(mn_s, s),
        mx_s = std::max(mx_s, s);
    }
    v[0] = mn_y, v[1] = mx_d, v[2] = mx_x, v[3] = mx_s, v[4] = mx_y, v[5] = mn_d, v[6] = mn_x,
    v[7] = mn_s;
}

struct HullScratch {
    std::vector<double> score;
    std::vector<Pt> pts;
    std::vector<Pt> hull;
};

// Convex hull area of the n points (px[i], py[i]) (finite, translated near the origin). From 24
// points on, the Akl-Toussaint heuristic first drops the points inside the octagon spanned by the
// extreme points in the 8 directions x, y, x+y, x-y (they cannot change the hull; dropping a
// point within rounding of an octagon edge changes the area by rounding only).
double hull_area_xy(const double* px, const double* py, std::size_t n, HullScratch& s) {
    if (n < 3) return 0.0;
    if (s.pts.size() < n + 8) {
        s.pts.resize(n + 8);
        s.hull.resize(2 * (n + 8));
        s.score.resize(n + 8);
    }
    Pt* p = s.pts.data();
    std::size_t m = 0;
    if (n < 24) {
        for (std::size_t i = 0; i < n; ++i) p[i] = Pt{px[i], py[i]};
        m = n;
    } else {
        double v[8];
        direction_extremes(px, py, n, v);
        Pt poly[8];
        for (int k = 0; k < 8; ++k) {
            const std::size_t i = first_with_value(px, py, n, k, v[k]);
            poly[k] = Pt{px[i], py[i]};
        }
        double A[8], B[8], C[8];
        for (int k = 0; k < 8; ++k) {
            const Pt a = poly[k], b = poly[(k + 1) & 7];
            const double ex = b.x - a.x, ey = b.y - a.y;
            A[k] = -ey, B[k] = ex, C[k] = ey * a.x - ex * a.y;
        }
        octagon_scores(px, py, n, A, B, C, s.score.data());
        const double* score = s.score.data();
        for (std::size_t i = 0; i < n; ++i) {
            p[m] = Pt{px[i], py[i]};
            m += score[i] < 0.0 ? 1 : 0;
        }
        for (int k = 0; k < 8; ++k) p[m++] = poly[k];
    }
    return chain_area(p, m, s.hull.data());
}

struct Scratch {
    HullScratch hull;
    std::vector<double> px, py;
    std::vector<double> cosv;
    std::vector<double> hav;
};

// Computes route r. Returns false when a per-stop value is invalid (the caller then reports the
// precise error from a serial re-scan of that route).
bool compute_route(const BatchInput& in, const BatchOutput& out, std::size_t r, Scratch& s) {
    const std::size_t b = static_cast<std::size_t>(in.offsets[r]);
    const std::size_t e = static_cast<std::size_t>(in.offsets[r + 1]);
    const std::size_t n = e - b;
    const double* x = in.x;
    const double* y = in.y;
    bool ok = true;

    const double packages =
        in.packages ? sum4_nonneg(in.packages + b, n, ok) : static_cast<double>(n);
    const double service = in.service_s ? sum4_nonneg(in.service_s + b, n, ok) : 0.0;

    // Distances (user units: planar units or great-circle km), before circuity.
    double intra = 0.0, line_haul = 0.0;
    const bool has_depot = in.depot_count > 0 && n > 0;
    const std::size_t dr = in.depot_count == 1 ? 0 : r;
    if (n > 0) {
        if (!in.geographic) {
            ok &= std::isfinite(x[b]) && std::isfinite(y[b]);
            if (s.hav.size() < n) s.hav.resize(n);
            planar_sq_edges(x + b, y + b, n, s.hav.data());
            sqrt_inplace(s.hav.data(), n - 1);
            intra = sum4(s.hav.data(), n - 1);
            // A finite first stop and a finite sum imply every stop is finite.
            ok &= std::isfinite(intra);
            if (has_depot) {
                const double ax = x[b] - in.depot_x[dr], ay = y[b] - in.depot_y[dr];
                const double bx = x[e - 1] - in.depot_x[dr], by = y[e - 1] - in.depot_y[dr];
                line_haul = std::sqrt(ax * ax + ay * ay) + std::sqrt(bx * bx + by * by);
            }
        } else {
            double lat_prev = y[b] * kDegToRad;
            const CosNear cos_near(lat_prev);
            double cos_prev = cos_near.c0;
            ok &= std::fabs(x[b]) <= 180.0 && std::fabs(y[b]) <= 90.0;
            const double lat_first = lat_prev, cos_first = cos_prev;
            double angle = 0.0;
            if (s.cosv.size() < n) {
                s.cosv.resize(n);
                s.hav.resize(n);
            }
            if (path_angle_fast(x + b, y + b, n, s.cosv.data(), s.hav.data(), angle)) {
                lat_prev = y[e - 1] * kDegToRad;
                cos_prev = s.cosv[n - 1];
            } else {
                for (std::size_t i = b + 1; i < e; ++i) {
                    ok &= std::fabs(x[i]) <= 180.0 && std::fabs(y[i]) <= 90.0;
                    const double lat = y[i] * kDegToRad;
                    const double c = cos_near(lat);
                    angle += central_angle(lat_prev, cos_prev, lat, c, x[i] - x[i - 1]);
                    lat_prev = lat;
                    cos_prev = c;
                }
            }
            intra = angle * kEarthRadiusKm;
            if (has_depot) {
                const double dlat = in.depot_y[dr] * kDegToRad, dcos = std::cos(dlat);
                line_haul =
                    (central_angle(dlat, dcos, lat_first, cos_first, x[b] - in.depot_x[dr]) +
                     central_angle(lat_prev, cos_prev, dlat, dcos, in.depot_x[dr] - x[e - 1])) *
                    kEarthRadiusKm;
            }
        }
    }
    intra *= in.circuity;
    line_haul *= in.circuity;
    const double total = intra + line_haul;

    double area = kNaN;
    if (in.hull) {
        area = 0.0;
        if (n >= 3 && ok) {
            if (s.px.size() < n) {
                s.px.resize(n);
                s.py.resize(n);
            }
            double* px = s.px.data();
            double* py = s.py.data();
            const double x0 = x[b], y0 = y[b];
            if (!in.geographic) {
                for (std::size_t i = 0; i < n; ++i) px[i] = x[b + i] - x0, py[i] = y[b + i] - y0;
                area = hull_area_xy(px, py, n, s.hull);
            } else {
                // Longitudes relative to the first stop, wrapped to [-180, 180] so routes across
                // the antimeridian stay contiguous; the projection scale is cos(mean latitude).
                double lat_sum = 0.0;
                for (std::size_t i = 0; i < n; ++i) {
                    double dlon = x[b + i] - x0;
                    if (dlon > 180.0)
                        dlon -= 360.0;
                    else if (dlon < -180.0)
                        dlon += 360.0;
                    px[i] = dlon;
                    py[i] = y[b + i] - y0;
                    lat_sum += y[b + i];
                }
                const double lat_c = lat_sum / static_cast<double>(n) * kDegToRad;
                const double k = kEarthRadiusKm * kDegToRad;
                area = hull_area_xy(px, py, n, s.hull) * std::cos(lat_c) * k * k;
            }
        }
    }

    double climb = 0.0;
    if (in.elevation_m && n > 0) {
        const double* z = in.elevation_m;
        for (std::size_t i = b; i < e; ++i) ok &= std::isfinite(z[i]);
        for (std::size_t i = b + 1; i < e; ++i) climb += std::max(0.0, z[i] - z[i - 1]);
        if (in.depot_elevation_count > 0) {
            const double zd = in.depot_elevation_m[in.depot_elevation_count == 1 ? 0 : r];
            climb += std::max(0.0, z[b] - zd) + std::max(0.0, zd - z[e - 1]);
        }
    }

    if (in.demand) {
        const std::size_t dims = in.dims;
        double* load = out.load + r * dims;
        for (std::size_t d = 0; d < dims; ++d) load[d] = 0.0;
        for (std::size_t i = b; i < e; ++i) {
            const double* row = in.demand + i * dims;
            for (std::size_t d = 0; d < dims; ++d) {
                ok &= nonneg_finite(row[d]);
                load[d] += row[d];
            }
        }
        if (in.capacity && out.load_factor) {
            const double* cap = in.capacity + (in.capacity_rows == 1 ? 0 : r) * dims;
            for (std::size_t d = 0; d < dims; ++d) out.load_factor[r * dims + d] = load[d] / cap[d];
        }
    }

    const double speed = in.speed_kmh[in.speed_count == 1 ? 0 : r];
    const double total_km = in.geographic ? total : total * in.unit_km;
    const double drive = total_km / speed * 3600.0;  // speed = +inf gives 0

    out.n_stops[r] = static_cast<std::int64_t>(n);
    out.packages[r] = packages;
    out.total_distance[r] = total;
    out.line_haul_distance[r] = line_haul;
    out.intra_route_distance[r] = intra;
    out.drive_time_s[r] = drive;
    out.service_time_s[r] = service;
    out.duration_s[r] = drive + service;
    out.hull_area[r] = area;
    out.stops_per_km2[r] = (in.hull && area > 0.0) ? static_cast<double>(n) / area : kNaN;
    out.stops_per_intra_km[r] = intra > 0.0 ? static_cast<double>(n) / intra : kNaN;
    out.mean_inter_stop_distance[r] = n >= 2 ? intra / static_cast<double>(n - 1) : kNaN;
    if (out.climb_m) out.climb_m[r] = in.elevation_m ? climb : kNaN;
    if (in.geographic || has_depot) ok &= std::isfinite(total);
    return ok;
}

// Serial re-scan of a route flagged invalid: throws the InputError for its first bad value.
[[noreturn]] void report_route(const BatchInput& in, std::size_t r) {
    const std::size_t b = static_cast<std::size_t>(in.offsets[r]);
    const std::size_t e = static_cast<std::size_t>(in.offsets[r + 1]);
    auto where = [&](std::size_t i) {
        return cat("stop ", i, " (route ", r, ", position ", i - b, ")");
    };
    for (std::size_t i = b; i < e; ++i) {
        if (!std::isfinite(in.x[i]))
            throw InputError(cat("x: ", where(i), " is not finite (", in.x[i], ")"));
        if (!std::isfinite(in.y[i]))
            throw InputError(cat("y: ", where(i), " is not finite (", in.y[i], ")"));
        if (in.geographic && std::fabs(in.x[i]) > 180.0)
            throw InputError(
                cat("x: ", where(i), " longitude ", in.x[i], " is outside [-180, 180]"));
        if (in.geographic && std::fabs(in.y[i]) > 90.0)
            throw InputError(cat("y: ", where(i), " latitude ", in.y[i], " is outside [-90, 90]"));
        if (in.packages && !nonneg_finite(in.packages[i]))
            throw InputError(
                cat("packages: ", where(i), " must be finite and >= 0, got ", in.packages[i]));
        if (in.service_s && !nonneg_finite(in.service_s[i]))
            throw InputError(
                cat("service_s: ", where(i), " must be finite and >= 0, got ", in.service_s[i]));
        if (in.elevation_m && !std::isfinite(in.elevation_m[i]))
            throw InputError(
                cat("elevation_m: ", where(i), " is not finite (", in.elevation_m[i], ")"));
        for (std::size_t d = 0; in.demand && d < in.dims; ++d)
            if (!nonneg_finite(in.demand[i * in.dims + d]))
                throw InputError(cat("demand: ", where(i), " dimension ", d,
                                     " must be finite and >= 0, got ", in.demand[i * in.dims + d]));
    }
    throw InputError(
        cat("x: route ", r, " has a non-finite distance (coordinates too large to measure)"));
}

void validate_before(const BatchInput& in) {
    if (!in.offsets) throw InputError("offsets: missing");
    if (in.offsets[0] != 0) throw InputError(cat("offsets: must start at 0, got ", in.offsets[0]));
    for (std::size_t r = 0; r < in.num_routes; ++r)
        if (in.offsets[r + 1] < in.offsets[r])
            throw InputError(cat("offsets: not non-decreasing at route ", r, " (", in.offsets[r],
                                 " > ", in.offsets[r + 1], ")"));
    if (in.offsets[in.num_routes] != static_cast<std::int64_t>(in.num_stops))
        throw InputError(cat("offsets: must end at the number of stops ", in.num_stops, ", got ",
                             in.offsets[in.num_routes]));
    auto per_route = [&](std::size_t count, const char* name, bool allow_zero) {
        if ((count == 0 && !allow_zero) || (count > 1 && count != in.num_routes))
            throw InputError(cat(name, ": expected 1 or ", in.num_routes,
                                 " (one per route) values, got ", count));
    };
    per_route(in.depot_count, "depot", true);
    per_route(in.depot_elevation_count, "depot_elevation_m", true);
    per_route(in.speed_count, "speed_kmh", false);
    for (std::size_t i = 0; i < in.depot_count; ++i) {
        const double dx = in.depot_x[i], dy = in.depot_y[i];
        if (!std::isfinite(dx) || !std::isfinite(dy))
            throw InputError(cat("depot: entry ", i, " is not finite (", dx, ", ", dy, ")"));
        if (in.geographic && (std::fabs(dx) > 180.0 || std::fabs(dy) > 90.0))
            throw InputError(cat("depot: entry ", i, " is not a (lon, lat) pair in degrees (", dx,
                                 ", ", dy, ")"));
    }
    for (std::size_t i = 0; i < in.depot_elevation_count; ++i)
        if (!std::isfinite(in.depot_elevation_m[i]))
            throw InputError(cat("depot_elevation_m: entry ", i, " is not finite (",
                                 in.depot_elevation_m[i], ")"));
    for (std::size_t i = 0; i < in.speed_count; ++i)
        if (!(in.speed_kmh[i] > 0.0))
            throw InputError(cat("speed_kmh: entry ", i, " must be > 0, got ", in.speed_kmh[i]));
    if (!(in.circuity > 0.0) || !std::isfinite(in.circuity))
        throw InputError(cat("circuity: must be finite and > 0, got ", in.circuity));
    if (!(in.unit_km > 0.0) || !std::isfinite(in.unit_km))
        throw InputError(cat("unit_km: must be finite and > 0, got ", in.unit_km));
    if (in.capacity) {
        if (!in.demand)
            throw InputError("capacity: needs demand (per-stop loads) to compute load factors");
        if (in.capacity_rows != 1 && in.capacity_rows != in.num_routes)
            throw InputError(
                cat("capacity: expected 1 or ", in.num_routes, " rows, got ", in.capacity_rows));
        for (std::size_t i = 0; i < in.capacity_rows * in.dims; ++i)
            if (!nonneg_finite(in.capacity[i]))
                throw InputError(cat("capacity: row ", i / in.dims, " dimension ", i % in.dims,
                                     " must be finite and >= 0, got ", in.capacity[i]));
    }
    if (in.demand && in.dims == 0) throw InputError("demand: needs at least one dimension");
}

// First route of thread t's share when the work (stops + routes) is split into T equal parts.
std::size_t split_point(const BatchInput& in, std::size_t t, std::size_t T) {
    const long double total = static_cast<long double>(in.num_stops + in.num_routes);
    const long double target = total * static_cast<long double>(t) / static_cast<long double>(T);
    std::size_t lo = 0, hi = in.num_routes;  // first r with offsets[r] + r >= target
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (static_cast<long double>(in.offsets[mid]) + static_cast<long double>(mid) < target)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

}  // namespace

unsigned effective_threads(unsigned requested, std::size_t num_stops, std::size_t num_routes) {
    unsigned t = requested;
    if (t == 0) t = std::max(1u, std::thread::hardware_concurrency());
    // Below ~16k stops per thread the start-up cost of a thread outweighs its share.
    const std::size_t useful = (num_stops + num_routes) / 16384 + 1;
    if (t > useful) t = static_cast<unsigned>(useful);
    return std::max(1u, t);
}

void compute_batch(const BatchInput& in, const BatchOutput& out, unsigned threads) {
    validate_before(in);
    const unsigned T = effective_threads(threads, in.num_stops, in.num_routes);
    std::vector<std::size_t> bad(T, kNoRoute);
    std::vector<std::exception_ptr> errors(T);
    auto work = [&](unsigned t) {
        try {
            Scratch scratch;
            const std::size_t r0 = split_point(in, t, T), r1 = split_point(in, t + 1, T);
            for (std::size_t r = r0; r < r1; ++r) {
                if (!compute_route(in, out, r, scratch)) {
                    bad[t] = r;
                    return;
                }
            }
        } catch (...) {
            errors[t] = std::current_exception();
        }
    };
    if (T == 1) {
        work(0);
    } else {
        std::vector<std::thread> pool;
        pool.reserve(T - 1);
        for (unsigned t = 1; t < T; ++t) pool.emplace_back(work, t);
        work(0);
        for (auto& th : pool) th.join();
    }
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    const std::size_t first_bad = *std::min_element(bad.begin(), bad.end());
    if (first_bad != kNoRoute) report_route(in, first_bad);
}

double convex_hull_area(const double* x, const double* y, std::size_t n) {
    if (n < 3) return 0.0;
    std::vector<double> px(n), py(n);
    for (std::size_t i = 0; i < n; ++i) px[i] = x[i] - x[0], py[i] = y[i] - y[0];
    HullScratch s;
    return hull_area_xy(px.data(), py.data(), n, s);
}

}  // namespace lastmile::metrics
