// Per-depot loading time (TimeData::loading): before every trip leaves a depot, in the start
// segment, the reload segment and the Solution's durations; validated per depot.
#include <doctest/doctest.h>

#include <vector>

#include "core/errors.h"
#include "core/problem.h"
#include "core/solution.h"

using namespace lastmile;

namespace {
// Depot 0 at (0, 0), clients 1..2 at (10, 0) and (0, 10), demand 1 each.
ProblemData line(std::vector<Duration> loading, Duration reload_time = 0) {
    VehicleType t;
    t.capacity = {1};
    t.reload_depots = {0};
    t.reload_time = reload_time;
    TimeData time;
    time.loading = std::move(loading);
    return ProblemData({0, 10, 0}, {0, 0, 10}, {0, 1, 1}, 1, {0, 0, 0}, {t},
                       DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {}, {}, {}, 1.0, 4000,
                       std::move(time));
}
Route route(std::vector<std::int32_t> visits) {
    Route r;
    r.visits = std::move(visits);
    return r;
}
}  // namespace

TEST_CASE("depot loading: none or zero changes nothing") {
    for (const auto& loading : {std::vector<Duration>{}, std::vector<Duration>{0}}) {
        const auto d = line(loading);
        CHECK_FALSE(d.has_time_windows());
        CHECK(d.depot_loading(0) == 0);
        const Solution s(d, {route({1, 0, 2})});
        CHECK(s.feasible());
        CHECK(s.routes()[0].duration == 40);
    }
}

TEST_CASE("depot loading: before the first trip and after each reload") {
    const auto d = line({5}, 3);
    CHECK(d.has_time_windows());
    CHECK(d.start_seg(0).dur == 5);
    CHECK(d.end_seg(0).dur == 0);
    CHECK(d.reload_seg(0, 0, 0).dur == 8);  // reload time, then the loading
    const Solution s(d, {route({1, 0, 2})});
    CHECK(s.feasible());
    CHECK(s.routes()[0].duration == 40 + 5 + 3 + 5);
    CHECK(s.routes()[0].service == 13);
    CHECK(s.routes()[0].waiting == 0);
}

TEST_CASE("depot loading: one non-negative value per depot") {
    CHECK_THROWS_AS(line({-1}), InputError);
    CHECK_THROWS_AS(line({1, 2}), InputError);
}
