#include "construct/construct.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <tuple>

#include "core/route_load.h"
#include "search/neighbours.h"

namespace lastmile {
namespace {

/// True when some vehicle type with vehicles can serve a route with these totals.
bool fits_some_type(const ProblemData& data, const Load* load, Distance dist, Duration dur) {
    for (const auto& t : data.vehicle_types()) {
        if (t.num_available == 0) continue;
        if (dist > t.max_distance || dur > t.max_duration) continue;
        bool ok = true;
        for (std::size_t d = 0; d < data.num_dims() && ok; ++d) ok = load[d] <= t.capacity[d];
        if (ok) return true;
    }
    return false;
}

bool symmetric(const ProblemData& data) {
    return data.distance_kind() != DistanceKind::matrix && !data.has_duration_matrix();
}

// --- time windows ---
/// Whole-route time segment (depot windows of type k) of the client segment `clients` that
/// starts at node `head` and ends at node `tail`.
TimeSeg close_route(const ProblemData& data, std::size_t k, const TimeSeg& clients,
                    std::int32_t head, std::int32_t tail) {
    return TimeSeg::merge(
        TimeSeg::merge(data.start_seg(k), data.duration(data.start_node(k), head), clients),
        data.duration(tail, data.end_node(k)), data.end_seg(k));
}

/// fits_some_type with time windows: some type also serves the route without time warp (its
/// duration with waiting within the limit).
bool fits_some_type_tw(const ProblemData& data, const Load* load, Distance dist,
                       const TimeSeg& clients, std::int32_t head, std::int32_t tail) {
    for (std::size_t k = 0; k < data.num_vehicle_types(); ++k) {
        const auto& t = data.vehicle_type(k);
        if (t.num_available == 0 || dist > t.max_distance) continue;
        const TimeSeg r = close_route(data, k, clients, head, tail);
        if (r.total_warp() > 0 || r.dur > t.max_duration) continue;
        bool ok = true;
        for (std::size_t d = 0; d < data.num_dims() && ok; ++d) ok = load[d] <= t.capacity[d];
        if (ok) return true;
    }
    return false;
}
// --- end time windows ---

}  // namespace

void assign_vehicle_types(const ProblemData& data, std::vector<Route>& routes) {
    const std::size_t dims = data.num_dims(), nt = data.num_vehicle_types();
    struct Stat {
        std::vector<Load> load;
        Distance dist = 0;
        Duration dur = 0;
        double size = 0;
    };
    std::vector<Stat> st(routes.size());
    std::vector<double> maxcap(dims, 1.0);
    for (const auto& t : data.vehicle_types())
        for (std::size_t d = 0; d < dims; ++d)
            maxcap[d] = std::max(maxcap[d], static_cast<double>(t.capacity[d]));
    for (std::size_t r = 0; r < routes.size(); ++r) {
        auto& s = st[r];
        s.load.assign(dims, 0);
        std::size_t prev = 0;
        for (auto c : routes[r].visits) {
            s.dist += data.dist(prev, c);
            s.dur += data.duration(prev, c) + data.service(c);
            for (std::size_t d = 0; d < dims; ++d) s.load[d] += data.demand(c, d);
            prev = c;
        }
        s.dist += data.dist(prev, 0);
        s.dur += data.duration(prev, 0);
        if (data.has_pickups()) visits_peak(data, routes[r].visits, s.load.data());
        for (std::size_t d = 0; d < dims; ++d)
            s.size = std::max(s.size, static_cast<double>(s.load[d]) / maxcap[d]);
    }
    std::vector<std::size_t> order(routes.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return st[a].size > st[b].size; });
    std::vector<std::int64_t> left(nt);
    for (std::size_t k = 0; k < nt; ++k) left[k] = data.vehicle_type(k).num_available;
    std::size_t largest = 0;
    for (std::size_t k = 1; k < nt; ++k)
        if (data.vehicle_type(k).capacity[0] > data.vehicle_type(largest).capacity[0]) largest = k;
    for (auto r : order) {
        const auto& s = st[r];
        int best = -1, fallback = -1;
        double best_cost = 0;
        for (std::size_t k = 0; k < nt; ++k) {
            if (left[k] <= 0) continue;
            const auto& t = data.vehicle_type(k);
            Distance dk = s.dist;
            Duration tk = s.dur;
            if (data.multi_depot() && !routes[r].visits.empty()) {  // the type's depot legs
                const std::size_t f = static_cast<std::size_t>(routes[r].visits.front()),
                                  l = static_cast<std::size_t>(routes[r].visits.back());
                const std::size_t a = data.start_node(k), b = data.end_node(k);
                dk += data.dist(a, f) + data.dist(l, b) - data.dist(0, f) - data.dist(l, 0);
                tk += data.duration(a, f) + data.duration(l, b) - data.duration(0, f) -
                      data.duration(l, 0);
            }
            bool ok = dk <= t.max_distance && tk <= t.max_duration;
            for (std::size_t d = 0; d < dims && ok; ++d) ok = s.load[d] <= t.capacity[d];
            if (fallback < 0 || t.capacity[0] > data.vehicle_type(fallback).capacity[0])
                fallback = static_cast<int>(k);
            if (!ok) continue;
            const double c = t.route_cost(static_cast<double>(dk), static_cast<double>(tk));
            if (best < 0 || c < best_cost) best = static_cast<int>(k), best_cost = c;
        }
        if (best < 0) best = fallback >= 0 ? fallback : static_cast<int>(largest);
        routes[r].vehicle_type = best;
        --left[best];
    }
}

