#include "core/route_break.h"

#include <vector>

#include "core/problem.h"

namespace lastmile {

TimeSeg break_seg(const VehicleType& t) {
    return TimeSeg::visit(t.break_duration, t.break_early, t.break_late, 0);
}

BreakPlan place_break(const VehicleType& t, const TimeSeg* seg, const Duration* travel,
                      std::size_t n) {
    thread_local std::vector<TimeSeg> back;  // back[p]: nodes p..n-1
    back.resize(n);
    back[n - 1] = seg[n - 1];
    for (std::size_t p = n - 1; p-- > 0;) back[p] = TimeSeg::merge(seg[p], travel[p], back[p + 1]);
    const TimeSeg b = break_seg(t);
    BreakPlan best;
    Duration best_warp = 0;
    TimeSeg front = seg[0];  // nodes 0..p
    for (std::size_t p = 0; p + 1 < n; ++p) {
        if (p > 0) front = TimeSeg::merge(front, travel[p - 1], seg[p]);
        const TimeSeg c = TimeSeg::merge(TimeSeg::merge(front, 0, b), travel[p], back[p + 1]);
        const Duration w = c.total_warp();
        if (p == 0 || w < best_warp || (w == best_warp && c.dur < best.seg.dur))
            best = BreakPlan{c, static_cast<int>(p)}, best_warp = w;
    }
    // On arrival at the end depot: drive home, take the break, end.
    const TimeSeg c = TimeSeg::merge(TimeSeg::merge(front, travel[n - 2], b), 0, seg[n - 1]);
    const Duration w = c.total_warp();
    if (w < best_warp || (w == best_warp && c.dur < best.seg.dur))
        best = BreakPlan{c, static_cast<int>(n - 1)};
    return best;
}

BreakPlan route_break_plan(const ProblemData& data, std::size_t k, const std::int32_t* clients,
                           std::size_t m) {
    thread_local std::vector<TimeSeg> seg;
    thread_local std::vector<Duration> travel;
    seg.resize(m + 2), travel.resize(m + 1);
    seg[0] = data.start_seg(k);
    auto prev = data.start_node(k);
    for (std::size_t p = 0; p < m; ++p) {
        const auto c = static_cast<std::size_t>(clients[p]);
        seg[p + 1] = data.visit_seg(c);
        travel[p] = data.duration(prev, c);
        prev = c;
    }
    seg[m + 1] = data.end_seg(k);
    travel[m] = data.duration(prev, data.end_node(k));
    return place_break(data.vehicle_type(k), seg.data(), travel.data(), m + 2);
}

}  // namespace lastmile
