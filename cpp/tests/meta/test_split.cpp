// Unit tests of Split (meta/split.h): every client once, capacities respected when possible.
#include <doctest/doctest.h>

#include <algorithm>

#include "meta/split.h"

using namespace lastmile;

namespace {
ProblemData ring(int n, Load cap, std::int64_t available = kUnlimited) {
    VehicleType vt;
    vt.capacity = {cap};
    vt.num_available = available;
    std::vector<double> x{0}, y{0};
    std::vector<Load> dem{0};
    std::vector<Duration> svc{0};
    for (int i = 1; i <= n; ++i) {
        x.push_back(100.0 * std::cos(0.3 * i)), y.push_back(100.0 * std::sin(0.3 * i));
        dem.push_back(1 + i % 4), svc.push_back(0);
    }
    return ProblemData(x, y, dem, 1, svc, {vt}, DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {},
                       {}, {}, 1.0, 4000);
}
Penalties heavy() {
    Penalties p;
    p.load = {1e6};
    return p;
}
}  // namespace

TEST_CASE("split_keeps_the_tour_order_visits_every_client_once_and_respects_capacity") {
    const auto data = ring(20, 10);
    std::vector<std::int32_t> tour;
    for (int i = 20; i >= 1; --i) tour.push_back(i);
    const auto routes = split_giant_tour(data, tour, heavy());
    std::vector<std::int32_t> flat;
    for (const auto& r : routes) {
        Load load = 0;
        for (auto c : r.visits) load += data.demand(c, 0), flat.push_back(c);
        CHECK(load <= 10);
        CHECK(!r.visits.empty());
    }
    CHECK(flat == tour);
    const Solution s(data, routes);
    CHECK(s.feasible());
}

TEST_CASE("split_with_a_limited_fleet_uses_at_most_the_available_vehicles") {
    // 20 clients of total demand 49 with 5 vehicles of 12: an unconstrained split would use more.
    const auto data = ring(20, 12, 5);
    std::vector<std::int32_t> tour;
    for (int i = 1; i <= 20; ++i) tour.push_back(i);
    Penalties light;
    light.load = {1e-3};
    const auto routes = split_giant_tour(data, tour, light);
    CHECK(routes.size() <= 5);
    std::size_t visits = 0;
    for (const auto& r : routes) visits += r.visits.size();
    CHECK(visits == 20);
}
