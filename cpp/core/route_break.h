// Driver breaks: each non-empty route of a vehicle type with a break (VehicleType::has_break)
// takes exactly one break of break_duration that starts inside [break_early, break_late], at a
// stop, as VROOM places a break between two steps of a route:
//   after node position p of the route (0 = at the start depot before leaving, p = after the
//   service of the p-th visit, a client or a reload), before the drive to the next node, or
//   on arrival at the end depot (position m + 1 of a route of m visits): the route then ends
//   when the break ends.
// The break is a visit with the break's duration as service and its window as time window at
// the location of the stop (no travel to it), so the time-window algebra (TimeSeg) applies
// unchanged: waiting before a client's window opens absorbs a break taken just before the drive
// to it, and the break counts in the route's duration, the shift and the cost per duration. A
// route that could end before the window opens still takes it (its departure moves later or it
// waits at a stop); when no position lets it start inside its window the route has time warp,
// reported as a `break` violation when the break is where the schedule first runs late.
//
// The placement is the position of least total time warp, then least duration (the first such
// position on ties): an O(route) scan over prefix/suffix segments. The search uses the same
// evaluation (route_state.cpp), for types with a break only.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/time_window.h"

namespace lastmile {

struct VehicleType;
class ProblemData;

/// A placed break: the route's time segment with the break and the node position it follows.
struct BreakPlan {
    TimeSeg seg;    // depot ... depot with the break inside
    int after = 0;  // node position (0 = start depot, m + 1 = at the end depot)
};

/// Segment of the break itself (its duration as service, its window).
TimeSeg break_seg(const VehicleType& t);

/// Best break position of a route given its node segments seg[0..n) (start depot, the m visits,
/// end depot: n = m + 2 >= 3) and the travel times between them, travel[p] from node p to p + 1.
BreakPlan place_break(const VehicleType& t, const TimeSeg* seg, const Duration* travel,
                      std::size_t n);

/// The break-aware time segment of a route of type k (has_break) visiting the clients
/// clients[0..m) (m >= 1) from the type's start depot to its end depot.
BreakPlan route_break_plan(const ProblemData& data, std::size_t k, const std::int32_t* clients,
                           std::size_t m);

}  // namespace lastmile
