// Shared fixture of the per-operator local-search tests: small random instances (symmetric
// coordinates, and an asymmetric explicit matrix), an independent penalised-cost evaluator, and
// the check "predicted delta of every applied move == recomputed cost change".
#pragma once
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "core/problem.h"
#include "core/solution.h"
#include "search/local_search.h"
#include "search/neighbours.h"
#include "search/rng.h"

namespace lastmile::test {

enum class Geometry { coords, asymmetric_matrix };

struct Weights {
    std::vector<double> load;
    double duration = 2.0, distance = 1.5;
    double time_warp = 2.5;
};

/// n clients on a 100 x 100 square, demand 1..9 per dimension, service 0..9, a duration and a
/// distance limit; `hetero` adds a priced, limited second type. With asymmetric_matrix, distances
/// are the rounded Euclidean ones plus a random 0..30 surcharge on each directed arc (i != j), and
/// durations are a different asymmetric matrix.
/// `windows`: every client gets a time window (width 40..200 inside [0, 400]), a third of them a
/// release time in [0, 120], the depot opens on [0, 450] and the second type's shift is
/// [30, 420] (time windows tests).
/// `pickups`: every client also picks up 0..12 per dimension (the load profile binds).
inline ProblemData make_instance(std::uint32_t seed, Geometry g, bool hetero, std::size_t n = 20,
                                 std::size_t dims = 1, bool windows = false, bool pickups = false) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 100.0);
    std::uniform_int_distribution<int> q(1, 9), sv(0, 9), extra(0, 30);
    const std::size_t m = n + 1;
    std::vector<double> x(m), y(m);
    std::vector<Load> demand(m * dims, 0);
    std::vector<Duration> service(m, 0);
    for (std::size_t i = 0; i < m; ++i) {
        x[i] = u(rng), y[i] = u(rng);
        if (i == 0) continue;
        for (std::size_t d = 0; d < dims; ++d) demand[i * dims + d] = q(rng);
        service[i] = sv(rng);
    }
    std::vector<VehicleType> types(1);
    types[0].capacity.assign(dims, 30);
    types[0].max_duration = 400;
    types[0].max_distance = 350;
    if (hetero) {
        VehicleType t;
        t.capacity.assign(dims, 45);
        t.num_available = 3;
        t.fixed_cost = 25.0;
        t.cost_per_distance = 1.3;
        t.cost_per_duration = 0.2;
        t.max_duration = 400;
        types.push_back(t);
    }
    std::vector<Distance> dist;
    std::vector<Duration> dur;
    DistanceKind kind = DistanceKind::euclidean_rounded;
    if (g == Geometry::asymmetric_matrix) {
        kind = DistanceKind::matrix;
        dist.assign(m * m, 0);
        dur.assign(m * m, 0);
        for (std::size_t i = 0; i < m; ++i)
            for (std::size_t j = 0; j < m; ++j) {
                if (i == j) continue;
                const double e = std::hypot(x[i] - x[j], y[i] - y[j]);
                dist[i * m + j] = std::llround(e) + extra(rng);
                dur[i * m + j] = std::llround(0.8 * e) + extra(rng);
            }
    }
    TimeData time;
    if (windows) {
        std::uniform_int_distribution<int> open(0, 300), width(40, 200), rel(0, 120), third(0, 2);
        time.early.assign(m, 0), time.late.assign(m, 0), time.release.assign(m, 0);
        time.late[0] = 450;
        for (std::size_t i = 1; i < m; ++i) {
            time.early[i] = open(rng);
            time.late[i] = std::min<Duration>(time.early[i] + width(rng), 400);
            // Reachable alone from the depot (the instance must be valid).
            time.late[i] = std::max<Duration>(time.late[i], 200);
            time.early[i] = std::min(time.early[i], time.late[i]);
            if (third(rng) == 0) time.release[i] = rel(rng);
        }
        if (hetero) types[1].earliest_start = 30, types[1].latest_end = 420;
    }
    std::vector<Load> pick;
    if (pickups) {
        std::uniform_int_distribution<int> pq(0, 12);
        pick.assign(m * dims, 0);
        for (std::size_t i = dims; i < m * dims; ++i) pick[i] = pq(rng);
    }
    return ProblemData(x, y, demand, dims, service, types, kind, 1.0, 1.0, dist, dur, {}, {}, 1.0,
                       4000, time, 1, pick);
}

