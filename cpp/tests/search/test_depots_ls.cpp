// Several depots in the local search: every operator (incl. 2-opt* between routes of different
// depots and change_type to a type based elsewhere) predicts the exact change of an independent
// arc-by-arc evaluation that uses each route's own start and end depot.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "core/errors.h"
#include "core/problem.h"
#include "core/solution.h"
#include "search/local_search.h"
#include "search/neighbours.h"
#include "search/operators/operator.h"
#include "search/rng.h"

using namespace lastmile;

namespace {

/// n clients and 3 depots (node 0 and nodes n+1, n+2) on a 100 x 100 square; 3 types: depot 0
/// round trips, depot 1 round trips (dearer per distance), depot 2 -> depot 0 with a fixed cost.
/// `windows`: client windows, depot opening windows and a shift on type 1.
ProblemData make_md(std::uint32_t seed, bool windows, bool matrix) {
    const std::size_t n = 24, m = n + 3;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 100.0);
    std::uniform_int_distribution<int> q(1, 9), sv(0, 9), extra(0, 20);
    std::vector<double> x(m), y(m);
    std::vector<Load> demand(m, 0);
    std::vector<Duration> service(m, 0);
    for (std::size_t i = 0; i < m; ++i) {
        x[i] = u(rng), y[i] = u(rng);
        if (i >= 1 && i <= n) demand[i] = q(rng), service[i] = sv(rng);
    }
    std::vector<VehicleType> types(3);
    for (auto& t : types) t.capacity = {30}, t.max_duration = 500, t.max_distance = 400;
    types[1].start_depot = types[1].end_depot = 1, types[1].cost_per_distance = 1.2;
    types[2].start_depot = 2, types[2].end_depot = 0, types[2].fixed_cost = 15.0;
    types[2].num_available = 3;
    std::vector<Distance> dist;
    std::vector<Duration> dur;
    DistanceKind kind = DistanceKind::euclidean_rounded;
    if (matrix) {
        kind = DistanceKind::matrix;
        dist.assign(m * m, 0), dur.assign(m * m, 0);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < m; ++j)
                if (i != j) {
                    const double e = std::hypot(x[i] - x[j], y[i] - y[j]);
                    dist[i * m + j] = std::llround(e) + extra(rng);
                    dur[i * m + j] = std::llround(0.9 * e) + extra(rng);
                }
    }
    TimeData time;
    if (windows) {
        std::uniform_int_distribution<int> open(0, 250), width(60, 200);
        time.early.assign(m, 0), time.late.assign(m, 600);
        for (std::size_t i = 1; i <= n; ++i) {
            time.early[i] = open(rng);
            time.late[i] = std::max<Duration>(time.early[i] + width(rng), 250);
        }
        time.early[n + 1] = 20, time.late[n + 1] = 560;  // depot 1
        time.late[n + 2] = 580;                          // depot 2
        types[1].earliest_start = 10;
    }
    return ProblemData(x, y, demand, 1, service, types, kind, 1.0, 1.0, dist, dur, {}, {}, 1.0,
                       4000, time, 3);
}

/// Warp and duration of a route by brute force over integer departures (start/end depots of
/// its type), independent of TimeSeg.
void brute_time(const ProblemData& data, const Route& r, double& warp, double& dur) {
    const auto k = static_cast<std::size_t>(r.vehicle_type);
    const auto& t = data.vehicle_type(k);
    const std::size_t a = data.start_node(k), b = data.end_node(k);
    const Duration open = std::max(data.tw_early(a), t.earliest_start);
    const Duration close = std::min(data.tw_late(a), t.latest_end);
    const Duration eopen = std::max(data.tw_early(b), t.earliest_start);
    const Duration eclose = std::min(data.tw_late(b), t.latest_end);
    warp = 1e300, dur = 1e300;
    for (Duration s = open; s <= std::max(open, close); ++s) {
        Duration clock = std::min(s, close), w = std::max<Duration>(s - close, 0);
        std::size_t prev = a;
        for (auto c : r.visits) {
            const auto cu = static_cast<std::size_t>(c);
            clock += data.duration(prev, cu);
            if (clock > data.tw_late(cu)) w += clock - data.tw_late(cu), clock = data.tw_late(cu);
            clock = std::max(clock, data.tw_early(cu)) + data.service(cu);
            prev = cu;
        }
        clock = std::max(clock + data.duration(prev, b), eopen);
        if (clock > eclose) w += clock - eclose, clock = eclose;
        const double dw = static_cast<double>(w),
                     dd = static_cast<double>(clock - std::min(s, close) + w);
        if (dw < warp || (dw == warp && dd < dur)) warp = dw, dur = dd;
    }
}

