// The vectorised fast path of great-circle path lengths (see geodesy.h).
#include "metrics/geodesy.h"

#include <cmath>

#include "metrics/simd.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lastmile::metrics::detail {
namespace {

LASTMILE_SIMD_CLONES
void cos_lat_poly(const double* __restrict y, std::size_t n, double lat0, double s0, double c0,
                  double* __restrict cosv) {
    for (std::size_t i = 0; i < n; ++i) {
        const double d = y[i] * units::kDegToRad - lat0;
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
        const double s1 = sin_poly(0.5 * (y[i] * units::kDegToRad - y[i - 1] * units::kDegToRad));
        const double s2 = sin_poly(0.5 * (x[i] - x[i - 1]) * units::kDegToRad);
        hav[i] = geo::haversine_term(s1, s2, cosv[i - 1], cosv[i]);
    }
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

}  // namespace

bool path_angle_fast(const double* x, const double* y, std::size_t n, double* cosv, double* hav,
                     double& angle) {
    const double lat0 = y[0] * units::kDegToRad;
    cos_lat_poly(y, n, lat0, std::sin(lat0), std::cos(lat0), cosv);
    haversine_poly(x, y, n, cosv, hav);
    sqrt_inplace(hav + 1, n - 1);
    if (!fast_path_valid(x, y, hav, n)) return false;
    asin_poly_inplace(hav + 1, n - 1);
    angle = 2.0 * sum4(hav + 1, n - 1);
    return true;
}

}  // namespace lastmile::metrics::detail
