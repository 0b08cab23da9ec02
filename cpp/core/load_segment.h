// Load-profile segments for deliveries and pickups (Vidal et al. 2014, HGS for the VRP with
// simultaneous pickup and delivery; the same algebra as PyVRP's LoadSegment): a sequence of
// visits is summarised, per capacity dimension, by
//   delivery  D: the goods it delivers (on board when the segment starts),
//   pickup    P: the goods it picks up (on board when it ends),
//   peak      M: the largest load inside it, counting its own deliveries still to make and its
//                own pickups already made (the load entering it is D, leaving it is P).
// Two segments concatenate in O(1): at a's visits b's deliveries are still on board, at b's
// visits a's pickups are: peak = max(a.peak + b.delivery, a.pickup + b.peak). The load of a
// whole route holds at every point iff its peak <= capacity. Without pickups the peak is the
// delivery total, so the capacity test is today's.
#pragma once
#include <algorithm>

#include "core/types.h"

namespace lastmile {

struct LoadSeg {
    Load delivery = 0;
    Load pickup = 0;
    Load peak = 0;

    /// One visit delivering d and picking up p (the load is d before it, p after it).
    static LoadSeg visit(Load d, Load p) { return LoadSeg{d, p, std::max(d, p)}; }
    /// a followed by b.
    static LoadSeg merge(const LoadSeg& a, const LoadSeg& b) {
        return LoadSeg{a.delivery + b.delivery, a.pickup + b.pickup,
                       std::max(a.peak + b.delivery, a.pickup + b.peak)};
    }
    /// Load above the capacity at the worst point (0 when it holds everywhere).
    Load excess(Load capacity) const { return std::max<Load>(peak - capacity, 0); }
};

}  // namespace lastmile
