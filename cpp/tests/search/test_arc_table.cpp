// The weighted arc-cost table of the local search (search/arc_table.h): every entry equals
// arc_cost(), types with the same weights share a matrix, and the local search that reads it
// (with the skip of unchanged empty-route moves) still finds a move that new weights make
// improving.
#include <doctest/doctest.h>

#include "ls_fixture.h"
#include "search/arc_table.h"
#include "search/penalties.h"

using namespace lastmile;

TEST_CASE("arc_table: entries equal arc_cost for every type (coordinates and matrix)") {
    for (auto g : {test::Geometry::coords, test::Geometry::asymmetric_matrix}) {
        const auto data = test::make_instance(3, g, true);
        REQUIRE(data.num_vehicle_types() == 2);
        const ArcTable t(data);
        const std::size_t n = data.num_nodes();
        REQUIRE(t.stride() == n);
        for (std::size_t k = 0; k < 2; ++k) {
            const double* m = t.matrix(static_cast<int>(k));
            REQUIRE(m != nullptr);
            const auto& vt = data.vehicle_type(k);
            for (std::size_t i = 0; i < n; ++i)
                for (std::size_t j = 0; j < n; ++j)
                    CHECK(m[i * n + j] ==
                          arc_cost(data, vt, static_cast<int>(i), static_cast<int>(j)));
        }
        // The two types price arcs differently (the second also prices duration).
        CHECK(t.matrix(0) != t.matrix(1));
    }
}

TEST_CASE("arc_table: types with equal weights share one matrix") {
    const std::size_t m = 3;
    std::vector<VehicleType> types(2);
    types[0].capacity = {10};
    types[1].capacity = {20};  // other capacity and fleet, same arc weights
    types[1].num_available = 2;
    const ProblemData data({0, 1, 2}, {0, 1, 0}, std::vector<Load>(m, 1), 1,
                           std::vector<Duration>(m, 0), types, DistanceKind::euclidean, 1.0, 1.0,
                           {}, {}, {}, {}, 1.0, 4000);
    const ArcTable t(data);
    REQUIRE(t.matrix(0) != nullptr);
    CHECK(t.matrix(0) == t.matrix(1));
}

TEST_CASE("local search: a move into an empty route made improving by new weights is applied") {
    // Two clients of demand 6 on one route with capacity 10: with a tiny load weight the route
    // stays (splitting costs extra distance); with a large one, moving a client into an empty
    // route pays. The second run starts from the first run's local optimum, where the
    // empty-route moves of both clients were already tested (and rejected) with the old weights.
    const std::size_t m = 3;
    std::vector<VehicleType> types(1);
    types[0].capacity = {10};
    const ProblemData data({0, 10, 11}, {0, 0, 0}, {0, 6, 6}, 1, std::vector<Duration>(m, 0), types,
                           DistanceKind::euclidean, 1.0, 1.0, {}, {}, {}, {}, 1.0, 4000);
    const Neighbours nb(data, 5);
    LocalSearch ls(data, nb);
    Penalties low;
    low.load = {0.001};
    ls.set_penalties(low);
    Route r;
    r.visits = {1, 2};
    ls.load({r});
    Rng rng(1);
    ls.run(rng);
    REQUIRE(ls.routes().size() == 1);
    CHECK_FALSE(ls.load_feasible());
    Penalties high = low;
    high.load = {1000.0};
    ls.set_penalties(high);
    ls.run(rng);
    CHECK(ls.routes().size() == 2);
    CHECK(ls.load_feasible());
    CHECK(ls.penalised_cost() == doctest::Approx(ls.recompute_penalised_cost()));
}