double md_cost(const ProblemData& data, const std::vector<Route>& routes) {
    double total = 0;
    for (const auto& r : routes) {
        if (r.visits.empty()) continue;
        const auto k = static_cast<std::size_t>(r.vehicle_type);
        const auto& t = data.vehicle_type(k);
        double dist = 0, dur = 0, load = 0;
        std::size_t prev = data.start_node(k);
        for (auto c : r.visits) {
            const auto cu = static_cast<std::size_t>(c);
            dist += static_cast<double>(data.dist(prev, cu));
            dur += static_cast<double>(data.duration(prev, cu) + data.service(cu));
            load += static_cast<double>(data.demand(cu, 0));
            prev = cu;
        }
        dist += static_cast<double>(data.dist(prev, data.end_node(k)));
        dur += static_cast<double>(data.duration(prev, data.end_node(k)));
        if (data.has_time_windows()) {
            double warp = 0;
            brute_time(data, r, warp, dur);
            total += 2.5 * warp;
        }
        total += t.fixed_cost + t.cost_per_distance * dist + t.cost_per_duration * dur;
        total += 3.0 * std::max(0.0, load - static_cast<double>(t.capacity[0]));
        total += 2.0 * std::max(0.0, dur - static_cast<double>(t.max_duration));
        total += 1.5 * std::max(0.0, dist - static_cast<double>(t.max_distance));
    }
    return total;
}

std::vector<Route> start_routes(const ProblemData& data, std::uint32_t seed) {
    std::vector<std::int32_t> perm(data.num_clients());
    std::iota(perm.begin(), perm.end(), 1);
    std::mt19937 rng(seed);
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<Route> out;
    for (std::size_t i = 0; i < perm.size(); i += 4) {
        Route r;
        r.visits.assign(perm.begin() + static_cast<std::ptrdiff_t>(i),
                        perm.begin() + static_cast<std::ptrdiff_t>(std::min(i + 4, perm.size())));
        r.vehicle_type = static_cast<std::int32_t>(out.size() % 3);
        out.push_back(std::move(r));
    }
    return out;
}

/// Moves of `op` applied one by one; each predicted delta equals the recomputed change.
int check_op(int op, const ProblemData& data, std::uint32_t seed) {
    const Neighbours nb(data, 10);
    LocalSearch ls(data, nb);
    Penalties p;
    p.load = {3.0};
    p.duration = 2.0, p.distance = 1.5, p.time_warp = 2.5;
    ls.set_penalties(p);
    ls.load(start_routes(data, seed));
    Rng rng(seed);
    int applied = 0;
    for (int it = 0; it < 60; ++it) {
        const double before = md_cost(data, ls.routes());
        const double delta = ls.improve_once(op, rng);
        const double after = md_cost(data, ls.routes());
        CHECK(std::abs(after - before - delta) <= 1e-6);
        if (delta == 0.0) break;
        ++applied;
    }
    // Every route of the result is a valid Solution route and covers each client once.
    const Solution sol(data, ls.routes());
    for (const auto& v : sol.details()) CHECK(v.kind != ViolationKind::missing);
    for (const auto& v : sol.details()) CHECK(v.kind != ViolationKind::duplicate);
    return applied;
}

}  // namespace

TEST_CASE("depots: every operator's delta matches an evaluation with each route's depots") {
    for (int op = 0; op < kNumLsOps; ++op) {
        if (op == kReload) continue;  // needs reload depots (tests/test_reload_search.py)
        int applied = 0;
        for (std::uint32_t seed = 0; seed < 2; ++seed)
            for (bool windows : {false, true})
                for (bool matrix : {false, true})
                    applied += check_op(op, make_md(seed, windows, matrix), seed);
        INFO("operator " << ls_op_name(op));
        CHECK(applied > 0);
    }
}

TEST_CASE("depots: routes start and end at their type's depots") {
    const auto data = make_md(3, false, false);
    CHECK(data.num_depots() == 3);
    CHECK(data.num_clients() == 24);
    CHECK(data.start_node(1) == 25);
    CHECK(data.end_node(2) == 0);
    CHECK(data.start_node(2) == 26);
    Route r;
    r.visits = {5};
    r.vehicle_type = 2;
    const Solution one(data, {r});
    CHECK(one.routes()[0].distance == data.dist(26, 5) + data.dist(5, 0));
    // A depot node is not a client.
    r.visits = {25};
    CHECK_THROWS_AS(Solution(data, {r}), IndexError);
}
