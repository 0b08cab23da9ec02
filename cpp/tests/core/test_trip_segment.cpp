// Trip segments (core/trip_segment.h) of random multi-trip visit sequences: any split of the
// sequence into pieces, concatenated, gives the duration, time warp and per-trip capacity excess
// of the walk (core/trip_eval.h), and those are Solution's duration, time warp and trips.
#include <doctest/doctest.h>

#include <random>

#include "core/solution.h"
#include "core/trip_eval.h"
#include "core/trip_segment.h"

using namespace lastmile;

namespace {

ProblemData reload_instance(std::uint32_t seed, bool windows) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0.0, 100.0);
    std::uniform_int_distribution<int> q(1, 9), sv(0, 9), open(0, 300), width(40, 300), rel(0, 150),
        third(0, 2);
    const std::size_t m = 25;
    std::vector<double> x(m), y(m);
    std::vector<Load> demand(m, 0);
    std::vector<Duration> service(m, 0);
    for (std::size_t i = 0; i < m; ++i) {
        x[i] = u(rng), y[i] = u(rng);
        if (i > 0) demand[i] = q(rng), service[i] = sv(rng);
    }
    std::vector<VehicleType> types(1);
    types[0].capacity = {20};
    types[0].reload_depots = {0};
    types[0].reload_time = 7;
    TimeData time;
    if (windows) {
        time.early.assign(m, 0), time.late.assign(m, 0), time.release.assign(m, 0);
        time.late[0] = 900;
        for (std::size_t i = 1; i < m; ++i) {
            time.early[i] = open(rng);
            time.late[i] = std::max<Duration>(time.early[i] + width(rng), 300);
            if (third(rng) == 0) time.release[i] = rel(rng);
        }
    }
    return ProblemData(x, y, demand, 1, service, types, DistanceKind::euclidean_rounded, 1.0, 1.0,
                       {}, {}, {}, {}, 1.0, 4000, time);
}

/// Clients 1..n shuffled with a reload after about every fourth client (normalised).
std::vector<std::int32_t> random_visits(const ProblemData& data, std::mt19937& rng) {
    std::vector<std::int32_t> c;
    for (std::size_t i = 1; i <= data.num_clients(); ++i) c.push_back(static_cast<std::int32_t>(i));
    std::shuffle(c.begin(), c.end(), rng);
    std::uniform_int_distribution<int> coin(0, 3);
    std::vector<std::int32_t> nodes{0};
    for (auto v : c) {
        nodes.push_back(v);
        if (coin(rng) == 0) nodes.push_back(0);
    }
    nodes.push_back(0);
    normalize_reloads(data, nodes);
    return {nodes.begin() + 1, nodes.end() - 1};
}

TripTime fold_time(const ProblemData& data, const std::vector<std::int32_t>& v, std::size_t a,
                   std::size_t b) {
    TripTime t;
    for (std::size_t p = a; p < b; ++p) {
        const auto c = static_cast<std::size_t>(v[p]);
        t = TripTime::merge(data, 0, t,
                            data.is_depot(c) ? TripTime::depot(c) : TripTime::client(data, c));
    }
    return t;
}

TripLoad fold_load(const ProblemData& data, const std::vector<std::int32_t>& v, std::size_t a,
                   std::size_t b) {
    TripLoad t;
    for (std::size_t p = a; p < b; ++p) {
        const auto c = static_cast<std::size_t>(v[p]);
        t = TripLoad::merge(
            t, data.is_depot(c) ? TripLoad::depot() : TripLoad::client(data.load_seg(c, 0)), 20);
    }
    return t;
}

}  // namespace

TEST_CASE("trip segments: every split concatenates to the walk and to Solution") {
    for (bool windows : {false, true})
        for (std::uint32_t seed = 0; seed < 12; ++seed) {
            const auto data = reload_instance(seed, windows);
            std::mt19937 rng(seed + 100);
            const auto v = random_visits(data, rng);
            Load excess = 0;
            const TripEval walk = eval_trips(data, 0, v.data(), v.size(), &excess);
            const Solution sol(data, {Route{v, 0}});
            const auto& r = sol.routes().front();
            CHECK(walk.dist == r.distance);
            CHECK(walk.dur == r.duration);
            CHECK(walk.warp == r.time_warp);
            CHECK(walk.reloads > 0);
            std::uniform_int_distribution<std::size_t> cut(0, v.size());
            for (int rep = 0; rep < 20; ++rep) {
                std::size_t a = cut(rng), b = cut(rng);
                if (a > b) std::swap(a, b);
                const TripLoad l = TripLoad::merge(
                    TripLoad::merge(fold_load(data, v, 0, a), fold_load(data, v, a, b), 20),
                    fold_load(data, v, b, v.size()), 20);
                CHECK(l.excess(20) == excess);
                if (!windows) continue;
                const TripTime t =
                    TripTime::merge(data, 0, fold_time(data, v, 0, a),
                                    TripTime::merge(data, 0, fold_time(data, v, a, b),
                                                    fold_time(data, v, b, v.size())));
                const TimePart all = t.close(data, 0);
                const TimeSeg s = TimeSeg::merge(
                    TimeSeg::merge(data.start_seg(0), data.duration(0, all.first), all.s),
                    data.duration(all.last, 0), data.end_seg(0));
                CHECK(s.dur == walk.dur);
                CHECK(s.total_warp() == walk.warp);
            }
        }
}
