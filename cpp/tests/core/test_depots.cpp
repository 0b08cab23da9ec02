// Several depots in the problem model: node layout (depots 1..D-1 after the clients), the
// per-type start/end depots, their validation and the Solution evaluation of the depot legs.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/errors.h"
#include "core/problem.h"
#include "core/solution.h"

using namespace lastmile;

namespace {
// Depot 0 at (0, 0), clients 1..3, depot 1 at (10, 0) (node 4).
ProblemData two_depots(std::vector<VehicleType> types, std::vector<Load> demand = {0, 1, 1, 1, 0},
                       std::vector<Duration> service = {0, 1, 1, 1, 0}, TimeData time = {}) {
    return ProblemData({0, 9, 9, 1, 10}, {0, 0, 3, 0, 0}, std::move(demand), 1, std::move(service),
                       std::move(types), DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {}, {}, {},
                       1.0, 4000, std::move(time), 2);
}
VehicleType type_at(std::size_t start, std::size_t end) {
    VehicleType t;
    t.capacity = {10};
    t.start_depot = start, t.end_depot = end;
    return t;
}
}  // namespace

TEST_CASE("depots: layout and depot nodes") {
    const auto d = two_depots({type_at(0, 0), type_at(1, 1), type_at(1, 0)});
    CHECK(d.num_nodes() == 5);
    CHECK(d.num_clients() == 3);
    CHECK(d.num_depots() == 2);
    CHECK(d.multi_depot());
    CHECK(d.depot_node(0) == 0);
    CHECK(d.depot_node(1) == 4);
    CHECK(d.is_depot(4));
    CHECK_FALSE(d.is_depot(3));
    CHECK(d.start_node(1) == 4);
    CHECK(d.end_node(2) == 0);
}

TEST_CASE("depots: the default is today's single depot") {
    VehicleType t;
    t.capacity = {10};
    const ProblemData d({0, 3, 6}, {0, 4, 8}, {0, 1, 1}, 1, {0, 0, 0}, {t},
                        DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {}, {}, {}, 1.0, 4000);
    CHECK(d.num_depots() == 1);
    CHECK(d.num_clients() == 2);
    CHECK(d.start_node(0) == 0);
    CHECK(d.end_node(0) == 0);
}

TEST_CASE("depots: Solution uses the start and end depot of the route's type") {
    const auto d = two_depots({type_at(0, 0), type_at(1, 1), type_at(1, 0)});
    Route r;
    r.visits = {1, 2};
    r.vehicle_type = 1;  // 4 -> (9,0) -> (9,3) -> 4: 1 + 3 + 3 (rounded 3.16)
    const Solution s1(d, {r});
    CHECK(s1.routes()[0].distance == 7);
    r.vehicle_type = 2;  // 4 -> 1 -> 2 -> 0: 1 + 3 + 9
    const Solution s2(d, {r});
    CHECK(s2.routes()[0].distance == 13);
    CHECK(s2.routes()[0].duration == 13 + 2);
}

TEST_CASE("depots: a depot index that does not exist is refused") {
    CHECK_THROWS_WITH_AS(two_depots({type_at(0, 2)}),
                         "vehicle_types[0].end_depot: depot 2 does not exist (2 depot(s))",
                         InputError);
    CHECK_THROWS_WITH_AS(two_depots({type_at(0, 0), type_at(5, 0)}),
                         "vehicle_types[1].start_depot: depot 5 does not exist (2 depot(s))",
                         InputError);
}

TEST_CASE("depots: a depot carries no demand, service or release") {
    CHECK_THROWS_AS(two_depots({type_at(0, 0)}, {0, 1, 1, 1, 2}), InputError);
    CHECK_THROWS_AS(two_depots({type_at(0, 0)}, {0, 1, 1, 1, 0}, {0, 1, 1, 1, 5}), InputError);
    TimeData t;
    t.release = {0, 0, 0, 0, 3};
    CHECK_THROWS_AS(two_depots({type_at(0, 0)}, {0, 1, 1, 1, 0}, {0, 1, 1, 1, 0}, t), InputError);
    // Too few nodes for the depots.
    CHECK_THROWS_AS(
        ProblemData({0, 1}, {0, 0}, {0, 1}, 1, {0, 0}, {type_at(0, 0)},
                    DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {}, {}, {}, 1.0, 4000, {}, 2),
        InputError);
}

TEST_CASE("depots: windows of the start and end depot") {
    TimeData t;
    t.early = {0, 0, 0, 0, 50};  // depot 1 opens at 50, closes at 70
    t.late = {1000, 1000, 1000, 1000, 70};
    const auto d = two_depots({type_at(0, 0), type_at(1, 0)}, {0, 1, 1, 1, 0}, {0, 1, 1, 1, 0}, t);
    CHECK(d.has_time_windows());
    CHECK(d.start_seg(1).early == 50);
    CHECK(d.start_seg(1).late == 70);
    CHECK(d.end_seg(1).late == 1000);
    Route r;
    r.visits = {1, 2, 3};
    r.vehicle_type = 1;  // leaves depot 1 in [50, 70], back at depot 0
    const Solution s(d, {r});
    INFO((s.violations().empty() ? std::string() : s.violations()[0]));
    CHECK(s.feasible());
    CHECK(s.routes()[0].start_time >= 50);
    // A client only reachable from depot 0 in time: the type at depot 1 opens too late.
    TimeData late = t;
    late.late[3] = 5;
    CHECK_THROWS_AS(two_depots({type_at(1, 1)}, {0, 1, 1, 1, 0}, {0, 1, 1, 1, 0}, late),
                    InputError);
    CHECK_NOTHROW(
        two_depots({type_at(1, 1), type_at(0, 0)}, {0, 1, 1, 1, 0}, {0, 1, 1, 1, 0}, late));
}
