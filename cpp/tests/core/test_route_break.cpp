// Driver breaks (core/route_break.h): the prefix/suffix placement scan against a left-to-right
// merge of every explicit placement, and a hand-checked case.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "core/errors.h"
#include "core/problem.h"
#include "core/route_break.h"
#include "core/solution.h"

using namespace lastmile;

namespace {
/// The route's segment with the break inserted after node p (p = n - 1: at the end depot, after
/// the drive home), merged left to right.
TimeSeg explicit_break(const TimeSeg* seg, const Duration* travel, std::size_t n, std::size_t p,
                       const TimeSeg& b) {
    TimeSeg acc = seg[0];
    if (p == 0) acc = TimeSeg::merge(acc, 0, b);
    for (std::size_t q = 1; q < n; ++q) {
        if (q + 1 == n && p + 1 == n) acc = TimeSeg::merge(acc, travel[q - 1], b);
        acc = TimeSeg::merge(acc, q + 1 == n && p + 1 == n ? 0 : travel[q - 1], seg[q]);
        if (q == p && q + 1 < n) acc = TimeSeg::merge(acc, 0, b);
    }
    return acc;
}
/// Depot at 0, clients at 10 and 20 on a line (unit speed), service 5, one type with a break.
ProblemData line(TimeData time, Duration bd, Duration be, Duration bl) {
    std::vector<VehicleType> types(1);
    types[0].capacity = {10};
    types[0].break_duration = bd;
    types[0].break_early = be;
    types[0].break_late = bl;
    return ProblemData({0, 10, 20}, {0, 0, 0}, {0, 1, 1}, 1, {0, 5, 5}, types,
                       DistanceKind::euclidean_rounded, 1.0, 1.0, {}, {}, {}, {}, 1.0, 4000,
                       std::move(time));
}
}  // namespace

TEST_CASE("route_break: Solution reports the break and names a late one") {
    // Client 1 closes at 20, client 2 opens at 100: the break fits in the waiting.
    const ProblemData d = line(TimeData{{0, 0, 100}, {1000, 20, 200}, {}}, 30, 0, 1000);
    Route r;
    r.visits = {1, 2};
    const Solution s(d, {r});
    CHECK(s.feasible());
    CHECK(s.routes()[0].duration == 115);
    CHECK(s.routes()[0].waiting == 35);
    CHECK(s.routes()[0].break_after == 1);
    CHECK(s.routes()[0].break_start == 25);
    // Client 1 served at exactly 10; the break must start by 3: least late after the client.
    const ProblemData late = line(TimeData{{0, 10, 0}, {1000, 10, 1000}, {}}, 30, 0, 3);
    Route one;
    one.visits = {1};
    const Solution t(late, {one});
    REQUIRE(t.details().size() == 2);  // the break, and client 2 missing
    CHECK(t.details()[0].kind == ViolationKind::brk);
    CHECK(t.details()[0].value == 15);
    CHECK(t.routes()[0].time_warp == 12);
    CHECK_THROWS_AS(line(TimeData{}, -1, 0, 10), InputError);
    CHECK_THROWS_AS(line(TimeData{}, 30, 20, 10), InputError);
}

TEST_CASE("route_break: the scan finds the least-warp, then least-duration placement") {
    std::mt19937 rng(11);
    std::uniform_int_distribution<Duration> u(0, 100);
    for (int trial = 0; trial < 300; ++trial) {
        const std::size_t m = 1 + static_cast<std::size_t>(trial % 7), n = m + 2;
        std::vector<TimeSeg> seg(n);
        std::vector<Duration> travel(n - 1);
        seg[0] = TimeSeg::visit(0, 0, 400 + u(rng), 0);
        seg[n - 1] = TimeSeg::visit(0, 0, 500 + 3 * u(rng), 0);
        for (std::size_t p = 1; p + 1 < n; ++p) {
            const Duration e = 3 * u(rng);
            seg[p] = TimeSeg::visit(u(rng) / 10, e, e + u(rng), 0);
        }
        for (auto& t : travel) t = u(rng) / 4;
        VehicleType vt;
        vt.break_duration = 1 + u(rng) / 2;
        vt.break_early = 2 * u(rng);
        vt.break_late = vt.break_early + u(rng);
        const TimeSeg b = break_seg(vt);
        const BreakPlan plan = place_break(vt, seg.data(), travel.data(), n);
        TimeSeg best;
        std::size_t at = 0;
        for (std::size_t p = 0; p < n; ++p) {
            const TimeSeg c = explicit_break(seg.data(), travel.data(), n, p, b);
            if (p == 0 || c.total_warp() < best.total_warp() ||
                (c.total_warp() == best.total_warp() && c.dur < best.dur))
                best = c, at = p;
        }
        CHECK(plan.after == static_cast<int>(at));
        CHECK(plan.seg.dur == best.dur);
        CHECK(plan.seg.total_warp() == best.total_warp());
    }
}

TEST_CASE("route_break: waiting absorbs the break") {
    // Depot [0, 1000], client 1 [0, 20] at 10, client 2 [100, 200] at 10 further, service 5.
    const std::vector<TimeSeg> seg = {TimeSeg::visit(0, 0, 1000, 0), TimeSeg::visit(5, 0, 20, 0),
                                      TimeSeg::visit(5, 100, 200, 0),
                                      TimeSeg::visit(0, 0, 1000, 0)};
    const std::vector<Duration> travel = {10, 10, 20};
    VehicleType vt;
    vt.break_duration = 30;
    const BreakPlan plan = place_break(vt, seg.data(), travel.data(), seg.size());
    CHECK(plan.after == 1);
    CHECK(plan.seg.dur == 115);  // as without the break: 65 of waiting before client 2
    CHECK(plan.seg.total_warp() == 0);
}
