// TimeSeg (core/time_window.h): hand-checked merges, associativity, and the time data of
// ProblemData (validation of windows, releases and shifts).
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "core/errors.h"
#include "core/problem.h"
#include "core/solution.h"
#include "core/time_window.h"

using namespace lastmile;

TEST_CASE("time_window: waiting and time warp of hand-checked merges") {
    // Visit a [0, 10] service 0, 5 time units to b [100, 110]: depart a at 10, wait 85.
    const TimeSeg a = TimeSeg::visit(0, 0, 10, 0), b = TimeSeg::visit(0, 100, 110, 0);
    const TimeSeg ab = TimeSeg::merge(a, 5, b);
    CHECK(ab.dur == 90);
    CHECK(ab.warp == 0);
    CHECK(ab.early == 10);
    CHECK(ab.late == 10);
    // b then a: b at 100 at the earliest, service 0, reach a at 105 > 10: warp 95.
    const TimeSeg ba = TimeSeg::merge(b, 5, a);
    CHECK(ba.warp == 95);
    CHECK(ba.dur == 5);
    // Release: a route whose latest start is 10 with a client released at 30: warp 20.
    const TimeSeg r = TimeSeg::merge(TimeSeg::visit(0, 0, 10, 0), 1, TimeSeg::visit(2, 0, 11, 30));
    CHECK(r.release == 30);
    CHECK(r.total_warp() == 20);
}

TEST_CASE("time_window: merge is associative") {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> e(0, 200), w(0, 80), s(0, 15), t(0, 40);
    for (int k = 0; k < 2000; ++k) {
        TimeSeg x[3];
        for (auto& v : x) {
            const Duration lo = e(rng);
            v = TimeSeg::visit(s(rng), lo, lo + w(rng), e(rng) / 4);
        }
        const Duration t1 = t(rng), t2 = t(rng);
        const TimeSeg l = TimeSeg::merge(TimeSeg::merge(x[0], t1, x[1]), t2, x[2]);
        const TimeSeg r = TimeSeg::merge(x[0], t1, TimeSeg::merge(x[1], t2, x[2]));
        CHECK(l.dur == r.dur);
        CHECK(l.warp == r.warp);
        CHECK(l.early == r.early);
        CHECK(l.late == r.late);
        CHECK(l.release == r.release);
    }
}

namespace {

ProblemData line(TimeData time, Duration shift_start = 0, Duration shift_end = kUnlimited) {
    // Depot at 0, clients at 10 and 20 on a line (unit speed), service 5.
    std::vector<VehicleType> types(1);
    types[0].capacity = {10};
    types[0].earliest_start = shift_start;
    types[0].latest_end = shift_end;
    return ProblemData({0, 10, 20}, {0, 0, 0}, {0, 1, 1}, 1, {0, 5, 5}, types,
                       DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {}, {}, {}, 1.0, 4000,
                       std::move(time));
}

Route route(std::vector<std::int32_t> visits) {
    Route r;
    r.visits = std::move(visits);
    return r;
}

}  // namespace

TEST_CASE("time_window: ProblemData validates windows, releases and shifts") {
    CHECK_FALSE(line({}).has_time_windows());
    CHECK(line({{0, 0, 0}, {1000, 100, 100}, {}}).has_time_windows());
    CHECK(line({}, 10).has_time_windows());
    CHECK_THROWS_AS(line({{0, 50, 0}, {1000, 40, 100}, {}}), InputError);          // early > late
    CHECK_THROWS_AS(line({{0, -1, 0}, {1000, 40, 100}, {}}), InputError);          // negative
    CHECK_THROWS_AS(line({{0, 0}, {1000, 40}, {}}), InputError);                   // size
    CHECK_THROWS_AS(line({{0, 0, 0}, {1000, 5, 100}, {}}), InputError);            // unreachable
    CHECK_THROWS_AS(line({{0, 0, 0}, {100, 100, 100}, {0, 0, 150}}), InputError);  // release
    CHECK_THROWS_AS(line({}, 50, 40), InputError);  // shift ends before it starts
    try {
        line({{0, 0, 0}, {1000, 5, 100}, {}});
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("client 1") != std::string::npos);
    }
}

TEST_CASE("time_window: Solution reports duration with waiting and names the late client") {
    // Client 1 opens at 40: depart at 30, arrive 40, serve to 45, client 2 at 55, back at 80.
    const auto data = line({{0, 40, 0}, {1000, 60, 200}, {}});
    const Solution ok(data, {route({1, 2})});
    CHECK(ok.feasible());
    CHECK(ok.routes()[0].duration == 50);
    CHECK(ok.routes()[0].waiting == 0);
    CHECK(ok.routes()[0].start_time == 30);
    // Client 2 first: depart at 5, 2 at 25..30, 1 at 40..45, back at 55: no waiting.
    const Solution two_first(data, {route({2, 1})});
    CHECK(two_first.routes()[0].duration == 50);
    CHECK(two_first.routes()[0].waiting == 0);
    // A shift starting at 30 forces the departure; client 2 first, client 1 (closes at 60) is
    // reached at 65: time warp 5, named.
    const Solution late(line({{0, 40, 0}, {1000, 60, 200}, {}}, 30), {route({2, 1})});
    CHECK_FALSE(late.feasible());
    CHECK(late.routes()[0].start_time == 30);
    CHECK(late.routes()[0].time_warp == 5);
    CHECK(late.violations()[0].find("client 1") != std::string::npos);
    // Client 2 released at 55: the departure is at 55 and client 1 (latest departure 50) is late.
    const Solution rel(line({{0, 0, 0}, {1000, 60, 200}, {0, 0, 55}}), {route({1, 2})});
    CHECK_FALSE(rel.feasible());
    CHECK(rel.routes()[0].time_warp == 5);
    CHECK(rel.violations()[0].find("client 2 is released at 55") != std::string::npos);
    // Waiting: client 1 closes at 12, client 2 opens at 40: depart at 2, wait 13 at client 2,
    // back at 65: duration 63 including the wait.
    const Solution wait(line({{0, 0, 40}, {1000, 12, 60}, {}}), {route({1, 2})});
    CHECK(wait.feasible());
    CHECK(wait.routes()[0].start_time == 2);
    CHECK(wait.routes()[0].duration == 63);
    CHECK(wait.routes()[0].waiting == 13);
    CHECK(wait.routes()[0].end_time == 65);
}
