// Convex hull areas (see hull.h).
#include "metrics/hull.h"

#include <algorithm>
#include <cmath>

#include "metrics/simd.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lastmile::metrics {
namespace detail {
namespace {

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

}  // namespace

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

}  // namespace detail

double convex_hull_area(const double* x, const double* y, std::size_t n) {
    if (n < 3) return 0.0;
    std::vector<double> px(n), py(n);
    for (std::size_t i = 0; i < n; ++i) px[i] = x[i] - x[0], py[i] = y[i] - y[0];
    detail::HullScratch s;
    return detail::hull_area_xy(px.data(), py.data(), n, s);
}

}  // namespace lastmile::metrics
