// Split with several depots: a route's cost uses the depots of the type it is given, so each
// part of the tour goes to the type based next to it (and Solution agrees on the cost).
#include <doctest/doctest.h>

#include <vector>

#include "core/solution.h"
#include "meta/split.h"

using namespace lastmile;

TEST_CASE("split: several depots, each route gets the type of the nearest depot") {
    // Depot 0 at x = 0, depot 1 (node 7) at x = 1000; clients 1..3 near x = 0, 4..6 near 1000.
    std::vector<double> x{0, 10, 20, 30, 990, 980, 970, 1000}, y(8, 0.0);
    std::vector<Load> dem{0, 1, 1, 1, 1, 1, 1, 0};
    std::vector<Duration> svc(8, 0);
    std::vector<VehicleType> types(2);
    for (auto& t : types) t.capacity = {3}, t.num_available = 2;
    types[1].start_depot = types[1].end_depot = 1;
    const ProblemData data(x, y, dem, 1, svc, types, DistanceKind::euclidean_rounded, 1.0, 1.0, {},
                           {}, {}, {}, 1.0, 4000, {}, 2);
    Penalties p;
    p.load = {1e6};
    const auto routes = split_giant_tour(data, {1, 2, 3, 6, 5, 4}, p);
    REQUIRE(routes.size() == 2);
    CHECK(routes[0].vehicle_type == 0);
    CHECK(routes[1].vehicle_type == 1);
    const Solution s(data, routes);
    CHECK(s.feasible());
    CHECK(s.distance() == 60 + 60);
}
