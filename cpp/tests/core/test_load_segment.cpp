// Unit tests of the load-profile segment algebra (core/load_segment.h), the route helpers of
// core/route_load.h, ProblemData's pickup validation and Solution's pickup_load violation.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "core/errors.h"
#include "core/load_segment.h"
#include "core/problem.h"
#include "core/route_load.h"
#include "core/solution.h"

using namespace lastmile;

namespace {

/// The peak load of a visit sequence by walking it: start with every delivery on board.
Load walk_peak(const std::vector<Load>& del, const std::vector<Load>& pick) {
    Load load = 0;
    for (auto d : del) load += d;
    Load peak = load;
    for (std::size_t i = 0; i < del.size(); ++i) {
        load += pick[i] - del[i];
        peak = std::max(peak, load);
    }
    return peak;
}

LoadSeg fold(const std::vector<Load>& del, const std::vector<Load>& pick, std::size_t lo,
             std::size_t hi) {
    LoadSeg s;
    for (std::size_t i = lo; i < hi; ++i) s = LoadSeg::merge(s, LoadSeg::visit(del[i], pick[i]));
    return s;
}

// Depot (0, 0) and four clients on a line; capacity 10.
ProblemData four(std::vector<Load> pickup, Load cap = 10) {
    VehicleType vt;
    vt.capacity = {cap};
    return ProblemData({0, 1, 2, 3, 4}, {0, 0, 0, 0, 0}, {0, 6, 4, 0, 0}, 1, {0, 0, 0, 0, 0}, {vt},
                       DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {}, {}, {}, 1.0, 4000, {}, 1,
                       std::move(pickup));
}

Route route(std::vector<std::int32_t> visits) {
    Route r;
    r.visits = std::move(visits);
    return r;
}

}  // namespace

TEST_CASE("load segment: a visit and the identity") {
    const LoadSeg v = LoadSeg::visit(3, 5);
    CHECK(v.delivery == 3);
    CHECK(v.pickup == 5);
    CHECK(v.peak == 5);
    const LoadSeg a = LoadSeg::merge(LoadSeg{}, v), b = LoadSeg::merge(v, LoadSeg{});
    CHECK(a.peak == v.peak);
    CHECK(b.peak == v.peak);
    CHECK(a.delivery == 3);
    CHECK(b.pickup == 5);
    CHECK(v.excess(4) == 1);
    CHECK(v.excess(5) == 0);
}

TEST_CASE("load segment: deliveries before pickups vs pickups first") {
    // deliver 6, deliver 4, pick up 7, pick up 3 with capacity 10: the load is 10, 4, 0, 7, 10.
    const std::vector<Load> del{6, 4, 0, 0}, pick{0, 0, 7, 3};
    CHECK(fold(del, pick, 0, 4).peak == 10);
    // picking 7 up first while 10 are still on board peaks at 17.
    const std::vector<Load> del2{0, 6, 4, 0}, pick2{7, 0, 0, 3};
    CHECK(fold(del2, pick2, 0, 4).peak == 17);
    CHECK(walk_peak(del2, pick2) == 17);
}

TEST_CASE("load segment: without pickups the peak is the delivery total") {
    const std::vector<Load> del{4, 1, 7, 2}, pick{0, 0, 0, 0};
    const LoadSeg s = fold(del, pick, 0, 4);
    CHECK(s.peak == 14);
    CHECK(s.delivery == 14);
    CHECK(s.pickup == 0);
}

TEST_CASE("load segment: concatenation equals the walk at every split (random)") {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> amount(0, 9), len(1, 12);
    for (int trial = 0; trial < 500; ++trial) {
        const std::size_t m = static_cast<std::size_t>(len(rng));
        std::vector<Load> del(m), pick(m);
        for (std::size_t i = 0; i < m; ++i) del[i] = amount(rng), pick[i] = amount(rng);
        const Load truth = walk_peak(del, pick);
        CHECK(fold(del, pick, 0, m).peak == truth);
        for (std::size_t cut = 0; cut <= m; ++cut) {
            const LoadSeg ab = LoadSeg::merge(fold(del, pick, 0, cut), fold(del, pick, cut, m));
            CHECK(ab.peak == truth);
            for (std::size_t cut2 = cut; cut2 <= m; ++cut2) {  // associativity
                const LoadSeg x = fold(del, pick, 0, cut), y = fold(del, pick, cut, cut2),
                              z = fold(del, pick, cut2, m);
                CHECK(LoadSeg::merge(LoadSeg::merge(x, y), z).peak ==
                      LoadSeg::merge(x, LoadSeg::merge(y, z)).peak);
            }
        }
    }
}

TEST_CASE("route load: visits_peak, peak_position and LoadProfile") {
    const ProblemData d = four({0, 0, 0, 7, 3});
    CHECK(d.has_pickups());
    Load out = 0;
    visits_peak(d, {0, 1, 2, 3, 4, 0}, &out);
    CHECK(out == 10);
    visits_peak(d, {3, 1, 2, 4}, &out);
    CHECK(out == 17);
    CHECK(peak_position(d, {3, 1, 2, 4}, 0) == 0);   // right after picking 7 up
    CHECK(peak_position(d, {1, 2, 3, 4}, 0) == -1);  // the full load at the depot
    LoadProfile lp;
    lp.build(d, {1, 2, 4});                      // 10 on board, then 4, 0, 3
    CHECK(lp.insert_fits(d, 2, 3, {10}));        // after 2: load 0 + 7 then 10
    CHECK(lp.insert_fits(d, 3, 3, {10}));        // at the end: 3 + 7
    CHECK_FALSE(lp.insert_fits(d, 0, 3, {10}));  // first: 10 + 7
    CHECK_FALSE(lp.insert_fits(d, 1, 3, {10}));  // after 1: 4 + 7
}

TEST_CASE("ProblemData: pickups validated; all zero means none") {
    CHECK_FALSE(four({0, 0, 0, 0, 0}).has_pickups());
    CHECK(four({0, 0, 0, 0, 0}).pickups().empty());
    CHECK_THROWS_AS(four({0, 0, 0, -1, 0}), InputError);
    CHECK_THROWS_AS(four({0, 0, 0, 11, 0}), InputError);  // above every capacity
    CHECK_THROWS_AS(four({0, 0, 0}), InputError);         // wrong size
    const ProblemData d = four({5, 0, 0, 7, 3});          // the depot row is ignored
    CHECK(d.pickup(0, 0) == 0);
    CHECK(d.pickup(3, 0) == 7);
}

TEST_CASE("Solution: pickup_load names the client where the load peaks") {
    const ProblemData d = four({0, 0, 0, 7, 3});
    const Solution ok(d, {route({1, 2, 3, 4})});
    CHECK(ok.feasible());
    const Solution bad(d, {route({1, 3, 2, 4})});  // 10, 4 + 7 = 11 after client 3
    REQUIRE(bad.details().size() == 1);
    const Violation& v = bad.details()[0];
    CHECK(v.kind == ViolationKind::pickup_load);
    CHECK(v.client == 3);
    CHECK(v.value == 11);
    CHECK(v.limit == 10);
    CHECK(v.route == 0);
    // Delivery-only instance: the same order is feasible (capacity is the total 10).
    const Solution none(four({0, 0, 0, 0, 0}), {route({1, 3, 2, 4})});
    CHECK(none.feasible());
}
