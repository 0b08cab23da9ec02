// Unit tests of metrics/geodesy.h: the polynomial haversine paths against core/geo.h.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/geo.h"
#include "core/units.h"
#include "metrics/geodesy.h"

using namespace lastmile;
using namespace lastmile::metrics::detail;

namespace {
double exact_angle(const std::vector<double>& x, const std::vector<double>& y) {
    double a = 0.0;
    for (std::size_t i = 1; i < x.size(); ++i)
        a += geo::central_angle(x[i - 1], y[i - 1], x[i], y[i]);
    return a;
}
}  // namespace

TEST_CASE("fast_path_matches_the_exact_haversine_on_a_city_route") {
    std::mt19937 rng(4);
    std::uniform_real_distribution<double> u(-0.05, 0.05);
    std::vector<double> x(300), y(300);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 13.4 + u(rng), y[i] = 52.5 + u(rng);
    std::vector<double> cosv(x.size()), hav(x.size());
    double angle = -1.0;
    REQUIRE(path_angle_fast(x.data(), y.data(), x.size(), cosv.data(), hav.data(), angle));
    CHECK(angle == doctest::Approx(exact_angle(x, y)).epsilon(1e-12));
    for (std::size_t i = 0; i < x.size(); ++i)
        CHECK(cosv[i] == doctest::Approx(std::cos(y[i] * units::kDegToRad)).epsilon(1e-14));
}

TEST_CASE("fast_path_declines_long_edges_and_bad_coordinates") {
    std::vector<double> x = {0.0, 3.0, 3.1}, y = {10.0, 10.0, 10.1};  // a 3-degree edge
    std::vector<double> cosv(3), hav(3);
    double angle = 0.0;
    CHECK(!path_angle_fast(x.data(), y.data(), 3, cosv.data(), hav.data(), angle));
    x = {0.0, 0.01, 0.02}, y = {10.0, 91.0, 10.0};  // latitude out of range
    CHECK(!path_angle_fast(x.data(), y.data(), 3, cosv.data(), hav.data(), angle));
}

TEST_CASE("scalar_central_angle_matches_core_geo_short_and_long") {
    const double pts[][4] = {{13.4, 52.5, 13.41, 52.51},
                             {13.4, 52.5, -74.0, 40.7},
                             {0.0, 0.0, 179.0, 0.5},
                             {-97.7, 30.4, -97.7001, 30.4002}};
    for (const auto& p : pts) {
        const double la1 = p[1] * units::kDegToRad, la2 = p[3] * units::kDegToRad;
        const double a = central_angle(la1, std::cos(la1), la2, std::cos(la2), p[2] - p[0]);
        CHECK(a == doctest::Approx(geo::central_angle(p[0], p[1], p[2], p[3])).epsilon(1e-13));
    }
}
