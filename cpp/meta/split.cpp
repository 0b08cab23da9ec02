#include "meta/split.h"

#include <algorithm>
#include <limits>

namespace lastmile {

std::vector<Route> split_giant_tour(const ProblemData& data, const std::vector<std::int32_t>& tour,
                                    const Penalties& pen, const SplitParams& params) {
    const std::size_t N = tour.size(), dims = data.num_dims(), nt = data.num_vehicle_types();
    std::vector<double> maxcap(dims, 0);
    double maxdur = 0, maxdist = 0;
    std::int64_t total_slots = 0;
    for (const auto& t : data.vehicle_types()) {
        if (t.num_available == 0) continue;
        for (std::size_t d = 0; d < dims; ++d)
            maxcap[d] = std::max(maxcap[d], static_cast<double>(t.capacity[d]));
        maxdur = std::max(maxdur, static_cast<double>(t.max_duration));
        maxdist = std::max(maxdist, static_cast<double>(t.max_distance));
        total_slots += std::min<std::int64_t>(t.num_available, static_cast<std::int64_t>(N));
    }
    // Candidate routes (i, j) = tour[i..j-1] are enumerated on the fly (O(N) memory), each with
    // the cheapest vehicle type under the penalised cost; the DPs relax them forward.
    std::vector<Load> load(dims);
    bool need_dur = false;
    for (const auto& t : data.vehicle_types())
        need_dur |= t.cost_per_duration != 0 || t.max_duration < kUnlimited;
    // Time windows: the route's time segment grows by one client per step (O(1) each); its
    // duration (with waiting) and time warp are evaluated per type at the depot windows.
    const bool time = data.has_time_windows();
    const bool multi = data.multi_depot();
    need_dur |= time;
    TimeSeg tseg;
    const bool pick = data.has_pickups();  // pickups: capacity applies to the peak load
    std::vector<LoadSeg> lseg(pick ? dims : 0);
    std::size_t num_arcs = 0;
    auto arcs_from = [&](std::size_t i, auto&& fn) {
        std::fill(load.begin(), load.end(), 0);
        Distance dist = 0;
        Duration dur = 0;
        const std::size_t first = static_cast<std::size_t>(tour[i]);
        for (std::size_t j = i; j < N; ++j) {
            const std::size_t c = static_cast<std::size_t>(tour[j]);
            const std::size_t prev = j == i ? 0 : static_cast<std::size_t>(tour[j - 1]);
            dist += data.dist(prev, c);
            if (need_dur) dur += data.duration(prev, c) + data.service(c);
            if (time)
                tseg = j == i ? data.visit_seg(c)
                              : TimeSeg::merge(tseg, data.duration(prev, c), data.visit_seg(c));
            bool over = false;
            for (std::size_t d = 0; d < dims; ++d) {
                if (pick) {  // the load profile's peak grows by one visit (O(1))
                    lseg[d] = LoadSeg::merge(j == i ? LoadSeg{} : lseg[d], data.load_seg(c, d));
                    load[d] = lseg[d].peak;
                } else {
                    load[d] += data.demand(c, d);
                }
                over |= static_cast<double>(load[d]) > params.route_bound * maxcap[d] + 1e-9;
            }
            // Several depots: the depot legs depend on the type (`dist`/`dur` start at depot
            // 0; legs_of swaps in the type's depots). The bound uses the shortest legs.
            auto legs_of = [&](std::size_t k, Distance& fdk, Duration& ftk) {
                const std::size_t a = data.start_node(k), b = data.end_node(k);
                fdk = dist - data.dist(0, first) + data.dist(a, first) + data.dist(c, b);
                ftk = need_dur ? dur - data.duration(0, first) + data.duration(a, first) +
                                     data.duration(c, b)
                               : 0;
            };
            Distance fd = dist + data.dist(c, 0);
            Duration ft = need_dur ? dur + data.duration(c, 0) : 0;
            if (multi)
                for (std::size_t k = 0; k < nt; ++k) {
                    Distance fdk;
                    Duration ftk;
                    legs_of(k, fdk, ftk);
                    if (k == 0 || fdk < fd) fd = fdk;
                    if (k == 0 || ftk < ft) ft = ftk;
                }
            over |= static_cast<double>(ft) > params.route_bound * maxdur ||
                    static_cast<double>(fd) > params.route_bound * maxdist;
            if (over && j > i) break;
            double best = std::numeric_limits<double>::infinity();
            int bt = 0;
            for (std::size_t k = 0; k < nt; ++k) {
                const auto& t = data.vehicle_type(k);
                if (t.num_available == 0) continue;
                Distance fdk = fd;
                Duration tt = ft;  // duration for this type (with waiting under time windows)
                if (multi) legs_of(k, fdk, tt);
                double c2 = 0;
                if (time) {
                    const TimeSeg w = TimeSeg::merge(
                        TimeSeg::merge(data.start_seg(k), data.duration(data.start_node(k), first),
                                       tseg),
                        data.duration(c, data.end_node(k)), data.end_seg(k));
                    tt = w.dur + t.break_duration;  // a break: its duration, none absorbed
                    c2 = pen.time_warp * static_cast<double>(w.total_warp());
                }
                c2 += t.route_cost(static_cast<double>(fdk), static_cast<double>(tt));
                if (tt > t.max_duration)
                    c2 += pen.duration * static_cast<double>(tt - t.max_duration);
                if (fdk > t.max_distance)
                    c2 += pen.distance * static_cast<double>(fdk - t.max_distance);
                for (std::size_t d = 0; d < dims; ++d)
                    if (load[d] > t.capacity[d])
                        c2 += pen.load[d] * static_cast<double>(load[d] - t.capacity[d]);
                if (c2 < best) best = c2, bt = static_cast<int>(k);
            }
            fn(j + 1, best, bt);
            if (over) break;
        }
    };
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> pot(N + 1, inf);
    std::vector<std::int32_t> pred(N + 1, -1), ptype(N + 1, 0);
    pot[0] = 0;
    for (std::size_t i = 0; i < N; ++i)
        arcs_from(i, [&](std::size_t j, double cost, int type) {
            ++num_arcs;
            if (pot[i] + cost < pot[j])
                pot[j] = pot[i] + cost, pred[j] = static_cast<std::int32_t>(i), ptype[j] = type;
        });
    std::vector<Route> routes;
    for (std::size_t j = N; j > 0;) {
        const std::size_t i = static_cast<std::size_t>(pred[j]);
        Route r;
        r.visits.assign(tour.begin() + static_cast<std::ptrdiff_t>(i),
                        tour.begin() + static_cast<std::ptrdiff_t>(j));
        r.vehicle_type = ptype[j];
        routes.push_back(std::move(r));
        j = i;
    }
    std::reverse(routes.begin(), routes.end());
    const auto K = static_cast<std::size_t>(total_slots);
    if (routes.size() <= K || K == 0 || K * num_arcs > params.max_fleet_work ||
        K * (N + 1) > params.max_fleet_cells)
        return routes;
    // Limited fleet: DP over (routes used, position), arcs recomputed per layer.
    std::vector<double> p0(N + 1, inf), p1(N + 1);
    std::vector<std::int32_t> prk((K + 1) * (N + 1), -1), ptk((K + 1) * (N + 1), 0);
    p0[0] = 0;
    std::size_t best_k = 0;
    double best = inf;
    for (std::size_t k = 1; k <= K; ++k) {
        std::fill(p1.begin(), p1.end(), inf);
        for (std::size_t i = 0; i < N; ++i) {
            if (p0[i] == inf) continue;
            arcs_from(i, [&](std::size_t j, double cost, int type) {
                if (p0[i] + cost < p1[j]) {
                    p1[j] = p0[i] + cost;
                    prk[k * (N + 1) + j] = static_cast<std::int32_t>(i);
                    ptk[k * (N + 1) + j] = type;
                }
            });
        }
        if (p1[N] < best) best = p1[N], best_k = k;
        std::swap(p0, p1);
    }
    if (best_k == 0) return routes;
    std::vector<Route> out;
    for (std::size_t j = N, k = best_k; j > 0; --k) {
        const std::size_t i = static_cast<std::size_t>(prk[k * (N + 1) + j]);
        Route r;
        r.visits.assign(tour.begin() + static_cast<std::ptrdiff_t>(i),
                        tour.begin() + static_cast<std::ptrdiff_t>(j));
        r.vehicle_type = ptk[k * (N + 1) + j];
        out.push_back(std::move(r));
        j = i;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace lastmile