/// Time warp and duration (with waiting) of a route by brute force over its integer departure
/// times: the forward walk waits for a window to open and, arriving after it closes, records the
/// lateness as warp and continues from the closing time; the departure of least warp, then least
/// duration, wins. Independent of TimeSeg.
inline void brute_force_time(const ProblemData& data, const Route& r, double& warp, double& dur) {
    const auto& t = data.vehicle_type(static_cast<std::size_t>(r.vehicle_type));
    const Duration open = std::max(data.tw_early(0), t.earliest_start);
    const Duration close = std::min(data.tw_late(0), t.latest_end);
    Duration rel = 0;
    for (auto c : r.visits) rel = std::max(rel, data.release(static_cast<std::size_t>(c)));
    const Duration first = std::max(open, rel), last = std::max(first, close);
    warp = 1e300, dur = 1e300;
    for (Duration s = first; s <= last; ++s) {
        Duration clock = std::min(s, close), w = std::max<Duration>(s - close, 0);
        std::size_t prev = 0;
        for (auto c : r.visits) {
            const auto cu = static_cast<std::size_t>(c);
            clock += data.duration(prev, cu);
            if (clock > data.tw_late(cu)) w += clock - data.tw_late(cu), clock = data.tw_late(cu);
            clock = std::max(clock, data.tw_early(cu)) + data.service(cu);
            prev = cu;
        }
        clock += data.duration(prev, 0);
        if (clock > close) w += clock - close, clock = close;
        const double dw = static_cast<double>(w),
                     dd = static_cast<double>(clock - std::min(s, close) + w);
        if (dw < warp || (dw == warp && dd < dur)) warp = dw, dur = dd;
        if (s - first > 2000) break;  // bounded (windows of the fixtures are far smaller)
    }
}

/// Clients in random order, cut into routes of `size`; the first three alternate the types.
inline std::vector<Route> chunked_routes(const ProblemData& data, std::uint32_t seed,
                                         std::size_t size = 5) {
    std::vector<std::int32_t> perm(data.num_clients());
    std::iota(perm.begin(), perm.end(), 1);
    std::mt19937 rng(seed);
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<Route> out;
    for (std::size_t i = 0; i < perm.size(); i += size) {
        Route r;
        r.visits.assign(
            perm.begin() + static_cast<std::ptrdiff_t>(i),
            perm.begin() + static_cast<std::ptrdiff_t>(std::min(i + size, perm.size())));
        const std::size_t k = out.size();
        r.vehicle_type = k < 3 ? static_cast<std::int32_t>(k % data.num_vehicle_types()) : 0;
        out.push_back(std::move(r));
    }
    return out;
}