std::vector<Route> savings_routes(const ProblemData& data, int k) {
    const std::size_t n = data.num_clients() + 1, dims = data.num_dims();  // clients 1..n-1
    const Neighbours nb(data, k);
    // Time windows: routes keep their orientation (a reversed route would need its reversed
    // time segment), so only tail -> head merges are tried.
    const bool time = data.has_time_windows();
    // Pickups: likewise (a reversed route has another load profile); lseg is the load segment
    // of each route id, head to tail, and its peak is the load the capacity applies to.
    const bool pick = data.has_pickups();
    const bool sym = symmetric(data) && !time && !pick;
    // Candidate pairs (i -> j) with positive saving, best first (ties broken by indices).
    struct Pair {
        Distance s;
        std::int32_t i, j;
    };
    std::vector<Pair> pairs;
    pairs.reserve((n - 1) * static_cast<std::size_t>(nb.k()));
    for (std::size_t i = 1; i < n; ++i)
        for (auto p = nb.begin(i); p != nb.end(i); ++p) {
            const std::size_t j = static_cast<std::size_t>(*p);
            if (sym && j < i) continue;  // (j, i) is the same pair
            const Distance s = data.dist(i, 0) + data.dist(0, j) - data.dist(i, j);
            if (s > 0)
                pairs.push_back({s, static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
        }
    if (sym) {  // pairs found only from j's side
        for (std::size_t j = 1; j < n; ++j)
            for (auto p = nb.begin(j); p != nb.end(j); ++p) {
                const std::size_t i = static_cast<std::size_t>(*p);
                if (i >= j) continue;
                bool dup = false;
                for (auto q = nb.begin(i); q != nb.end(i); ++q)
                    dup |= (static_cast<std::size_t>(*q) == j);
                if (dup) continue;
                const Distance s = data.dist(i, 0) + data.dist(0, j) - data.dist(i, j);
                if (s > 0)
                    pairs.push_back(
                        {s, static_cast<std::int32_t>(i), static_cast<std::int32_t>(j)});
            }
    }
    std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
        return std::tie(b.s, a.i, a.j) < std::tie(a.s, b.i, b.j);
    });
    // Routes as doubly linked lists; route id = its first client at creation.
    std::vector<std::int32_t> next(n, 0), prev(n, 0), rid(n), head(n), tail(n), size(n, 1);
    std::vector<Load> load(n * dims);
    std::vector<Distance> dist(n);
    std::vector<Duration> dur(n);
    std::vector<std::vector<std::int32_t>> members(n);
    for (std::size_t c = 1; c < n; ++c) {
        rid[c] = head[c] = tail[c] = static_cast<std::int32_t>(c);
        for (std::size_t d = 0; d < dims; ++d) load[c * dims + d] = data.demand(c, d);
        dist[c] = data.dist(0, c) + data.dist(c, 0);
        dur[c] = data.duration(0, c) + data.service(c) + data.duration(c, 0);
        members[c] = {static_cast<std::int32_t>(c)};
    }
    std::vector<TimeSeg> tseg;  // client segment per route id (time windows only)
    if (time) {
        tseg.resize(n);
        for (std::size_t c = 1; c < n; ++c) tseg[c] = data.visit_seg(c);
    }
    auto reverse = [&](std::int32_t r) {
        for (auto c : members[r]) std::swap(next[c], prev[c]);
        std::swap(head[r], tail[r]);
    };
    std::vector<LoadSeg> lseg(pick ? n * dims : 0), mseg(pick ? dims : 0);
    for (std::size_t c = 1; pick && c < n; ++c)
        for (std::size_t d = 0; d < dims; ++d) lseg[c * dims + d] = data.load_seg(c, d);
    std::vector<Load> merged(dims);
    for (const auto& p : pairs) {
        std::int32_t i = p.i, j = p.j;
        std::int32_t a = rid[i], b = rid[j];
        if (a == b) continue;
        const bool i_tail = tail[a] == i, i_head = head[a] == i, j_head = head[b] == j,
                   j_tail = tail[b] == j;
        if (!(i_tail && j_head) && !sym) continue;
        if (!(i_tail || i_head) || !(j_tail || j_head)) continue;
        for (std::size_t d = 0; d < dims; ++d) merged[d] = load[a * dims + d] + load[b * dims + d];
        for (std::size_t d = 0; d < mseg.size(); ++d) {  // pickups: a (tail i) then b (head j)
            mseg[d] = LoadSeg::merge(lseg[a * dims + d], lseg[b * dims + d]);
            merged[d] = mseg[d].peak;
        }
        const Distance nd = dist[a] + dist[b] - data.dist(i, 0) - data.dist(0, j) + data.dist(i, j);
        const Duration nt =
            dur[a] + dur[b] - data.duration(i, 0) - data.duration(0, j) + data.duration(i, j);
        TimeSeg mt;
        if (time) {
            mt = TimeSeg::merge(tseg[a], data.duration(i, j), tseg[b]);
            if (!fits_some_type_tw(data, merged.data(), nd, mt, head[a], tail[b])) continue;
        } else if (!fits_some_type(data, merged.data(), nd, nt)) {
            continue;
        }
        // Orient so that i is the tail of a and j the head of b (reverse the smaller route).
        if (!(i_tail && j_head)) {
            if (i_head && j_tail) {
                std::swap(a, b), std::swap(i, j);  // j -> i link: route b then a
            } else if (i_head && j_head) {
                if (size[a] <= size[b])
                    reverse(a);
                else {
                    reverse(b);
                    std::swap(a, b);
                    std::swap(i, j);
                }
            } else {  // i tail, j tail
                if (size[b] <= size[a])
                    reverse(b);
                else {
                    reverse(a);
                    std::swap(a, b);
                    std::swap(i, j);
                }
            }
        }
        // Link i (tail of a) -> j (head of b); keep the id of the larger route.
        next[i] = j;
        prev[j] = i;
        const std::int32_t h = head[a], t = tail[b];
        std::int32_t keep = size[a] >= size[b] ? a : b, gone = keep == a ? b : a;
        for (auto c : members[gone]) rid[c] = keep;
        members[keep].insert(members[keep].end(), members[gone].begin(), members[gone].end());
        members[gone].clear();
        members[gone].shrink_to_fit();
        head[keep] = h, tail[keep] = t;
        size[keep] = size[a] + size[b];
        for (std::size_t d = 0; d < dims; ++d) load[keep * dims + d] = merged[d];
        for (std::size_t d = 0; d < mseg.size(); ++d) lseg[keep * dims + d] = mseg[d];
        dist[keep] = nd;
        dur[keep] = nt;
        if (time) tseg[keep] = mt;
    }
    std::vector<Route> routes;
    for (std::size_t c = 1; c < n; ++c) {
        if (rid[c] != static_cast<std::int32_t>(c) && members[c].empty()) continue;
        if (members[c].empty()) continue;
        Route r;
        for (std::int32_t v = head[c];; v = next[v]) {
            r.visits.push_back(v);
            if (v == tail[c]) break;
        }
        routes.push_back(std::move(r));
    }
    assign_vehicle_types(data, routes);
    return routes;
}

