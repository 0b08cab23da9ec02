#include "meta/split.h"

#include <algorithm>
#include <limits>

namespace lastmile {

std::vector<Route> split_giant_tour(const ProblemData& data, const std::vector<std::int32_t>& tour,
                                    const Penalties& pen) {
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
    // Arc list of candidate routes (i, j, cost, type) built once, then one or two DPs over it.
    struct Arc {
        std::uint32_t i, j;
        double cost;
        int type;
    };
    std::vector<Arc> arcs;
    std::vector<Load> load(dims);
    bool need_dur = false;
    for (const auto& t : data.vehicle_types())
        need_dur |= t.cost_per_duration != 0 || t.max_duration < kUnlimited;
    for (std::size_t i = 0; i < N; ++i) {
        std::fill(load.begin(), load.end(), 0);
        Distance dist = 0;
        Duration dur = 0;
        for (std::size_t j = i; j < N; ++j) {
            const std::size_t c = static_cast<std::size_t>(tour[j]);
            const std::size_t prev = j == i ? 0 : static_cast<std::size_t>(tour[j - 1]);
            dist += data.dist(prev, c);
            if (need_dur) dur += data.duration(prev, c) + data.service(c);
            bool over = false;
            for (std::size_t d = 0; d < dims; ++d) {
                load[d] += data.demand(c, d);
                over |= static_cast<double>(load[d]) > 1.5 * maxcap[d] + 1e-9;
            }
            const Distance fd = dist + data.dist(c, 0);
            const Duration ft = need_dur ? dur + data.duration(c, 0) : 0;
            over |=
                static_cast<double>(ft) > 1.5 * maxdur || static_cast<double>(fd) > 1.5 * maxdist;
            if (over && j > i) break;
            double best = std::numeric_limits<double>::infinity();
            int bt = 0;
            for (std::size_t k = 0; k < nt; ++k) {
                const auto& t = data.vehicle_type(k);
                if (t.num_available == 0) continue;
                double c2 = t.fixed_cost + t.cost_per_distance * static_cast<double>(fd) +
                            t.cost_per_duration * static_cast<double>(ft);
                if (ft > t.max_duration)
                    c2 += pen.duration * static_cast<double>(ft - t.max_duration);
                if (fd > t.max_distance)
                    c2 += pen.distance * static_cast<double>(fd - t.max_distance);
                for (std::size_t d = 0; d < dims; ++d)
                    if (load[d] > t.capacity[d])
                        c2 += pen.load[d] * static_cast<double>(load[d] - t.capacity[d]);
                if (c2 < best) best = c2, bt = static_cast<int>(k);
            }
            arcs.push_back(
                {static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j + 1), best, bt});
            if (over) break;
        }
    }
    // Arcs are grouped by i; the DP relaxes forward.
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> pot(N + 1, inf);
    std::vector<std::int32_t> pred(N + 1, -1);
    pot[0] = 0;
    for (std::size_t a = 0; a < arcs.size(); ++a) {
        const auto& e = arcs[a];
        if (pot[e.i] + e.cost < pot[e.j])
            pot[e.j] = pot[e.i] + e.cost, pred[e.j] = static_cast<std::int32_t>(a);
    }
    auto extract = [&](const std::vector<std::int32_t>& pr, std::size_t end) {
        std::vector<Route> routes;
        for (std::size_t j = end; j > 0;) {
            const auto& e = arcs[pr[j]];
            Route r;
            r.visits.assign(tour.begin() + e.i, tour.begin() + e.j);
            r.vehicle_type = e.type;
            routes.push_back(std::move(r));
            j = e.i;
        }
        std::reverse(routes.begin(), routes.end());
        return routes;
    };
    auto routes = extract(pred, N);
    const auto K = static_cast<std::size_t>(total_slots);
    if (routes.size() <= K || K == 0 || K * arcs.size() > 200'000'000ULL) return routes;
    // Limited fleet: DP over (routes used, position).
    std::vector<double> p0(N + 1, inf), p1(N + 1);
    std::vector<std::vector<std::int32_t>> prk(K + 1, std::vector<std::int32_t>(N + 1, -1));
    p0[0] = 0;
    std::size_t best_k = 0;
    double best = inf;
    for (std::size_t k = 1; k <= K; ++k) {
        std::fill(p1.begin(), p1.end(), inf);
        for (std::size_t a = 0; a < arcs.size(); ++a) {
            const auto& e = arcs[a];
            if (p0[e.i] + e.cost < p1[e.j])
                p1[e.j] = p0[e.i] + e.cost, prk[k][e.j] = static_cast<std::int32_t>(a);
        }
        if (p1[N] < best) best = p1[N], best_k = k;
        std::swap(p0, p1);
    }
    if (best_k == 0) return routes;
    std::vector<Route> out;
    for (std::size_t j = N, k = best_k; j > 0; --k) {
        const auto& e = arcs[prk[k][j]];
        Route r;
        r.visits.assign(tour.begin() + e.i, tour.begin() + e.j);
        r.vehicle_type = e.type;
        out.push_back(std::move(r));
        j = e.i;
    }
    std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace lastmile
