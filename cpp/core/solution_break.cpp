#include "core/solution_break.h"

#include <algorithm>
#include <sstream>

#include "core/route_break.h"

namespace lastmile {

void break_route(const ProblemData& data, std::size_t r, Route& route,
                 const std::vector<TimeSeg>& segs, const std::vector<Duration>& travel,
                 std::vector<Violation>& out) {
    const auto k = static_cast<std::size_t>(route.vehicle_type);
    const auto& vt = data.vehicle_type(k);
    const std::size_t n = segs.size();
    const BreakPlan plan = place_break(vt, segs.data(), travel.data(), n);
    const TimeSeg& s = plan.seg;
    const Duration driving = route.duration - route.service;
    route.duration = s.dur;
    route.time_warp = s.total_warp();
    route.start_time = s.start_time();
    route.end_time = route.start_time + s.dur - s.warp;
    route.waiting = s.dur - driving - route.service - vt.break_duration;
    route.break_after = plan.after;
    // The schedule with the break: waiting up to each window's opening, clamped to its closing
    // (time warp) when late; the first late point names the violation.
    const auto after = static_cast<std::size_t>(plan.after);
    Duration t = route.start_time;
    std::ptrdiff_t late_at = -1;  // node position, or -2 for the break
    Duration late_t = 0, late_limit = 0;
    auto take_break = [&] {
        Duration b = std::max(t, vt.break_early);
        if (b > vt.break_late && late_at == -1)
            late_at = -2, late_t = b, late_limit = vt.break_late;
        b = std::min(b, vt.break_late);
        route.break_start = b;
        t = b + vt.break_duration;
    };
    for (std::size_t p = 0; p < n; ++p) {
        if (p > 0) t += travel[p - 1];
        if (p + 1 == n && after + 1 == n) take_break();
        t = std::max(t, segs[p].early);
        if (t > segs[p].late) {
            if (late_at == -1)
                late_at = static_cast<std::ptrdiff_t>(p), late_t = t, late_limit = segs[p].late;
            t = segs[p].late;
        }
        t += segs[p].dur;
        if (p == after && p + 1 < n) take_break();
    }
    if (route.time_warp == 0) return;
    Violation v;
    v.route = static_cast<std::int64_t>(r);
    v.vehicle_type = route.vehicle_type;
    std::ostringstream os;
    os << "route " << r << ": ";
    if (s.release > s.late) {
        v.kind = ViolationKind::release;
        for (auto c : route.visits) {
            if (data.is_depot(static_cast<std::size_t>(c))) break;  // first trip only
            if (data.release(static_cast<std::size_t>(c)) == s.release) {
                v.client = c;
                break;
            }
        }
        v.value = static_cast<double>(s.release);
        v.limit = static_cast<double>(s.late);
        os << "time window: client " << v.client << " is released at " << s.release
           << " after the latest departure " << s.late << " (with the break)";
    } else if (late_at == -2) {
        v.kind = ViolationKind::brk;
        v.value = static_cast<double>(late_t);
        v.limit = static_cast<double>(late_limit);
        os << "break: the break can start at " << late_t << " at the earliest, after its window "
           << "closes at " << late_limit << " (time warp " << route.time_warp << ")";
    } else if (late_at > 0 && static_cast<std::size_t>(late_at) + 1 < n) {
        const auto c = route.visits[static_cast<std::size_t>(late_at) - 1];
        v.kind = ViolationKind::time_window;
        v.value = static_cast<double>(late_t);
        v.limit = static_cast<double>(late_limit);
        if (data.is_depot(static_cast<std::size_t>(c))) {
            os << "time window: reload at depot " << data.depot_of_node(c) << " reached at "
               << late_t << " after it closes at " << late_limit;
        } else {
            v.client = c;
            os << "time window: client " << c << " is reached at " << late_t
               << " after its window closes at " << late_limit << " (with the break; time warp "
               << route.time_warp << ")";
        }
    } else {
        v.kind = ViolationKind::shift_end;
        v.value = static_cast<double>(late_at >= 0 ? late_t : route.end_time);
        v.limit = static_cast<double>(segs[n - 1].late);
        os << "time window: the route returns to the depot at " << v.value
           << " after it closes / the shift ends at " << segs[n - 1].late
           << " (with the break; time warp " << route.time_warp << ")";
    }
    v.message = os.str();
    out.push_back(std::move(v));
}

}  // namespace lastmile