/// Penalised cost computed arc by arc from the ProblemData (independent of the search state).
inline double penalised_cost(const ProblemData& data, const std::vector<Route>& routes,
                             const Weights& w) {
    double total = 0;
    for (const auto& r : routes) {
        if (r.visits.empty()) continue;
        const auto& t = data.vehicle_type(r.vehicle_type);
        double dist = 0, dur = 0;
        std::vector<double> load(data.num_dims(), 0.0);
        std::size_t prev = 0;
        for (auto c : r.visits) {
            const auto cu = static_cast<std::size_t>(c);
            dist += static_cast<double>(data.dist(prev, cu));
            dur += static_cast<double>(data.duration(prev, cu) + data.service(cu));
            for (std::size_t d = 0; d < data.num_dims(); ++d)
                load[d] += static_cast<double>(data.demand(cu, d));
            prev = cu;
        }
        dist += static_cast<double>(data.dist(prev, 0));
        dur += static_cast<double>(data.duration(prev, 0));
        if (data.has_time_windows()) {
            double warp = 0;
            brute_force_time(data, r, warp, dur);
            total += w.time_warp * warp;
        }
        total += t.fixed_cost + t.cost_per_distance * dist + t.cost_per_duration * dur;
        if (data.has_pickups())  // the largest load on board, walking the route
            for (std::size_t d = 0; d < data.num_dims(); ++d) {
                double on = load[d];
                for (auto c : r.visits)
                    on += static_cast<double>(data.pickup(static_cast<std::size_t>(c), d) -
                                              data.demand(static_cast<std::size_t>(c), d)),
                        load[d] = std::max(load[d], on);
            }
        for (std::size_t d = 0; d < data.num_dims(); ++d)
            total += w.load[d] * std::max(0.0, load[d] - static_cast<double>(t.capacity[d]));
        total += w.duration * std::max(0.0, dur - static_cast<double>(t.max_duration));
        total += w.distance * std::max(0.0, dist - static_cast<double>(t.max_distance));
    }
    return total;
}

inline bool visits_every_client_once(const ProblemData& data, const std::vector<Route>& routes) {
    std::vector<int> seen(data.num_nodes(), 0);
    for (const auto& r : routes)
        for (auto c : r.visits) ++seen[static_cast<std::size_t>(c)];
    for (std::size_t c = 1; c < data.num_nodes(); ++c)
        if (seen[c] != 1) return false;
    return true;
}

/// Applies up to 60 moves of operator `op` (one improve_once each) on the instance and checks
/// every predicted delta against the recomputed change. Returns the number of moves applied.
inline int check_operator_deltas(int op, const ProblemData& data, std::uint32_t seed) {
    const Neighbours nb(data, 10);
    LocalSearch ls(data, nb);
    Weights w;
    w.load.assign(data.num_dims(), 3.0);
    Penalties p;
    p.load = w.load;
    p.duration = w.duration;
    p.distance = w.distance;
    p.time_warp = w.time_warp;
    ls.set_penalties(p);
    ls.load(chunked_routes(data, seed));
    if (data.has_time_windows()) {  // the windows bind: the random start has time warp
        double warp = 0, dur = 0, total = 0;
        for (const auto& r : ls.routes()) {
            if (r.visits.empty()) continue;
            brute_force_time(data, r, warp, dur);
            total += warp;
        }
        CHECK(total > 0);
    }
    Rng rng(seed);
    int applied = 0;
    for (int it = 0; it < 60; ++it) {
        const double before = penalised_cost(data, ls.routes(), w);
        const double delta = ls.improve_once(op, rng);
        const double after = penalised_cost(data, ls.routes(), w);
        CHECK(std::abs(after - before - delta) <= 1e-6);
        CHECK(std::abs(ls.penalised_cost() - after) <= 1e-6);
        if (delta == 0.0) break;
        CHECK(delta < 0);
        ++applied;
    }
    CHECK(visits_every_client_once(data, ls.routes()));
    return applied;
}

/// The standard per-operator test: symmetric coordinates and the asymmetric matrix, with one and
/// with two vehicle types, three seeds each. Returns the moves applied per geometry.
struct Applied {
    int coords = 0, matrix = 0;
};
inline Applied check_operator(int op, std::size_t dims = 1, bool windows = false,
                              bool pickups = false) {
    Applied a;
    for (std::uint32_t seed = 0; seed < 3; ++seed)
        for (bool hetero : {false, true}) {
            const auto sym =
                make_instance(seed, Geometry::coords, hetero, 20, dims, windows, pickups);
            const auto asym = make_instance(seed, Geometry::asymmetric_matrix, hetero, 20, dims,
                                            windows, pickups);
            CHECK(sym.has_time_windows() == windows);
            CHECK(sym.symmetric());
            CHECK_FALSE(asym.symmetric());
            a.coords += check_operator_deltas(op, sym, seed);
            a.matrix += check_operator_deltas(op, asym, seed);
        }
    return a;
}

}  // namespace lastmile::test