std::vector<Route> sweep_routes(const ProblemData& data) {
    const std::size_t n = data.num_clients() + 1, dims = data.num_dims();  // clients 1..n-1
    std::vector<std::pair<double, std::int32_t>> ang;
    for (std::size_t i = 1; i < n; ++i)
        ang.emplace_back(std::atan2(data.y(i) - data.y(0), data.x(i) - data.x(0)),
                         static_cast<std::int32_t>(i));
    std::sort(ang.begin(), ang.end());
    // Start after the largest angular gap.
    std::size_t start = 0;
    double gap = -1;
    for (std::size_t t = 0; t < ang.size(); ++t) {
        const double a = ang[t].first, b = t + 1 < ang.size() ? ang[t + 1].first
                                                              : ang[0].first + 2 * std::numbers::pi;
        if (b - a > gap) gap = b - a, start = (t + 1) % ang.size();
    }
    std::rotate(ang.begin(), ang.begin() + static_cast<std::ptrdiff_t>(start), ang.end());
    std::vector<Route> routes;
    Route cur;
    std::vector<Load> load(dims, 0), trial(dims);
    Distance dist = 0;
    Duration dur = 0;
    for (auto [a, c] : ang) {
        (void)a;
        const std::int32_t last = cur.visits.empty() ? 0 : cur.visits.back();
        for (std::size_t d = 0; d < dims; ++d) trial[d] = load[d] + data.demand(c, d);
        const Distance nd = dist - data.dist(last, 0) + data.dist(last, c) + data.dist(c, 0);
        const Duration nt = dur - data.duration(last, 0) + data.duration(last, c) +
                            data.service(c) + data.duration(c, 0);
        if (!cur.visits.empty() && !fits_some_type(data, trial.data(), nd, nt)) {
            routes.push_back(std::move(cur));
            cur = Route{};
            std::fill(load.begin(), load.end(), 0);
            dist = 0, dur = 0;
        }
        const std::int32_t l2 = cur.visits.empty() ? 0 : cur.visits.back();
        dist += -data.dist(l2, 0) + data.dist(l2, c) + data.dist(c, 0);
        dur += -data.duration(l2, 0) + data.duration(l2, c) + data.service(c) + data.duration(c, 0);
        for (std::size_t d = 0; d < dims; ++d) load[d] += data.demand(c, d);
        cur.visits.push_back(c);
    }
    if (!cur.visits.empty()) routes.push_back(std::move(cur));
    assign_vehicle_types(data, routes);
    return routes;
}

