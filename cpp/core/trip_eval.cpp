#include "core/trip_eval.h"

#include <algorithm>

#include "core/route_reload.h"

namespace lastmile {

TripEval eval_trips(const ProblemData& data, std::size_t k, const std::int32_t* v, std::size_t n,
                    Load* excess) {
    const auto& vt = data.vehicle_type(k);
    const std::size_t dims = data.num_dims();
    TripEval e;
    std::fill(excess, excess + dims, Load{0});
    std::size_t prev = data.start_node(k);
    for (std::size_t p = 0; p < n; ++p) {
        const auto c = static_cast<std::size_t>(v[p]);
        e.dist += data.dist(prev, c);
        if (data.is_depot(c)) {
            e.dur += data.duration(prev, c) + vt.reload_time;
            ++e.reloads;
            e.allowed = e.allowed && vt.can_reload(data.depot_of_node(c));
        } else {
            e.dur += data.duration(prev, c) + data.service(c);
            ++e.clients;
        }
        prev = c;
    }
    e.dist += data.dist(prev, data.end_node(k));
    e.dur += data.duration(prev, data.end_node(k));
    e.allowed = e.allowed && e.reloads <= vt.max_reloads;
    // Capacity per trip (the client runs between depot visits).
    for (std::size_t d = 0; d < dims; ++d) {
        LoadSeg acc;
        for (std::size_t p = 0; p <= n; ++p) {
            if (p == n || data.is_depot(static_cast<std::size_t>(v[p]))) {
                excess[d] += acc.excess(vt.capacity[d]);
                acc = LoadSeg{};
                continue;
            }
            acc = LoadSeg::merge(acc, data.load_seg(static_cast<std::size_t>(v[p]), d));
        }
    }
    if (!data.has_time_windows() || n == 0) return e;
    // Time: as Solution's time_window_route: a reload waits for the latest release of the trip
    // it starts; only the first trip's releases bound the departure from the start depot.
    const std::vector<std::int32_t> visits(v, v + n);
    const std::vector<Duration> rel = trip_releases(data, visits);
    TimeSeg s = data.start_seg(k);
    prev = data.start_node(k);
    bool first_trip = true;
    for (std::size_t p = 0; p < n; ++p) {
        const auto c = static_cast<std::size_t>(v[p]);
        TimeSeg seg;
        if (data.is_depot(c)) {
            seg = data.reload_seg(k, c, rel[p]);
            first_trip = false;
        } else {
            seg = TimeSeg::visit(data.service(c), data.tw_early(c), data.tw_late(c),
                                 first_trip ? data.release(c) : 0);
        }
        s = TimeSeg::merge(s, data.duration(prev, c), seg);
        prev = c;
    }
    s = TimeSeg::merge(s, data.duration(prev, data.end_node(k)), data.end_seg(k));
    e.dur = s.dur;
    e.warp = s.total_warp();
    return e;
}

std::int64_t normalize_reloads(const ProblemData& data, std::vector<std::int32_t>& nodes,
                               int type) {
    if (nodes.size() <= 2) return 0;
    const VehicleType* vt =
        type >= 0 ? &data.vehicle_type(static_cast<std::size_t>(type)) : nullptr;
    std::size_t w = 1;  // nodes[0, w) kept; nodes[w - 1] is a depot at the start
    bool after_depot = true;
    std::int64_t reloads = 0;
    for (std::size_t p = 1; p + 1 < nodes.size(); ++p) {
        const auto c = static_cast<std::size_t>(nodes[p]);
        if (data.is_depot(c)) {
            if (after_depot) continue;
            if (vt && (!vt->can_reload(data.depot_of_node(c)) || reloads >= vt->max_reloads))
                continue;
            after_depot = true;
            ++reloads;
        } else {
            after_depot = false;
        }
        nodes[w++] = nodes[p];
    }
    if (w > 1 && after_depot && data.is_depot(static_cast<std::size_t>(nodes[w - 1])) &&
        reloads > 0) {
        --w;  // a reload right before the end depot
        --reloads;
    }
    nodes[w++] = nodes.back();
    nodes.resize(w);
    return reloads;
}

}  // namespace lastmile
