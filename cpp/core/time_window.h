// Time-window segments (Vidal et al. 2013, "A hybrid genetic algorithm with adaptive diversity
// management for a large class of vehicle routing problems with time-windows"; the same algebra
// as HGS-TW and PyVRP's DurationSegment): a sequence of visits is summarised by
//   duration  D: travel + service + waiting when it starts in [early, late],
//   time warp TW: total lateness repaired by "travelling back in time" (0 when feasible),
//   early E / late L: the start times of its first visit that achieve D and TW,
//   release R: the latest release time of its clients (the route leaves the depot after it).
// Two segments concatenate in O(1) given the travel time between them. Waiting is allowed
// (arriving before a window opens); arriving after it closes is time warp.
#pragma once
#include <algorithm>

#include "core/types.h"

namespace lastmile {

struct TimeSeg {
    Duration dur = 0;
    Duration warp = 0;
    Duration early = 0;
    Duration late = kUnlimited;
    Duration release = 0;

    /// One visit: service time s in the window [e, l], released at r.
    static TimeSeg visit(Duration s, Duration e, Duration l, Duration r) {
        return TimeSeg{s, 0, e, l, r};
    }
    /// a followed by b, with travel time t from a's last visit to b's first.
    static TimeSeg merge(const TimeSeg& a, Duration t, const TimeSeg& b) {
        const Duration at_b = a.dur - a.warp + t;  // b's start relative to a's start
        const Duration wait = std::max<Duration>(b.early - at_b - a.late, 0);
        const Duration warp = std::max<Duration>(a.early + at_b - b.late, 0);
        return TimeSeg{a.dur + b.dur + t + wait, a.warp + b.warp + warp,
                       std::max(b.early - at_b, a.early) - wait,
                       std::min(b.late - at_b, a.late) + warp, std::max(a.release, b.release)};
    }
    /// Total time warp of a whole route (depot ... depot) including the release rule: it cannot
    /// start before its latest release; starting after `late` costs warp.
    Duration total_warp() const { return warp + std::max<Duration>(release - late, 0); }
    /// Departure time from the depot of a whole route: as late as possible without extra waiting
    /// (the start interval is [max(early, release), late]); used for reporting.
    Duration start_time() const { return std::min(std::max(early, release), late); }
};

}  // namespace lastmile