std::vector<Route> nearest_neighbour_routes(const ProblemData& data, int k) {
    const std::size_t n = data.num_clients() + 1, dims = data.num_dims();  // clients 1..n-1
    const Neighbours nb(data, k);
    std::vector<char> done(n, 0);
    std::vector<std::int32_t> unvisited;  // compacted lazily
    for (std::size_t i = 1; i < n; ++i) unvisited.push_back(static_cast<std::int32_t>(i));
    std::size_t remaining = n - 1;
    std::vector<Route> routes;
    std::vector<Load> load(dims), trial(dims);
    while (remaining > 0) {
        Route cur;
        std::fill(load.begin(), load.end(), 0);
        Distance dist = 0;
        Duration dur = 0;
        std::int32_t last = 0;
        for (;;) {
            auto feasible = [&](std::int32_t c) {
                for (std::size_t d = 0; d < dims; ++d) trial[d] = load[d] + data.demand(c, d);
                const Distance nd =
                    dist - data.dist(last, 0) * (last != 0) + data.dist(last, c) + data.dist(c, 0);
                const Duration nt = dur - data.duration(last, 0) * (last != 0) +
                                    data.duration(last, c) + data.service(c) + data.duration(c, 0);
                return cur.visits.empty() || fits_some_type(data, trial.data(), nd, nt);
            };
            std::int32_t pick = -1;
            if (last != 0)
                for (auto p = nb.begin(last); p != nb.end(last); ++p)
                    if (!done[*p] && feasible(*p)) {
                        pick = *p;
                        break;
                    }
            if (pick < 0) {
                std::size_t w = 0;
                Distance best = 0;
                for (std::size_t t = 0; t < unvisited.size(); ++t) {
                    const auto c = unvisited[t];
                    if (done[c]) continue;
                    unvisited[w++] = c;
                    const Distance dd = data.dist(last, c);
                    if ((pick < 0 || dd < best) && feasible(c)) pick = c, best = dd;
                }
                unvisited.resize(w);
            }
            if (pick < 0) break;
            dist += -data.dist(last, 0) * (last != 0) + data.dist(last, pick) + data.dist(pick, 0);
            if (last == 0) dist = data.dist(0, pick) + data.dist(pick, 0);
            dur += -data.duration(last, 0) * (last != 0) + data.duration(last, pick) +
                   data.service(pick) + data.duration(pick, 0);
            if (last == 0)
                dur = data.duration(0, pick) + data.service(pick) + data.duration(pick, 0);
            for (std::size_t d = 0; d < dims; ++d) load[d] += data.demand(pick, d);
            cur.visits.push_back(pick);
            done[pick] = 1;
            --remaining;
            last = pick;
        }
        routes.push_back(std::move(cur));
    }
    assign_vehicle_types(data, routes);
    return routes;
}

}  // namespace lastmile
