// Unit tests of metrics/hull.h: the monotone chain alone (< 24 points) and behind the octagon
// filter (>= 24 points), against areas known in closed form.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/units.h"
#include "metrics/hull.h"

using namespace lastmile;

TEST_CASE("hull_of_a_square_with_inner_and_duplicate_points") {
    const std::vector<double> x = {0, 2, 2, 0, 1, 0.5, 2, 1.5};
    const std::vector<double> y = {0, 0, 2, 2, 1, 1.5, 2, 0.1};
    CHECK(metrics::convex_hull_area(x.data(), y.data(), x.size()) == doctest::Approx(4.0));
    CHECK(metrics::convex_hull_area(x.data(), y.data(), 2) == 0.0);
    const std::vector<double> cx = {0, 1, 2, 3}, cy = {0, 1, 2, 3};  // collinear
    CHECK(metrics::convex_hull_area(cx.data(), cy.data(), 4) == 0.0);
}

TEST_CASE("hull_with_the_octagon_filter_is_the_inscribed_polygon") {
    // 40 vertices of a regular polygon (radius 3, centred at (5, -2)) and 500 points inside.
    const int k = 40;
    std::vector<double> x, y;
    std::mt19937 rng(2);
    std::uniform_real_distribution<double> u(-1.0, 1.0);
    for (int i = 0; i < 500; ++i) {
        x.push_back(5.0 + 2.0 * u(rng));
        y.push_back(-2.0 + 2.0 * u(rng));
        if (i % 12 == 0) {
            const double t = 2.0 * units::kPi * (i / 12) / k;
            x.push_back(5.0 + 3.0 * std::cos(t));
            y.push_back(-2.0 + 3.0 * std::sin(t));
        }
    }
    REQUIRE(x.size() == 500 + 42);  // i = 0, 12, ..., 492: 42 vertices, two repeat
    const double expected = 0.5 * k * 9.0 * std::sin(2.0 * units::kPi / k);
    CHECK(metrics::convex_hull_area(x.data(), y.data(), x.size()) ==
          doctest::Approx(expected).epsilon(1e-12));
}
