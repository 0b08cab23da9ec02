// Every local-search operator with pickups (the load profile: capacity at every point of the
// route): predicted delta == the change recomputed by walking the load on board, on symmetric
// coordinates and on an asymmetric explicit matrix, with one and three load dimensions and with
// time windows.
#include <doctest/doctest.h>

#include "ls_fixture.h"
#include "search/operators/operator.h"

using namespace lastmile;

TEST_CASE("pickups: every operator's deltas match the walked load profile") {
    for (int op = 0; op < kNumLsOps; ++op) {
        if (op == kReload) continue;  // needs reload depots (tests/test_reload_search.py)
        CAPTURE(ls_op_name(op));
        const auto a = test::check_operator(op, 1, false, true);
        if (op != kChangeType) CHECK(a.coords + a.matrix > 0);
    }
}

TEST_CASE("pickups: deltas match with three load dimensions and with time windows") {
    for (int op : {kRelocate1, kRelocate2, kSwap11, kTwoOpt, kTwoOptStar, kSwapStar}) {
        CAPTURE(ls_op_name(op));
        const auto a = test::check_operator(op, 3, false, true);
        const auto b = test::check_operator(op, 1, true, true);
        CHECK(a.coords + a.matrix > 0);
        CHECK(b.coords + b.matrix > 0);
    }
}

TEST_CASE("pickups: the local search keeps the peak, not the delivery total, in capacity") {
    const auto data = test::make_instance(4, test::Geometry::coords, false, 30, 1, false, true);
    REQUIRE(data.has_pickups());
    const Neighbours nb(data, 10);
    LocalSearch ls(data, nb);
    Penalties p;
    p.load.assign(1, 1000.0);
    ls.set_penalties(p);
    ls.load(test::chunked_routes(data, 4, 3));
    Rng rng(4);
    ls.run(rng);
    CHECK(ls.load_feasible());
    for (const auto& r : ls.routes()) {
        if (r.visits.empty()) continue;
        Load on = 0, peak = 0;
        for (auto c : r.visits) on += data.demand(static_cast<std::size_t>(c), 0);
        peak = on;
        for (auto c : r.visits) {
            const auto cu = static_cast<std::size_t>(c);
            on += data.pickup(cu, 0) - data.demand(cu, 0);
            peak = std::max(peak, on);
        }
        CHECK(peak <= data.vehicle_type(0).capacity[0]);
    }
}
