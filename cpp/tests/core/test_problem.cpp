// Unit tests of the problem model and the C++ solution evaluation.
#include <doctest/doctest.h>

#include <cmath>

#include "core/errors.h"
#include "core/problem.h"
#include "core/solution.h"

using namespace lastmile;

namespace {
ProblemData small(DistanceKind kind = DistanceKind::euclidean_rounded,
                  std::size_t dense_limit = 4000, std::vector<Load> demand = {0, 3, 4, 5},
                  Load cap = 10) {
    VehicleType vt;
    vt.capacity = {cap};
    return ProblemData({0, 3, 6, 0}, {0, 4, 8, 1.4}, std::move(demand), 1, {0, 1, 1, 1}, {vt}, kind,
                       1.0, 1.0, {}, {}, {}, {}, 1.0, dense_limit);
}
}  // namespace

TEST_CASE("rounded_euclidean_distances_are_tsplib_nint") {
    auto d = small();
    CHECK(d.dist(0, 1) == 5);
    CHECK(d.dist(1, 2) == 5);
    CHECK(d.dist(0, 3) == 1);  // 1.4 rounds to 1
    CHECK(d.dist(2, 2) == 0);
}

TEST_CASE("dense_and_on_the_fly_distances_agree") {
    auto dense = small(DistanceKind::euclidean_rounded, 4000);
    auto lazy = small(DistanceKind::euclidean_rounded, 0);
    CHECK(dense.dense());
    CHECK(!lazy.dense());
    for (std::size_t i = 0; i < 4; ++i)
        for (std::size_t j = 0; j < 4; ++j) CHECK(dense.dist(i, j) == lazy.dist(i, j));
}

TEST_CASE("haversine_one_degree_of_latitude_is_about_111_km") {
    VehicleType vt;
    vt.capacity = {10};
    ProblemData d({4.0, 4.0}, {50.0, 51.0}, {0, 1}, 1, {0, 0}, {vt}, DistanceKind::haversine,
                  1000.0, 1.0, {}, {}, {}, {}, 1.0, 10);
    CHECK(std::abs(d.dist(0, 1) - 111195) <= 2);  // metres
}

TEST_CASE("solution_evaluates_distance_duration_load_and_cost") {
    auto d = small();
    Route r;
    r.visits = {1, 2};
    Solution s(d, {r});
    CHECK(s.distance() == 5 + 5 + 10);
    CHECK(s.routes()[0].duration == 20 + 2);
    CHECK(s.routes()[0].load[0] == 7);
    CHECK(!s.feasible());  // client 3 is missing
}

TEST_CASE("solution_reports_capacity_violation") {
    auto d = small();
    Route r;
    r.visits = {1, 2, 3};
    Solution s(d, {r});
    CHECK(s.violations().size() == 1);
}

TEST_CASE("solution_rejects_out_of_range_client") {
    auto d = small();
    Route r;
    r.visits = {1, 9};
    CHECK_THROWS_AS(Solution(d, {r}), IndexError);
}

TEST_CASE("problem_rejects_negative_demand_and_oversized_client") {
    CHECK_THROWS_AS(small(DistanceKind::euclidean_rounded, 4000, {0, -1, 4, 5}), InputError);
    CHECK_THROWS_AS(small(DistanceKind::euclidean_rounded, 4000, {0, 11, 4, 5}), InputError);
}
