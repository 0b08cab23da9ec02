// Operator change_type (move a route's content to an empty vehicle of another type): predicted
// delta == independently recomputed change, on coordinates and an asymmetric matrix, and the
// fleet counts of limited types hold.
#include <doctest/doctest.h>

#include "ls_fixture.h"
#include "search/operators/change_type.h"

using namespace lastmile;

TEST_CASE("change_type: deltas match recomputed cost (coordinates and asymmetric matrix)") {
    const auto a = test::check_operator(kChangeType);
    CHECK(a.coords + a.matrix > 0);  // the second type's routes move to the cheaper type
}

TEST_CASE("change_type: a single-type fleet has no move") {
    const auto data = test::make_instance(1, test::Geometry::coords, false);
    CHECK(test::check_operator_deltas(kChangeType, data, 1) == 0);
}

TEST_CASE("change_type: a route moves to the cheaper type and fleet counts hold") {
    for (auto g : {test::Geometry::coords, test::Geometry::asymmetric_matrix}) {
        const auto data = test::make_instance(2, g, true);
        const Neighbours nb(data, 10);
        LocalSearch ls(data, nb);
        auto routes = test::chunked_routes(data, 2);
        for (auto& r : routes) r.vehicle_type = 1;  // 3 slots of type 1: the rest go to type 0
        ls.load(routes);
        int before = 0;
        for (const auto& r : ls.routes()) before += r.vehicle_type == 1;
        CHECK(before == 3);
        Rng rng(2);
        CHECK(ls.improve_once(kChangeType, rng) < 0);
        int after = 0;
        for (const auto& r : ls.routes()) after += r.vehicle_type == 1;
        CHECK(after == 2);
        ls.run(rng);
        int used = 0;
        for (const auto& r : ls.routes()) used += r.vehicle_type == 1;
        CHECK(used <= 3);
        CHECK(test::visits_every_client_once(data, ls.routes()));
    }
}

TEST_CASE(
    "change_type: ChangeType deltas match with time windows (time warp, waiting, release, shift)") {
    const auto a = test::check_operator(kChangeType, 1, true);
    CHECK(a.coords + a.matrix > 0);
}
