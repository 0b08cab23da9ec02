// Great-circle path lengths for the batch metrics kernel: the haversine formula of core/geo.h fed
// with Taylor-polynomial sines, cosines and arcsines where they are exact to double precision
// (short last-mile edges), and a vectorised fast path over a whole stop sequence.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstddef>

#include "core/geo.h"
#include "core/units.h"

namespace lastmile::metrics::detail {

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
    const double s2 = sin_fast(0.5 * dlon_deg * units::kDegToRad);
    const double a = geo::haversine_term(s1, s2, cos1, cos2);
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
bool path_angle_fast(const double* x, const double* y, std::size_t n, double* cosv, double* hav,
                     double& angle);

}  // namespace lastmile::metrics::detail
