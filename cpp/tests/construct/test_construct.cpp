// Unit tests of the construction heuristics (construct/construct.h): every client once, routes
// within capacity.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "construct/construct.h"

using namespace lastmile;

namespace {
ProblemData grid(int n, std::vector<VehicleType> types) {
    std::vector<double> x{50}, y{50};
    std::vector<Load> dem{0};
    std::vector<Duration> svc{0};
    for (int i = 1; i <= n; ++i) {
        x.push_back((i * 37) % 101), y.push_back((i * 53) % 97);
        dem.push_back(1 + (i * 7) % 9), svc.push_back(0);
    }
    return ProblemData(x, y, dem, 1, svc, std::move(types), DistanceKind::euclidean_rounded, 1.0,
                       1.0, {}, {}, {}, {}, 1.0, 4000);
}
VehicleType type(Load cap, double fixed) {
    VehicleType vt;
    vt.capacity = {cap};
    vt.fixed_cost = fixed;
    return vt;
}
void check_routes(const ProblemData& data, const std::vector<Route>& routes) {
    std::vector<int> seen(data.num_nodes(), 0);
    for (const auto& r : routes) {
        const auto& t = data.vehicle_type(r.vehicle_type);
        Load load = 0;
        for (auto c : r.visits) ++seen[c], load += data.demand(c, 0);
        CHECK(load <= t.capacity[0]);
    }
    for (std::size_t c = 1; c < data.num_nodes(); ++c) CHECK(seen[c] == 1);
    CHECK(Solution(data, routes).feasible());
}
}  // namespace

TEST_CASE("constructions_visit_every_client_once_within_capacity") {
    const auto data = grid(60, {type(25, 0)});
    check_routes(data, savings_routes(data));
    check_routes(data, sweep_routes(data));
    check_routes(data, nearest_neighbour_routes(data));
}

TEST_CASE("assign_vehicle_types_picks_the_cheapest_type_that_fits") {
    const auto data = grid(40, {type(40, 100.0), type(15, 10.0)});
    auto routes = savings_routes(data);
    check_routes(data, routes);
    for (const auto& r : routes) {
        Load load = 0;
        for (auto c : r.visits) load += data.demand(c, 0);
        if (load <= 15) CHECK(r.vehicle_type == 1);
    }
}
